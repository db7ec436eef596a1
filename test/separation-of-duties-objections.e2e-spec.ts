import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, expectProblem, uniqueCode } from './factories';
import { createAppraisal, insertPeriod, orgChain, setPeriodStatus } from './planning-fixtures';

type Headers = Record<string, string>;
const PASSWORD = 'correct-horse-battery';

/**
 * Spec §3 and §8 on objections: the employee files (or a key they issued); the reviewer resolves, or an admin. Four
 * eyes: nobody who could have filed it resolves it, which includes whoever set the filer's password (they can sign in
 * as the filer), and nobody resolves through an account the filer set up.
 */
describe('separation of duties: objections (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const http = () => t.http();

  /** A user created by `by` (an admin's headers), signed in. */
  async function account(by: Headers, body: { role: 'ADMIN' | 'EMPLOYEE'; employeeId?: string }): Promise<{ id: string; headers: Headers }> {
    const username = uniqueCode('acct').toLowerCase();
    const created = await http().post('/users').set(by).send({ username, password: PASSWORD, ...body });
    expect(created.status).toBe(201);
    const login = await http().post('/auth/login').send({ username, password: PASSWORD });
    return { id: created.body.id as string, headers: auth(login.body.accessToken as string) };
  }

  /** A finalised appraisal of `employeeId` (default: the org chain's employee) in a CLOSED period. */
  async function finalised(org: Awaited<ReturnType<typeof orgChain>>, employeeId = org.employee.id) {
    const period = await insertPeriod(t);
    const appraisal = await createAppraisal(t, employeeId, period.id);
    await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [appraisal.id]);
    await setPeriodStatus(t, period.id, 'CLOSED');
    return { url: `/appraisals/${appraisal.id}/objection`, id: appraisal.id };
  }

  const accept = { decision: 'ACCEPTED', note: 'Diterima', resultRatingOverride: 'ABOVE_EXPECTATION' };

  /** Resolving must answer 403 `code` and leave the objection, the appraisal, its marks and the audit trail as they were. */
  async function refused(a: { id: string; url: string }, headers: Headers, code: string): Promise<void> {
    const state = () =>
      db.query(
        `SELECT (SELECT row_to_json(o) FROM appraisal_objections o WHERE o.appraisal_id = $1) AS objection,
                (SELECT row_to_json(x) FROM appraisals x WHERE x.id = $1) AS appraisal,
                (SELECT count(*)::int FROM score_recalculation_marks k WHERE k.appraisal_id = $1) AS marks`,
        [a.id],
      );
    const before = await state();
    const res = await http().post(`${a.url}/resolve`).set(headers).send(accept);
    expectProblem(res, 403, code);
    expect(await state()).toEqual(before);
    const [{ n }] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1', [res.headers['x-request-id']]);
    expect(n).toBe(0);
  }

  it('only the appraisee side files: an admin, a key of an admin who is no one\'s employee, the assessor and the reviewer get 403', async () => {
    const org = await orgChain(t);
    const a = await finalised(org);
    const key = await http().post('/api-keys').set(auth(t.adminToken)).send({ name: uniqueCode('key'), scopes: ['appraisals:write'] });
    for (const headers of [auth(t.adminToken), { 'X-API-Key': key.body.key as string }, auth(org.assessorUser.token), auth(org.reviewerUser.token)]) {
      expectProblem(await http().post(a.url).set(headers).send({ reason: 'Atas nama pegawai' }), 403, 'not-your-part');
    }
    expect(await db.query('SELECT 1 FROM appraisal_objections WHERE appraisal_id = $1', [a.id])).toEqual([]);
    expect((await http().post(a.url).set(auth(org.employeeUser.token)).send({ reason: 'Keberatan saya' })).status).toBe(201);
  });

  it('the admin who set the employee\'s password cannot resolve the employee\'s objection (they could have filed it); the reviewer can', async () => {
    const org = await orgChain(t);
    const provisioner = await account(auth(t.adminToken), { role: 'ADMIN' });
    const colleague = await createEmployee(t, { unitId: org.unit.id, supervisorId: org.assessor.id });
    const employee = await account(provisioner.headers, { role: 'EMPLOYEE', employeeId: colleague.id });
    const a = await finalised(org, colleague.id);
    const filed = await http().post(a.url).set(employee.headers).send({ reason: 'Perilaku tanpa bukti' });
    expect(filed.status).toBe(201);
    expect(filed.body).not.toHaveProperty('filerIds');
    await refused(a, provisioner.headers, 'four-eyes');
    const resolved = await http().post(`${a.url}/resolve`).set(auth(org.reviewerUser.token)).send({ decision: 'REJECTED', note: 'Tidak cukup bukti' });
    expect(resolved.body).toMatchObject({ status: 'REJECTED', resolvedBy: org.reviewerUser.id });
  });

  it('a linked admin\'s own objection, filed with their key, is resolved neither by them, nor by that key, nor by an account they set up', async () => {
    const org = await orgChain(t);
    const self = await createEmployee(t, { unitId: org.unit.id, supervisorId: org.assessor.id });
    const linked = await account(auth(t.adminToken), { role: 'ADMIN', employeeId: self.id });
    const key = await http().post('/api-keys').set(linked.headers).send({ name: uniqueCode('key'), scopes: ['appraisals:write', 'assessments:write'] });
    const keyHeaders = { 'X-API-Key': key.body.key as string };
    const a = await finalised(org, self.id);
    expect((await http().post(a.url).set(keyHeaders).send({ reason: 'Keberatan lewat sistem SIMPEG' })).status).toBe(201);
    const [{ filer_ids }] = await db.query<{ filer_ids: string[] }[]>('SELECT filer_ids FROM appraisal_objections WHERE appraisal_id = $1', [a.id]);
    expect(filer_ids).toEqual(expect.arrayContaining([key.body.id, linked.id]));
    await refused(a, linked.headers, 'own-appraisal');
    await refused(a, keyHeaders, 'own-appraisal');
    await refused(a, (await account(linked.headers, { role: 'ADMIN' })).headers, 'own-appraisal');
    const resolved = await http().post(`${a.url}/resolve`).set(auth(org.reviewerUser.token)).send(accept);
    expect(resolved.body).toMatchObject({ status: 'ACCEPTED', resolvedBy: org.reviewerUser.id });
  });

  it('remembers who could sign in as the filer when it was filed: a later reset of the filer\'s password frees nobody', async () => {
    const org = await orgChain(t);
    const self = await createEmployee(t, { unitId: org.unit.id, supervisorId: org.assessor.id });
    const issuer = await account(auth(t.adminToken), { role: 'ADMIN', employeeId: self.id });
    const [holder, outsider] = [await account(auth(t.adminToken), { role: 'ADMIN' }), await account(auth(t.adminToken), { role: 'ADMIN' })];
    // The holder resets the issuer's password, signs in as the issuer and issues a key.
    const password = `${uniqueCode('pw')}-long-enough`;
    expect((await http().patch(`/users/${issuer.id}`).set(holder.headers).send({ password })).status).toBe(200);
    const username = (await http().get(`/users/${issuer.id}`).set(auth(t.adminToken))).body.username as string;
    const asIssuer = auth((await http().post('/auth/login').send({ username, password })).body.accessToken as string);
    const key = await http().post('/api-keys').set(asIssuer).send({ name: uniqueCode('key'), scopes: ['appraisals:write'] });
    expect(key.status).toBe(201);
    // An outside admin takes the account back: the holder's chain to the issuer is gone, not what they could do then.
    const reset = await http().patch(`/users/${issuer.id}`).set(outsider.headers).send({ password: `${uniqueCode('pw')}-long-enough` });
    expect(reset.status).toBe(200);
    const a = await finalised(org, self.id);
    expect((await http().post(a.url).set({ 'X-API-Key': key.body.key as string }).send({ reason: 'Diajukan lewat kunci' })).status).toBe(201);
    await refused(a, holder.headers, 'four-eyes');
    const resolved = await http().post(`${a.url}/resolve`).set(auth(org.reviewerUser.token)).send({ decision: 'REJECTED', note: 'Tidak cukup bukti' });
    expect(resolved.body).toMatchObject({ status: 'REJECTED' });
  });

  it('leaves the usual path alone: the employee files, the reviewer or an admin resolves, though one admin set up both accounts', async () => {
    for (const resolver of ['reviewer', 'admin'] as const) {
      const org = await orgChain(t);
      const { url } = await finalised(org);
      expect((await http().post(url).set(auth(org.employeeUser.token)).send({ reason: 'Keberatan' })).status).toBe(201);
      const headers = resolver === 'reviewer' ? auth(org.reviewerUser.token) : (await account(auth(t.adminToken), { role: 'ADMIN' })).headers;
      const resolved = await http().post(`${url}/resolve`).set(headers).send({ decision: 'REJECTED', note: 'Tidak cukup bukti' });
      expect(resolved.body).toMatchObject({ status: 'REJECTED' });
    }
  });
});
