import { DataSource } from 'typeorm';
import { IndicatorAggregation, IndicatorDirection } from '../src/modules/scoring/types';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit } from './factories';
import { insertIndicator, insertPeriod } from './planning-fixtures';

/** YYYY-MM-DD plus n days (UTC, so no time zone shifts the date). */
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Row {
  value: number;
  /** Days after the period's start date. */
  day: number;
  /** Submission (created_at): days after the start date and WITA time of day. */
  submitted: [number, string];
  status: 'VERIFIED' | 'SUBMITTED' | 'REJECTED';
}

/**
 * The same achievements under every target, in insertion order. VERIFIED: 8, 12, 6.5, 9.5, 7.25, so
 * SUM 43.25, AVERAGE 43.25/5 = 8.65, MAX 12, MIN 6.5. LATEST: 9.5 and 7.25 share the latest occurredOn (day 9);
 * 9.5 was submitted later (10:00 vs 09:00) though inserted first, and 8 (day 0) was submitted last of all, so
 * neither insertion order nor submission time alone gives 9.5. The SUBMITTED 50 and the REJECTED 0.25 on the
 * period's last day would move every aggregation if counted (SUM 93.5, MAX 50, MIN 0.25, LATEST 0.25).
 */
const ROWS: Row[] = [
  { value: 50, day: 27, submitted: [27, '12:00'], status: 'SUBMITTED' },
  { value: 0.25, day: 27, submitted: [27, '13:00'], status: 'REJECTED' },
  { value: 9.5, day: 9, submitted: [9, '10:00'], status: 'VERIFIED' },
  { value: 7.25, day: 9, submitted: [9, '09:00'], status: 'VERIFIED' },
  { value: 8, day: 0, submitted: [20, '08:00'], status: 'VERIFIED' },
  { value: 12, day: 2, submitted: [2, '08:00'], status: 'VERIFIED' },
  { value: 6.5, day: 5, submitted: [5, '08:00'], status: 'VERIFIED' },
];

interface Case {
  aggregation: IndicatorAggregation;
  direction: IndicatorDirection;
  target: number;
  realisation: number;
  capaian: number;
}

/**
 * Spec §3/§5.1 with one target per appraisal (weight 100, so resultScore = capaian), r the realisation, t the
 * target: HIGHER_IS_BETTER 100·r/t, LOWER_IS_BETTER 100·(2 − r/t), clamped to [0, 120] (no case reaches a bound),
 * rounded half away from zero to 2 decimals.
 */
const CASES: Case[] = [
  // SUM r = 8 + 12 + 6.5 + 9.5 + 7.25 = 43.25, t = 40: 100·43.25/40 = 108.125 → 108.13; 100·(2 − 1.08125) = 91.875 → 91.88.
  { aggregation: 'SUM', direction: 'HIGHER_IS_BETTER', target: 40, realisation: 43.25, capaian: 108.13 },
  { aggregation: 'SUM', direction: 'LOWER_IS_BETTER', target: 40, realisation: 43.25, capaian: 91.88 },
  // AVERAGE r = 43.25/5 = 8.65, t = 10: 100·0.865 = 86.5; 100·(2 − 0.865) = 113.5.
  { aggregation: 'AVERAGE', direction: 'HIGHER_IS_BETTER', target: 10, realisation: 8.65, capaian: 86.5 },
  { aggregation: 'AVERAGE', direction: 'LOWER_IS_BETTER', target: 10, realisation: 8.65, capaian: 113.5 },
  // LATEST r = 9.5 (day 9, the later of the two submissions that day), t = 10: 95; 100·(2 − 0.95) = 105.
  { aggregation: 'LATEST', direction: 'HIGHER_IS_BETTER', target: 10, realisation: 9.5, capaian: 95 },
  { aggregation: 'LATEST', direction: 'LOWER_IS_BETTER', target: 10, realisation: 9.5, capaian: 105 },
  // MAX r = 12, t = 11: 100·12/11 = 109.0909… → 109.09; 100·(2 − 12/11) = 1000/11 = 90.9090… → 90.91.
  { aggregation: 'MAX', direction: 'HIGHER_IS_BETTER', target: 11, realisation: 12, capaian: 109.09 },
  { aggregation: 'MAX', direction: 'LOWER_IS_BETTER', target: 11, realisation: 12, capaian: 90.91 },
  // MIN r = 6.5, t = 8: 100·6.5/8 = 81.25; 100·(2 − 0.8125) = 118.75.
  { aggregation: 'MIN', direction: 'HIGHER_IS_BETTER', target: 8, realisation: 6.5, capaian: 81.25 },
  { aggregation: 'MIN', direction: 'LOWER_IS_BETTER', target: 8, realisation: 6.5, capaian: 118.75 },
];

/**
 * The aggregation of §3 as the recalculation runs it in SQL (ScoreCalculator), for every aggregation and
 * direction, checked against numbers worked out by hand: the SQL is the rule's one home. All ten
 * appraisals are in one period and are recomputed in one chunk, so one target's achievements must not leak
 * into another's.
 */
describe('score inputs: the SQL aggregation of achievements (e2e, spec §3, §5.1)', () => {
  let t: TestApp;
  let db: DataSource;
  let start: string;
  const appraisals = new Map<Case, string>();

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const unit = await createUnit(t);
    const period = await insertPeriod(t, { status: 'EVALUATION' });
    start = period.startDate;
    for (const c of CASES) {
      const indicator = await insertIndicator(t, { aggregation: c.aggregation, direction: c.direction });
      const employee = await createEmployee(t, { unitId: unit.id });
      const [a] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, status) VALUES ($1, $2, $3, 'AGREED') RETURNING id`,
        [employee.id, period.id, unit.id],
      );
      const [target] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, $3, 100) RETURNING id`,
        [a.id, indicator.id, c.target],
      );
      for (const r of ROWS) {
        await db.query(
          `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [target.id, a.id, r.value, addDays(start, r.day), r.status, employee.id, submittedAt(r)],
        );
      }
      appraisals.set(c, a.id);
    }
    // The period batch (POST /periods/{id}/recalculate, the nightly run) without the queue: the real ScoreCalculator.
    expect(await t.app.get(RecalculationService).recalculatePeriod(period.id)).toBe(CASES.length);
  });
  afterAll(() => t.close());

  const submittedAt = (r: Row) => `${addDays(start, r.submitted[0])}T${r.submitted[1]}:00+08:00`;

  it.each(CASES.map((c) => [c.aggregation, c.direction, c] as const))('%s %s', async (_aggregation, _direction, c) => {
    const res = await t.http().get(`/appraisals/${appraisals.get(c)}/score`).set(auth(t.adminToken));
    expect(res.status).toBe(200);
    expect(res.body.targets).toHaveLength(1);
    expect(res.body.targets[0]).toMatchObject({ target: c.target, weight: 100, realisation: c.realisation, capaian: c.capaian });
    expect(res.body.resultScore).toBe(c.capaian);
  });
});
