import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ChildProcess, spawn } from 'node:child_process';
import { DataSource } from 'typeorm';
import { SCORES_QUEUE } from '../src/modules/recalculation/queue';
import { NightlySchedule } from '../src/modules/recalculation/nightly-schedule.service';
import { ScoreCalculator } from '../src/modules/recalculation/score-calculator';
import { computeScore } from '../src/modules/scoring/score';
import { DEFAULT_SCORING_POLICY } from '../src/modules/scoring/policy';
import { createTestApp, TestApp } from './app';
import { auth, expectProblem } from './factories';
import { recreateDatabase } from './global-setup';
import { createAppraisal, insertIndicator, insertPeriod, orgChain } from './planning-fixtures';
import { TestRedis, until } from './processes';
import { TEST_ADMIN, TEST_DATABASE_URL } from './test-env';

/**
 * Spec §6 under faults, as deployed: an API process that relays marks to Bull (no worker in it) and a
 * separate worker process, both on a database and a redis-server of this file's own.
 */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_pipeline');
const FAST = { RECALC_RELAY_INTERVAL_MS: '50', RECALC_SWEEP_AFTER_MS: '1500', RECALC_CRON: '' };
const RATINGS = {
  BERORIENTASI_PELAYANAN: 'ABOVE_EXPECTATION', AKUNTABEL: 'MEETS_EXPECTATION', KOMPETEN: 'MEETS_EXPECTATION',
  HARMONIS: 'MEETS_EXPECTATION', LOYAL: 'MEETS_EXPECTATION', ADAPTIF: 'BELOW_EXPECTATION', KOLABORATIF: 'MEETS_EXPECTATION',
} as const;

