import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { auth, expectProblem, uniqueCode, userToken } from './factories';
import { createAppraisal, insertPeriod, orgChain, setPeriodStatus } from './planning-fixtures';

type Headers = Record<string, string>;

/**
 * Spec §8, four eyes on objections: an admin or an API key may file an objection on someone else's finalised appraisal,
 * and may resolve objections, but never one they filed (nor one filed by a key they issued, nor by their issuer), or
 * one caller could re-open a finalised appraisal with ratings of their choosing.
 */
describe('separation of duties: four eyes on objections (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const http = () => t.http();

  /** A finalised appraisal in a CLOSED period, with its people. */
  async function finalised() {
    const org = await orgChain(t);
    const period = await insertPeriod(t);
    const appraisal = await createAppraisal(t, org.employee.id, period.id);
    await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [appraisal.id]);
    await setPeriodStatus(t, period.id, 'CLOSED');
    return { url: `/appraisals/${appraisal.id}/objection`, id: appraisal.id, org };
  }

  /** An API key issued by the admin user `token`, as headers, with its id. */
  async function keyOf(token: string, scopes: string[]): Promise<{ id: string; headers: Headers }> {
    const res = await http().post('/api-keys').set(auth(token)).send({ name: uniqueCode('key'), scopes });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, headers: { 'X-API-Key': res.body.key as string } };
  }

  const accept = { decision: 'ACCEPTED', note: 'Diterima', resultRatingOverride: 'ABOVE_EXPECTATION' };

  /** Resolving must answer 403 four-eyes and leave the objection, the appraisal, its marks and the audit trail as they were. */
  async function refused(a: { id: string; url: string }, headers: Headers): Promise<void> {
    const state = () =>
      db.query(
        `SELECT (SELECT row_to_json(o) FROM appraisal_objections o WHERE o.appraisal_id = $1) AS objection,
                (SELECT row_to_json(x) FROM appraisals x WHERE x.id = $1) AS appraisal,
                (SELECT count(*)::int FROM score_recalculation_marks k WHERE k.appraisal_id = $1) AS marks`,
        [a.id],
      );
    const before = await state();
    const res = await http().post(`${a.url}/resolve`).set(headers).send(accept);
    expectProblem(res, 403, 'four-eyes');
    expect(res.body.detail).toMatch(/filed this objection/);
    expect(await state()).toEqual(before);
    const [{ n }] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1', [res.headers['x-request-id']]);
    expect(n).toBe(0);
  }

  it('an admin who filed the objection cannot resolve it; another admin or the reviewer can', async () => {
    const filer = await userToken(t, { role: 'ADMIN' });
    const a = await finalised();
    const filed = await http().post(a.url).set(auth(filer.token)).send({ reason: 'Penilaian perilaku tanpa bukti' });
    expect(filed.status).toBe(201);
    expect(filed.body).not.toHaveProperty('filerIds');
    await refused(a, auth(filer.token));
    // A key the filer issued answers for the filer.
    await refused(a, (await keyOf(filer.token, ['assessments:write'])).headers);
    // Not the first admin either: it set the filer's password. Another admin (whom it also set up) decides.
    await refused(a, auth(t.adminToken));
    const resolved = await http().post(`${a.url}/resolve`).set(auth((await userToken(t, { role: 'ADMIN' })).token)).send(accept);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'ACCEPTED', filedBy: filer.id });
  });

  it('an API key that filed the objection cannot resolve it, nor can its issuer or another key of the issuer', async () => {
    const issuer = await userToken(t, { role: 'ADMIN' });
    const key = await keyOf(issuer.token, ['appraisals:write', 'assessments:write']);
    const a = await finalised();
    expect((await http().post(a.url).set(key.headers).send({ reason: 'Realisasi belum diverifikasi' })).status).toBe(201);
    const [{ filer_ids }] = await db.query<{ filer_ids: string[] }[]>('SELECT filer_ids FROM appraisal_objections WHERE appraisal_id = $1', [a.id]);
    expect(filer_ids).toEqual(expect.arrayContaining([key.id, issuer.id]));
    await refused(a, key.headers);
    await refused(a, auth(issuer.token));
    await refused(a, (await keyOf(issuer.token, ['assessments:write'])).headers);
    // A key of another admin, or the reviewer, decides.
    const other = await keyOf((await userToken(t, { role: 'ADMIN' })).token, ['assessments:write']);
    const resolved = await http().post(`${a.url}/resolve`).set(other.headers).send({ decision: 'REJECTED', note: 'Bukti tidak cukup' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'REJECTED', resolvedBy: other.id });
  });

  it('nor an account whose password the filer set, nor the one who set the filer\'s: either could have signed in as the other', async () => {
    const filer = await userToken(t, { role: 'ADMIN' });
    const username = uniqueCode('puppet').toLowerCase();
    expect((await http().post('/users').set(auth(filer.token)).send({ username, password: 'correct-horse-battery', role: 'ADMIN' })).status).toBe(201);
    const puppet = auth((await http().post('/auth/login').send({ username, password: 'correct-horse-battery' })).body.accessToken as string);

    const a = await finalised();
    expect((await http().post(a.url).set(auth(filer.token)).send({ reason: 'Diajukan oleh admin' })).status).toBe(201);
    await refused(a, puppet);
    const b = await finalised();
    expect((await http().post(b.url).set(puppet).send({ reason: 'Diajukan lewat akun buatan' })).status).toBe(201);
    await refused(b, auth(filer.token));
    // Both were set up by the first admin, like every account here: a shared setter alone is no objection.
    expect((await http().post(`${b.url}/resolve`).set(auth((await userToken(t, { role: 'ADMIN' })).token)).send(accept)).status).toBe(200);
  });

  it('leaves the usual path alone: the employee files, the reviewer resolves', async () => {
    const { url, org } = await finalised();
    expect((await http().post(url).set(auth(org.employeeUser.token)).send({ reason: 'Keberatan' })).status).toBe(201);
    const resolved = await http().post(`${url}/resolve`).set(auth(org.reviewerUser.token)).send({ decision: 'REJECTED', note: 'Tidak cukup bukti' });
    expect(resolved.body).toMatchObject({ status: 'REJECTED', resolvedBy: org.reviewerUser.id });
  });
});
