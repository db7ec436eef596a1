import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { ALL_MEETS, appraisalWithTarget, AppraisalWithTarget, submitAchievement } from './appraisal-fixtures';
import { insertIndicator, setPeriodStatus } from './planning-fixtures';

type Headers = Record<string, string>;
type Account = { id: string; username: string; password: string; headers: Headers };

const PASSWORD = 'correct-horse-battery';

/**
 * Spec §8: whoever sets an account's credentials (creates it, or resets its password) can sign in as it, so the account
 * answers for them, as a key answers for its issuer. One unit: kadis ← kabid ← adminSelf, hrSelf, staff, colleague.
 * `linked` is an ADMIN user linked to adminSelf, `hr` an HR operator linked to hrSelf; both created by the first admin.
 */
describe('separation of duties: accounts whose credentials someone else set (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let unitId: string;
  let indicatorId: string;
  const e = {} as Record<'kadis' | 'kabid' | 'adminSelf' | 'hrSelf' | 'staff' | 'colleague', string>;
  let linked: Account;
  let hr: Account;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    unitId = (await createUnit(t, { name: 'Dinas Perhubungan (credential setters e2e)' })).id;
    const employee = async (name: string, supervisorId?: string) => (await createEmployee(t, { unitId, name, supervisorId })).id;
    e.kadis = await employee('Kepala Dinas');
    e.kabid = await employee('Kepala Bidang', e.kadis);
    for (const k of ['adminSelf', 'hrSelf', 'staff', 'colleague'] as const) e[k] = await employee(k, e.kabid);
    const [a, h] = [await userToken(t, { role: 'ADMIN', employeeId: e.adminSelf }), await userToken(t, { role: 'HR_OPERATOR', unitId, employeeId: e.hrSelf })];
    linked = { ...a, password: PASSWORD, headers: auth(a.token) };
    hr = { ...h, password: PASSWORD, headers: auth(h.token) };
    indicatorId = (await insertIndicator(t)).id;
  });
  afterAll(() => t.close());

  const http = () => t.http();
  const admin = (): Headers => auth(t.adminToken);

  async function signIn(username: string, password: string): Promise<Headers> {
    const res = await http().post('/auth/login').send({ username, password });
    expect(res.status).toBe(200);
    return auth(res.body.accessToken as string);
  }

  /** A new account created by `by`, signed in with the password `by` chose. */
  async function account(by: Headers, body: { role: 'ADMIN' | 'HR_OPERATOR' | 'EMPLOYEE'; employeeId?: string; unitId?: string }): Promise<Account> {
    const username = uniqueCode('acct').toLowerCase();
    const res = await http().post('/users').set(by).send({ username, password: PASSWORD, ...body });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, username, password: PASSWORD, headers: await signIn(username, PASSWORD) };
  }

  /** `by` sets a new password on the account; it is signed in again with it. */
  async function reset(by: Headers, a: Account): Promise<Account> {
    const password = `${uniqueCode('pw')}-long-enough`;
    expect((await http().patch(`/users/${a.id}`).set(by).send({ password })).status).toBe(200);
    return { ...a, password, headers: await signIn(a.username, password) };
  }

  /** An agreed appraisal of `employeeId` (assessor kabid, reviewer kadis) in a fresh OPEN period, one target of weight 100. */
  const appraisalOf = (employeeId: string) => appraisalWithTarget(t, employeeId, indicatorId, { targetBy: admin(), agreeBy: admin() });
  type Appraisal = AppraisalWithTarget;
  const submit = (a: Appraisal, headers: Headers) => submitAchievement(t, a, headers);
  const verify = (id: string, headers: Headers) => http().post(`/achievements/${id}/verify`).set(headers);
  const behaviour = (a: Appraisal, headers: Headers) => http().put(`/appraisals/${a.id}/behaviour`).set(headers).send({ ratings: ALL_MEETS });
  const override = (a: Appraisal, headers: Headers) =>
    http().put(`/appraisals/${a.id}/result-rating-override`).set(headers).send({ rating: 'ABOVE_EXPECTATION', reason: 'Realisasi tidak tercatat lengkap' });

  /** Refused with 403 `code`, and nothing audited under the request. */
  async function refused(send: () => Promise<Response>, code: string): Promise<void> {
    const res = await send();
    expectProblem(res, 403, code);
    const [{ n }] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1', [res.headers['x-request-id']]);
    expect(n).toBe(0);
  }

  /** Every decision on the appraisal of the linked admin's employee, refused to `who` as own-appraisal. */
  async function refusedEveryDecision(who: Headers): Promise<void> {
    const a = await appraisalOf(e.adminSelf);
    const evidence = await submit(a, admin());
    await refused(() => verify(evidence, who), 'own-appraisal');
    await refused(() => behaviour(a, who), 'own-appraisal');
    await refused(() => override(a, who), 'own-appraisal');
    await refused(() => http().patch(`/appraisals/${a.id}`).set(who).send({ assessorId: e.colleague, reason: 'Mutasi jabatan' }), 'own-appraisal');
  }

  describe('rule 1: an account whose credentials the linked admin set never decides on the admin\'s appraisal', () => {
    it("refuses the assessor's account the linked admin created every decision; another admin's reset gives it back", async () => {
      let assessor = await account(linked.headers, { role: 'EMPLOYEE', employeeId: e.kabid });
      const a = await appraisalOf(e.adminSelf);
      const evidence = await submit(a, linked.headers);
      await refused(() => verify(evidence, assessor.headers), 'own-appraisal');
      await refused(() => behaviour(a, assessor.headers), 'own-appraisal');
      await refused(() => override(a, assessor.headers), 'own-appraisal');

      // The assessor's decisions on other appraisals stand.
      const other = await appraisalOf(e.staff);
      expect((await behaviour(other, assessor.headers)).status).toBe(200);

      // The first admin resets the password: the linked admin no longer holds it, and the assessor decides.
      assessor = await reset(admin(), assessor);
      expect((await verify(evidence, assessor.headers)).body).toMatchObject({ status: 'VERIFIED', decidedBy: assessor.id });
      expect((await behaviour(a, assessor.headers)).status).toBe(200);
    });

    it("refuses an existing admin's account whose password the linked admin reset, also after the account changes its own password", async () => {
      const created = await userToken(t, { role: 'ADMIN' });
      let assessor: Account = { ...created, password: PASSWORD, headers: auth(created.token) };
      const a = await appraisalOf(e.adminSelf);
      expect((await behaviour(a, assessor.headers)).status).toBe(200); // before the reset it decides

      assessor = await reset(linked.headers, assessor);
      await refused(() => behaviour(a, assessor.headers), 'own-appraisal');
      await refused(() => override(a, assessor.headers), 'own-appraisal');
      // Changing its own password (an admin may PATCH itself) does not free it: the linked admin could have done that.
      assessor = await reset(assessor.headers, assessor);
      await refused(() => behaviour(a, assessor.headers), 'own-appraisal');
    });

    it('refuses the reviewer\'s account the linked admin created resolving the objection to the admin\'s appraisal', async () => {
      const reviewer = await account(linked.headers, { role: 'EMPLOYEE', employeeId: e.kadis });
      const a = await appraisalOf(e.adminSelf);
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [a.id]);
      await setPeriodStatus(t, a.periodId, 'CLOSED');
      const url = `/appraisals/${a.id}/objection`;
      expect((await http().post(url).set(linked.headers).send({ reason: 'Perilaku dinilai tanpa bukti' })).status).toBe(201);
      await refused(() => http().post(`${url}/resolve`).set(reviewer.headers).send({ decision: 'ACCEPTED', note: 'Diterima', resultRatingOverride: 'ABOVE_EXPECTATION' }), 'own-appraisal');
      // Not the first admin either (it set the filer's password: four eyes); another admin it set up resolves.
      const other = await account(admin(), { role: 'ADMIN' });
      expect((await http().post(`${url}/resolve`).set(other.headers).send({ decision: 'REJECTED', note: 'Tidak cukup bukti' })).body.status).toBe('REJECTED');
    });

    it.each([
      ['unlinked', () => ({})],
      ['linked to an innocent colleague', () => ({ employeeId: e.colleague })],
    ])('refuses a new ADMIN account (%s) the linked admin created, its keys, and accounts it creates in turn', async (_, link) => {
      const puppet = await account(linked.headers, { role: 'ADMIN', ...link() });
      await refusedEveryDecision(puppet.headers);

      const key = await http().post('/api-keys').set(puppet.headers).send({ name: uniqueCode('key'), scopes: ['achievements:verify', 'assessments:write', 'appraisals:write'] });
      expect(key.status).toBe(201);
      await refusedEveryDecision({ 'X-API-Key': key.body.key as string });

      // One more hop changes nothing: the linked admin can sign in as the puppet, so as whatever the puppet creates or resets.
      await refusedEveryDecision((await account(puppet.headers, { role: 'ADMIN' })).headers);
      const innocent = await userToken(t, { role: 'ADMIN' });
      await refusedEveryDecision((await reset(puppet.headers, { ...innocent, password: PASSWORD, headers: auth(innocent.token) })).headers);
    });

    it('leaves an account the first admin created, and one another admin reset, every decision', async () => {
      const other = await userToken(t, { role: 'ADMIN' });
      const a = await appraisalOf(e.adminSelf);
      expect((await behaviour(a, auth(other.token))).status).toBe(200);
      const puppet = await account(linked.headers, { role: 'ADMIN' });
      const below = await account(puppet.headers, { role: 'ADMIN' });
      await refused(() => behaviour(a, below.headers), 'own-appraisal');
      const freed = await reset(auth(other.token), puppet);
      expect((await override(a, freed.headers)).status).toBe(200);
      // The account below is freed at once too, with the token (and cached principal) it had before the reset.
      expect((await behaviour(a, below.headers)).status).toBe(200);
    });

    it('keeps refusing a key issued while the linked admin held the account after an outside admin resets it', async () => {
      const existing = await userToken(t, { role: 'ADMIN' });
      let held = await reset(linked.headers, { ...existing, password: PASSWORD, headers: auth(existing.token) });
      const res = await http().post('/api-keys').set(held.headers).send({ name: uniqueCode('key'), scopes: ['assessments:write'] });
      expect(res.status).toBe(201);
      const key = { 'X-API-Key': res.body.key as string };
      const a = await appraisalOf(e.adminSelf);
      await refused(() => behaviour(a, key), 'own-appraisal');

      // Another admin outside the linked admin's chain resets the account: the account is freed, the key it issued is not,
      // as the linked admin, who issued it through the account, still holds it.
      const other = await userToken(t, { role: 'ADMIN' });
      held = await reset(auth(other.token), held);
      await refused(() => behaviour(a, key), 'own-appraisal');
      await refused(() => override(a, key), 'own-appraisal');
      expect((await behaviour(a, held.headers)).status).toBe(200);
    });
  });

  describe('rule 4: an account whose credentials the linked admin set does not edit the admin\'s own record', () => {
    it('refuses a new ADMIN account the linked admin created changing the rank of the admin\'s employee (own-record)', async () => {
      const puppet = await account(linked.headers, { role: 'ADMIN' });
      await refused(() => http().patch(`/employees/${e.adminSelf}`).set(puppet.headers).send({ rank: 'III/b' }), 'own-record');
    });
  });

  describe("assessor trainings of one's own assessor or reviewer (own-appraisal)", () => {
    it('refuses the HR operator recording or deleting a training of their running appraisal\'s assessor or reviewer', async () => {
      const a = await appraisalOf(e.hrSelf);
      const record = (employeeId: string, headers: Headers) =>
        http().post('/assessor-trainings').set(headers).send({ employeeId, course: uniqueCode('Pelatihan Penilai'), completedOn: '2025-06-02' });
      const [ofAssessor, ofReviewer] = [(await record(e.kabid, admin())).body.id as string, (await record(e.kadis, admin())).body.id as string];

      for (const [id, employeeId] of [[ofAssessor, e.kabid], [ofReviewer, e.kadis]]) {
        await refused(() => http().delete(`/assessor-trainings/${id}`).set(hr.headers), 'own-appraisal');
        await refused(() => record(employeeId, hr.headers), 'own-appraisal');
      }
      // Nor may an account a linked admin created, while the admin's own appraisal runs with the same assessor.
      const puppet = await account(linked.headers, { role: 'ADMIN' });
      const mine = await appraisalOf(e.adminSelf);
      await refused(() => http().delete(`/assessor-trainings/${ofAssessor}`).set(puppet.headers), 'own-appraisal');
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [mine.id]);
      // Someone else's assessor's training is the HR operator's to keep.
      expect((await record(e.colleague, hr.headers)).status).toBe(201);

      // Once the appraisal is FINALIZED, the trainings are no longer the operator's concern.
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [a.id]);
      expect((await http().delete(`/assessor-trainings/${ofAssessor}`).set(hr.headers)).status).toBe(204);
    });
  });
});
