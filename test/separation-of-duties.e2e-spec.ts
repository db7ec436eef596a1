import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { ALL_MEETS, appraisalWithTarget, AppraisalWithTarget, submitAchievement } from './appraisal-fixtures';
import { insertIndicator, setPeriodStatus } from './planning-fixtures';

type Headers = Record<string, string>;
type User = { id: string; token: string };


/**
 * Spec §8, separation of duties, rules 1–3, tried as an insider would. One unit:
 *   kadis ← kabid ← adminSelf, hrSelf, staff, colleague;  staff ← sub1 ← sub2;  retired (RETIRED)
 * adminSelf has an ADMIN user and hrSelf an HR_OPERATOR user (of the unit): both linked to an employee;
 * issuer is an ADMIN user linked to nobody. An API key answers for the user who issued it.
 */
describe('separation of duties (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let indicatorId: string;
  const e = {} as Record<'kadis' | 'kabid' | 'adminSelf' | 'hrSelf' | 'staff' | 'sub1' | 'sub2' | 'colleague' | 'retired', string>;
  const u = {} as Record<'kadis' | 'kabid' | 'staff' | 'adminLinked' | 'hrLinked' | 'issuer', User>;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const unitId = (await createUnit(t, { name: 'Dinas Perhubungan (separation of duties e2e)' })).id;
    const employee = async (name: string, supervisorId?: string) => (await createEmployee(t, { unitId, name, supervisorId })).id;
    e.kadis = await employee('Kepala Dinas');
    e.kabid = await employee('Kepala Bidang', e.kadis);
    for (const k of ['adminSelf', 'hrSelf', 'staff', 'colleague'] as const) e[k] = await employee(k, e.kabid);
    e.sub1 = await employee('Bawahan langsung', e.staff);
    e.sub2 = await employee('Bawahan tidak langsung', e.sub1);
    e.retired = await employee('Pensiunan', e.kabid);
    expect((await t.http().patch(`/employees/${e.retired}`).set(auth(t.adminToken)).send({ status: 'RETIRED' })).status).toBe(200);
    for (const k of ['kadis', 'kabid', 'staff'] as const) u[k] = await userToken(t, { role: 'EMPLOYEE', employeeId: e[k] });
    u.adminLinked = await userToken(t, { role: 'ADMIN', employeeId: e.adminSelf });
    u.hrLinked = await userToken(t, { role: 'HR_OPERATOR', unitId, employeeId: e.hrSelf });
    u.issuer = await userToken(t, { role: 'ADMIN' });
    indicatorId = (await insertIndicator(t)).id;
  });
  afterAll(() => t.close());

  const as = (user: User | string): Headers => auth(typeof user === 'string' ? user : user.token);
  const admin = () => as(t.adminToken);
  const http = () => t.http();

  /** An API key issued by `user`, as headers, with its id. */
  async function keyOf(user: User, scopes: string[]): Promise<{ id: string; headers: Headers }> {
    const res = await http().post('/api-keys').set(as(user)).send({ name: uniqueCode('key'), scopes });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, headers: { 'X-API-Key': res.body.key as string } };
  }

  /** An appraisal of `employeeId` in a fresh OPEN period, with one target of weight 100; agreed by `agreeBy` unless null. */
  const appraisalOf = (employeeId: string, targetBy: Headers, agreeBy: Headers | null) => appraisalWithTarget(t, employeeId, indicatorId, { targetBy, agreeBy });
  type Appraisal = AppraisalWithTarget;
  const submit = (a: Appraisal, headers: Headers) => submitAchievement(t, a, headers);
  const verify = (id: string, headers: Headers) => http().post(`/achievements/${id}/verify`).set(headers);
  const reject = (id: string, headers: Headers) => http().post(`/achievements/${id}/reject`).set(headers).send({ reason: 'Bukti kurang' });
  const reassign = (id: string, headers: Headers, body: object) => http().patch(`/appraisals/${id}`).set(headers).send(body);

  /** Everything a decision on the appraisal could touch, as stored: its row, achievements, objection, recalculation mark, audit trail. */
  async function stored(appraisalId: string): Promise<unknown> {
    const [row] = await db.query<unknown[]>(
      `SELECT (SELECT row_to_json(a) FROM appraisals a WHERE a.id = $1) AS appraisal,
              (SELECT json_agg(x ORDER BY x.id) FROM achievements x WHERE x.appraisal_id = $1) AS achievements,
              (SELECT row_to_json(o) FROM appraisal_objections o WHERE o.appraisal_id = $1) AS objection,
              (SELECT row_to_json(k) FROM score_recalculation_marks k WHERE k.appraisal_id = $1) AS mark,
              (SELECT count(*)::int FROM audit_events ev
                WHERE ev.entity_id = $1::text
                   OR ev.entity_id IN (SELECT id::text FROM achievements WHERE appraisal_id = $1)
                   OR ev.entity_id IN (SELECT id::text FROM appraisal_objections WHERE appraisal_id = $1)) AS audits`,
      [appraisalId],
    );
    return row;
  }

  /** Sends a request that must be refused with `status` and `code`, and checks that it changed nothing and audited nothing. */
  async function refused(appraisalId: string, send: () => Promise<Response>, status: number, code: string): Promise<Response> {
    const before = await stored(appraisalId);
    const res = await send();
    expectProblem(res, status, code);
    expect(await stored(appraisalId)).toEqual(before);
    const [{ n }] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1', [res.headers['x-request-id']]);
    expect(n).toBe(0);
    return res;
  }

  // ---------------------------------------------------------------------------------------------
  describe('rule 1: nobody decides on their own appraisal (own-appraisal)', () => {
    it.each([
      ['an ADMIN user', 'adminLinked', 'adminSelf'],
      ['an HR_OPERATOR of the unit', 'hrLinked', 'hrSelf'],
    ] as const)('%s linked to an employee may do what the appraisee may, and no decision, on that appraisal', async (_, user, self) => {
      const me = as(u[user]);
      // Targets while DRAFT (an admin may also agree); submitting achievements.
      const a = await appraisalOf(e[self], me, user === 'adminLinked' ? me : as(u.kabid));
      const mine = await submit(a, me);
      const theirs = await submit(a, as(u.kabid));

      for (const id of [theirs, mine]) {
        const res = await refused(a.id, () => verify(id, me), 403, 'own-appraisal');
        expect(res.body.detail).toMatch(/own appraisal/);
        await refused(a.id, () => reject(id, me), 403, 'own-appraisal');
      }
      await refused(a.id, () => http().put(`/appraisals/${a.id}/behaviour`).set(me).send({ ratings: ALL_MEETS }), 403, 'own-appraisal');
      const override = { rating: 'ABOVE_EXPECTATION', reason: 'Realisasi tidak tercatat lengkap' };
      await refused(a.id, () => http().put(`/appraisals/${a.id}/result-rating-override`).set(me).send(override), 403, 'own-appraisal');
      await refused(a.id, () => reassign(a.id, me, { assessorId: e.colleague, reason: 'Saya pilih sendiri' }), 403, 'own-appraisal');
      await refused(a.id, () => reassign(a.id, me, { reviewerId: e.colleague, reason: 'Saya pilih sendiri' }), 403, 'own-appraisal');

      // The assessor still decides: verify, behaviour, override; the appraisee then may not withdraw the override.
      expect((await verify(mine, as(u.kabid))).body.status).toBe('VERIFIED');
      expect((await http().put(`/appraisals/${a.id}/behaviour`).set(as(u.kabid)).send({ ratings: ALL_MEETS })).status).toBe(200);
      expect((await http().put(`/appraisals/${a.id}/result-rating-override`).set(as(u.kabid)).send(override)).status).toBe(200);
      await refused(a.id, () => http().delete(`/appraisals/${a.id}/result-rating-override`).set(me), 403, 'own-appraisal');

      // Finalised: the appraisee files an objection, but only the reviewer (or another admin) resolves it.
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [a.id]);
      await setPeriodStatus(t, a.periodId, 'CLOSED');
      const url = `/appraisals/${a.id}/objection`;
      expect((await http().post(url).set(me).send({ reason: 'Perilaku dinilai tanpa bukti' })).status).toBe(201);
      await refused(a.id, () => http().post(`${url}/resolve`).set(me).send({ decision: 'ACCEPTED', note: 'Saya terima', resultRatingOverride: 'ABOVE_EXPECTATION' }), 403, 'own-appraisal');
      expect((await http().post(`${url}/resolve`).set(as(u.kadis)).send({ decision: 'REJECTED', note: 'Tidak cukup bukti' })).body.status).toBe('REJECTED');
    });

    it("refuses a key issued by the linked admin every decision on the admin's own appraisal, and leaves it the others'", async () => {
      const key = await keyOf(u.adminLinked, ['achievements:verify', 'assessments:write', 'appraisals:write']);
      const a = await appraisalOf(e.adminSelf, as(u.adminLinked), as(u.adminLinked));
      const theirs = await submit(a, as(u.kabid));
      for (const send of [
        () => verify(theirs, key.headers),
        () => reject(theirs, key.headers),
        () => http().put(`/appraisals/${a.id}/behaviour`).set(key.headers).send({ ratings: ALL_MEETS }),
        () => http().put(`/appraisals/${a.id}/result-rating-override`).set(key.headers).send({ rating: 'ABOVE_EXPECTATION', reason: 'Realisasi tidak tercatat lengkap' }),
        () => reassign(a.id, key.headers, { assessorId: e.colleague, reason: 'Saya pilih sendiri' }),
      ]) {
        await refused(a.id, send, 403, 'own-appraisal');
      }
      expect((await verify(theirs, admin())).body.status).toBe('VERIFIED');

      const other = await appraisalOf(e.staff, as(u.staff), as(u.kabid));
      expect((await verify(await submit(other, as(u.staff)), key.headers)).body).toMatchObject({ status: 'VERIFIED', decidedBy: key.id });
      expect((await http().put(`/appraisals/${other.id}/behaviour`).set(key.headers).send({ ratings: ALL_MEETS })).status).toBe(200);
    });

    it("leaves the linked admin and HR operator every decision on other employees' appraisals", async () => {
      const a = await appraisalOf(e.staff, as(u.staff), as(u.kabid));
      const first = await submit(a, as(u.staff));
      expect((await verify(first, as(u.adminLinked))).body).toMatchObject({ status: 'VERIFIED', decidedBy: u.adminLinked.id });
      expect((await http().put(`/appraisals/${a.id}/behaviour`).set(as(u.adminLinked)).send({ ratings: ALL_MEETS })).status).toBe(200);
      expect((await reassign(a.id, as(u.hrLinked), { reviewerId: e.colleague, reason: 'Kepala dinas cuti panjang' })).status).toBe(200);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('rule 2: four eyes on evidence (four-eyes)', () => {
    let a: Appraisal;
    beforeAll(async () => (a = await appraisalOf(e.staff, as(u.staff), as(u.kabid))));

    it("refuses an admin verifying or rejecting what he submitted; someone else's submission he verifies", async () => {
      const his = await submit(a, admin());
      const res = await refused(a.id, () => verify(his, admin()), 403, 'four-eyes');
      expect(res.body.detail).toMatch(/someone else/);
      await refused(a.id, () => reject(his, admin()), 403, 'four-eyes');
      expect((await verify(await submit(a, as(u.staff)), admin())).body.status).toBe('VERIFIED');
      expect((await verify(his, as(u.kabid))).body.status).toBe('VERIFIED');
    });

    it('refuses an API key with achievements:write and achievements:verify deciding on what it submitted', async () => {
      const key = await keyOf(u.issuer, ['achievements:write', 'achievements:verify']);
      const withKey = key.headers;
      const its = await submit(a, withKey);
      await refused(a.id, () => verify(its, withKey), 403, 'four-eyes');
      await refused(a.id, () => reject(its, withKey), 403, 'four-eyes');
      expect((await verify(await submit(a, as(u.staff)), withKey)).body).toMatchObject({ status: 'VERIFIED', decidedBy: key.id });
      expect((await reject(its, admin())).body).toMatchObject({ status: 'REJECTED', submittedBy: key.id });
    });

    it('refuses the user who submitted deciding with a key he issued, and his key deciding on what he submitted', async () => {
      const [key, other] = [await keyOf(u.issuer, ['achievements:write', 'achievements:verify']), await keyOf(u.issuer, ['achievements:verify'])];
      const byUser = await submit(a, as(u.issuer));
      const byKey = await submit(a, key.headers);
      for (const [id, decider] of [[byUser, key.headers], [byUser, other.headers], [byKey, as(u.issuer)], [byKey, other.headers]] as const) {
        await refused(a.id, () => verify(id, decider), 403, 'four-eyes');
        await refused(a.id, () => reject(id, decider), 403, 'four-eyes');
      }
      expect((await verify(byUser, as(u.kabid))).body).toMatchObject({ status: 'VERIFIED', submittedBy: u.issuer.id });
      expect((await reject(byKey, admin())).body).toMatchObject({ status: 'REJECTED', submittedBy: key.id });
    });

    it('refuses the submitter deciding after someone else corrected the evidence; someone who never touched it decides', async () => {
      const byAssessor = await submit(a, as(u.kabid));
      const described = await http().patch(`/achievements/${byAssessor}`).set(as(u.staff)).send({ description: 'Laporan bulanan terlampir' });
      expect(described.body).toMatchObject({ status: 'SUBMITTED', submittedBy: u.staff.id });
      await refused(a.id, () => verify(byAssessor, as(u.kabid)), 403, 'four-eyes');
      await refused(a.id, () => reject(byAssessor, as(u.kabid)), 403, 'four-eyes');
      expect((await verify(byAssessor, admin())).body.status).toBe('VERIFIED');

      const key = await keyOf(u.issuer, ['achievements:write']);
      const byAdmin = await submit(a, admin());
      expect((await http().patch(`/achievements/${byAdmin}`).set(key.headers).send({ value: 9 })).body).toMatchObject({ value: 9, submittedBy: key.id });
      for (const decider of [admin(), as(u.issuer)]) {
        await refused(a.id, () => verify(byAdmin, decider), 403, 'four-eyes');
        await refused(a.id, () => reject(byAdmin, decider), 403, 'four-eyes');
      }
      expect((await reject(byAdmin, as(u.adminLinked))).body).toMatchObject({ status: 'REJECTED', decidedBy: u.adminLinked.id });
    });

    it('makes whoever corrects an achievement its submitter: the assessor may not verify what he changed', async () => {
      const id = await submit(a, as(u.staff));
      const changed = await http().patch(`/achievements/${id}`).set(as(u.kabid)).send({ value: 70 });
      expect(changed.body).toMatchObject({ status: 'SUBMITTED', value: 70, submittedBy: u.kabid.id });
      await refused(a.id, () => verify(id, as(u.kabid)), 403, 'four-eyes');
      expect((await verify(id, admin())).body.status).toBe('VERIFIED');
    });

    it('makes the appraisee who corrects what an API key submitted its submitter: the assessor verifies it, the appraisee may not', async () => {
      const key = await apiKey(t, ['achievements:write']);
      const id = await submit(a, { 'X-API-Key': key.key });
      const changed = await http().patch(`/achievements/${id}`).set(as(u.staff)).send({ value: 8 });
      expect(changed.body).toMatchObject({ status: 'SUBMITTED', value: 8, submittedBy: u.staff.id });
      await refused(a.id, () => verify(id, as(u.staff)), 403, 'own-appraisal');
      await refused(a.id, () => reject(id, as(u.staff)), 403, 'own-appraisal');
      expect((await verify(id, as(u.kabid))).body).toMatchObject({ status: 'VERIFIED', decidedBy: u.kabid.id, submittedBy: u.staff.id });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('rule 3: reassigning the assessor or reviewer (reason, invalid-assessor)', () => {
    it('needs a reason whenever the assessor or reviewer changes: 400 naming reason', async () => {
      const a = await appraisalOf(e.staff, as(u.staff), null);
      for (const body of [
        { assessorId: e.colleague },
        { assessorId: null },
        { reviewerId: null },
        { assessorId: e.colleague, reason: '   ' },
        { reviewerId: e.colleague, reason: null },
      ]) {
        const res = await refused(a.id, () => reassign(a.id, admin(), body), 400, 'validation-failed');
        expect((res.body.errors as { field: string }[]).map((x) => x.field)).toEqual(['reason']);
      }
      // Naming the current assessor or reviewer changes nothing, so it needs no reason and writes nothing.
      const before = await stored(a.id);
      for (const body of [{ assessorId: e.kabid }, { reviewerId: e.kadis }, { assessorId: e.kabid, reviewerId: e.kadis }]) {
        const res = await reassign(a.id, admin(), body);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ assessorId: e.kabid, reviewerId: e.kadis });
        const [{ n }] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1', [res.headers['x-request-id']]);
        expect(n).toBe(0);
      }
      expect(await stored(a.id)).toEqual(before);
    });

    it('answers 409 invalid-appraisal-status to reassigning a FINALIZED appraisal, with a reason or without', async () => {
      const a = await appraisalOf(e.staff, as(u.staff), as(u.kabid));
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [a.id]);
      for (const body of [{ assessorId: e.colleague, reason: 'Mutasi jabatan' }, { reviewerId: e.colleague }, { assessorId: e.retired, reason: 'Mutasi jabatan' }]) {
        const res = await refused(a.id, () => reassign(a.id, admin(), body), 409, 'invalid-appraisal-status');
        expect(res.body.appraisalStatus).toBe('FINALIZED');
      }
    });

    it.each([
      ['inactive', 'a RETIRED employee', 'admin', { assessorId: 'retired' }],
      ['appraisee', 'the appraised employee', 'admin', { reviewerId: 'staff' }],
      ['supervised-by-appraisee', 'someone the appraisee supervises directly', 'admin', { assessorId: 'sub1' }],
      ['supervised-by-appraisee', 'someone the appraisee supervises indirectly', 'admin', { reviewerId: 'sub2' }],
      ['caller', "the linked admin's own employee", 'adminLinked', { reviewerId: 'adminSelf' }],
      ['caller', "the linked HR operator's own employee", 'hrLinked', { assessorId: 'hrSelf' }],
      ['assessor-is-reviewer', 'the current reviewer as assessor', 'admin', { assessorId: 'kadis' }],
      ['assessor-is-reviewer', 'the current assessor as reviewer', 'hrLinked', { reviewerId: 'kabid' }],
      ['assessor-is-reviewer', 'one employee as both', 'admin', { assessorId: 'colleague', reviewerId: 'colleague' }],
    ] as const)('refuses %s (%s) with 409 invalid-assessor naming the field and condition', async (condition, _, caller, names) => {
      const a = await appraisalOf(e.staff, as(u.staff), null);
      const body = Object.fromEntries(Object.entries(names).map(([f, k]) => [f, e[k]]));
      const headers = caller === 'admin' ? admin() : as(u[caller]);
      const res = await refused(a.id, () => reassign(a.id, headers, { ...body, reason: 'Mutasi jabatan' }), 409, 'invalid-assessor');
      expect(res.body).toMatchObject({ condition, field: Object.keys(names).at(-1) });
    });

    it('refuses an HR operator making himself the assessor of his own supervisor', async () => {
      const a = await appraisalOf(e.kabid, as(u.kabid), as(u.kadis));
      const res = await refused(a.id, () => reassign(a.id, as(u.hrLinked), { assessorId: e.hrSelf, reason: 'Saya yang menilai' }), 409, 'invalid-assessor');
      expect(res.body).toMatchObject({ field: 'assessorId', condition: 'caller' });
    });

    it('reassigns a valid assessor and reviewer: 200, and the audit event carries the reason', async () => {
      const a = await appraisalOf(e.staff, as(u.staff), null);
      const reason = 'Kepala bidang dimutasi per 1 Oktober; penilaian oleh rekan setingkat';
      const res = await reassign(a.id, as(u.hrLinked), { assessorId: e.colleague, reviewerId: e.kabid, reason });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ assessorId: e.colleague, reviewerId: e.kabid });
      const events = await http().get('/audit-events').query({ entityId: a.id, action: 'appraisal.update' }).set(admin());
      expect(events.body.total).toBe(1);
      expect(events.body.items[0]).toMatchObject({
        actorId: u.hrLinked.id,
        reason,
        before: { assessorId: e.kabid, reviewerId: e.kadis },
        after: { assessorId: e.colleague, reviewerId: e.kabid },
      });
    });
  });
});
