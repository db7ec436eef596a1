import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NarrowApiKeyScopes1795980000000 } from '../migrations/1795980000000-NarrowApiKeyScopes';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createUnit, expectProblem, uniqueCode, userToken } from './factories';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('API keys (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);
  const withKey = (key: string) => ({ 'X-API-Key': key });

  describe('issuing and listing', () => {
    it('answers 201 with the key once; the list never shows the key or its hash', async () => {
      const name = uniqueCode('SIMPEG sync');
      const res = await t.http().post('/api-keys').set(admin()).send({ name, scopes: ['org:read', 'org:write'] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name,
        scopes: ['org:read', 'org:write'],
        status: 'ACTIVE',
        revokedAt: null,
        lastUsedAt: null,
        key: expect.stringMatching(/^cap_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/),
      });
      const { key, id, prefix } = res.body as { key: string; id: string; prefix: string };
      expect(key.startsWith(`cap_${prefix}_`)).toBe(true);
      expect(res.body.keyHash).toBeUndefined();

      const list = await t.http().get('/api-keys').set(admin());
      expect(list.status).toBe(200);
      const listed = (list.body as Record<string, unknown>[]).find((k) => k.id === id);
      expect(listed).toMatchObject({ id, name, prefix, scopes: ['org:read', 'org:write'], status: 'ACTIVE' });
      expect(listed).not.toHaveProperty('key');
      expect(listed).not.toHaveProperty('keyHash');
      const text = JSON.stringify(list.body);
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice('cap_'.length + 13)); // the secret part (it may itself contain '_')
      expect(text).not.toContain(sha256(key));
    });

    it('issues a different key every time', async () => {
      const a = await apiKey(t, ['org:read']);
      const b = await apiKey(t, ['org:read']);
      expect(a.key).not.toBe(b.key);
      expect(a.id).not.toBe(b.id);
    });

    it('stores a SHA-256 hash of the key, not the key', async () => {
      const { id, key } = await apiKey(t, ['org:read']);
      const ds = t.app.get(DataSource);
      const rows: { key_hash: string }[] = await ds.query('SELECT key_hash FROM api_keys WHERE id = $1', [id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].key_hash).not.toBe(key);
      expect(rows[0].key_hash).toBe(sha256(key));
      const leaked: unknown[] = await ds.query(
        `SELECT 1 FROM api_keys WHERE id = $1 AND (name LIKE '%' || $2 || '%' OR prefix = $2 OR key_hash = $2)`,
        [id, key],
      );
      expect(leaked).toHaveLength(0);
    });

    it.each([
      ['an unknown scope', { name: 'x', scopes: ['org:read', 'everything'] }, 'scopes'],
      ['no scopes', { name: 'x', scopes: [] }, 'scopes'],
      ['scopes that are not a list', { name: 'x', scopes: 'org:read' }, 'scopes'],
      ['a repeated scope', { name: 'x', scopes: ['org:read', 'org:read'] }, 'scopes'],
      ['no name', { scopes: ['org:read'] }, 'name'],
      ['an unknown field', { name: 'x', scopes: ['org:read'], expiresAt: '2030-01-01' }, 'expiresAt'],
    ])('refuses %s with 400 naming the field', async (_, body, field) => {
      const res = await t.http().post('/api-keys').set(admin()).send(body);
      expectProblem(res, 400, 'validation-failed');
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    });

    it('is admin-only: an HR operator gets 403 on POST, GET and DELETE', async () => {
      const unit = await createUnit(t);
      const op = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      const victim = await apiKey(t, ['org:read']);
      expectProblem(await t.http().post('/api-keys').set(auth(op.token)).send({ name: 'x', scopes: ['org:read'] }), 403, 'role-not-allowed');
      expectProblem(await t.http().get('/api-keys').set(auth(op.token)), 403, 'role-not-allowed');
      expectProblem(await t.http().delete(`/api-keys/${victim.id}`).set(auth(op.token)), 403, 'role-not-allowed');
      expect((await t.http().get('/units').set(withKey(victim.key))).status).toBe(200);
    });

    it('cannot be issued by an API key, whatever its scopes (403 api-key-not-allowed)', async () => {
      const key = await apiKey(t, ['org:read', 'org:write', 'audit:read']);
      const res = await t.http().post('/api-keys').set(withKey(key.key)).send({ name: 'escalate', scopes: ['org:write'] });
      expectProblem(res, 403, 'api-key-not-allowed');
      expectProblem(await t.http().get('/api-keys').set(withKey(key.key)), 403, 'api-key-not-allowed');
      expectProblem(await t.http().delete(`/api-keys/${key.id}`).set(withKey(key.key)), 403, 'api-key-not-allowed');
    });
  });

  describe('scopes', () => {
    it('org:read may list and read units but not create them (403 missing-scope)', async () => {
      const unit = await createUnit(t);
      const { key } = await apiKey(t, ['org:read']);
      const list = await t.http().get('/units').query({ q: unit.code }).set(withKey(key));
      expect(list.status).toBe(200);
      expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([unit.id]);
      expect((await t.http().get(`/units/${unit.id}`).set(withKey(key))).body.code).toBe(unit.code);

      const code = uniqueCode('kw');
      const res = await t.http().post('/units').set(withKey(key)).send({ code, name: 'Tidak Boleh', kind: 'DINAS' });
      expectProblem(res, 403, 'missing-scope');
      expect(res.body.detail).toContain('org:write');
      expect((await t.http().get('/units').query({ q: code }).set(admin())).body.total).toBe(0);
      expectProblem(await t.http().patch(`/units/${unit.id}`).set(withKey(key)).send({ name: 'X' }), 403, 'missing-scope');
      expectProblem(await t.http().delete(`/units/${unit.id}`).set(withKey(key)), 403, 'missing-scope');
    });

    it('org:write may create a unit, and the audit log names the key as actor', async () => {
      const { key, id } = await apiKey(t, ['org:write']);
      const code = uniqueCode('kw');
      const res = await t.http().post('/units').set(withKey(key)).send({ code, name: 'Dibuat Mesin', kind: 'DINAS' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ code, name: 'Dibuat Mesin' });
      const audit = await t.http().get('/audit-events').query({ entityId: res.body.id, action: 'unit.create' }).set(admin());
      expect(audit.body.items).toEqual([expect.objectContaining({ actorType: 'API_KEY', actorId: id })]);
    });

    it('org:write alone does not grant org:read', async () => {
      const { key } = await apiKey(t, ['org:write']);
      expectProblem(await t.http().get('/units').set(withKey(key)), 403, 'missing-scope');
    });

    it('audit:read may read the audit log; org:read may not', async () => {
      const reader = await apiKey(t, ['audit:read']);
      expect((await t.http().get('/audit-events').query({ pageSize: 1 }).set(withKey(reader.key))).status).toBe(200);
      const other = await apiKey(t, ['org:read']);
      expectProblem(await t.http().get('/audit-events').set(withKey(other.key)), 403, 'missing-scope');
    });

    it('an API key takes precedence over a bearer token sent alongside', async () => {
      const { key } = await apiKey(t, ['org:read']);
      const res = await t
        .http()
        .post('/units')
        .set({ ...admin(), ...withKey(key) })
        .send({ code: uniqueCode('both'), name: 'X', kind: 'DINAS' });
      expectProblem(res, 403, 'missing-scope');
    });
  });

  describe('the migration to function-level scopes', () => {
    it('gives scores:read keys promotion:read and appraisals:write keys nothing new', async () => {
      const ds = t.app.get(DataSource);
      const reader = await apiKey(t, ['scores:read']);
      const writer = await apiKey(t, ['appraisals:write']);
      const both = await apiKey(t, ['scores:read', 'promotion:read']);
      // Rolled back: the migration would rewrite every scores:read key of the shared database, other files' too.
      const runner = ds.createQueryRunner();
      await runner.startTransaction();
      try {
        await new NarrowApiKeyScopes1795980000000().up(runner);
        const scopesOf = async (id: string) => {
          const rows: { scopes: string[] }[] = await runner.query('SELECT scopes FROM api_keys WHERE id = $1', [id]);
          return rows[0].scopes;
        };
        expect(await scopesOf(reader.id)).toEqual(['scores:read', 'promotion:read']);
        expect(await scopesOf(writer.id)).toEqual(['appraisals:write']);
        expect(await scopesOf(both.id)).toEqual(['scores:read', 'promotion:read']);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      // What appraisals:write no longer covers: verifying, assessing, managing periods.
      expectProblem(await t.http().post('/periods').set(withKey(writer.key)).send({}), 403, 'missing-scope');
      expectProblem(await t.http().post(`/achievements/${reader.id}/verify`).set(withKey(writer.key)), 403, 'missing-scope');
      expectProblem(await t.http().put(`/appraisals/${reader.id}/behaviour`).set(withKey(writer.key)).send({}), 403, 'missing-scope');
    });
  });

  describe('revoking and bad keys', () => {
    it('a revoked key answers 401 at once; revoking again is harmless', async () => {
      const { id, key } = await apiKey(t, ['org:read']);
      expect((await t.http().get('/units').set(withKey(key))).status).toBe(200);

      const res = await t.http().delete(`/api-keys/${id}`).set(admin());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'REVOKED', revokedAt: expect.any(String) });
      expect(res.body).not.toHaveProperty('key');

      expectProblem(await t.http().get('/units').set(withKey(key)), 401, 'unauthorized');
      expectProblem(await t.http().get('/auth/me').set(withKey(key)), 401, 'unauthorized');

      const again = await t.http().delete(`/api-keys/${id}`).set(admin());
      expect(again.status).toBe(200);
      expect(again.body.revokedAt).toBe(res.body.revokedAt);

      const list = await t.http().get('/api-keys').set(admin());
      expect((list.body as { id: string; status: string }[]).find((k) => k.id === id)?.status).toBe('REVOKED');
    });

    it('revoking one key leaves the others working', async () => {
      const a = await apiKey(t, ['org:read']);
      const b = await apiKey(t, ['org:read']);
      expect((await t.http().delete(`/api-keys/${a.id}`).set(admin())).status).toBe(200);
      expect((await t.http().get('/units').set(withKey(b.key))).status).toBe(200);
    });

    it('a key of a deactivated issuer answers 401 at once, as a revoked one; it works again if they are reactivated', async () => {
      const issuer = await userToken(t, { role: 'ADMIN' });
      const res = await t.http().post('/api-keys').set(auth(issuer.token)).send({ name: uniqueCode('key'), scopes: ['org:read'] });
      expect(res.status).toBe(201);
      const key = res.body.key as string;
      // Used first, so that a cached principal would outlive the deactivation if it were not dropped with it.
      expect((await t.http().get('/units').set(withKey(key))).status).toBe(200);

      expect((await t.http().patch(`/users/${issuer.id}`).set(admin()).send({ active: false })).status).toBe(200);
      expectProblem(await t.http().get('/units').set(withKey(key)), 401, 'unauthorized');
      expectProblem(await t.http().get('/auth/me').set(withKey(key)), 401, 'unauthorized');

      expect((await t.http().patch(`/users/${issuer.id}`).set(admin()).send({ active: true })).status).toBe(200);
      expect((await t.http().get('/units').set(withKey(key))).status).toBe(200);
    });

    it('answers DELETE of an unknown key with 404', async () => {
      expectProblem(await t.http().delete('/api-keys/00000000-0000-4000-8000-000000000000').set(admin()), 404, 'not-found');
    });

    it('records last use', async () => {
      const { id, key } = await apiKey(t, ['org:read']);
      expect((await t.http().get('/units').set(withKey(key))).status).toBe(200);
      const list = await t.http().get('/api-keys').set(admin());
      const k = (list.body as { id: string; lastUsedAt: string | null }[]).find((x) => x.id === id)!;
      expect(k.lastUsedAt).not.toBeNull();
    });

    it('answers malformed and unknown keys with 401', async () => {
      const { key } = await apiKey(t, ['org:read']);
      const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
      const unknownPrefix = `cap_zzzzzzzzzzzz_${key.slice('cap_'.length + 13)}`;
      for (const bad of ['garbage', '', 'cap_', `${key}x`, key.toUpperCase(), tampered, unknownPrefix]) {
        const res = await t.http().get('/units').set('X-API-Key', bad);
        expectProblem(res, 401, 'unauthorized');
      }
    });

    it('a bad key is not rescued by a valid bearer token', async () => {
      const res = await t.http().get('/units').set({ ...admin(), 'X-API-Key': 'garbage' });
      expectProblem(res, 401, 'unauthorized');
    });
  });
});
