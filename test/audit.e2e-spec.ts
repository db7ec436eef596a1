import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { auth, createUnit, expectProblem, uniqueCode, userToken } from './factories';

interface AuditEvent {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

describe('audit log (e2e)', () => {
  let t: TestApp;
  let adminId: string;
  beforeAll(async () => {
    t = await createTestApp();
    adminId = (await t.http().get('/auth/me').set(auth(t.adminToken))).body.id;
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);
  const events = async (query: Record<string, string | number>): Promise<AuditEvent[]> => {
    const res = await t.http().get('/audit-events').query(query).set(admin());
    expect(res.status).toBe(200);
    return res.body.items as AuditEvent[];
  };
  const requestId = () => `audit-${uniqueCode('rq').toLowerCase()}`;

  it('records unit.create with the actor, the after state and the request id of the mutating request', async () => {
    const rid = requestId();
    const code = uniqueCode('aud');
    const res = await t.http().post('/units').set(admin()).set('X-Request-Id', rid).send({ code, name: 'Badan Kepegawaian', kind: 'BADAN' });
    expect(res.status).toBe(201);

    const byRequest = await events({ requestId: rid });
    expect(byRequest).toHaveLength(1);
    expect(byRequest[0]).toMatchObject({
      actorType: 'USER',
      actorId: adminId,
      actorName: 'admin',
      action: 'unit.create',
      entityType: 'unit',
      entityId: res.body.id,
      before: null,
      requestId: rid,
    });
    expect(byRequest[0].after).toMatchObject({ id: res.body.id, code, name: 'Badan Kepegawaian', kind: 'BADAN', active: true, parentId: null });
    expect(new Date(byRequest[0].occurredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const byEntity = await events({ entityId: res.body.id });
    expect(byEntity.map((e) => e.id)).toEqual([byRequest[0].id]);
  });

  it('records unit.update with before and after, newest first', async () => {
    const unit = await createUnit(t, { name: 'Nama Lama' });
    const rid = requestId();
    const res = await t.http().patch(`/units/${unit.id}`).set(admin()).set('X-Request-Id', rid).send({ name: 'Nama Baru' });
    expect(res.status).toBe(200);

    const [update] = await events({ requestId: rid });
    expect(update).toMatchObject({ action: 'unit.update', entityType: 'unit', entityId: unit.id, requestId: rid, actorId: adminId });
    expect(update.before).toMatchObject({ id: unit.id, code: unit.code, name: 'Nama Lama', active: true });
    expect(update.after).toMatchObject({ id: unit.id, code: unit.code, name: 'Nama Baru', active: true });

    const all = await events({ entityId: unit.id });
    expect(all.map((e) => e.action)).toEqual(['unit.update', 'unit.create']);
    expect(all[1].requestId).not.toBe(rid);
  });

  it('records a deactivation as unit.deactivate and a deletion as unit.delete', async () => {
    const unit = await createUnit(t);
    expect((await t.http().patch(`/units/${unit.id}`).set(admin()).send({ active: false })).status).toBe(200);
    expect((await t.http().delete(`/units/${unit.id}`).set(admin())).status).toBe(204);
    const all = await events({ entityId: unit.id });
    expect(all.map((e) => e.action)).toEqual(['unit.delete', 'unit.deactivate', 'unit.create']);
    expect(all[1].after).toMatchObject({ active: false });
    expect(all[0]).toMatchObject({ before: expect.objectContaining({ code: unit.code }), after: null });
  });

  it('writes no event for a refused mutation', async () => {
    const unit = await createUnit(t);
    const rid = requestId();
    const res = await t.http().patch(`/units/${unit.id}`).set(admin()).set('X-Request-Id', rid).send({ parentId: unit.id });
    expectProblem(res, 409, 'unit-cycle');
    expect(await events({ requestId: rid })).toEqual([]);
  });

  it('filters by entityType and action, and pages', async () => {
    const unit = await createUnit(t);
    await t.http().patch(`/units/${unit.id}`).set(admin()).send({ name: 'Satu' });
    await t.http().patch(`/units/${unit.id}`).set(admin()).send({ name: 'Dua' });
    const updates = await events({ entityType: 'unit', entityId: unit.id, action: 'unit.update' });
    expect(updates).toHaveLength(2);
    expect(updates.map((e) => (e.after as { name: string }).name)).toEqual(['Dua', 'Satu']);
    const page = await t.http().get('/audit-events').query({ entityId: unit.id, pageSize: 1, page: 2 }).set(admin());
    expect(page.body).toMatchObject({ page: 2, pageSize: 1, total: 3 });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0].action).toBe('unit.update');
    expect((await events({ entityId: unit.id, entityType: 'user' })).length).toBe(0);
  });

  it('refuses bad filters with 400', async () => {
    expectProblem(await t.http().get('/audit-events').query({ actorId: 'not-a-uuid' }).set(admin()), 400);
    expectProblem(await t.http().get('/audit-events').query({ from: 'yesterday' }).set(admin()), 400);
    expectProblem(await t.http().get('/audit-events').query({ pageSize: 500 }).set(admin()), 400);
  });

  it('is readable by admins only: an HR operator gets 403', async () => {
    const unit = await createUnit(t);
    const op = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
    expectProblem(await t.http().get('/audit-events').set(auth(op.token)), 403, 'role-not-allowed');
    expectProblem(await t.http().get('/audit-events').query({ entityId: unit.id }).set(auth(op.token)), 403, 'role-not-allowed');
    expectProblem(await t.http().get('/audit-events'), 401);
  });

  it('never stores password hashes: user.create has no passwordHash or password in after', async () => {
    const unit = await createUnit(t);
    const username = uniqueCode('aud').toLowerCase();
    const password = 'a-secret-passphrase-1';
    const rid = requestId();
    const res = await t.http().post('/users').set(admin()).set('X-Request-Id', rid).send({ username, password, role: 'HR_OPERATOR', unitId: unit.id });
    expect(res.status).toBe(201);
    const [created] = await events({ requestId: rid });
    expect(created).toMatchObject({ action: 'user.create', entityType: 'user', entityId: res.body.id });
    expect(created.after).toMatchObject({ id: res.body.id, username, role: 'HR_OPERATOR', unitId: unit.id });
    expect(created.after).not.toHaveProperty('passwordHash');
    expect(created.after).not.toHaveProperty('password');
    const text = JSON.stringify(created);
    expect(text).not.toContain(password);
    expect(text).not.toMatch(/\$argon2id\$|scrypt\$/);

    // A password change is recorded as such, without the hash either.
    const rid2 = requestId();
    expect((await t.http().patch(`/users/${res.body.id}`).set(admin()).set('X-Request-Id', rid2).send({ password: 'another-passphrase-2' })).status).toBe(200);
    const [changed] = await events({ requestId: rid2 });
    expect(changed).toMatchObject({ action: 'user.update', after: expect.objectContaining({ passwordChanged: true }) });
    expect(changed.before).not.toHaveProperty('passwordHash');
    expect(changed.after).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(changed)).not.toMatch(/\$argon2id\$|scrypt\$|another-passphrase-2/);
  });

  it('never stores API keys or their hashes', async () => {
    const rid = requestId();
    const res = await t.http().post('/api-keys').set(admin()).set('X-Request-Id', rid).send({ name: uniqueCode('k'), scopes: ['org:read'] });
    expect(res.status).toBe(201);
    const [created] = await events({ requestId: rid });
    expect(created).toMatchObject({ action: 'api-key.create', entityId: res.body.id });
    expect(created.after).not.toHaveProperty('keyHash');
    expect(JSON.stringify(created)).not.toContain(res.body.key);
  });

  describe('append-only table', () => {
    let ds: DataSource;
    let eventId: string;
    // TypeORM logs every failed query to the console; here the failures are the point, so keep the output clean.
    let quiet: jest.SpyInstance;
    beforeAll(async () => {
      quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      ds = t.app.get(DataSource);
      const unit = await createUnit(t);
      eventId = (await events({ entityId: unit.id }))[0].id;
    });
    afterAll(() => quiet.mockRestore());

    /** Runs SQL in a transaction that is always rolled back, so a broken trigger cannot harm other test files. */
    async function inRolledBackTransaction(sql: string, params: unknown[] = []): Promise<unknown> {
      const qr = ds.createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      try {
        return await qr.query(sql, params);
      } finally {
        await qr.rollbackTransaction();
        await qr.release();
      }
    }

    it('refuses UPDATE', async () => {
      await expect(inRolledBackTransaction(`UPDATE audit_events SET action = 'x' WHERE id = $1`, [eventId])).rejects.toThrow(/append-only/);
      await expect(inRolledBackTransaction(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    });

    it('refuses DELETE', async () => {
      await expect(inRolledBackTransaction('DELETE FROM audit_events WHERE id = $1', [eventId])).rejects.toThrow(/append-only/);
      await expect(inRolledBackTransaction('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    });

    it('refuses TRUNCATE', async () => {
      await expect(inRolledBackTransaction('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    });

    it('refuses UPDATE and DELETE outside an explicit transaction too, and the row is intact', async () => {
      await expect(ds.query(`UPDATE audit_events SET action = 'x' WHERE id = $1`, [eventId])).rejects.toThrow(/append-only/);
      await expect(ds.query('DELETE FROM audit_events WHERE id = $1', [eventId])).rejects.toThrow(/append-only/);
      const rows: { action: string }[] = await ds.query('SELECT action FROM audit_events WHERE id = $1', [eventId]);
      expect(rows).toEqual([{ action: 'unit.create' }]);
    });
  });
});
