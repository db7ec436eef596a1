import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { VacateStaleUnitHeads1796040000002 } from '../migrations/1796040000002-VacateStaleUnitHeads';
import { NightlySchedule } from '../src/modules/recalculation/nightly-schedule.service';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { BEHAVIOUR_ASPECTS } from '../src/modules/scoring/types';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, userToken } from './factories';
import { createAppraisal, insertIndicator, insertPeriod, setPeriodStatus } from './planning-fixtures';
import { until } from './processes';

/** Every aspect ABOVE: behaviourScore 120, ABOVE_EXPECTATION, so the predicate follows the result rating alone (§5.6). */
const ALL_ABOVE = Object.fromEntries(BEHAVIOUR_ASPECTS.map((a) => [a, 'ABOVE_EXPECTATION']));
const GHOST = '00000000-0000-4000-8000-000000000000';

interface StoredScore {
  result_score: string;
  result_rating: string;
  predicate: string | null;
  predicate_code: number | null;
  breakdown: { s: string; c: string }; // StoredBreakdown: s is resultRatingSource, c computedResultRating
  input_digest: string;
  computed_at: Date;
}

/**
 * Spec §5.4 "Unit heads": a head's result rating comes from their unit's organisation predicate for the period
 * (ISTIMEWA → ABOVE, BAIK → MEETS, else BELOW) while the policy's headRatingFromOrganisation holds; resultScore is
 * still computed; the score answers resultRatingSource; an override of such a head is refused; setting a predicate
 * or a head marks only the head's appraisal.
 */
