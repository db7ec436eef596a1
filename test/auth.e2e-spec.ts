import { JwtService } from '@nestjs/jwt';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { TEST_ADMIN } from './test-env';

const PASSWORD = 'correct-horse-battery';

describe('auth (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);

  /** A user created by the admin, with a known password; not logged in. */
  async function createUser(body: Record<string, unknown> = {}): Promise<{ id: string; username: string }> {
    const username = uniqueCode('usr').toLowerCase();
    const res = await t.http().post('/users').set(admin()).send({ username, password: PASSWORD, role: 'ADMIN', ...body });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, username };
  }

  describe('POST /auth/login', () => {
    it('answers {accessToken, tokenType: Bearer, expiresIn} and the token works', async () => {
      const { username } = await createUser();
      const res = await t.http().post('/auth/login').send({ username, password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
      expect(res.body.accessToken.split('.')).toHaveLength(3);
      const me = await t.http().get('/auth/me').set(auth(res.body.accessToken));
      expect(me.status).toBe(200);
      expect(me.body.username).toBe(username);
    });

    it('treats the username case-insensitively', async () => {
      const { username } = await createUser();
      const res = await t.http().post('/auth/login').send({ username: username.toUpperCase(), password: PASSWORD });
      expect(res.status).toBe(200);
    });

    it('answers a wrong password with 401 problem+json', async () => {
      const { username } = await createUser();
      const res = await t.http().post('/auth/login').send({ username, password: 'wrong-password-123' });
      expectProblem(res, 401, 'unauthorized');
      expect(res.body.accessToken).toBeUndefined();
    });

    it('answers an unknown user with the same 401 as a wrong password (no user enumeration)', async () => {
      const { username } = await createUser();
      const wrong = await t.http().post('/auth/login').send({ username, password: 'wrong-password-123' });
      const unknown = await t.http().post('/auth/login').send({ username: uniqueCode('nobody').toLowerCase(), password: PASSWORD });
      expectProblem(unknown, 401, 'unauthorized');
      expect(unknown.body.detail).toBe(wrong.body.detail);
    });

    it('refuses a body without a password, or with unknown fields, with 400', async () => {
      const missing = await t.http().post('/auth/login').send({ username: 'someone' });
      expectProblem(missing, 400, 'validation-failed');
      expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
      const extra = await t.http().post('/auth/login').send({ username: 'someone', password: PASSWORD, remember: true });
      expectProblem(extra, 400);
      expect(extra.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'remember' })]));
    });
  });

  describe('bearer tokens', () => {
    it('answers a protected endpoint without credentials with 401 problem+json', async () => {
      expectProblem(await t.http().get('/units'), 401, 'unauthorized');
      expectProblem(await t.http().get('/auth/me'), 401, 'unauthorized');
      expectProblem(await t.http().post('/users').send({}), 401, 'unauthorized');
    });

    it.each([
      ['a garbage bearer token', 'Bearer garbage'],
      ['an empty bearer token', 'Bearer '],
      ['another scheme', `Basic ${Buffer.from('admin:x').toString('base64')}`],
      ['a JWT-shaped token with a bad signature', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ])('answers %s with 401', async (_, header) => {
      expectProblem(await t.http().get('/units').set('Authorization', header), 401, 'unauthorized');
    });

    it('answers an expired token with 401', async () => {
      const jwt = t.app.get(JwtService);
      const me = await t.http().get('/auth/me').set(admin());
      const expired = await jwt.signAsync({ sub: me.body.id, role: 'ADMIN', ver: 0 }, { expiresIn: -60 });
      expectProblem(await t.http().get('/units').set(auth(expired)), 401, 'unauthorized');
      // The same claims with a valid lifetime work, so it is the expiry that is refused.
      const fresh = await jwt.signAsync({ sub: me.body.id, role: 'ADMIN', ver: 0 });
      expect((await t.http().get('/units').set(auth(fresh))).status).toBe(200);
    });

    it('answers a token signed with another secret, another issuer or alg none with 401', async () => {
      const jwt = t.app.get(JwtService);
      const me = await t.http().get('/auth/me').set(admin());
      const otherSecret = await jwt.signAsync({ sub: me.body.id }, { secret: 'x'.repeat(40) });
      expectProblem(await t.http().get('/units').set(auth(otherSecret)), 401);
      const otherIssuer = await jwt.signAsync({ sub: me.body.id }, { issuer: 'someone-else' });
      expectProblem(await t.http().get('/units').set(auth(otherIssuer)), 401);
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: me.body.id, iss: 'capaian', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
      expectProblem(await t.http().get('/units').set(auth(none)), 401);
    });

    it('answers a valid token for a user that does not exist with 401', async () => {
      const ghost = await t.app.get(JwtService).signAsync({ sub: '00000000-0000-4000-8000-000000000000', role: 'ADMIN' });
      expectProblem(await t.http().get('/units').set(auth(ghost)), 401);
    });

    it('takes the role from the database, not from the token claims', async () => {
      const unit = await createUnit(t);
      const op = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      const forged = await t.app.get(JwtService).signAsync({ sub: op.id, role: 'ADMIN', ver: 0 });
      const me = await t.http().get('/auth/me').set(auth(forged));
      expect(me.body.role).toBe('HR_OPERATOR');
      expectProblem(await t.http().post('/users').set(auth(forged)).send({}), 403, 'role-not-allowed');
    });
  });

  describe('deactivating a user', () => {
    it('makes their existing token answer 401 and their login 401; reactivating lets them log in again', async () => {
      const unit = await createUnit(t);
      const u = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      expect((await t.http().get('/units').set(auth(u.token))).status).toBe(200);

      const off = await t.http().patch(`/users/${u.id}`).set(admin()).send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ id: u.id, active: false, status: 'INACTIVE' });

      expectProblem(await t.http().get('/units').set(auth(u.token)), 401, 'unauthorized');
      expectProblem(await t.http().get('/auth/me').set(auth(u.token)), 401, 'unauthorized');
      expectProblem(await t.http().post('/auth/login').send({ username: u.username, password: PASSWORD }), 401, 'unauthorized');

      const on = await t.http().patch(`/users/${u.id}`).set(admin()).send({ active: true });
      expect(on.body).toMatchObject({ active: true, status: 'ACTIVE' });
      const relogin = await t.http().post('/auth/login').send({ username: u.username, password: PASSWORD });
      expect(relogin.status).toBe(200);
      // The token from before the deactivation stays dead; the new one works.
      expectProblem(await t.http().get('/units').set(auth(u.token)), 401, 'unauthorized');
      expect((await t.http().get('/units').set(auth(relogin.body.accessToken))).status).toBe(200);
    });

    it('refuses an admin deactivating themself (409)', async () => {
      const me = await t.http().get('/auth/me').set(admin());
      expectProblem(await t.http().patch(`/users/${me.body.id}`).set(admin()).send({ active: false }), 409, 'cannot-deactivate-self');
      expect((await t.http().get('/auth/me').set(admin())).status).toBe(200);
    });

    it('a password change makes the old password fail and the new one work', async () => {
      const { id, username } = await createUser();
      const res = await t.http().patch(`/users/${id}`).set(admin()).send({ password: 'a-brand-new-passphrase' });
      expect(res.status).toBe(200);
      expectProblem(await t.http().post('/auth/login').send({ username, password: PASSWORD }), 401);
      expect((await t.http().post('/auth/login').send({ username, password: 'a-brand-new-passphrase' })).status).toBe(200);
    });

    it('a password change ends the tokens issued before it', async () => {
      const unit = await createUnit(t);
      const u = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      expect((await t.http().get('/auth/me').set(auth(u.token))).status).toBe(200);
      expect((await t.http().patch(`/users/${u.id}`).set(admin()).send({ password: 'another-new-passphrase' })).status).toBe(200);
      expectProblem(await t.http().get('/auth/me').set(auth(u.token)), 401, 'unauthorized');
      const fresh = await t.http().post('/auth/login').send({ username: u.username, password: 'another-new-passphrase' });
      expect((await t.http().get('/auth/me').set(auth(fresh.body.accessToken))).status).toBe(200);
    });
  });

  describe('GET /auth/me', () => {
    it('describes a user', async () => {
      const unit = await createUnit(t);
      const u = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      const res = await t.http().get('/auth/me').set(auth(u.token));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ kind: 'user', id: u.id, username: u.username, role: 'HR_OPERATOR', employeeId: null, unitId: unit.id });
    });

    it('describes the admin', async () => {
      const res = await t.http().get('/auth/me').set(admin());
      expect(res.body).toMatchObject({ kind: 'user', username: TEST_ADMIN.username, role: 'ADMIN', unitId: null, employeeId: null });
    });

    it('describes an API key, never showing the key', async () => {
      const key = await apiKey(t, ['org:read']);
      const res = await t.http().get('/auth/me').set('X-API-Key', key.key);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ kind: 'api-key', id: key.id, name: expect.any(String), scopes: ['org:read'] });
      expect(JSON.stringify(res.body)).not.toContain(key.key);
    });

    it('answers any valid key, whatever its scopes', async () => {
      const key = await apiKey(t, ['scores:read']);
      const res = await t.http().get('/auth/me').set('X-API-Key', key.key);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kind: 'api-key', id: key.id, scopes: ['scores:read'] });
    });
  });

  describe('POST /users', () => {
    const create = (body: Record<string, unknown>) =>
      t
        .http()
        .post('/users')
        .set(admin())
        .send({ username: uniqueCode('nu').toLowerCase(), password: PASSWORD, ...body });
    const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

    it('creates an HR operator and answers the user without any password material', async () => {
      const unit = await createUnit(t);
      const res = await create({ role: 'HR_OPERATOR', unitId: unit.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: expect.any(String), role: 'HR_OPERATOR', unitId: unit.id, employeeId: null, active: true, status: 'ACTIVE' });
      expect(JSON.stringify(res.body)).not.toMatch(/password|argon2|scrypt/i);
      const got = await t.http().get(`/users/${res.body.id}`).set(admin());
      expect(got.body).toEqual(res.body);
    });

    it('refuses an EMPLOYEE without employeeId (400, field employeeId)', async () => {
      const res = await create({ role: 'EMPLOYEE' });
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res)).toContain('employeeId');
    });

    it('refuses an EMPLOYEE with an unknown employeeId (400, field employeeId)', async () => {
      const res = await create({ role: 'EMPLOYEE', employeeId: '00000000-0000-4000-8000-000000000000' });
      expectProblem(res, 400);
      expect(fieldsOf(res)).toEqual(['employeeId']);
    });

    it('refuses an HR_OPERATOR without unitId (400, field unitId)', async () => {
      const res = await create({ role: 'HR_OPERATOR' });
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res)).toContain('unitId');
    });

    it('refuses an unknown unitId (400, field unitId)', async () => {
      const res = await create({ role: 'HR_OPERATOR', unitId: '00000000-0000-4000-8000-000000000000' });
      expectProblem(res, 400);
      expect(fieldsOf(res)).toEqual(['unitId']);
    });

    it('refuses a unitId on a non-HR_OPERATOR (400, field unitId)', async () => {
      const unit = await createUnit(t);
      const res = await create({ role: 'ADMIN', unitId: unit.id });
      expectProblem(res, 400);
      expect(fieldsOf(res)).toEqual(['unitId']);
    });

    it('refuses a duplicate username with 409 and keeps the first user', async () => {
      const { id, username } = await createUser();
      const res = await t.http().post('/users').set(admin()).send({ username, password: 'another-password-1', role: 'ADMIN' });
      expectProblem(res, 409, 'duplicate-username');
      expect((await t.http().post('/auth/login').send({ username, password: PASSWORD })).status).toBe(200);
      expect((await t.http().get(`/users/${id}`).set(admin())).body.username).toBe(username);
    });

    it.each([
      ['a short password', { password: 'short' }, 'password'],
      ['an unknown role', { role: 'SUPERUSER' }, 'role'],
      ['a username with spaces', { username: 'has space', role: 'ADMIN' }, 'username'],
      ['an unknown field', { role: 'ADMIN', isRoot: true }, 'isRoot'],
    ])('refuses %s (400 naming the field)', async (_, body, field) => {
      const res = await create({ role: 'ADMIN', ...body });
      expectProblem(res, 400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('is admin-only: an HR_OPERATOR gets 403 role-not-allowed and nothing is created', async () => {
      const unit = await createUnit(t);
      const op = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      const username = uniqueCode('sneaky').toLowerCase();
      const res = await t.http().post('/users').set(auth(op.token)).send({ username, password: PASSWORD, role: 'ADMIN' });
      expectProblem(res, 403, 'role-not-allowed');
      expectProblem(await t.http().post('/auth/login').send({ username, password: PASSWORD }), 401);
      expectProblem(await t.http().get('/users').set(auth(op.token)), 403, 'role-not-allowed');
      expectProblem(await t.http().patch(`/users/${op.id}`).set(auth(op.token)).send({ active: false }), 403, 'role-not-allowed');
    });

    it('is refused to API keys, whatever their scopes (403 api-key-not-allowed)', async () => {
      const key = await apiKey(t, ['org:read', 'org:write', 'audit:read']);
      const res = await t.http().post('/users').set('X-API-Key', key.key).send({ username: uniqueCode('k').toLowerCase(), password: PASSWORD, role: 'ADMIN' });
      expectProblem(res, 403, 'api-key-not-allowed');
    });

    it('lists users as a page, never with password hashes', async () => {
      const res = await t.http().get('/users').query({ pageSize: 200 }).set(admin());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 200, total: expect.any(Number) });
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|\$argon2id\$|scrypt\$/);
    });
  });

  describe('moving an HR operator', () => {
    it('takes effect on their very next request with the same token, although verified callers are cached', async () => {
      expect(t.config.auth.principalCacheMs).toBeGreaterThan(0); // else nothing here is cached
      const [a, b] = [await createUnit(t), await createUnit(t)];
      const [inA, inB] = [await createEmployee(t, { unitId: a.id }), await createEmployee(t, { unitId: b.id })];
      const op = await userToken(t, { role: 'HR_OPERATOR', unitId: a.id });
      const employee = (id: string) => t.http().get(`/employees/${id}`).set(auth(op.token));
      // These requests put the operator's principal (unit A) in the cache.
      expect((await employee(inA.id)).status).toBe(200);
      expectProblem(await employee(inB.id), 404, 'not-found');

      const moved = await t.http().patch(`/users/${op.id}`).set(admin()).send({ unitId: b.id });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ id: op.id, role: 'HR_OPERATOR', unitId: b.id, active: true });

      expectProblem(await employee(inA.id), 404, 'not-found');
      const now = await employee(inB.id);
      expect(now.status).toBe(200);
      expect(now.body.id).toBe(inB.id);
      expect((await t.http().get('/auth/me').set(auth(op.token))).body).toMatchObject({ id: op.id, unitId: b.id });
    });
  });

  // Last on purpose: passport keeps one global 'jwt' strategy, bound to the most recently created app, so
  // once this second app is closed the first one can no longer verify bearer tokens.
  describe('login throttling', () => {
    let th: TestApp;
    beforeAll(async () => (th = await createTestApp({ LOGIN_THROTTLE_LIMIT: '3' })));
    afterAll(() => th.close());

    it('answers the 4th attempt for one username with 429, Retry-After and problem+json; other usernames still log in', async () => {
      const victim = uniqueCode('victim').toLowerCase();
      const other = uniqueCode('other').toLowerCase();
      for (const username of [victim, other]) {
        const res = await th.http().post('/users').set(auth(th.adminToken)).send({ username, password: PASSWORD, role: 'ADMIN' });
        expect(res.status).toBe(201);
      }
      for (let i = 0; i < 3; i++) {
        expectProblem(await th.http().post('/auth/login').send({ username: victim, password: 'wrong-password-123' }), 401);
      }
      // Even the right password is refused now: throttling comes before the credential check.
      const blocked = await th.http().post('/auth/login').send({ username: victim, password: PASSWORD });
      expectProblem(blocked, 429, 'too-many-requests');
      expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
      // The username is counted case-insensitively.
      expectProblem(await th.http().post('/auth/login').send({ username: victim.toUpperCase(), password: PASSWORD }), 429);

      const ok = await th.http().post('/auth/login').send({ username: other, password: PASSWORD });
      expect(ok.status).toBe(200);
      expect(ok.body.tokenType).toBe('Bearer');
    });
  });
});
