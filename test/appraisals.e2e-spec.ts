import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, userToken } from './factories';
import { createAppraisal, insertIndicator, insertPeriod, orgChain, setPeriodStatus } from './planning-fixtures';

const RATINGS = {
  BERORIENTASI_PELAYANAN: 'ABOVE_EXPECTATION',
  AKUNTABEL: 'MEETS_EXPECTATION',
  KOMPETEN: 'MEETS_EXPECTATION',
  HARMONIS: 'MEETS_EXPECTATION',
  LOYAL: 'MEETS_EXPECTATION',
  ADAPTIF: 'BELOW_EXPECTATION',
  KOLABORATIF: 'MEETS_EXPECTATION',
};

describe('appraisals (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);
  const marks = async (appraisalId: string) =>
    (await db.query<{ version: string }[]>('SELECT version FROM score_recalculation_marks WHERE appraisal_id = $1', [appraisalId]))[0]?.version;

  /** A DRAFT appraisal with two targets of 60 and 40 (not yet agreed). */
  async function draftWithTargets(status = 'OPEN') {
    const org = await orgChain(t);
    const period = await insertPeriod(t, { status });
    const appraisal = await createAppraisal(t, org.employee.id, period.id);
    const [i1, i2] = [await insertIndicator(t, { direction: 'LOWER_IS_BETTER', aggregation: 'AVERAGE' }), await insertIndicator(t)];
    const t1 = await t.http().post(`/appraisals/${appraisal.id}/targets`).set(auth(org.employeeUser.token)).send({ indicatorId: i1.id, target: 15, weight: 60 });
    const t2 = await t.http().post(`/appraisals/${appraisal.id}/targets`).set(auth(org.assessorUser.token)).send({ indicatorId: i2.id, target: 12, weight: 40 });
    expect([t1.status, t2.status]).toEqual([201, 201]);
    return { org, period, appraisal, targets: [t1.body, t2.body], indicators: [i1, i2] };
  }

  describe('creation', () => {
    it('takes the assessor and reviewer from the supervisor chain and starts in DRAFT', async () => {
      const org = await orgChain(t);
      const period = await insertPeriod(t, { status: 'PLANNING' });
      const res = await t.http().post('/appraisals').set(admin()).send({ employeeId: org.employee.id, periodId: period.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        employeeId: org.employee.id,
        periodId: period.id,
        unitId: org.unit.id,
        assessorId: org.assessor.id,
        reviewerId: org.reviewer.id,
        status: 'DRAFT',
        behaviour: null,
        resultRatingOverride: null,
      });
      expect(res.headers.etag).toBe(`"v${res.body.version}"`);
    });

    it('refuses a duplicate (409 with the existing id), a closed period (409) and an inactive employee (409)', async () => {
      const org = await orgChain(t);
      const period = await insertPeriod(t);
      const first = await createAppraisal(t, org.employee.id, period.id);
      const dup = await t.http().post('/appraisals').set(admin()).send({ employeeId: org.employee.id, periodId: period.id });
      expectProblem(dup, 409, 'duplicate-appraisal');
      expect(dup.body.appraisalId).toBe(first.id);

      const closed = await insertPeriod(t, { status: 'CLOSED' });
      expectProblem(await t.http().post('/appraisals').set(admin()).send({ employeeId: org.employee.id, periodId: closed.id }), 409, 'period-closed');

      await t.http().patch(`/employees/${org.assessor.id}`).set(admin()).send({ status: 'RETIRED' });
      expectProblem(await t.http().post('/appraisals').set(admin()).send({ employeeId: org.assessor.id, periodId: period.id }), 409, 'employee-inactive');
    });

    it('answers 400 for an unknown employee or period and for unknown fields', async () => {
      const org = await orgChain(t);
      const period = await insertPeriod(t);
      const ghost = '00000000-0000-4000-8000-000000000000';
      const e1 = await t.http().post('/appraisals').set(admin()).send({ employeeId: ghost, periodId: period.id });
      expectProblem(e1, 400);
      expect(e1.body.errors[0].field).toBe('employeeId');
      const e2 = await t.http().post('/appraisals').set(admin()).send({ employeeId: org.employee.id, periodId: ghost });
      expect(e2.body.errors[0].field).toBe('periodId');
      const e3 = await t.http().post('/appraisals').set(admin()).send({ employeeId: org.employee.id, periodId: period.id, status: 'AGREED' });
      expectProblem(e3, 400);
      expect(e3.body.errors).toEqual([{ field: 'status', message: 'is not a known field' }]);
    });

    it('generates the missing appraisals for active employees, idempotently, within a unit subtree', async () => {
      const root = await createUnit(t);
      const child = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
      const other = await createUnit(t);
      const head = await createEmployee(t, { unitId: root.id });
      const a = await createEmployee(t, { unitId: child.id, supervisorId: head.id });
      await createEmployee(t, { unitId: child.id, supervisorId: head.id });
      const retired = await createEmployee(t, { unitId: child.id });
      await t.http().patch(`/employees/${retired.id}`).set(admin()).send({ status: 'RETIRED' });
      await createEmployee(t, { unitId: other.id });
      const period = await insertPeriod(t);
      await createAppraisal(t, a.id, period.id);

      const first = await t.http().post(`/periods/${period.id}/appraisals/generate`).set(admin()).send({ withinUnitId: root.id });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ created: 2, existing: 1 });
      const again = await t.http().post(`/periods/${period.id}/appraisals/generate`).set(admin()).send({ withinUnitId: root.id });
      expect(again.body).toEqual({ created: 0, existing: 3 });

      const list = await t.http().get(`/appraisals?periodId=${period.id}&withinUnitId=${root.id}&pageSize=200`).set(admin());
      expect(list.body.total).toBe(3);
      const ofA = list.body.items.find((x: { employeeId: string }) => x.employeeId === a.id);
      expect(ofA).toMatchObject({ assessorId: head.id, status: 'DRAFT' });
    });

    it('lets an HR operator generate only inside their subtree', async () => {
      const mine = await createUnit(t);
      const theirs = await createUnit(t);
      await createEmployee(t, { unitId: mine.id });
      const outsider = await createEmployee(t, { unitId: theirs.id });
      const op = await userToken(t, { role: 'HR_OPERATOR', unitId: mine.id });
      const period = await insertPeriod(t);
      const res = await t.http().post(`/periods/${period.id}/appraisals/generate`).set(auth(op.token)).send({});
      expect(res.body.created).toBeGreaterThanOrEqual(1);
      const rows = await db.query('SELECT 1 FROM appraisals WHERE employee_id = $1 AND period_id = $2', [outsider.id, period.id]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('visibility (spec §8)', () => {
    it('shows an appraisal to its employee, assessor, reviewer, HR of the subtree and admins; 404 to anyone else', async () => {
      const { org, appraisal } = await draftWithTargets();
      for (const u of [org.employeeUser, org.assessorUser, org.reviewerUser]) {
        expect((await t.http().get(`/appraisals/${appraisal.id}`).set(auth(u.token))).status).toBe(200);
      }
      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: org.unit.id });
      expect((await t.http().get(`/appraisals/${appraisal.id}`).set(auth(hr.token))).status).toBe(200);

      const stranger = await orgChain(t);
      expectProblem(await t.http().get(`/appraisals/${appraisal.id}`).set(auth(stranger.employeeUser.token)), 404);
      expectProblem(await t.http().get(`/appraisals/${appraisal.id}/targets`).set(auth(stranger.assessorUser.token)), 404);
      const otherHr = await userToken(t, { role: 'HR_OPERATOR', unitId: stranger.unit.id });
      expectProblem(await t.http().get(`/appraisals/${appraisal.id}`).set(auth(otherHr.token)), 404);
      const list = await t.http().get('/appraisals?pageSize=200').set(auth(stranger.employeeUser.token));
      expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(appraisal.id);
      const own = await t.http().get('/appraisals').set(auth(org.employeeUser.token));
      expect(own.body.items.map((a: { id: string }) => a.id)).toEqual([appraisal.id]);
    });
  });

  describe('targets and agreement', () => {
    it('agrees with weights summing to 100 and then freezes the targets', async () => {
      const { org, appraisal, targets, indicators } = await draftWithTargets();
      expectProblem(await t.http().post(`/appraisals/${appraisal.id}/agree`).set(auth(org.employeeUser.token)), 403, 'not-your-part');
      const agreed = await t.http().post(`/appraisals/${appraisal.id}/agree`).set(auth(org.assessorUser.token));
      expect(agreed.status).toBe(200);
      expect(agreed.body).toMatchObject({ status: 'AGREED', agreedAt: expect.any(String) });

      const add = await t.http().post(`/appraisals/${appraisal.id}/targets`).set(admin()).send({ indicatorId: indicators[0].id, target: 1, weight: 1 });
      expectProblem(add, 409, 'invalid-appraisal-status');
      expectProblem(await t.http().patch(`/appraisals/${appraisal.id}/targets/${targets[0].id}`).set(admin()).send({ weight: 50 }), 409);
      expectProblem(await t.http().delete(`/appraisals/${appraisal.id}/targets/${targets[0].id}`).set(admin()), 409);
      expectProblem(await t.http().post(`/appraisals/${appraisal.id}/agree`).set(admin()), 409, 'invalid-appraisal-status');
    });

    it('refuses agreement without targets or with weights that do not sum to 100, changing nothing', async () => {
      const org = await orgChain(t);
      const period = await insertPeriod(t);
      const empty = await createAppraisal(t, org.employee.id, period.id);
      expectProblem(await t.http().post(`/appraisals/${empty.id}/agree`).set(auth(org.assessorUser.token)), 409, 'no-targets');

      const { org: o2, appraisal, targets } = await draftWithTargets();
      await t.http().patch(`/appraisals/${appraisal.id}/targets/${targets[1].id}`).set(admin()).send({ weight: 30 });
      const res = await t.http().post(`/appraisals/${appraisal.id}/agree`).set(auth(o2.assessorUser.token));
      expectProblem(res, 409, 'weights-not-100');
      expect(res.body.weightTotal).toBe(90);
      expect((await t.http().get(`/appraisals/${appraisal.id}`).set(admin())).body.status).toBe('DRAFT');
    });

    it('validates targets: positive values, known and applicable indicators, no duplicates, cascading from the assessor', async () => {
      const { org, period, appraisal, indicators } = await draftWithTargets();
      const post = (body: object) => t.http().post(`/appraisals/${appraisal.id}/targets`).set(admin()).send(body);
      const third = await insertIndicator(t);
      expectProblem(await post({ indicatorId: third.id, target: 0, weight: 10 }), 400);
      expectProblem(await post({ indicatorId: third.id, target: 5, weight: -1 }), 400);
      expectProblem(await post({ indicatorId: third.id, target: 5, weight: 10, extra: 1 }), 400);
      expectProblem(await post({ indicatorId: indicators[0].id, target: 5, weight: 10 }), 409, 'duplicate-target');
      const forJpt = await insertIndicator(t, { jobTypes: ['JPT_PRATAMA'] });
      const notApplicable = await post({ indicatorId: forJpt.id, target: 5, weight: 10 });
      expectProblem(notApplicable, 400);
      expect(notApplicable.body.errors[0]).toMatchObject({ field: 'indicatorId', message: expect.stringContaining('PELAKSANA') });
      const inactive = await insertIndicator(t, { active: false });
      expectProblem(await post({ indicatorId: inactive.id, target: 5, weight: 10 }), 400);
      const elsewhere = await insertIndicator(t, { unitId: (await createUnit(t)).id });
      const foreignUnit = await post({ indicatorId: elsewhere.id, target: 5, weight: 10 });
      expectProblem(foreignUnit, 400);
      expect(foreignUnit.body.errors[0]).toMatchObject({ field: 'indicatorId', message: expect.stringContaining('another unit') });
      const ours = await insertIndicator(t, { unitId: org.unit.id });
      expect((await post({ indicatorId: ours.id, target: 5, weight: 10 })).status).toBe(201);

      // Cascading: only from a target of the assessor's own appraisal in the same period.
      const bossAppraisal = await createAppraisal(t, org.assessor.id, period.id);
      const bossTarget = await t.http().post(`/appraisals/${bossAppraisal.id}/targets`).set(admin()).send({ indicatorId: third.id, target: 100, weight: 100 });
      const cascaded = await post({ indicatorId: third.id, target: 5, weight: 10, cascadedFromTargetId: bossTarget.body.id });
      expect(cascaded.status).toBe(201);
      expect(cascaded.body.cascadedFromTargetId).toBe(bossTarget.body.id);
      const foreign = await draftWithTargets();
      const wrong = await post({ indicatorId: (await insertIndicator(t)).id, target: 5, weight: 10, cascadedFromTargetId: foreign.targets[0].id });
      expectProblem(wrong, 400);
      expect(wrong.body.errors[0].field).toBe('cascadedFromTargetId');
    });

    it('bumps the ETag with every target change and marks the appraisal for recalculation', async () => {
      const { appraisal, targets } = await draftWithTargets();
      const v1 = (await t.http().get(`/appraisals/${appraisal.id}`).set(admin())).headers.etag;
      const m1 = await marks(appraisal.id);
      await t.http().patch(`/appraisals/${appraisal.id}/targets/${targets[0].id}`).set(admin()).send({ target: 14 });
      const v2 = (await t.http().get(`/appraisals/${appraisal.id}`).set(admin())).headers.etag;
      expect(v2).not.toBe(v1);
      expect(Number(await marks(appraisal.id))).toBe(Number(m1) + 1);
    });
  });

  describe('If-Match on PATCH', () => {
    it('applies a change with the current ETag and answers 412 with a stale one, changing nothing', async () => {
      const { org, appraisal } = await draftWithTargets();
      const deputy = await createEmployee(t, { unitId: org.unit.id, name: 'Plt. Kepala Dinas' });
      const read = await t.http().get(`/appraisals/${appraisal.id}`).set(admin());
      const ok = await t.http().patch(`/appraisals/${appraisal.id}`).set(admin()).set('If-Match', read.headers.etag).send({ reviewerId: deputy.id, reason: 'Plt.' });
      expect(ok.status).toBe(200);
      expect(ok.body.reviewerId).toBe(deputy.id);
      expect(ok.headers.etag).not.toBe(read.headers.etag);

      const stale = await t.http().patch(`/appraisals/${appraisal.id}`).set(admin()).set('If-Match', read.headers.etag).send({ reviewerId: org.reviewer.id });
      expectProblem(stale, 412, 'etag-mismatch');
      expect((await t.http().get(`/appraisals/${appraisal.id}`).set(admin())).body.reviewerId).toBe(deputy.id);
    });

    it('refuses the employee as their own assessor and unknown employees', async () => {
      const { org, appraisal } = await draftWithTargets();
      expectProblem(await t.http().patch(`/appraisals/${appraisal.id}`).set(admin()).send({ assessorId: org.employee.id, reason: 'x' }), 409, 'invalid-assessor');
      expectProblem(await t.http().patch(`/appraisals/${appraisal.id}`).set(admin()).send({ assessorId: '00000000-0000-4000-8000-000000000000', reason: 'x' }), 400);
      expectProblem(await t.http().patch(`/appraisals/${appraisal.id}`).set(auth(org.assessorUser.token)).send({ reviewerId: null }), 403);
    });
  });

  describe('behaviour and override', () => {
    it('lets the assessor rate behaviour (ASSESSED) and override the result rating with a reason', async () => {
      const { org, appraisal } = await draftWithTargets();
      await t.http().post(`/appraisals/${appraisal.id}/agree`).set(auth(org.assessorUser.token));
      const before = Number(await marks(appraisal.id));

      expectProblem(await t.http().put(`/appraisals/${appraisal.id}/behaviour`).set(auth(org.employeeUser.token)).send({ ratings: RATINGS }), 403);
      const assessed = await t.http().put(`/appraisals/${appraisal.id}/behaviour`).set(auth(org.assessorUser.token)).send({ ratings: RATINGS, notes: 'Baik' });
      expect(assessed.status).toBe(200);
      expect(assessed.body).toMatchObject({ status: 'ASSESSED', behaviour: { ratings: RATINGS, notes: 'Baik' } });

      const noReason = await t.http().put(`/appraisals/${appraisal.id}/result-rating-override`).set(auth(org.assessorUser.token)).send({ rating: 'ABOVE_EXPECTATION' });
      expectProblem(noReason, 400);
      expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
      const over = await t.http().put(`/appraisals/${appraisal.id}/result-rating-override`).set(auth(org.assessorUser.token)).send({ rating: 'ABOVE_EXPECTATION', reason: 'Data realisasi terlambat' });
      expect(over.body.resultRatingOverride).toEqual({ rating: 'ABOVE_EXPECTATION', reason: 'Data realisasi terlambat' });
      expect(Number(await marks(appraisal.id))).toBe(before + 2);

      const events = await t.http().get(`/audit-events?entityId=${appraisal.id}&action=appraisal.result-rating-override`).set(admin());
      expect(events.body.items[0].after).toMatchObject({ resultRatingOverride: 'ABOVE_EXPECTATION', resultRatingOverrideReason: 'Data realisasi terlambat' });

      const withdrawn = await t.http().delete(`/appraisals/${appraisal.id}/result-rating-override`).set(auth(org.assessorUser.token));
      expect(withdrawn.body.resultRatingOverride).toBeNull();
    });

    it('refuses behaviour on a DRAFT appraisal, in a PLANNING period, and with a missing or unknown aspect', async () => {
      const { org, appraisal } = await draftWithTargets();
      const put = (body: object) => t.http().put(`/appraisals/${appraisal.id}/behaviour`).set(auth(org.assessorUser.token)).send(body);
      expectProblem(await put({ ratings: RATINGS }), 409, 'invalid-appraisal-status');
      await t.http().post(`/appraisals/${appraisal.id}/agree`).set(auth(org.assessorUser.token));
      const { LOYAL: _, ...six } = RATINGS;
      const missing = await put({ ratings: six });
      expectProblem(missing, 400);
      expect(missing.body.errors[0].field).toBe('ratings.LOYAL');
      expectProblem(await put({ ratings: { ...RATINGS, JUJUR: 'MEETS_EXPECTATION' } }), 400);
      expectProblem(await put({ ratings: { ...RATINGS, LOYAL: 'GREAT' } }), 400);

      const planning = await draftWithTargets('PLANNING');
      await t.http().post(`/appraisals/${planning.appraisal.id}/agree`).set(auth(planning.org.assessorUser.token));
      const res = await t.http().put(`/appraisals/${planning.appraisal.id}/behaviour`).set(auth(planning.org.assessorUser.token)).send({ ratings: RATINGS });
      expectProblem(res, 409, 'period-not-open');
    });
  });

  describe('objection', () => {
    async function finalized() {
      const ctx = await draftWithTargets();
      await t.http().post(`/appraisals/${ctx.appraisal.id}/agree`).set(auth(ctx.org.assessorUser.token));
      await t.http().put(`/appraisals/${ctx.appraisal.id}/behaviour`).set(auth(ctx.org.assessorUser.token)).send({ ratings: RATINGS });
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [ctx.appraisal.id]);
      await setPeriodStatus(t, ctx.period.id, 'CLOSED');
      return ctx;
    }

    it('is filed by the employee and decided once by the reviewer; acceptance recalculates the finalised appraisal', async () => {
      const { org, appraisal } = await finalized();
      const url = `/appraisals/${appraisal.id}/objection`;
      expectProblem(await t.http().post(url).set(auth(org.assessorUser.token)).send({ reason: 'x' }), 403);
      const filed = await t.http().post(url).set(auth(org.employeeUser.token)).send({ reason: 'Perilaku ADAPTIF dinilai tanpa bukti' });
      expect(filed.status).toBe(201);
      expect(filed.body).toMatchObject({ appraisalId: appraisal.id, status: 'PENDING' });
      expectProblem(await t.http().post(url).set(auth(org.employeeUser.token)).send({ reason: 'again' }), 409, 'objection-exists');

      expectProblem(await t.http().post(`${url}/resolve`).set(auth(org.assessorUser.token)).send({ decision: 'ACCEPTED', note: 'x' }), 403);
      expectProblem(
        await t.http().post(`${url}/resolve`).set(auth(org.reviewerUser.token)).send({ decision: 'REJECTED', note: 'x', resultRatingOverride: 'ABOVE_EXPECTATION' }),
        400,
      );
      const before = await marks(appraisal.id);
      const accepted = await t.http().post(`${url}/resolve`).set(auth(org.reviewerUser.token)).send({
        decision: 'ACCEPTED',
        note: 'Bukti diterima',
        behaviourRatings: { ...RATINGS, ADAPTIF: 'MEETS_EXPECTATION' },
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'ACCEPTED', decisionNote: 'Bukti diterima', resolvedAt: expect.any(String) });
      const after = (await t.http().get(`/appraisals/${appraisal.id}`).set(admin())).body;
      expect(after).toMatchObject({ status: 'FINALIZED', behaviour: { ratings: { ADAPTIF: 'MEETS_EXPECTATION' } } });
      expect(Number(await marks(appraisal.id))).toBe(Number(before ?? 0) + 1);

      expectProblem(await t.http().post(`${url}/resolve`).set(auth(org.reviewerUser.token)).send({ decision: 'REJECTED', note: 'changed my mind' }), 409, 'objection-resolved');
      const events = await t.http().get(`/audit-events?entityId=${accepted.body.id}&action=objection.resolve`).set(admin());
      expect(events.body.total).toBe(1);
    });

    it('refuses an objection before finalisation and after 14 days', async () => {
      const { org, appraisal } = await draftWithTargets();
      expectProblem(await t.http().post(`/appraisals/${appraisal.id}/objection`).set(auth(org.employeeUser.token)).send({ reason: 'x' }), 409, 'appraisal-not-finalized');

      const late = await finalized();
      await db.query(`UPDATE appraisals SET finalized_at = now() - interval '15 days' WHERE id = $1`, [late.appraisal.id]);
      const res = await t.http().post(`/appraisals/${late.appraisal.id}/objection`).set(auth(late.org.employeeUser.token)).send({ reason: 'late' });
      expectProblem(res, 409, 'objection-window-closed');
      expectProblem(await t.http().get(`/appraisals/${late.appraisal.id}/objection`).set(admin()), 404);
    });

    it('does not let a finalised appraisal be changed except through an objection', async () => {
      const { org, appraisal } = await finalized();
      await setPeriodStatus(t, (await t.http().get(`/appraisals/${appraisal.id}`).set(admin())).body.periodId, 'EVALUATION');
      expectProblem(await t.http().put(`/appraisals/${appraisal.id}/behaviour`).set(auth(org.assessorUser.token)).send({ ratings: RATINGS }), 409);
      expectProblem(
        await t.http().put(`/appraisals/${appraisal.id}/result-rating-override`).set(auth(org.assessorUser.token)).send({ rating: 'ABOVE_EXPECTATION', reason: 'x' }),
        409,
      );
      expectProblem(await t.http().patch(`/appraisals/${appraisal.id}`).set(admin()).send({ reviewerId: null }), 409);
    });
  });
});