describe('unit heads rated by their organisation (e2e, spec §5.4)', () => {
  let t: TestApp;
  let db: DataSource;
  let recalculation: RecalculationService;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    recalculation = t.app.get(RecalculationService);
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);
  const score = (id: string) => t.http().get(`/appraisals/${id}/score`).set(admin());
  const setHead = (unitId: string, headEmployeeId: string | null) => t.http().patch(`/units/${unitId}`).set(admin()).send({ headEmployeeId });
  const setPredicate = (periodId: string, unitId: string, predicate: string) =>
    t.http().put(`/periods/${periodId}/units/${unitId}/organisation-predicate`).set(admin()).send({ predicate });
  const setPolicy = (periodId: string, body: object) => t.http().put(`/periods/${periodId}/policy`).set(admin()).send(body);

  /** The appraisals among `ids` that carry a recalculation mark, with its reason. */
  async function marked(ids: string[]): Promise<Record<string, string>> {
    const rows = await db.query<{ appraisal_id: string; reason: string }[]>(
      'SELECT appraisal_id, reason FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[])',
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.appraisal_id, r.reason]));
  }

  async function stored(id: string): Promise<StoredScore> {
    const [row] = await db.query<StoredScore[]>(
      `SELECT result_score, result_rating, predicate, predicate_code, breakdown, input_digest, computed_at FROM appraisal_scores WHERE appraisal_id = $1`,
      [id],
    );
    return row;
  }

  /**
   * An ASSESSED appraisal (every aspect ABOVE) with one target of 100 (weight 100) and one verified achievement of
   * `capaian`, so resultScore = capaian. Written directly: no mark, no score until a recalculation.
   */
  async function appraisal(employeeId: string, unitId: string, periodId: string, indicatorId: string, capaian = 115, status = 'ASSESSED'): Promise<string> {
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, status, behaviour_ratings, assessed_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
      [employeeId, periodId, unitId, status, JSON.stringify(ALL_ABOVE)],
    );
    const [target] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 100, 100) RETURNING id`,
      [a.id, indicatorId],
    );
    const [{ start_date: day }] = await db.query<{ start_date: string }[]>(`SELECT start_date::text FROM periods WHERE id = $1`, [periodId]);
    await db.query(
      `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, $3, $4, 'VERIFIED', $5)`,
      [target.id, a.id, capaian, day, employeeId],
    );
    return a.id;
  }

  /**
   * One EVALUATION period and two units, each with a head and a staff member, every one at capaian 115 with
   * behaviour ABOVE (computed: ABOVE, SANGAT_BAIK). The heads are named through the API and every score is then
   * computed by the period batch, so no mark is left.
   */
  async function world() {
    const period = await insertPeriod(t, { status: 'EVALUATION' });
    const indicator = await insertIndicator(t);
    const unit = await createUnit(t);
    const other = await createUnit(t);
    const head = await createEmployee(t, { unitId: unit.id, jobType: 'JPT_PRATAMA', rank: 'IV/b', name: 'Kepala Dinas' });
    const staff = await createEmployee(t, { unitId: unit.id });
    const otherHead = await createEmployee(t, { unitId: other.id, jobType: 'JPT_PRATAMA', rank: 'IV/b', name: 'Kepala Badan' });
    const otherStaff = await createEmployee(t, { unitId: other.id });
    const a = {
      head: await appraisal(head.id, unit.id, period.id, indicator.id),
      staff: await appraisal(staff.id, unit.id, period.id, indicator.id),
      otherHead: await appraisal(otherHead.id, other.id, period.id, indicator.id),
      otherStaff: await appraisal(otherStaff.id, other.id, period.id, indicator.id),
    };
    expect((await setHead(unit.id, head.id)).status).toBe(200);
    expect((await setHead(other.id, otherHead.id)).status).toBe(200);
    expect(await recalculation.recalculatePeriod(period.id)).toBe(4);
    const all = Object.values(a);
    expect(await marked(all)).toEqual({});
    return { period, indicator, unit, other, head, staff, otherHead, otherStaff, a, all };
  }

  /** Runs the marks of `ids` as the scores worker does (a job of the `scores` queue). */
  const work = (ids: string[]) => recalculation.processMarks(ids);

  const COMPUTED_ABOVE = {
    resultScore: 115,
    computedResultRating: 'ABOVE_EXPECTATION',
    resultRating: 'ABOVE_EXPECTATION',
    resultRatingSource: 'COMPUTED',
    resultRatingOverridden: false,
    behaviourScore: 120,
    behaviourRating: 'ABOVE_EXPECTATION',
    predicate: 'SANGAT_BAIK',
    predicateCode: 1,
  };

  describe('the rating', () => {
    it('a head at capaian 115 whose unit is BUTUH_PERBAIKAN is BELOW with source ORGANISATION, and the predicate follows the quadrant', async () => {
      const w = await world();
      expect((await score(w.a.head)).body).toMatchObject({ ...COMPUTED_ABOVE, freshness: 'FRESH' });

      expect((await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN')).status).toBe(200);
      expect((await score(w.a.head)).body.freshness).toBe('STALE');
      expect(await work([w.a.head])).toBe(1);
      const head = await score(w.a.head);
      expect(head.body).toMatchObject({
        resultScore: 115, // still computed and shown
        computedResultRating: 'ABOVE_EXPECTATION',
        resultRating: 'BELOW_EXPECTATION',
        resultRatingSource: 'ORGANISATION',
        resultRatingOverridden: false,
        behaviourRating: 'ABOVE_EXPECTATION',
        // BELOW × ABOVE (§5.6)
        predicate: 'BUTUH_PERBAIKAN',
        predicateCode: 3,
        // 0.7·115 + 0.3·120: the final score does not follow the organisation
        finalScore: 116.5,
        freshness: 'FRESH',
      });
      // A staff member of the same unit keeps their own computed rating.
      expect((await score(w.a.staff)).body).toMatchObject({ ...COMPUTED_ABOVE, freshness: 'FRESH' });
    });

    it('changing the predicate to ISTIMEWA makes the head ABOVE without any other write; BAIK makes them MEETS', async () => {
      const w = await world();
      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      await work([w.a.head]);
      expect((await score(w.a.head)).body).toMatchObject({ resultRating: 'BELOW_EXPECTATION', resultRatingSource: 'ORGANISATION' });

      await setPredicate(w.period.id, w.unit.id, 'ISTIMEWA').expect(200);
      expect(await work([w.a.head])).toBe(1);
      expect((await score(w.a.head)).body).toMatchObject({
        resultScore: 115,
        resultRating: 'ABOVE_EXPECTATION',
        resultRatingSource: 'ORGANISATION',
        predicate: 'SANGAT_BAIK', // ABOVE × ABOVE
        predicateCode: 1,
      });

      await setPredicate(w.period.id, w.unit.id, 'BAIK').expect(200);
      await work([w.a.head]);
      expect((await score(w.a.head)).body).toMatchObject({ resultRating: 'MEETS_EXPECTATION', resultRatingSource: 'ORGANISATION', predicate: 'BAIK', predicateCode: 2 });

      for (const predicate of ['KURANG', 'SANGAT_KURANG']) {
        await setPredicate(w.period.id, w.unit.id, predicate).expect(200);
        await work([w.a.head]);
        expect((await score(w.a.head)).body).toMatchObject({ resultRating: 'BELOW_EXPECTATION', resultRatingSource: 'ORGANISATION', predicate: 'BUTUH_PERBAIKAN' });
      }
      // The other unit's head has no predicate yet: computed.
      expect((await score(w.a.otherHead)).body).toMatchObject(COMPUTED_ABOVE);
    });

    it('with headRatingFromOrganisation off the computed rating returns, and back on the organisation rates again', async () => {
      const w = await world();
      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      await work([w.a.head]);

      const off = await setPolicy(w.period.id, { headRatingFromOrganisation: false });
      expect(off.status).toBe(200);
      expect(off.body.headRatingFromOrganisation).toBe(false);
      await work(w.all);
      expect((await score(w.a.head)).body).toMatchObject({ ...COMPUTED_ABOVE, freshness: 'FRESH' });

      await setPolicy(w.period.id, { headRatingFromOrganisation: true }).expect(200);
      await work(w.all);
      expect((await score(w.a.head)).body).toMatchObject({ resultRating: 'BELOW_EXPECTATION', resultRatingSource: 'ORGANISATION', predicate: 'BUTUH_PERBAIKAN' });
    });

    it('resultRatingSource is OVERRIDE for a staff member with an override and COMPUTED without', async () => {
      const w = await world();
      await setPredicate(w.period.id, w.unit.id, 'ISTIMEWA').expect(200);
      const over = await t
        .http()
        .put(`/appraisals/${w.a.staff}/result-rating-override`)
        .set(admin())
        .send({ rating: 'MEETS_EXPECTATION', reason: 'Realisasi belum lengkap' });
      expect(over.status).toBe(200);
      expect(await marked(w.all)).toEqual({ [w.a.staff]: 'appraisal.result-rating-override', [w.a.head]: 'organisation-predicate.set' });
      await work(w.all);
      expect((await score(w.a.staff)).body).toMatchObject({
        resultScore: 115,
        computedResultRating: 'ABOVE_EXPECTATION',
        resultRating: 'MEETS_EXPECTATION',
        resultRatingSource: 'OVERRIDE',
        resultRatingOverridden: true,
        predicate: 'BAIK',
      });
      expect((await score(w.a.otherStaff)).body).toMatchObject(COMPUTED_ABOVE);

      await t.http().delete(`/appraisals/${w.a.staff}/result-rating-override`).set(admin()).expect(200);
      await work([w.a.staff]);
      expect((await score(w.a.staff)).body).toMatchObject(COMPUTED_ABOVE);
    });
  });

  describe('the override of a head', () => {
    it('is refused (409 rating-from-organisation) while the rule applies, and allowed with the rule off', async () => {
      const w = await world();
      const override = (rating: string) =>
        t.http().put(`/appraisals/${w.a.head}/result-rating-override`).set(admin()).send({ rating, reason: 'Capaian pribadi tinggi' });
      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      await work([w.a.head]);

      expectProblem(await override('ABOVE_EXPECTATION'), 409, 'rating-from-organisation');
      const [row] = await db.query<{ result_rating_override: string | null }[]>('SELECT result_rating_override FROM appraisals WHERE id = $1', [w.a.head]);
      expect(row.result_rating_override).toBeNull();
      expect(await marked([w.a.head])).toEqual({});
      const audit = await t.http().get(`/audit-events?entityId=${w.a.head}&action=appraisal.result-rating-override`).set(admin());
      expect(audit.body.total).toBe(0);

      // Another unit's head without an organisation predicate is rated by the numbers and may be overridden.
      const otherOverride = await t
        .http()
        .put(`/appraisals/${w.a.otherHead}/result-rating-override`)
        .set(admin())
        .send({ rating: 'MEETS_EXPECTATION', reason: 'x' });
      expect(otherOverride.status).toBe(200);

      await setPolicy(w.period.id, { headRatingFromOrganisation: false }).expect(200);
      expect((await override('MEETS_EXPECTATION')).status).toBe(200);
      await work(w.all);
      expect((await score(w.a.head)).body).toMatchObject({ resultRating: 'MEETS_EXPECTATION', resultRatingSource: 'OVERRIDE', resultRatingOverridden: true });

      // Back on, the organisation rates the head again and the stored override is ignored.
      await setPolicy(w.period.id, { headRatingFromOrganisation: true }).expect(200);
      await work(w.all);
      expect((await score(w.a.head)).body).toMatchObject({
        resultRating: 'BELOW_EXPECTATION',
        resultRatingSource: 'ORGANISATION',
        resultRatingOverridden: false,
        computedResultRating: 'ABOVE_EXPECTATION',
      });
    });

    it('through an accepted objection with resultRatingOverride is refused too; without the override it is accepted', async () => {
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const indicator = await insertIndicator(t);
      const unit = await createUnit(t);
      const head = await createEmployee(t, { unitId: unit.id, jobType: 'JPT_PRATAMA', rank: 'IV/b' });
      const headUser = await userToken(t, { role: 'EMPLOYEE', employeeId: head.id });
      const id = await appraisal(head.id, unit.id, period.id, indicator.id);
      await setHead(unit.id, head.id).expect(200);
      await setPredicate(period.id, unit.id, 'KURANG').expect(200);
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [id]);
      await setPeriodStatus(t, period.id, 'CLOSED');

      const url = `/appraisals/${id}/objection`;
      expect((await t.http().post(url).set(auth(headUser.token)).send({ reason: 'Capaian pribadi saya 115' })).status).toBe(201);
      // An admin other than the first, which set the head's password (four eyes on objections).
      const resolver = auth((await userToken(t, { role: 'ADMIN' })).token);
      const refused = await t.http().post(`${url}/resolve`).set(resolver).send({ decision: 'ACCEPTED', note: 'Diterima', resultRatingOverride: 'ABOVE_EXPECTATION' });
      expectProblem(refused, 409, 'rating-from-organisation');
      expect((await t.http().get(url).set(admin())).body.status).toBe('PENDING');

      const accepted = await t.http().post(`${url}/resolve`).set(resolver).send({ decision: 'ACCEPTED', note: 'Diterima tanpa perubahan nilai hasil' });
      expect(accepted.status).toBe(200);
      expect(accepted.body.status).toBe('ACCEPTED');
    });
  });

  describe('marks', () => {
    it('setting and changing the predicate marks exactly the head appraisal of that unit', async () => {
      const w = await world();
      await setPredicate(w.period.id, w.other.id, 'BAIK').expect(200);
      expect(await marked(w.all)).toEqual({ [w.a.otherHead]: 'organisation-predicate.set' });
      await work(w.all);

      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      expect(await marked(w.all)).toEqual({ [w.a.head]: 'organisation-predicate.set' });
      await work(w.all);
      expect(await marked(w.all)).toEqual({});

      // The same value again changes nothing and marks nothing.
      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      expect(await marked(w.all)).toEqual({});

      await setPredicate(w.period.id, w.unit.id, 'ISTIMEWA').expect(200);
      expect(await marked(w.all)).toEqual({ [w.a.head]: 'organisation-predicate.set' });

      // The head's appraisal of another period is not marked by this period's predicate.
      const later = await insertPeriod(t, { status: 'EVALUATION' });
      const laterHead = await appraisal(w.head.id, w.unit.id, later.id, w.indicator.id);
      await work(w.all);
      await setPredicate(w.period.id, w.unit.id, 'BAIK').expect(200);
      expect(await marked([...w.all, laterHead])).toEqual({ [w.a.head]: 'organisation-predicate.set' });
    });

    it('a head change marks the old and the new head, in every period, and nobody else', async () => {
      const w = await world();
      const later = await insertPeriod(t, { status: 'EVALUATION' });
      const laterStaff = await appraisal(w.staff.id, w.unit.id, later.id, w.indicator.id);
      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      await work(w.all);
      expect((await score(w.a.head)).body.resultRatingSource).toBe('ORGANISATION');

      const changed = await setHead(w.unit.id, w.staff.id);
      expect(changed.status).toBe(200);
      expect(changed.body.headEmployeeId).toBe(w.staff.id);
      expect(await marked([...w.all, laterStaff])).toEqual({ [w.a.head]: 'unit.head', [w.a.staff]: 'unit.head', [laterStaff]: 'unit.head' });
      await work([...w.all, laterStaff]);
      expect((await score(w.a.head)).body).toMatchObject(COMPUTED_ABOVE);
      expect((await score(w.a.staff)).body).toMatchObject({ resultRating: 'BELOW_EXPECTATION', resultRatingSource: 'ORGANISATION', predicate: 'BUTUH_PERBAIKAN' });
      // The later period has no predicate for the unit: the new head is rated by the numbers there.
      expect((await score(laterStaff)).body).toMatchObject(COMPUTED_ABOVE);

      // Clearing the head marks the old head only.
      expect((await setHead(w.unit.id, null)).body.headEmployeeId).toBeNull();
      expect(await marked([...w.all, laterStaff])).toEqual({ [w.a.staff]: 'unit.head', [laterStaff]: 'unit.head' });
      await work([...w.all, laterStaff]);
      expect((await score(w.a.staff)).body).toMatchObject(COMPUTED_ABOVE);

      // A PATCH that does not touch the head marks nobody for it.
      await t.http().patch(`/units/${w.other.id}`).set(admin()).send({ name: 'Badan Baru' }).expect(200);
      expect(await marked(w.all)).toEqual({});
    });

    it('a finalised head appraisal keeps whoever headed the unit: a later head change neither marks nor re-rates it', async () => {
      const w = await world();
      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      await work(w.all);
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [w.a.head]);

      expect((await setHead(w.unit.id, w.staff.id)).status).toBe(200);
      expect(await marked(w.all)).toEqual({ [w.a.staff]: 'unit.head' });
      const heads = await db.query<{ id: string; heads_unit: boolean }[]>(`SELECT id, heads_unit FROM appraisals WHERE id = ANY($1::uuid[]) ORDER BY id`, [[w.a.head, w.a.staff]]);
      expect(Object.fromEntries(heads.map((r) => [r.id, r.heads_unit]))).toEqual({ [w.a.head]: true, [w.a.staff]: true });

      // Recomputed years later (as an accepted objection does), it is still rated by the organisation it headed.
      await db.query(`INSERT INTO score_recalculation_marks (appraisal_id, version, marked_at, reason) VALUES ($1, 1, now(), 'objection.accepted')`, [w.a.head]);
      await work([w.a.head]);
      expect((await score(w.a.head)).body).toMatchObject({ resultRating: 'BELOW_EXPECTATION', resultRatingSource: 'ORGANISATION', predicate: 'BUTUH_PERBAIKAN' });
    });

    it('an appraisal created or generated after the head is named starts as a head appraisal; staff do not', async () => {
      const w = await world();
      const next = await insertPeriod(t, { status: 'OPEN' });
      const created = await createAppraisal(t, w.head.id, next.id);
      await t.http().post(`/periods/${next.id}/appraisals/generate`).set(admin()).send({ withinUnitId: w.unit.id }).expect(200);
      const rows = await db.query<{ employee_id: string; heads_unit: boolean }[]>(`SELECT employee_id, heads_unit FROM appraisals WHERE period_id = $1`, [next.id]);
      expect(Object.fromEntries(rows.map((r) => [r.employee_id, r.heads_unit]))).toEqual({ [w.head.id]: true, [w.staff.id]: false });
      expect(rows).toHaveLength(2);
      expect(created.id).toBeDefined();
    });

    it('a policy edit of headRatingFromOrganisation alone marks only the heads of the period; a period-wide key marks everyone', async () => {
      const w = await world();
      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      await work(w.all);

      await setPolicy(w.period.id, { headRatingFromOrganisation: false }).expect(200);
      expect(await marked(w.all)).toEqual({ [w.a.head]: 'policy-edit', [w.a.otherHead]: 'policy-edit' });
      await work(w.all);

      await setPolicy(w.period.id, { aboveThreshold: 112 }).expect(200);
      expect(Object.keys(await marked(w.all)).sort()).toEqual([...w.all].sort());
    });
  });

  describe('the batch and the marked worker agree', () => {
    it('the period batch and the nightly run give the head the score the worker gave; unmarked staff digests do not move', async () => {
      const w = await world();
      const staffBefore = await Promise.all([w.a.staff, w.a.otherStaff].map(stored));

      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      expect(await work(w.all)).toBe(1);
      const byWorker = await stored(w.a.head);
      expect(byWorker).toMatchObject({ result_rating: 'BELOW_EXPECTATION', predicate: 'BUTUH_PERBAIKAN', breakdown: { s: 'ORGANISATION' } });

      // Without its row, the batch computes the head's score from the sources alone.
      const forget = () => db.query(`DELETE FROM appraisal_scores WHERE appraisal_id = $1`, [w.a.head]);
      const sameScore = ({ computed_at: _, ...s }: StoredScore) => s;

      await forget();
      const run = await t.http().post(`/periods/${w.period.id}/recalculate`).set(admin());
      expect(run.status).toBe(202);
      await until(async () => (await t.http().get(`/recalculations/${run.body.id}`).set(admin())).body.status === 'COMPLETED', 20_000);
      const byBatch = await stored(w.a.head);
      expect(sameScore(byBatch)).toEqual(sameScore(byWorker));

      await forget();
      const runs = await t.app.get(NightlySchedule).fire(new Date());
      const [mine] = await db.query<{ id: string }[]>(`SELECT id FROM recalculation_runs WHERE period_id = $1 AND trigger = 'SCHEDULE'`, [w.period.id]);
      expect(runs).toContain(mine.id);
      await until(async () => {
        const states = await db.query<{ status: string }[]>(`SELECT status FROM recalculation_runs WHERE id = ANY($1::uuid[])`, [runs]);
        return states.every((s) => s.status === 'COMPLETED' || s.status === 'FAILED');
      }, 30_000);
      expect((await db.query<{ status: string }[]>(`SELECT status FROM recalculation_runs WHERE id = $1`, [mine.id]))[0].status).toBe('COMPLETED');
      expect(sameScore(await stored(w.a.head))).toEqual(sameScore(byWorker));

      // The predicate change and the policy key left staff unmarked; their inputs, and so their rows, did not move.
      await setPolicy(w.period.id, { headRatingFromOrganisation: false }).expect(200);
      expect(await work(w.all)).toBe(1); // the head; the other head's score is the same (no predicate)
      const again = await t.http().post(`/periods/${w.period.id}/recalculate`).set(admin());
      await until(async () => (await t.http().get(`/recalculations/${again.body.id}`).set(admin())).body.status === 'COMPLETED', 20_000);
      expect(await Promise.all([w.a.staff, w.a.otherStaff].map(stored))).toEqual(staffBefore);
      expect((await stored(w.a.head)).input_digest).not.toBe(byWorker.input_digest);
    }, 60_000);
  });

  describe('separation of duties (spec §8)', () => {
    it('a head may not set their own unit\'s organisation predicate, nor name or replace themselves as head, as a linked admin or through a key', async () => {
      const w = await world();
      const linked = await userToken(t, { role: 'ADMIN', employeeId: w.head.id });
      const key = await t.http().post('/api-keys').set(auth(linked.token)).send({ name: 'kadis-key', scopes: ['periods:manage', 'org:write'] });
      expect(key.status).toBe(201);
      const asKey = { 'x-api-key': key.body.key as string };
      for (const who of [auth(linked.token), asKey]) {
        const own = await t.http().put(`/periods/${w.period.id}/units/${w.unit.id}/organisation-predicate`).set(who).send({ predicate: 'ISTIMEWA' });
        expectProblem(own, 403, 'own-appraisal');
        // Another unit's predicate is not theirs.
        expect((await t.http().put(`/periods/${w.period.id}/units/${w.other.id}/organisation-predicate`).set(who).send({ predicate: 'BAIK' })).status).toBe(200);
        expectProblem(await t.http().patch(`/units/${w.unit.id}`).set(who).send({ headEmployeeId: w.staff.id }), 403, 'own-record');
        expectProblem(await t.http().patch(`/units/${w.unit.id}`).set(who).send({ headEmployeeId: null }), 403, 'own-record');
      }
      expect(await db.query(`SELECT 1 FROM organisation_predicates WHERE period_id = $1 AND unit_id = $2`, [w.period.id, w.unit.id])).toEqual([]);
      expect((await t.http().get(`/units/${w.unit.id}`).set(admin())).body.headEmployeeId).toBe(w.head.id);
      expect(await marked([w.a.head])).toEqual({});

      // Naming oneself: the staff member's linked admin may not, nor through the import.
      const staffAdmin = await userToken(t, { role: 'ADMIN', employeeId: w.staff.id });
      expectProblem(await t.http().patch(`/units/${w.other.id}`).set(auth(staffAdmin.token)).send({ headEmployeeId: w.staff.id }), 403, 'own-record');
      const unitCode = (await t.http().get(`/units/${w.unit.id}`).set(admin())).body.code as string;
      const imported = await t
        .http()
        .post('/units/import')
        .set(auth(staffAdmin.token))
        .send({ units: [{ code: unitCode, name: 'Dinas', kind: 'DINAS', headNip: w.staff.nip }] });
      expect(imported.status).toBe(200);
      expect(imported.body.errors).toEqual([expect.objectContaining({ index: 0, message: expect.stringMatching(/^own-record: /) })]);
      expect((await t.http().get(`/units/${w.unit.id}`).set(admin())).body.headEmployeeId).toBe(w.head.id);
    });
  });

  describe('PATCH /units/{id} headEmployeeId', () => {
    it('takes an ACTIVE employee of the unit, refuses others, clears with null, and is audited', async () => {
      const unit = await createUnit(t);
      const other = await createUnit(t);
      const head = await createEmployee(t, { unitId: unit.id });
      const elsewhere = await createEmployee(t, { unitId: other.id });
      const retired = await createEmployee(t, { unitId: unit.id });
      const inactive = await createEmployee(t, { unitId: unit.id });
      await t.http().patch(`/employees/${retired.id}`).set(admin()).send({ status: 'RETIRED' }).expect(200);
      await t.http().patch(`/employees/${inactive.id}`).set(admin()).send({ status: 'INACTIVE' }).expect(200);

      expect((await t.http().get(`/units/${unit.id}`).set(admin())).body.headEmployeeId).toBeNull();
      for (const e of [elsewhere, retired, inactive]) expectProblem(await setHead(unit.id, e.id), 409, 'invalid-unit-head');
      const unknown = await setHead(unit.id, GHOST);
      expectProblem(unknown, 400, 'validation-failed');
      expect(unknown.body.errors).toEqual([{ field: 'headEmployeeId', message: expect.any(String) }]);
      expectProblem(await setHead(unit.id, 'not-a-uuid'), 400, 'validation-failed');
      expect((await t.http().get(`/units/${unit.id}`).set(admin())).body.headEmployeeId).toBeNull();

      const set = await setHead(unit.id, head.id);
      expect(set.status).toBe(200);
      expect(set.body.headEmployeeId).toBe(head.id);
      expect((await t.http().get(`/units/${unit.id}`).set(admin())).body.headEmployeeId).toBe(head.id);
      // Other fields leave the head as it is.
      expect((await t.http().patch(`/units/${unit.id}`).set(admin()).send({ name: 'Dinas Baru' })).body.headEmployeeId).toBe(head.id);

      const cleared = await setHead(unit.id, null);
      expect(cleared.status).toBe(200);
      expect(cleared.body.headEmployeeId).toBeNull();

      const audit = await t.http().get(`/audit-events?entityId=${unit.id}&action=unit.update`).set(admin());
      const heads = (audit.body.items as { before: { headEmployeeId: string | null }; after: { headEmployeeId: string | null } }[])
        .map((e) => [e.before.headEmployeeId, e.after.headEmployeeId])
        .filter(([b, a]) => b !== a);
      expect(heads.sort()).toEqual([[null, head.id], [head.id, null]].sort());
    });
  });

  describe('POST /units/import headNip', () => {
    it('sets the head of an existing unit, reports a bad headNip as a row error, and keeps the head when absent', async () => {
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const indicator = await insertIndicator(t);
      const unit = await createUnit(t);
      const other = await createUnit(t);
      const head = await createEmployee(t, { unitId: unit.id });
      const elsewhere = await createEmployee(t, { unitId: other.id });
      const retired = await createEmployee(t, { unitId: unit.id });
      await t.http().patch(`/employees/${retired.id}`).set(admin()).send({ status: 'RETIRED' }).expect(200);
      const headAppraisal = await appraisal(head.id, unit.id, period.id, indicator.id);
      const row = (extra: object = {}) => ({ code: unit.code, name: `Unit ${unit.code}`, kind: 'DINAS', ...extra });
      const post = (units: object[]) => t.http().post('/units/import').set(admin()).send({ units });
      const headOf = async () => (await t.http().get(`/units/${unit.id}`).set(admin())).body.headEmployeeId as string | null;

      const set = await post([row({ headNip: head.nip })]);
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ created: 0, updated: 1, unchanged: 0, errors: [] });
      expect(await headOf()).toBe(head.id);
      expect(await marked([headAppraisal])).toEqual({ [headAppraisal]: 'unit.import-head' });

      for (const nip of [elsewhere.nip, retired.nip, '199001012015031999']) {
        const bad = await post([row({ headNip: nip })]);
        expect(bad.status).toBe(200);
        expect(bad.body).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
        expect(bad.body.errors).toEqual([{ index: 0, key: unit.code, message: expect.stringMatching(/^headNip: /) }]);
      }
      expect(await headOf()).toBe(head.id);

      // A new unit has no employees, so nobody can head it yet.
      const fresh = await post([{ code: `${unit.code}-N`, name: 'Baru', kind: 'BIDANG', headNip: head.nip }]);
      expect(fresh.body.errors).toEqual([{ index: 0, key: `${unit.code}-N`, message: expect.stringMatching(/^headNip: /) }]);

      // Absent, the head stays; the same head again changes nothing.
      expect((await post([row({ name: 'Dinas Lain' })])).body).toEqual({ created: 0, updated: 1, unchanged: 0, errors: [] });
      expect(await headOf()).toBe(head.id);
      expect((await post([row({ name: 'Dinas Lain', headNip: head.nip })])).body).toEqual({ created: 0, updated: 0, unchanged: 1, errors: [] });
    });
  });
  describe('statements', () => {
    it('a unit import follows any number of head changes in the same number of statements', async () => {
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const indicator = await insertIndicator(t);
      const changeHeads = async (n: number) => {
        const units = await Promise.all(Array.from({ length: n }, () => createUnit(t)));
        const next: { nip: string }[] = [];
        const appraisals: string[] = [];
        for (const u of units) {
          const [head, successor] = [await createEmployee(t, { unitId: u.id }), await createEmployee(t, { unitId: u.id })];
          await setHead(u.id, head.id).expect(200);
          appraisals.push(await appraisal(head.id, u.id, period.id, indicator.id), await appraisal(successor.id, u.id, period.id, indicator.id));
          next.push(successor);
        }
        const rows = units.map((u, i) => ({ code: u.code, name: `Unit ${u.code}`, kind: 'DINAS', headNip: next[i].nip }));
        const { res, count } = await statementsOf(() => t.http().post('/units/import').set(admin()).send({ units: rows }));
        expect(res.body).toEqual({ created: 0, updated: n, unchanged: 0, errors: [] });
        expect(Object.values(await marked(appraisals))).toEqual(appraisals.map(() => 'unit.import-head'));
        return count;
      };
      expect(await changeHeads(4)).toBe(await changeHeads(1));
    });
  });

  describe('a head who can no longer head their unit (spec §5.4)', () => {
    const patchEmployee = (id: string, body: object) => t.http().patch(`/employees/${id}`).set(admin()).send(body);
    const headOf = async (unitId: string) => (await t.http().get(`/units/${unitId}`).set(admin())).body.headEmployeeId as string | null;
    async function headsUnit(ids: string[]): Promise<Record<string, boolean>> {
      const rows = await db.query<{ id: string; heads_unit: boolean }[]>(`SELECT id, heads_unit FROM appraisals WHERE id = ANY($1::uuid[])`, [ids]);
      return Object.fromEntries(rows.map((r) => [r.id, r.heads_unit]));
    }
    /** The unit.update audit rows of the unit that change its head: [before, after, reason]. */
    async function headAudits(unitId: string): Promise<[string | null, string | null, string | null][]> {
      const audit = await t.http().get(`/audit-events?entityId=${unitId}&action=unit.update`).set(admin());
      return (audit.body.items as { before: { headEmployeeId: string | null }; after: { headEmployeeId: string | null }; reason: string | null }[])
        .filter((e) => e.before.headEmployeeId !== e.after.headEmployeeId)
        .map((e) => [e.before.headEmployeeId, e.after.headEmployeeId, e.reason]);
    }
    /** The import row that restates the employee as stored, in `unitCode`. */
    async function importRow(id: string, unitCode: string): Promise<Record<string, unknown>> {
      const e = (await t.http().get(`/employees/${id}`).set(admin())).body;
      const { nip, name, employmentType, rank, rankSince, jobType, positionTitle } = e;
      return { nip, name, employmentType, rank, rankSince, jobType, positionTitle, unitCode };
    }
    const importEmployees = (employees: object[]) => t.http().post('/employees/import').set(admin()).send({ employees });

    /** world() with the unit rated BUTUH_PERBAIKAN, its head so rated, and a FINALIZED head appraisal of an earlier period. */
    async function ratedWorld() {
      const w = await world();
      await setPredicate(w.period.id, w.unit.id, 'BUTUH_PERBAIKAN').expect(200);
      await work(w.all);
      expect((await score(w.a.head)).body).toMatchObject({ resultRatingSource: 'ORGANISATION', resultRating: 'BELOW_EXPECTATION' });
      const earlier = await insertPeriod(t, { status: 'EVALUATION' });
      const final = await appraisal(w.head.id, w.unit.id, earlier.id, w.indicator.id, 115, 'FINALIZED');
      await db.query(`UPDATE appraisals SET heads_unit = true, finalized_at = now() WHERE id = $1`, [final]);
      return { ...w, final };
    }

    /** The unit has no head; the head's open appraisal there is un-flagged, marked and then computed; the final one is kept. */
    async function expectVacated(w: Awaited<ReturnType<typeof ratedWorld>>) {
      expect(await headOf(w.unit.id)).toBeNull();
      expect(await headOf(w.other.id)).toBe(w.otherHead.id);
      expect(await marked([...w.all, w.final])).toEqual({ [w.a.head]: 'unit.head-vacated' });
      expect(await headsUnit([w.a.head, w.final, w.a.otherHead])).toEqual({ [w.a.head]: false, [w.final]: true, [w.a.otherHead]: true });
      expect(await headAudits(w.unit.id)).toEqual([
        [w.head.id, null, expect.any(String)],
        [null, w.head.id, null],
      ]);
      await work(w.all);
      expect((await score(w.a.head)).body).toMatchObject({ ...COMPUTED_ABOVE, freshness: 'FRESH' });
    }

    it('moving the head to another unit clears the head, follows their open appraisal there, and audits; moving back restores nothing', async () => {
      const w = await ratedWorld();
      const moved = await patchEmployee(w.head.id, { unitId: w.other.id });
      expect(moved.status).toBe(200);
      expect(moved.body.unitId).toBe(w.other.id);
      await expectVacated(w);

      expect((await patchEmployee(w.head.id, { unitCode: (await t.http().get(`/units/${w.unit.id}`).set(admin())).body.code })).status).toBe(200);
      expect(await headOf(w.unit.id)).toBeNull();
      expect(await marked(w.all)).toEqual({});
    });

    it.each(['RETIRED', 'INACTIVE'])('a head who becomes %s stops heading their unit', async (status) => {
      const w = await ratedWorld();
      expect((await patchEmployee(w.head.id, { status })).status).toBe(200);
      await expectVacated(w);
      // ACTIVE again restores nothing.
      expect((await patchEmployee(w.head.id, { status: 'ACTIVE' })).status).toBe(200);
      expect(await headOf(w.unit.id)).toBeNull();
    });

    it('the employee import moving heads clears each unit they headed, in the same number of statements for one head or many', async () => {
      const w = await ratedWorld();
      const otherCode = (await t.http().get(`/units/${w.other.id}`).set(admin())).body.code as string;
      const unitCode = (await t.http().get(`/units/${w.unit.id}`).set(admin())).body.code as string;
      // The heads swap units; the staff are restated as they are.
      const rows = [await importRow(w.head.id, otherCode), await importRow(w.otherHead.id, unitCode), await importRow(w.staff.id, unitCode), await importRow(w.otherStaff.id, otherCode)];
      const imported = await importEmployees(rows);
      expect(imported.body).toEqual({ created: 0, updated: 2, unchanged: 2, errors: [] });
      expect([await headOf(w.unit.id), await headOf(w.other.id)]).toEqual([null, null]);
      expect(await marked([...w.all, w.final])).toEqual({ [w.a.head]: 'unit.head-vacated', [w.a.otherHead]: 'unit.head-vacated' });
      expect(await headsUnit([...w.all, w.final])).toEqual({ ...Object.fromEntries(w.all.map((id) => [id, false])), [w.final]: true });
      for (const [unit, head] of [[w.unit, w.head], [w.other, w.otherHead]]) {
        expect(await headAudits(unit.id)).toEqual([
          [head.id, null, expect.any(String)],
          [null, head.id, null],
        ]);
      }
      await work(w.all);
      expect((await score(w.a.head)).body).toMatchObject({ ...COMPUTED_ABOVE, freshness: 'FRESH' });

      // One head moved or three: the import's transaction runs as many statements.
      const movingHeads = async (n: number) => {
        const to = await createUnit(t);
        const heads = [];
        for (let i = 0; i < n; i++) {
          const u = await createUnit(t);
          const head = await createEmployee(t, { unitId: u.id });
          await setHead(u.id, head.id).expect(200);
          heads.push({ unit: u, head });
        }
        const moves = await Promise.all(heads.map(({ head }) => importRow(head.id, to.code)));
        const { res, count } = await statementsOf(() => importEmployees(moves));
        expect(res.body).toEqual({ created: 0, updated: n, unchanged: 0, errors: [] });
        for (const { unit } of heads) expect(await headOf(unit.id)).toBeNull();
        return count;
      };
      expect(await movingHeads(3)).toBe(await movingHeads(1));
    });

    it('an employee who heads no unit moves or retires without touching any unit; an import clears only the unit whose head moved', async () => {
      const w = await ratedWorld();
      const [unitCode, otherCode] = await Promise.all([w.unit, w.other].map(async (u) => (await t.http().get(`/units/${u.id}`).set(admin())).body.code as string));
      expect((await patchEmployee(w.staff.id, { unitId: w.other.id })).status).toBe(200);
      expect((await patchEmployee(w.otherStaff.id, { status: 'RETIRED' })).status).toBe(200);
      // A head whose other fields change, or who is restated as they are, keeps their unit.
      expect((await patchEmployee(w.head.id, { positionTitle: 'Kepala Dinas Perhubungan', unitId: w.unit.id, status: 'ACTIVE' })).status).toBe(200);
      expect((await importEmployees([await importRow(w.otherHead.id, otherCode)])).body).toMatchObject({ unchanged: 1, errors: [] });
      expect([await headOf(w.unit.id), await headOf(w.other.id)]).toEqual([w.head.id, w.otherHead.id]);
      expect(await marked([...w.all, w.final])).toEqual({});
      expect(await headAudits(w.unit.id)).toEqual([[null, w.head.id, null]]);
      expect(await headAudits(w.other.id)).toEqual([[null, w.otherHead.id, null]]);

      // The staff member moving back beside the head moving away: only the head's unit loses its head.
      const moved = await importEmployees([await importRow(w.staff.id, unitCode), await importRow(w.head.id, otherCode)]);
      expect(moved.body).toEqual({ created: 0, updated: 2, unchanged: 0, errors: [] });
      expect([await headOf(w.unit.id), await headOf(w.other.id)]).toEqual([null, w.otherHead.id]);
      expect(await marked([...w.all, w.final])).toEqual({ [w.a.head]: 'unit.head-vacated' });
      expect(await headsUnit([w.a.head, w.a.otherHead, w.final])).toEqual({ [w.a.head]: false, [w.a.otherHead]: true, [w.final]: true });
      expect(await headAudits(w.other.id)).toEqual([[null, w.otherHead.id, null]]);
    });
    it('the migration VacateStaleUnitHeads clears the heads written before this rule, un-flags and marks their open appraisals, and keeps finalised ones', async () => {
      const w = await ratedWorld();
      const kept = await createUnit(t);
      const keptHead = await createEmployee(t, { unitId: kept.id });
      await setHead(kept.id, keptHead.id).expect(200);
      // Stale heads as the employee writes left them before: written behind the service, and rolled back after.
      const qr = db.createQueryRunner();
      await qr.startTransaction();
      try {
        await qr.query(`UPDATE employees SET unit_id = $2 WHERE id = $1`, [w.head.id, w.other.id]);
        await qr.query(`UPDATE employees SET status = 'RETIRED' WHERE id = $1`, [w.otherHead.id]);
        await new VacateStaleUnitHeads1796040000002().up(qr);
        const units = await qr.manager.query<{ id: string; head_employee_id: string | null }[]>(`SELECT id, head_employee_id FROM units WHERE id = ANY($1::uuid[])`, [[w.unit.id, w.other.id, kept.id]]);
        expect(Object.fromEntries(units.map((u) => [u.id, u.head_employee_id]))).toEqual({ [w.unit.id]: null, [w.other.id]: null, [kept.id]: keptHead.id });
        const appraisals = await qr.manager.query<{ id: string; heads_unit: boolean; reason: string | null }[]>(
          `SELECT a.id, a.heads_unit, m.reason FROM appraisals a LEFT JOIN score_recalculation_marks m ON m.appraisal_id = a.id WHERE a.id = ANY($1::uuid[])`,
          [[...w.all, w.final]],
        );
        expect(Object.fromEntries(appraisals.map((a) => [a.id, [a.heads_unit, a.reason]]))).toEqual({
          [w.a.head]: [false, 'unit.head-vacated'],
          [w.a.otherHead]: [false, 'unit.head-vacated'],
          [w.a.staff]: [false, null],
          [w.a.otherStaff]: [false, null],
          [w.final]: [true, null],
        });
        const audit = await qr.manager.query<{ entity_id: string; actor_type: string; before: { headEmployeeId: string }; after: { headEmployeeId: null } }[]>(
          `SELECT entity_id, actor_type, before, after FROM audit_events WHERE action = 'unit.update' AND entity_id = ANY($1::text[]) AND reason LIKE 'Migration VacateStaleUnitHeads%'`,
          [[w.unit.id, w.other.id, kept.id]],
        );
        expect(Object.fromEntries(audit.map((a) => [a.entity_id, [a.actor_type, a.before.headEmployeeId, a.after.headEmployeeId]]))).toEqual({
          [w.unit.id]: ['SYSTEM', w.head.id, null],
          [w.other.id]: ['SYSTEM', w.otherHead.id, null],
        });
      } finally {
        await qr.rollbackTransaction();
        await qr.release();
      }
    });
  });
});

/**
 * What `send` answers, and how many statements the transaction that took an advisory lock (an import's) ran, its
 * START TRANSACTION and COMMIT included.
 */
async function statementsOf<T>(send: () => Promise<T>): Promise<{ res: T; count: number }> {
  const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
  try {
    const res = await send();
    const runners: unknown[] = spy.mock.contexts;
    const ran = spy.mock.calls.map(([sql], i) => ({ sql, runner: runners[i] }));
    const locking = ran.filter((q) => q.sql.includes('pg_advisory_xact_lock')).map((q) => q.runner);
    expect(new Set(locking).size).toBe(1);
    return { res, count: ran.filter((q) => q.runner === locking[0]).length };
  } finally {
    spy.mockRestore();
  }
}
