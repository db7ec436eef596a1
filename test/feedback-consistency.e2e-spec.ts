import { DataSource } from 'typeorm';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit } from './factories';
import { all, Answers, insertFeedback } from './feedback-fixtures';
import { insertIndicator, insertPeriod } from './planning-fixtures';

const ASPECTS = ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'];
const MEETS = Object.fromEntries(ASPECTS.map((a) => [a, 'MEETS_EXPECTATION']));

/** YYYY-MM-DD plus n days (UTC, so no time zone shifts the date). */
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * How far apart the two published figures may be and still come from one exact IKM x. The service index shows
 * round2(x), within 0.005 of x; the score stores publicValue = round2(1.2·x), so publicValue/1.2 is within
 * 0.005/1.2 of x. Both derive from the same x exactly when |publicValue/1.2 − ikm| ≤ 0.005 + 0.005/1.2 ≈ 0.0092:
 * neither figure can be compared exactly with the other (round2(1.2·round2(x)) may differ from round2(1.2·x) by
 * 0.01), and anything counted differently moves the IKM by far more (see the numbers below).
 */
const ONE_IKM = 0.005 + 0.005 / 1.2;

/**
 * The staff service index (service-index.repository.ts, one unit or employee and period) and the
 * BERORIENTASI_PELAYANAN aspect of the score (recalculation/score-inputs.repository.ts, a chunk of appraisals at
 * once) are different queries built from the one feedback SQL module, src/modules/feedback-index/feedback-index.sql.ts
 * (counted statuses, answer sums, the walk to the nearest publicService unit); spec §4/§5.3 say they are the same
 * IKM. Each case checks both against hand-computed figures and against each other.
 */