describe('recalculation pipeline under faults (e2e)', () => {
  let redis: TestRedis;
  let t: TestApp;
  let db: DataSource;
  let worker: ChildProcess | undefined;
  let workerLog = '';

  const startWorker = async () => {
    const env = {
      ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: DB, REDIS_URL: redis.url, RECALC_WORKER: 'true',
      JWT_SECRET: 'w'.repeat(32), ADMIN_PASSWORD: 'worker-admin-password', ...FAST,
    };
    const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/worker.ts'], { env, stdio: 'pipe' });
    proc.stdout.on('data', (d: Buffer) => (workerLog += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (workerLog += d.toString()));
    await until(() => Promise.resolve(workerLog.includes('worker started on the Bull queues')), 60_000, 'the worker to start');
    worker = proc;
  };
  const killWorker = async () => {
    const p = worker;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
    worker = undefined;
  };

  beforeAll(async () => {
    await recreateDatabase(DB);
    redis = await TestRedis.start();
    t = await createTestApp({ DATABASE_URL: DB, REDIS_URL: redis.url, RECALC_WORKER: 'false', ...FAST });
    db = t.app.get(DataSource);
    await startWorker();
  }, 120_000);
  afterAll(async () => {
    await killWorker();
    await t?.close();
    await redis?.stop();
  });

  /** An AGREED, ASSESSED appraisal with a SUM and a LATEST target, and the users who act on it. */
  async function setup() {
    const org = await orgChain(t);
    const period = await insertPeriod(t, { status: 'OPEN' });
    const appraisal = await createAppraisal(t, org.employee.id, period.id);
    const [sum, latest] = [await insertIndicator(t, { aggregation: 'SUM' }), await insertIndicator(t, { aggregation: 'LATEST', direction: 'LOWER_IS_BETTER' })];
    const tSum = await t.http().post(`/appraisals/${appraisal.id}/targets`).set(auth(org.employeeUser.token)).send({ indicatorId: sum.id, target: 400, weight: 70 });
    const tLatest = await t.http().post(`/appraisals/${appraisal.id}/targets`).set(auth(org.employeeUser.token)).send({ indicatorId: latest.id, target: 10, weight: 30 });
    await t.http().post(`/appraisals/${appraisal.id}/agree`).set(auth(org.assessorUser.token)).expect(200);
    await t.http().put(`/appraisals/${appraisal.id}/behaviour`).set(auth(org.assessorUser.token)).send({ ratings: RATINGS }).expect(200);
    return { org, period, appraisal, targets: [tSum.body.id as string, tLatest.body.id as string] };
  }

  /** Submit and verify `n` achievements concurrently; every answer must be 2xx. */
  async function record(ctx: Awaited<ReturnType<typeof setup>>, n: number, day = 1) {
    const submitted = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        t.http().post('/achievements').set(auth(ctx.org.employeeUser.token)).send({
          targetId: ctx.targets[i % 2],
          value: 1 + ((i * 7) % 13),
          occurredOn: `${ctx.period.startDate.slice(0, 8)}${String(day + (i % 20)).padStart(2, '0')}`,
        }),
      ),
    );
    expect(submitted.map((r) => r.status)).toEqual(Array(n).fill(201));
    const decided = await Promise.all(
      submitted.map((r, i) =>
        i % 5 === 4
          ? t.http().post(`/achievements/${r.body.id}/reject`).set(auth(ctx.org.assessorUser.token)).send({ reason: 'bukti kurang' })
          : t.http().post(`/achievements/${r.body.id}/verify`).set(auth(ctx.org.assessorUser.token)),
      ),
    );
    expect(decided.map((r) => r.status)).toEqual(Array(n).fill(200));
  }

  const converged = (appraisalId: string) =>
    until(
      async () => {
        const marks = await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [appraisalId]);
        const score = await db.query('SELECT 1 FROM appraisal_scores WHERE appraisal_id = $1', [appraisalId]);
        return marks.length === 0 && score.length === 1;
      },
      30_000,
      'the score to converge',
    );

  /**
   * The test's own reading of §3 for the two aggregations it uses, independent of the SQL: SUM adds the rows,
   * LATEST takes the latest occurredOn, ties to the later submission.
   */
  function referenceRealisation(aggregation: 'SUM' | 'LATEST', rows: { value: string; occurred_on: string; created_at: Date }[]): number | null {
    if (!rows.length) return null;
    if (aggregation === 'SUM') return rows.reduce((total, r) => total + Number(r.value), 0);
    const later = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      a.occurred_on !== b.occurred_on ? a.occurred_on > b.occurred_on : a.created_at.getTime() >= b.created_at.getTime();
    return Number(rows.reduce((latest, r) => (later(r, latest) ? r : latest)).value);
  }

  /** The score recomputed from scratch in TypeScript: raw verified rows, the reference aggregation, §5. */
  async function fromScratch(appraisalId: string) {
    const targets = await db.query<{ id: string; code: string; weight: string; target: string; direction: 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER'; aggregation: 'SUM' | 'LATEST' }[]>(
      `SELECT t.id, i.code, t.weight, t.target, i.direction, i.aggregation FROM appraisal_targets t JOIN indicators i ON i.id = t.indicator_id
        WHERE t.appraisal_id = $1 ORDER BY t.created_at, t.id`,
      [appraisalId],
    );
    const inputs = [];
    for (const x of targets) {
      const rows = await db.query<{ value: string; occurred_on: string; created_at: Date }[]>(
        `SELECT value, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, created_at FROM achievements WHERE target_id = $1 AND status = 'VERIFIED'`,
        [x.id],
      );
      const realisation = referenceRealisation(x.aggregation, rows);
      inputs.push({ targetId: x.id, indicatorCode: x.code, weight: Number(x.weight), target: Number(x.target), direction: x.direction, aggregation: x.aggregation, realisation });
    }
    return computeScore(
      { targets: inputs, behaviour: { ...RATINGS }, resultRatingOverride: null, publicFeedback: { employee: { responses: 0, ikm: null }, unit: null } },
      DEFAULT_SCORING_POLICY,
    );
  }

  async function expectScoreMatchesScratch(appraisalId: string) {
    const res = await t.http().get(`/appraisals/${appraisalId}/score`).set(auth(t.adminToken));
    const expected = await fromScratch(appraisalId);
    expect(res.body).toMatchObject({
      resultScore: expected.resultScore,
      behaviourScore: expected.behaviourScore,
      finalScore: expected.finalScore,
      predicate: expected.predicate,
      freshness: 'FRESH',
    });
    expect(res.body.targets).toEqual(expected.targets);
  }

  it('50 concurrent submissions and verifications on one appraisal: the score equals a from-scratch recomputation', async () => {
    const ctx = await setup();
    await record(ctx, 50);
    await converged(ctx.appraisal.id);
    await expectScoreMatchesScratch(ctx.appraisal.id);
  }, 60_000);

  it('Redis down: the API still answers 2xx, and every score converges once Redis is back', async () => {
    const ctx = await setup();
    await converged(ctx.appraisal.id);
    await redis.stop();
    await record(ctx, 10);
    const pending = await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [ctx.appraisal.id]);
    expect(pending).toHaveLength(1); // durable in PostgreSQL while Redis is gone
    await redis.resume();
    await converged(ctx.appraisal.id);
    await expectScoreMatchesScratch(ctx.appraisal.id);
  }, 90_000);

  it('a worker killed in the middle of a job: the sweeper restores convergence', async () => {
    const ctx = await setup();
    await converged(ctx.appraisal.id);
    const queue = t.app.get<Queue>(getQueueToken(SCORES_QUEUE));
    // Results recorded while no worker runs wait as jobs; the score row (writers never touch it) is held so
    // the next worker's job blocks inside its transaction at the score write; then that worker is killed.
    await killWorker();
    await record(ctx, 4);
    await until(async () => (await queue.getWaitingCount()) > 0, 15_000, 'jobs to be queued');
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('SELECT 1 FROM appraisal_scores WHERE appraisal_id = $1 FOR UPDATE', [ctx.appraisal.id]);
      await startWorker();
      await until(async () => (await queue.getActiveCount()) > 0, 15_000, 'the job to be active');
      await killWorker();
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [ctx.appraisal.id])).toHaveLength(1);
    await startWorker();
    await converged(ctx.appraisal.id);
    await expectScoreMatchesScratch(ctx.appraisal.id);
  }, 120_000);

  it('Redis FLUSHALL loses the queued jobs: the sweeper re-enqueues the marks and scores converge', async () => {
    const ctx = await setup();
    await converged(ctx.appraisal.id);
    await killWorker(); // jobs pile up in Redis with nobody to take them
    const queue = t.app.get<Queue>(getQueueToken(SCORES_QUEUE));
    await record(ctx, 6);
    await until(async () => (await queue.getWaitingCount()) > 0, 15_000, 'jobs to be queued');
    await queue.client.flushall();
    expect(await queue.getWaitingCount()).toBe(0);
    await startWorker();
    await converged(ctx.appraisal.id);
    await expectScoreMatchesScratch(ctx.appraisal.id);
  }, 120_000);

  it('the nightly schedule starts one batch per open period and day, however often it fires', async () => {
    const ctx = await setup();
    const schedule = t.app.get(NightlySchedule);
    const first = await schedule.fire(new Date('2026-11-29T18:30:00Z')); // 02:30 WITA on 30 November
    const again = await schedule.fire(new Date('2026-11-29T19:00:00Z')); // same WITA day
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(again).toEqual([]);
    const runs = await db.query<{ dedupe_key: string }[]>('SELECT dedupe_key FROM recalculation_runs WHERE period_id = $1', [ctx.period.id]);
    expect(runs.map((r) => r.dedupe_key)).toEqual([`SCHEDULE:${ctx.period.id}:2026-11-30`]);
    await until(async () => {
      const [run] = await db.query<{ status: string }[]>('SELECT status FROM recalculation_runs WHERE period_id = $1', [ctx.period.id]);
      return run.status === 'COMPLETED';
    }, 30_000, 'the scheduled batch to complete');
    await expectScoreMatchesScratch(ctx.appraisal.id);
  }, 60_000);

  it('shows the queue dashboard to admins only (HTTP Basic)', async () => {
    expectProblem(await t.http().get('/admin/queues'), 401);
    const bad = Buffer.from(`${TEST_ADMIN.username}:wrong-password`).toString('base64');
    expect((await t.http().get('/admin/queues').set('Authorization', `Basic ${bad}`)).status).toBe(401);
    const good = Buffer.from(`${TEST_ADMIN.username}:${TEST_ADMIN.password}`).toString('base64');
    const page = await t.http().get('/admin/queues').set('Authorization', `Basic ${good}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    // Failed attempts count like logins (LOGIN_THROTTLE_LIMIT 10 per minute, the one above included); then
    // the address is blocked, right password or not.
    for (let i = 2; i <= 10; i++) expect((await t.http().get('/admin/queues').set('Authorization', `Basic ${bad}`)).status).toBe(401);
    const limited = await t.http().get('/admin/queues').set('Authorization', `Basic ${bad}`);
    expectProblem(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectProblem(await t.http().get('/admin/queues').set('Authorization', `Basic ${good}`), 429);
  });

  it('running a job twice changes nothing', async () => {
    const ctx = await setup();
    await record(ctx, 6);
    await converged(ctx.appraisal.id);
    const before = await db.query('SELECT * FROM appraisal_scores WHERE appraisal_id = $1', [ctx.appraisal.id]);
    const calculator = t.app.get(ScoreCalculator);
    for (let i = 0; i < 2; i++) await db.transaction((m) => calculator.recalculate([ctx.appraisal.id], m));
    const after = await db.query('SELECT * FROM appraisal_scores WHERE appraisal_id = $1', [ctx.appraisal.id]);
    expect(after).toEqual(before); // same numbers, same computed_at: the rerun did not even touch the row
  }, 60_000);
});
