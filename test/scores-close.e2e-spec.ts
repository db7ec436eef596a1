import { DataSource } from 'typeorm';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem } from './factories';
import { insertIndicator, insertPeriod } from './planning-fixtures';
import { until } from './processes';

const MEETS = Object.fromEntries(
  ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'].map((a) => [a, 'MEETS_EXPECTATION']),
);

describe('scores: batch recalculation and the period close (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    // Chunks of 2, two at a time: every batch below runs in several chunks and lanes.
    t = await createTestApp({ RECALC_BATCH_CHUNK: '2', RECALC_BATCH_PARALLEL: '2' });
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());
  const admin = () => auth(t.adminToken);

  /**
   * ASSESSED appraisals in one unit, one per value: a single target of 10 with one verified achievement of
   * that value (capaian 10·value) and behaviour all MEETS (100). Value 10 → BAIK; value 5 → result 50, BELOW,
   * so BUTUH_PERBAIKAN.
   */
  async function unitWithAppraisals(values: number[], opts: { policy?: object } = {}) {
    const unit = await createUnit(t);
    const period = await insertPeriod(t, { status: 'EVALUATION' });
    if (opts.policy) await db.query(`UPDATE periods SET policy = policy || $2::jsonb WHERE id = $1`, [period.id, JSON.stringify(opts.policy)]);
    const indicator = await insertIndicator(t);
    const ids: string[] = [];
    for (const value of values) {
      const e = await createEmployee(t, { unitId: unit.id });
      const [a] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, status, behaviour_ratings, assessed_at) VALUES ($1, $2, $3, 'ASSESSED', $4, now()) RETURNING id`,
        [e.id, period.id, unit.id, JSON.stringify(MEETS)],
      );
      const [target] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100) RETURNING id`,
        [a.id, indicator.id],
      );
      await db.query(
        `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, $3, $4, 'VERIFIED', $5)`,
        [target.id, a.id, value, period.startDate, e.id],
      );
      ids.push(a.id);
    }
    return { unit, period, ids };
  }

  const score = (id: string) => t.http().get(`/appraisals/${id}/score`).set(admin());

  it('POST /periods/{id}/recalculate answers 202 and computes every appraisal, reporting progress', async () => {
    const { period, ids } = await unitWithAppraisals([10, 5, 10]);
    expectProblem(await score(ids[0]), 404, 'no-score');
    const res = await t.http().post(`/periods/${period.id}/recalculate`).set(admin());
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ periodId: period.id, status: 'QUEUED', trigger: 'MANUAL', progress: { done: 0, total: 3 } });
    await until(async () => (await t.http().get(`/recalculations/${res.body.id}`).set(admin())).body.status === 'COMPLETED', 20_000);
    const run = await t.http().get(`/recalculations/${res.body.id}`).set(admin());
    expect(run.body).toMatchObject({ status: 'COMPLETED', progress: { done: 3, total: 3 }, finishedAt: expect.any(String) });
    expect((await score(ids[0])).body).toMatchObject({ resultScore: 100, behaviourScore: 100, finalScore: 100, predicate: 'BAIK', predicateCode: 2 });
    expect((await score(ids[1])).body).toMatchObject({ resultScore: 50, resultRating: 'BELOW_EXPECTATION', predicate: 'BUTUH_PERBAIKAN', predicateCode: 3 });
    expectProblem(await t.http().get('/recalculations/00000000-0000-4000-8000-000000000000').set(admin()), 404);
    const audit = await t.http().get(`/audit-events?entityId=${period.id}&action=recalculation.create`).set(admin());
    expect(audit.body.items[0].after).toMatchObject({ id: res.body.id, trigger: 'MANUAL' });
  });

  it('a batch in chunks run two at a time scores every appraisal once, leaves FINALIZED ones alone and reports progress in order', async () => {
    const values = [10, 5, 10, 10, 5, 10, 10];
    const { period, ids } = await unitWithAppraisals(values);
    // One appraisal in the middle of the id order is FINALIZED: no chunk may write its score.
    const frozen = [...ids].sort()[3];
    await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [frozen]);
    const progress: number[] = [];
    const done = await t.app.get(RecalculationService).recalculatePeriod(period.id, undefined, (n) => Promise.resolve(void progress.push(n)));
    expect(done).toBe(6);
    expect(progress.at(-1)).toBe(6);
    expect(progress).toEqual([...progress].sort((a, b) => a - b)); // 4 chunks: 2, 2, 2 and the rest
    expect(progress.length).toBe(4);
    const scored = await db.query<{ appraisal_id: string; predicate: string }[]>(
      'SELECT appraisal_id, predicate FROM appraisal_scores WHERE appraisal_id = ANY($1) ORDER BY appraisal_id',
      [ids],
    );
    expect(scored.map((r) => r.appraisal_id)).toEqual(ids.filter((id) => id !== frozen).sort());
    for (const r of scored) expect(r.predicate).toBe(values[ids.indexOf(r.appraisal_id)] === 5 ? 'BUTUH_PERBAIKAN' : 'BAIK');
  });

  it('an appraisal finalised while a chunk waits for its lock is left alone: the chunk re-reads its status after the lock', async () => {
    const { period, ids } = await unitWithAppraisals([10, 10, 10]);
    const closing = db.createQueryRunner();
    await closing.connect();
    try {
      await closing.startTransaction();
      await closing.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [ids[1]]);
      const batch = t.app.get(RecalculationService).recalculatePeriod(period.id);
      // The chunk's lock waits on the uncommitted finalisation; then it commits.
      await until(async () => {
        const [{ n }] = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR NO KEY UPDATE%'`,
        );
        return n > 0;
      }, 10_000);
      await closing.commitTransaction();
      expect(await batch).toBe(2);
    } finally {
      if (closing.isTransactionActive) await closing.rollbackTransaction();
      await closing.release();
    }
    const scored = await db.query<{ appraisal_id: string }[]>('SELECT appraisal_id FROM appraisal_scores WHERE appraisal_id = ANY($1) ORDER BY appraisal_id', [ids]);
    expect(scored.map((r) => r.appraisal_id)).toEqual([ids[0], ids[2]].sort());
  });

  it('a batch whose progress cannot be recorded fails, keeping the chunks it committed', async () => {
    const { period, ids } = await unitWithAppraisals([10, 10, 10, 10, 10, 10]);
    let calls = 0;
    const failing = t.app.get(RecalculationService).recalculatePeriod(period.id, undefined, () =>
      ++calls === 1 ? Promise.reject(new Error('progress store down')) : Promise.resolve(),
    );
    await expect(failing).rejects.toThrow('progress store down');
    const [{ n }] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM appraisal_scores WHERE appraisal_id = ANY($1)', [ids]);
    expect(n).toBeGreaterThan(0);
  });

  it('closing computes and freezes the scores; later changes cannot move them', async () => {
    const { period, ids } = await unitWithAppraisals([10, 10]);
    // A verified result slipped in after the last recalculation: the close must count it.
    await db.query(`UPDATE achievements SET value = 12 WHERE appraisal_id = $1`, [ids[0]]);
    const closed = await t.http().post(`/periods/${period.id}/transitions`).set(admin()).send({ to: 'CLOSED' });
    expect(closed.body.status).toBe('CLOSED');
    const frozen = await score(ids[0]);
    expect(frozen.body).toMatchObject({ resultScore: 120, freshness: 'FRESH' });
    expect((await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = ANY($1)', [ids])).length).toBe(0);
    expectProblem(await t.http().post(`/periods/${period.id}/recalculate`).set(admin()), 409, 'period-closed');
  });

  it('with enforceDistribution, closing is refused while a unit breaks its curve', async () => {
    // Five BAIK appraisals and no BUTUH_PERBAIKAN or KURANG: a BAIK unit breaks its curve.
    const { unit, period } = await unitWithAppraisals([10, 10, 10, 10, 10], { policy: { enforceDistribution: true } });
    await t.http().put(`/periods/${period.id}/units/${unit.id}/organisation-predicate`).set(admin()).send({ predicate: 'BAIK' }).expect(200);
    const refused = await t.http().post(`/periods/${period.id}/transitions`).set(admin()).send({ to: 'CLOSED' });
    expectProblem(refused, 409, 'distribution-curve-broken');
    expect(refused.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([unit.id]);
    expect((await t.http().get(`/periods/${period.id}`).set(admin())).body.status).toBe('EVALUATION');

    await t.http().put(`/periods/${period.id}/policy`).set(admin()).send({ enforceDistribution: false }).expect(200);
    expect((await t.http().post(`/periods/${period.id}/transitions`).set(admin()).send({ to: 'CLOSED' })).body.status).toBe('CLOSED');
  });
});
