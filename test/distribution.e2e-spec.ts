import { DataSource } from 'typeorm';
import { DistributionService } from '../src/modules/distribution/distribution.service';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, userToken } from './factories';
import { insertPeriod, setPeriodStatus } from './planning-fixtures';
import { Assessment, insertScore, insertScoreWithPredicate } from './score-fixtures';

type Predicate = 'SANGAT_BAIK' | 'BAIK' | 'BUTUH_PERBAIKAN' | 'KURANG' | 'SANGAT_KURANG';
type Rating = 'ABOVE_EXPECTATION' | 'MEETS_EXPECTATION' | 'BELOW_EXPECTATION';

const GHOST = '00000000-0000-4000-8000-000000000000';

describe('distribution and assessor calibration (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);

  /**
   * An appraisal of a new employee of `unitId` in the period, inserted by SQL (the scoring endpoints are not the
   * subject here), with the score of `score` unless it is null.
   */
  async function appraisal(periodId: string, unitId: string, score: Assessment | null, opts: { assessorId?: string } = {}): Promise<string> {
    const employee = await createEmployee(t, { unitId });
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status) VALUES ($1, $2, $3, $4, 'ASSESSED') RETURNING id`,
      [employee.id, periodId, unitId, opts.assessorId ?? null],
    );
    if (score) await insertScore(t, row.id, score);
    return row.id;
  }

  /** Appraisals with the given predicates (null: scored without behaviour, so no predicate). */
  async function withPredicates(periodId: string, unitId: string, predicates: (Predicate | null)[]): Promise<void> {
    await Promise.all(
      predicates.map(async (p) => {
        if (p === null) return appraisal(periodId, unitId, { result: 100, behaviour: null });
        await insertScoreWithPredicate(t, await appraisal(periodId, unitId, null), p);
      }),
    );
  }
  const times = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

  const distribution = (periodId: string, unitId: string, headers: Record<string, string> = admin()) =>
    t.http().get(`/periods/${periodId}/distribution`).query({ unitId }).set(headers);
  const putPredicate = (periodId: string, unitId: string, body: object, headers: Record<string, string> = admin()) =>
    t.http().put(`/periods/${periodId}/units/${unitId}/organisation-predicate`).set(headers).send(body);
  const getPredicate = (periodId: string, unitId: string, headers: Record<string, string> = admin()) =>
    t.http().get(`/periods/${periodId}/units/${unitId}/organisation-predicate`).set(headers);
  const assessorStats = (periodId: string, query: object = {}, headers: Record<string, string> = admin()) =>
    t.http().get(`/periods/${periodId}/assessor-stats`).query(query).set(headers);

  describe('distribution', () => {
    it('counts predicates over the unit subtree: a child unit\'s appraisals count, a sibling\'s do not', async () => {
      const top = await createUnit(t);
      const root = await createUnit(t, { parentId: top.id, kind: 'BIDANG' });
      const child = await createUnit(t, { parentId: root.id, kind: 'UPTD' });
      const sibling = await createUnit(t, { parentId: top.id, kind: 'BIDANG' });
      const period = await insertPeriod(t);
      const other = await insertPeriod(t);
      await withPredicates(period.id, root.id, ['SANGAT_BAIK', 'BAIK', 'BAIK']);
      await withPredicates(period.id, child.id, ['BUTUH_PERBAIKAN', 'KURANG', null]);
      await appraisal(period.id, child.id, null); // no score at all
      await withPredicates(period.id, sibling.id, ['SANGAT_BAIK', 'SANGAT_BAIK']);
      await withPredicates(other.id, root.id, ['SANGAT_KURANG']); // another period

      const res = await distribution(period.id, root.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        periodId: period.id,
        unitId: root.id,
        organisationPredicate: null,
        total: 5,
        counts: { SANGAT_BAIK: 1, BAIK: 2, BUTUH_PERBAIKAN: 1, KURANG: 1, SANGAT_KURANG: 0, unscored: 2 },
        shares: { SANGAT_BAIK: 0.2, BAIK: 0.4, BUTUH_PERBAIKAN: 0.2, KURANG: 0.2, SANGAT_KURANG: 0 },
        failures: [],
      });

      const all = await distribution(period.id, top.id);
      expect(all.body).toMatchObject({
        total: 7,
        counts: { SANGAT_BAIK: 3, BAIK: 2, BUTUH_PERBAIKAN: 1, KURANG: 1, SANGAT_KURANG: 0, unscored: 2 },
        // 3/7, 2/7, 1/7 rounded to 4 decimals
        shares: { SANGAT_BAIK: 0.4286, BAIK: 0.2857, BUTUH_PERBAIKAN: 0.1429, KURANG: 0.1429, SANGAT_KURANG: 0 },
      });

      const empty = await distribution(period.id, (await createUnit(t)).id);
      expect(empty.body).toMatchObject({ total: 0, shares: { SANGAT_BAIK: 0, BAIK: 0 }, failures: [] });
    });

    it('fails an ISTIMEWA unit with 8 of 10 SANGAT_BAIK', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t);
      await withPredicates(period.id, unit.id, [...times(8, 'SANGAT_BAIK' as const), 'BAIK', 'BAIK']);
      expect((await putPredicate(period.id, unit.id, { predicate: 'ISTIMEWA' })).status).toBe(200);

      const res = await distribution(period.id, unit.id);
      expect(res.body).toMatchObject({ organisationPredicate: 'ISTIMEWA', total: 10, shares: { SANGAT_BAIK: 0.8, BAIK: 0.2 } });
      expect(res.body.failures).toEqual([
        {
          rule: 'SANGAT_BAIK_AT_MOST_70',
          expected: '≤ 70%',
          actual: '80% (8 of 10)',
          message: 'SANGAT_BAIK is 80% (8 of 10) of the appraisals with a predicate; an ISTIMEWA unit allows at most 70%',
        },
      ]);
    });

    it('fails a BAIK unit of 5 appraisals without BUTUH_PERBAIKAN or KURANG, and passes it once one is added', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t);
      await withPredicates(period.id, unit.id, ['SANGAT_BAIK', 'SANGAT_BAIK', 'BAIK', 'BAIK', 'BAIK']); // BAIK 60%: within 70%
      await putPredicate(period.id, unit.id, { predicate: 'BAIK' });

      const before = await distribution(period.id, unit.id);
      expect(before.body.failures).toEqual([
        expect.objectContaining({ rule: 'BUTUH_PERBAIKAN_OR_KURANG_AT_LEAST_ONE', expected: '≥ 1 appraisal', actual: '0 appraisals' }),
      ]);

      await withPredicates(period.id, unit.id, ['BUTUH_PERBAIKAN']);
      const after = await distribution(period.id, unit.id);
      expect(after.body).toMatchObject({ total: 6, counts: { BUTUH_PERBAIKAN: 1 }, failures: [] });
    });

    it('answers 400 without a valid unitId, 404 for an unknown unit or period', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t);
      const missing = await t.http().get(`/periods/${period.id}/distribution`).set(admin());
      expectProblem(missing, 400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('unitId');
      expectProblem(await distribution(period.id, 'not-a-uuid'), 400);
      expectProblem(await distribution(period.id, GHOST), 404);
      expectProblem(await distribution(GHOST, unit.id), 404);
    });
  });

  describe('organisation predicate', () => {
    it('is upserted by an admin, read back, and audited with before and after', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t);
      expectProblem(await getPredicate(period.id, unit.id), 404);

      const first = await putPredicate(period.id, unit.id, { predicate: 'BAIK' });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        periodId: period.id,
        unitId: unit.id,
        predicate: 'BAIK',
        setBy: expect.stringMatching(/^[0-9a-f-]{36}$/),
        setAt: expect.any(String),
      });
      expect((await getPredicate(period.id, unit.id)).body).toEqual(first.body);

      const second = await putPredicate(period.id, unit.id, { predicate: 'ISTIMEWA' });
      expect(second.body).toMatchObject({ predicate: 'ISTIMEWA', setBy: first.body.setBy });
      // The same value again writes nothing: setAt stays and no audit event is added.
      const same = await putPredicate(period.id, unit.id, { predicate: 'ISTIMEWA' });
      expect(same.body).toEqual(second.body);

      const audit = await t
        .http()
        .get('/audit-events')
        .query({ entityType: 'organisation-predicate', entityId: `${period.id}/${unit.id}` })
        .set(admin());
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          action: 'organisation-predicate.set',
          before: expect.objectContaining({ predicate: 'BAIK' }),
          after: expect.objectContaining({ predicate: 'ISTIMEWA', periodId: period.id, unitId: unit.id }),
        }),
        expect.objectContaining({ action: 'organisation-predicate.set', before: null, after: expect.objectContaining({ predicate: 'BAIK' }) }),
      ]);
      expect((await distribution(period.id, unit.id)).body.organisationPredicate).toBe('ISTIMEWA');
    });

    it('refuses a CLOSED period (409), unknown period or unit (404), and bad bodies (400)', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t);
      await putPredicate(period.id, unit.id, { predicate: 'KURANG' });
      await setPeriodStatus(t, period.id, 'CLOSED');
      expectProblem(await putPredicate(period.id, unit.id, { predicate: 'BAIK' }), 409, 'period-closed');
      expect((await getPredicate(period.id, unit.id)).body.predicate).toBe('KURANG'); // still readable

      const open = await insertPeriod(t);
      expectProblem(await putPredicate(GHOST, unit.id, { predicate: 'BAIK' }), 404);
      expectProblem(await putPredicate(open.id, GHOST, { predicate: 'BAIK' }), 404);
      expectProblem(await getPredicate(GHOST, unit.id), 404);
      expectProblem(await getPredicate(open.id, GHOST), 404);

      const employeePredicate = await putPredicate(open.id, unit.id, { predicate: 'SANGAT_BAIK' }); // an employee predicate
      expectProblem(employeePredicate, 400);
      expect(employeePredicate.body.errors[0].field).toBe('predicate');
      const extra = await putPredicate(open.id, unit.id, { predicate: 'BAIK', setBy: GHOST });
      expect(extra.body.errors).toEqual([{ field: 'setBy', message: 'is not a known field' }]);
    });

    it('is set with a periods:manage key only, and read by HR operators of the subtree only', async () => {
      const unit = await createUnit(t);
      const child = await createUnit(t, { parentId: unit.id, kind: 'BIDANG' });
      const elsewhere = await createUnit(t);
      const period = await insertPeriod(t);

      const appraisalsWriter = await apiKey(t, ['appraisals:write']);
      expectProblem(await putPredicate(period.id, child.id, { predicate: 'BAIK' }, { 'X-API-Key': appraisalsWriter.key }), 403, 'missing-scope');
      const writer = await apiKey(t, ['periods:manage']);
      const byKey = await putPredicate(period.id, child.id, { predicate: 'BUTUH_PERBAIKAN' }, { 'X-API-Key': writer.key });
      expect(byKey.status).toBe(200);
      expect(byKey.body.setBy).toBe(writer.id);
      const reader = await apiKey(t, ['scores:read']);
      expectProblem(await putPredicate(period.id, child.id, { predicate: 'BAIK' }, { 'X-API-Key': reader.key }), 403);

      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      expectProblem(await putPredicate(period.id, child.id, { predicate: 'BAIK' }, auth(hr.token)), 403);
      expect((await getPredicate(period.id, child.id, auth(hr.token))).body.predicate).toBe('BUTUH_PERBAIKAN');
      await putPredicate(period.id, elsewhere.id, { predicate: 'BAIK' });
      expectProblem(await getPredicate(period.id, elsewhere.id, auth(hr.token)), 404);
    });
  });

  describe('unitsBreakingCurve (for the period close)', () => {
    it('lists every unit with an organisation predicate whose subtree breaks its curve, by unit code', async () => {
      const a = await createUnit(t);
      const aChild = await createUnit(t, { parentId: a.id, kind: 'BIDANG' });
      const b = await createUnit(t);
      const c = await createUnit(t);
      const e = await createUnit(t);
      const period = await insertPeriod(t);
      // a (ISTIMEWA): 3 SANGAT_BAIK of its own + 5 SANGAT_BAIK and 2 BAIK in its child: 8 of 10 SANGAT_BAIK.
      await withPredicates(period.id, a.id, times(3, 'SANGAT_BAIK'));
      await withPredicates(period.id, aChild.id, [...times(5, 'SANGAT_BAIK' as const), 'BAIK', 'BAIK']);
      // aChild (BAIK): 7 appraisals with a predicate, none BUTUH_PERBAIKAN or KURANG.
      // b (BAIK) keeps its curve; c breaks every curve but has no organisation predicate; e has no appraisals.
      await withPredicates(period.id, b.id, ['SANGAT_BAIK', 'SANGAT_BAIK', 'BAIK', 'BAIK', 'KURANG']);
      await withPredicates(period.id, c.id, times(5, 'SANGAT_BAIK'));
      for (const [unit, predicate] of [[a, 'ISTIMEWA'], [aChild, 'BAIK'], [b, 'BAIK'], [e, 'SANGAT_KURANG']] as const) {
        expect((await putPredicate(period.id, unit.id, { predicate })).status).toBe(200);
      }
      // Another period's predicates and appraisals do not leak in.
      const other = await insertPeriod(t);
      await putPredicate(other.id, c.id, { predicate: 'ISTIMEWA' });

      const service = t.app.get(DistributionService);
      const breaking = await db.transaction((m) => service.unitsBreakingCurve(period.id, m));
      const expected = [
        { unitId: a.id, unitCode: a.code, failures: [expect.objectContaining({ rule: 'SANGAT_BAIK_AT_MOST_70', actual: '80% (8 of 10)' })] },
        {
          unitId: aChild.id,
          unitCode: aChild.code,
          failures: [expect.objectContaining({ rule: 'BUTUH_PERBAIKAN_OR_KURANG_AT_LEAST_ONE', actual: '0 appraisals' })],
        },
      ].sort((x, y) => (x.unitCode < y.unitCode ? -1 : 1));
      expect(breaking).toEqual(expected);
      // c is ISTIMEWA in the other period but has no appraisal there: nothing breaks.
      expect(await db.transaction((m) => service.unitsBreakingCurve(other.id, m))).toEqual([]);
    });
  });

  describe('assessor stats', () => {
    /**
     * Four assessors with 5 appraisees with a score each, and one with only 4. With population z-scores no value
     * of n assessors can lie further than √(n − 1) from the mean, so three assessors never reach |z| ≥ 1.5
     * (at most √2 ≈ 1.41): four is the fewest that can show a flag.
     *
     *   A: behaviour 96 ×4 and one appraisee without behaviour → mean 96 (over the 4), results 100 ×4 and 90 → 98
     *   B: behaviour 90, 95, 100, 105, 110 → mean 100; one ABOVE of 5 rated → share 0.2
     *   C: behaviour 104 ×5; results 100, 100, 100, 110, 110 → 104; two result rating overrides
     *   D: behaviour 120 ×5 → mean 120, all ABOVE → share 1; plus an appraisal without a score (not counted)
     *   E: behaviour 60 ×4 → fewer than 5: not listed and not in the population
     *
     * Population of means {96, 100, 104, 120}: μ = 420 / 4 = 105; deviations −9, −5, −1, 15;
     * variance (81 + 25 + 1 + 225) / 4 = 332 / 4 = 83; σ = √83 ≈ 9.1104.
     *   zA = −9 / 9.1104 ≈ −0.9879 → −0.99
     *   zB = −5 / 9.1104 ≈ −0.5488 → −0.55
     *   zC = −1 / 9.1104 ≈ −0.1098 → −0.11
     *   zD = 15 / 9.1104 ≈ 1.6465 → 1.65 ≥ 1.5: LENIENT
     */
    async function calibrationScenario() {
      const root = await createUnit(t);
      const left = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
      const right = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
      const period = await insertPeriod(t);
      const [a, b, c, d, e] = await Promise.all(
        ['A', 'B', 'C', 'D', 'E'].map((x) => createEmployee(t, { unitId: root.id, name: `Assessor ${x}`, jobType: 'ADMINISTRATOR', rank: 'III/d' })),
      );
      const scored = (unitId: string, assessorId: string, result: number, behaviour: number | null, override?: Rating) =>
        appraisal(period.id, unitId, { result, behaviour, override }, { assessorId });
      await Promise.all([
        ...times(4, null).map(() => scored(left.id, a.id, 100, 96)),
        scored(left.id, a.id, 90, null),
        ...[90, 95, 100, 105, 110].map((bs) => scored(left.id, b.id, 100, bs)),
        ...[100, 100, 100].map((r) => scored(left.id, c.id, r, 104)),
        ...[110, 110].map((r) => scored(left.id, c.id, r, 104, 'ABOVE_EXPECTATION')),
        ...times(5, null).map(() => scored(right.id, d.id, 120, 120)),
        appraisal(period.id, right.id, null, { assessorId: d.id }),
        ...times(4, null).map(() => scored(left.id, e.id, 100, 60)),
      ]);
      return { root, left, right, period, a, b, c, d, e };
    }

    it('reports every assessor with 5 or more appraisees, with z against the period and LENIENT from 1.5', async () => {
      const s = await calibrationScenario();
      const res = await assessorStats(s.period.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        periodId: s.period.id,
        withinUnitId: null,
        minAppraisees: 5,
        population: { assessors: 4, meanBehaviourScore: 105, sdBehaviourScore: 9.11 },
        items: [
          { assessorId: s.a.id, name: 'Assessor A', nip: s.a.nip, count: 5, meanBehaviourScore: 96, meanResultScore: 98, shareAboveBehaviour: 0, overrides: 0, z: -0.99, flag: null, trained: false, dialoguesHeld: 0 },
          { assessorId: s.b.id, name: 'Assessor B', nip: s.b.nip, count: 5, meanBehaviourScore: 100, meanResultScore: 100, shareAboveBehaviour: 0.2, overrides: 0, z: -0.55, flag: null, trained: false, dialoguesHeld: 0 },
          { assessorId: s.c.id, name: 'Assessor C', nip: s.c.nip, count: 5, meanBehaviourScore: 104, meanResultScore: 104, shareAboveBehaviour: 0, overrides: 2, z: -0.11, flag: null, trained: false, dialoguesHeld: 0 },
          { assessorId: s.d.id, name: 'Assessor D', nip: s.d.nip, count: 5, meanBehaviourScore: 120, meanResultScore: 120, shareAboveBehaviour: 1, overrides: 0, z: 1.65, flag: 'LENIENT', trained: false, dialoguesHeld: 0 },
        ],
      });
    });

    it('narrows the view to a subtree (withinUnitId, or an HR operator\'s unit) but keeps z against the whole period', async () => {
      const s = await calibrationScenario();
      const right = await assessorStats(s.period.id, { withinUnitId: s.right.id });
      expect(right.body).toMatchObject({ withinUnitId: s.right.id, population: { assessors: 4, meanBehaviourScore: 105 } });
      expect(right.body.items).toEqual([expect.objectContaining({ assessorId: s.d.id, count: 5, z: 1.65, flag: 'LENIENT' })]);

      const hrLeft = await userToken(t, { role: 'HR_OPERATOR', unitId: s.left.id });
      const left = await assessorStats(s.period.id, {}, auth(hrLeft.token));
      expect(left.status).toBe(200);
      expect(left.body.items.map((i: { name: string }) => i.name)).toEqual(['Assessor A', 'Assessor B', 'Assessor C']);
      // An HR operator may not look outside the subtree, even by withinUnitId.
      const outside = await assessorStats(s.period.id, { withinUnitId: s.right.id }, auth(hrLeft.token));
      expectProblem(outside, 400);
      expect(outside.body.errors).toEqual([{ field: 'withinUnitId', message: `no unit has the id ${s.right.id}` }]);
      expectProblem(await assessorStats(s.period.id, { withinUnitId: GHOST }), 400);

      const hrElsewhere = await userToken(t, { role: 'HR_OPERATOR', unitId: (await createUnit(t)).id });
      expect((await assessorStats(s.period.id, {}, auth(hrElsewhere.token))).body.items).toEqual([]);
    });

    it('answers an empty report, without z, for a period with no qualifying assessor', async () => {
      const period = await insertPeriod(t);
      const res = await assessorStats(period.id);
      expect(res.body).toEqual({
        periodId: period.id,
        withinUnitId: null,
        minAppraisees: 5,
        population: { assessors: 0, meanBehaviourScore: null, sdBehaviourScore: null },
        items: [],
      });
    });
  });

  describe('access', () => {
    it('HR operators read distributions of their subtree only (404 elsewhere)', async () => {
      const mine = await createUnit(t);
      const child = await createUnit(t, { parentId: mine.id, kind: 'BIDANG' });
      const theirs = await createUnit(t);
      const period = await insertPeriod(t);
      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: mine.id });
      expect((await distribution(period.id, child.id, auth(hr.token))).status).toBe(200);
      expect((await distribution(period.id, mine.id, auth(hr.token))).status).toBe(200);
      expectProblem(await distribution(period.id, theirs.id, auth(hr.token)), 404);
    });

    it('refuses employees (403) and API keys without scores:read (403); unknown periods are 404', async () => {
      const unit = await createUnit(t);
      const employee = await createEmployee(t, { unitId: unit.id });
      const period = await insertPeriod(t);
      const me = auth((await userToken(t, { role: 'EMPLOYEE', employeeId: employee.id })).token);
      expectProblem(await distribution(period.id, unit.id, me), 403);
      expectProblem(await assessorStats(period.id, {}, me), 403);
      expectProblem(await getPredicate(period.id, unit.id, me), 403);
      expectProblem(await putPredicate(period.id, unit.id, { predicate: 'BAIK' }, me), 403);

      const scores = { 'X-API-Key': (await apiKey(t, ['scores:read'])).key };
      expect((await distribution(period.id, unit.id, scores)).status).toBe(200);
      expect((await assessorStats(period.id, {}, scores)).status).toBe(200);
      const appraisalsOnly = { 'X-API-Key': (await apiKey(t, ['appraisals:read'])).key };
      expectProblem(await distribution(period.id, unit.id, appraisalsOnly), 403);
      expectProblem(await assessorStats(period.id, {}, appraisalsOnly), 403);

      expectProblem(await distribution(GHOST, unit.id), 404);
      expectProblem(await assessorStats(GHOST), 404);
      expectProblem(await getPredicate(GHOST, unit.id), 404);
    });
  });
});