describe('service index and score agree on the IKM (e2e, spec §4, §5.3)', () => {
  let t: TestApp;
  let db: DataSource;
  let indicator: { id: string };
  let period: { id: string; startDate: string; endDate: string };
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    indicator = await insertIndicator(t);
    period = await insertPeriod(t, { status: 'EVALUATION' });
  });
  afterAll(() => t.close());

  /** An ASSESSED appraisal (all MEETS, one target of 10 with a verified 10) of a new employee in `unitId`. */
  async function appraisal(unitId: string) {
    const employeeId = (await createEmployee(t, { unitId })).id;
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, status, behaviour_ratings, assessed_at)
       VALUES ($1, $2, $3, 'ASSESSED', $4, now()) RETURNING id`,
      [employeeId, period.id, unitId, JSON.stringify(MEETS)],
    );
    const [target] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100) RETURNING id`,
      [a.id, indicator.id],
    );
    await db.query(
      `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, 10, $3, 'VERIFIED', $4)`,
      [target.id, a.id, period.startDate, employeeId],
    );
    return { id: a.id, employeeId };
  }

  /** The score's service aspect after the real recalculation (marks processed as the worker does). */
  async function serviceAspect(appraisalId: string) {
    await db.query(`INSERT INTO score_recalculation_marks (appraisal_id, version, marked_at, reason) VALUES ($1, 1, now(), 'test')`, [appraisalId]);
    expect(await t.app.get(RecalculationService).processMarks([appraisalId])).toBe(1);
    const res = await t.http().get(`/appraisals/${appraisalId}/score`).set(auth(t.adminToken));
    expect(res.status).toBe(200);
    return (res.body.aspects as { aspect: string; publicValue: number; publicSource: string; value: number }[]).find(
      (a) => a.aspect === 'BERORIENTASI_PELAYANAN',
    )!;
  }

  async function serviceIndex(path: string) {
    const res = await t.http().get(path).query({ periodId: period.id }).set(auth(t.adminToken));
    expect(res.status).toBe(200);
    return res.body as { responses: number; ikm: number };
  }

  it('employee source: GET /employees/{id}/service-index gives the IKM behind publicValue', async () => {
    const unit = await createUnit(t); // not publicService: no unit source
    const a = await appraisal(unit.id);
    const feedback = (status: string, answers: Answers, count: number, submittedOn = period.startDate) =>
      insertFeedback(t, { unitId: unit.id, employeeId: a.employeeId, status, submittedOn, answers, count });
    // Counted, 12 VERIFIED: 7 × (sum 30) on the first day and 5 × (sum 28) on the last; total 7·30 + 5·28 = 350.
    await feedback('VERIFIED', [4, 3, 4, 2, 3, 4, 3, 4, 3], 7);
    await feedback('VERIFIED', [3, 3, 2, 4, 4, 3, 2, 3, 4], 5, period.endDate);
    // Not counted for the employee: PUBLISHED (e.g. with them: 15 responses, IKM 25·377/135 = 69.81), HELD,
    // REJECTED, and VERIFIED the day after end_date.
    await feedback('PUBLISHED', all(1), 3);
    await feedback('HELD', all(1), 2);
    await feedback('REJECTED', all(1), 2);
    await feedback('VERIFIED', all(1), 1, addDays(period.endDate, 1));

    const index = await serviceIndex(`/employees/${a.employeeId}/service-index`);
    const service = await serviceAspect(a.id);
    // IKM = 25·350/(9·12) = 81.0185… → 81.02; publicValue = 1.2·81.0185… = 97.2222… → 97.22;
    // value = 0.5·100 + 0.5·97.2222… = 98.6111… → 98.61.
    expect(index).toMatchObject({ responses: 12, ikm: 81.02 });
    expect(service).toMatchObject({ publicSource: 'EMPLOYEE', publicValue: 97.22, value: 98.61 });
    // 97.22/1.2 = 81.0166…, 0.0033 from 81.02.
    expect(Math.abs(service.publicValue / 1.2 - index.ikm)).toBeLessThanOrEqual(ONE_IKM);
  });

  it('unit source: GET /units/{id}/service-index of the nearest publicService unit gives the IKM behind publicValue', async () => {
    // service (publicService) ─┬─ own ── below        outside (publicService, its own tree)
    //                          └─ nested (publicService)
    const service = await createUnit(t, { publicService: true });
    const own = await createUnit(t, { parentId: service.id });
    const below = await createUnit(t, { parentId: own.id });
    const nested = await createUnit(t, { parentId: service.id, publicService: true });
    const outside = await createUnit(t, { publicService: true });
    const a = await appraisal(own.id);
    const feedback = (unitId: string, status: string, answers: Answers, count: number, opts: { employeeId?: string; submittedOn?: string } = {}) =>
      insertFeedback(t, { unitId, status, answers, count, employeeId: opts.employeeId, submittedOn: opts.submittedOn ?? period.startDate });
    // Counted in service's subtree, 33 PUBLISHED+VERIFIED (sums of the nine answers in brackets):
    await feedback(own.id, 'PUBLISHED', [4, 4, 3, 3, 4, 2, 3, 4, 4], 13); // 13 × 31 = 403
    await feedback(own.id, 'VERIFIED', [2, 3, 3, 2, 3, 3, 2, 3, 2], 4, { employeeId: a.employeeId }); // 4 × 23 = 92; the employee's 4 < 10
    await feedback(below.id, 'PUBLISHED', [3, 2, 3, 3, 2, 3, 4, 3, 3], 8); // 8 × 26 = 208
    await feedback(nested.id, 'VERIFIED', [4, 3, 4, 4, 3, 4, 4, 3, 4], 6); // 6 × 33 = 198, a publicService unit inside the subtree
    await feedback(service.id, 'PUBLISHED', all(1), 2, { submittedOn: period.endDate }); // 2 × 9 = 18
    // Not counted: HELD, REJECTED, after end_date, outside the subtree.
    await feedback(own.id, 'HELD', all(4), 5);
    await feedback(below.id, 'REJECTED', all(1), 5);
    await feedback(own.id, 'PUBLISHED', all(1), 3, { submittedOn: addDays(period.endDate, 1) });
    await feedback(outside.id, 'PUBLISHED', all(1), 10);

    const index = await serviceIndex(`/units/${service.id}/service-index`);
    const aspect = await serviceAspect(a.id);
    // total 403 + 92 + 208 + 198 + 18 = 919 over 33: IKM = 25·919/(9·33) = 77.3569… → 77.36;
    // publicValue = 1.2·77.3569… = 92.8282… → 92.83; value = 0.75·100 + 0.25·92.8282… = 98.2070… → 98.21.
    expect(index).toMatchObject({ responses: 33, ikm: 77.36 });
    expect(aspect).toMatchObject({ publicSource: 'UNIT', publicValue: 92.83, value: 98.21 });
    // 92.83/1.2 = 77.3583…, 0.0017 from 77.36.
    expect(Math.abs(aspect.publicValue / 1.2 - index.ikm)).toBeLessThanOrEqual(ONE_IKM);
  });

  it('unit source: the walk up stops at the nearest publicService unit, whose index is the one behind publicValue', async () => {
    // top (publicService) ── mid (publicService) ── leaf
    const top = await createUnit(t, { publicService: true });
    const mid = await createUnit(t, { parentId: top.id, publicService: true });
    const leaf = await createUnit(t, { parentId: mid.id });
    const a = await appraisal(leaf.id);
    const feedback = (unitId: string, status: string, answers: Answers, count: number) =>
      insertFeedback(t, { unitId, status, answers, count, submittedOn: period.startDate });
    // Counted in mid's subtree, 31 responses: 25 × 26 = 650 and 6 × 25 = 150.
    await feedback(leaf.id, 'PUBLISHED', [3, 3, 3, 3, 3, 3, 3, 3, 2], 25);
    await feedback(mid.id, 'VERIFIED', [2, 3, 3, 3, 2, 3, 3, 3, 3], 6);
    // Not counted: top is above mid. Walking on to top would give 41 responses, IKM 25·890/369 = 60.30.
    await feedback(top.id, 'PUBLISHED', all(1), 10);

    const index = await serviceIndex(`/units/${mid.id}/service-index`);
    const aspect = await serviceAspect(a.id);
    // total 800 over 31: IKM = 25·800/(9·31) = 71.6845… → 71.68; publicValue = 1.2·71.6845… = 86.0215… → 86.02;
    // value = 0.75·100 + 0.25·86.0215… = 96.5053… → 96.51.
    expect(index).toMatchObject({ responses: 31, ikm: 71.68 });
    expect(aspect).toMatchObject({ publicSource: 'UNIT', publicValue: 86.02, value: 96.51 });
    // 86.02/1.2 = 71.6833…, 0.0017 from 71.68.
    expect(Math.abs(aspect.publicValue / 1.2 - index.ikm)).toBeLessThanOrEqual(ONE_IKM);
  });
});
