import 'reflect-metadata';
import { cpus } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRepository } from '../src/common/audit/audit.repository';
import { AuditService } from '../src/common/audit/audit.service';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { AchievementsRepository } from '../src/modules/appraisals/achievements.repository';
import { AppraisalsRepository } from '../src/modules/appraisals/appraisals.repository';
import { PeriodsRepository } from '../src/modules/periods/periods.repository';
import { MarksRepository } from '../src/modules/recalculation/marks.repository';
import { RecalculationRunsRepository } from '../src/modules/recalculation/recalculation-runs.repository';
import { markForRecalculation } from '../src/modules/recalculation/recalculation-marks';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { RecalculationRelay } from '../src/modules/recalculation/relay.service';
import { ScoreCalculator } from '../src/modules/recalculation/score-calculator';
import { NIL_UUID, ScoreInputsRepository } from '../src/modules/recalculation/score-inputs.repository';
import {
  argValue,
  BENCH_PERIOD,
  BenchSizes,
  DEFAULT_BENCH_DATABASE_URL,
  findGenerated,
  generate,
  GeneratedPeriod,
  sizesFromArgs,
} from './generate';

/**
 * Benchmark of spec §6: the batch recalculation of a Denpasar-scale period against a floor (one raw SQL
 * aggregate over the same rows, fetched to the client), timed in the same process; then the latency from an
 * achievement's commit to a fresh score while achievements are written at a steady rate. See bench/README.md.
 */

interface Options {
  url: string;
  /** --employees, --feedback-per-month (generate.ts). */
  sizes: Partial<BenchSizes>;
  reuse: boolean;
  runs: number;
  /** Also time batches that must write every score (appraisal_scores emptied before each run). */
  writeRuns: boolean;
  explain: boolean;
  latency: boolean;
  rate: number;
  durationS: number;
  pollMs: number;
  drainTimeoutS: number;
  seed: number;
}

function options(argv: string[]): Options {
  const env = process.env;
  const flag = (name: string, envName: string) => argv.includes(`--${name}`) || ['1', 'true', 'yes'].includes((env[envName] ?? '').toLowerCase());
  const num = (name: string, envName: string, fallback: number) => {
    const raw = argValue(argv, name) ?? env[envName];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`--${name} must be a non-negative number (got ${raw})`);
    return n;
  };
  return {
    url: env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL,
    sizes: sizesFromArgs(argv, env),
    reuse: flag('reuse', 'BENCH_REUSE'),
    runs: Math.max(1, Math.round(num('runs', 'BENCH_RUNS', 3))),
    writeRuns: !flag('no-write-runs', 'BENCH_NO_WRITE_RUNS'),
    explain: flag('explain', 'BENCH_EXPLAIN'),
    latency: !flag('no-latency', 'BENCH_NO_LATENCY'),
    rate: num('rate', 'BENCH_RATE', 50),
    durationS: num('duration', 'BENCH_DURATION_S', 20),
    pollMs: Math.max(1, num('poll-ms', 'BENCH_POLL_MS', 10)),
    drainTimeoutS: num('drain-timeout', 'BENCH_DRAIN_TIMEOUT_S', 30),
    seed: num('seed', 'BENCH_SEED', 2025),
  };
}

const now = () => performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const ms = (x: number) => `${x.toFixed(0)} ms`;
const secs = (x: number) => `${(x / 1000).toFixed(2)} s`;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Small seeded PRNG (mulberry32): the writer picks the same targets and values on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Timing<T> {
  best: number;
  all: number[];
  result: T;
}

/** Times `run` (after an untimed `before`) and keeps every duration; `best` is the minimum. */
function timing<T>(before: (() => Promise<void>) | null, run: () => Promise<T>) {
  const t: Timing<T> = { best: Infinity, all: [], result: undefined as T };
  return {
    t,
    async once(): Promise<void> {
      if (before) await before();
      const start = now();
      t.result = await run();
      const d = now() - start;
      t.all.push(d);
      t.best = Math.min(t.best, d);
    },
  };
}

/** The floor: every VERIFIED achievement of the period aggregated per target in one statement, fetched. */
const FLOOR_SQL = `
  SELECT t.appraisal_id, t.id, sum(a.value), avg(a.value), max(a.value), min(a.value)
    FROM appraisal_targets t
    JOIN achievements a ON a.target_id = t.id AND a.status = 'VERIFIED'
    JOIN appraisals ap ON ap.id = t.appraisal_id
   WHERE ap.period_id = $1
   GROUP BY t.appraisal_id, t.id`;

// ---------------------------------------------------------------------------------------------------------
// Phase profile: the chunk loop of RecalculationService.recalculatePeriod, step by step (its SQL mirrored
// here), with the calculator's own queries timed through a proxy of the EntityManager.
// ---------------------------------------------------------------------------------------------------------

interface TimedQuery {
  sql: string;
  params: unknown[] | undefined;
  start: number;
  end: number;
}

function timedManager(m: EntityManager, sink: TimedQuery[]): EntityManager {
  return new Proxy(m, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
      return async (sql: string, params?: unknown[]): Promise<unknown> => {
        const start = now();
        const result: unknown = await target.query(sql, params);
        sink.push({ sql, params, start, end: now() });
        return result;
      };
    },
  });
}

const PHASES = [
  'chunk bounds',
  'select and lock',
  'mark versions',
  'targets query',
  'appraisals query',
  'feedback query',
  'compute (JS)',
  'write scores',
  'clear marks',
  'commit',
] as const;
type Phase = (typeof PHASES)[number];

function phaseOf(sql: string): Phase {
  // First: the feedback query (ScoreInputsRepository.feedback) also joins periods p.
  if (sql.includes('public_feedback')) return 'feedback query';
  if (sql.includes('FROM appraisal_targets t')) return 'targets query';
  if (sql.includes('FROM appraisals a') || sql.includes('FROM periods')) return 'appraisals query';
  if (sql.includes('appraisal_scores')) return 'write scores';
  throw new Error(`unexpected calculator query: ${sql.slice(0, 80)}`);
}

interface Profile {
  total: number;
  phases: Record<Phase, number>;
  chunks: number;
  writeBytes: number;
  /** The calculator's statements of the first chunk, for EXPLAIN. */
  firstChunk: TimedQuery[];
}

async function profilePhases(ds: DataSource, calculator: ScoreCalculator, inputs: ScoreInputsRepository, marks: MarksRepository, periodId: string, chunk: number): Promise<Profile> {
  const phases = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  let chunks = 0;
  let writeBytes = 0;
  let firstChunk: TimedQuery[] = [];
  const started = now();
  // The chunks of recalculatePeriod, run one after the other here (one lane) so that each phase is timed alone.
  const bounds = await inputs.chunkBounds(periodId, chunk, ds.manager);
  phases['chunk bounds'] += now() - started;
  for (const [i, upTo] of [...bounds, null].entries()) {
    const after = i ? bounds[i - 1] : NIL_UUID;
    const qr = ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const m = qr.manager;
      const timed = async <T>(phase: Phase, p: Promise<T>): Promise<T> => {
        const t = now();
        const r = await p;
        phases[phase] += now() - t;
        return r;
      };
      const locked = await timed('select and lock', inputs.lockChunk(periodId, after, upTo, m));
      const versions = await timed('mark versions', marks.versions(locked, m));
      const sink: TimedQuery[] = [];
      const t = now();
      await calculator.recalculate(locked, timedManager(m, sink));
      const calc = now() - t;
      // Queries of one transaction run one after the other on its connection: charge each the time since the
      // later of its start and the previous one's end. What is left of the call is JavaScript.
      let previousEnd = -Infinity;
      let sqlTime = 0;
      for (const q of [...sink].sort((x, y) => x.end - y.end)) {
        const own = q.end - Math.max(q.start, previousEnd);
        phases[phaseOf(q.sql)] += own;
        sqlTime += own;
        previousEnd = q.end;
        if (phaseOf(q.sql) === 'write scores') writeBytes += (q.params ?? []).reduce<number>((n, p) => n + (typeof p === 'string' ? p.length : 0), 0);
      }
      phases['compute (JS)'] += calc - sqlTime;
      if (!chunks) firstChunk = sink;
      await timed('clear marks', marks.clear(versions, m));
      await timed('commit', qr.commitTransaction());
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    } finally {
      await qr.release();
    }
    chunks++;
  }
  return { total: now() - started, phases, chunks, writeBytes, firstChunk };
}

async function explain(ds: DataSource, queries: TimedQuery[]): Promise<void> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    for (const phase of ['targets query', 'feedback query', 'write scores'] as const) {
      const q = queries.find((x) => phaseOf(x.sql) === phase);
      if (!q) continue;
      // In a transaction that is rolled back: EXPLAIN ANALYZE of the write really writes.
      await qr.startTransaction();
      try {
        const plan = await qr.manager.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params);
        console.log(`\nEXPLAIN ANALYZE — ${phase} (first chunk):`);
        // Array literals of 500 uuids make unreadable lines; shorten them.
        for (const r of plan) console.log(`  ${r['QUERY PLAN'].replace(/'\{[0-9a-f-,]{200,}\}'/g, "'{…ids…}'")}`);
      } finally {
        await qr.rollbackTransaction();
      }
    }
  } finally {
    await qr.release();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Latency: achievements written at a steady rate while the in-process relay drains the marks.
// ---------------------------------------------------------------------------------------------------------

interface WriteEvent {
  appraisalId: string;
  due: number;
  committedAt: number;
  committedWall: Date;
  freshAt?: number;
}

interface LatencyResult {
  events: WriteEvent[];
  failed: number;
  drainedIn: number;
  batches: { size: number; ms: number }[];
  scoredAfterCommit: number;
}

/**
 * Method. The writer commits each achievement exactly as POST /achievements does: one transaction that locks
 * the appraisal, inserts the achievement (here directly VERIFIED), writes the audit event and calls
 * markForRecalculation. `committedAt` is taken when COMMIT has returned. A score is fresh (spec §5 `freshness`)
 * when its appraisal has no recalculation mark: the worker deletes a mark only after recomputing from source
 * rows read after the mark's version, so "no mark, observed by a query sent after the commit" proves a score
 * that includes the write. A poller asks every `pollMs` which pending appraisals have no mark; an event is fresh
 * at the end of the first such query sent after its commit (an upper bound, too late by at most the query time).
 *
 * appraisal_scores.computed_at is not used as the signal: the score is not rewritten when a write leaves every
 * number unchanged (e.g. a MAX indicator below the maximum), the timestamp is taken before the computation
 * (not when the score becomes visible), and a later write of the same appraisal overwrites it. It is reported
 * only as a cross-check.
 */
async function measureLatency(
  ds: DataSource,
  recalculation: RecalculationService,
  marks: MarksRepository,
  config: AppConfig,
  periodId: string,
  o: Options,
): Promise<LatencyResult> {
  const targets = await ds.query<{ id: string }[]>(
    `SELECT t.id FROM appraisal_targets t JOIN appraisals a ON a.id = t.appraisal_id
      WHERE a.period_id = $1 AND a.status IN ('AGREED', 'ASSESSED') ORDER BY t.id`,
    [periodId],
  );
  const random = prng(o.seed);
  const achievements = new AchievementsRepository(ds);
  const appraisals = new AppraisalsRepository(ds);
  const periods = new PeriodsRepository(ds);
  const audit = new AuditService(new AuditRepository(ds));
  const days = Math.round((Date.parse(BENCH_PERIOD.end) - Date.parse(BENCH_PERIOD.start)) / 86_400_000) + 1;

  // Record the size and duration of every drain the relay does.
  const batches: { size: number; ms: number }[] = [];
  const processMarks = recalculation.processMarks.bind(recalculation);
  recalculation.processMarks = async (ids: string[]) => {
    const t = now();
    const n = await processMarks(ids);
    batches.push({ size: ids.length, ms: now() - t });
    return n;
  };
  const workerConfig: AppConfig = { ...config, recalculation: { ...config.recalculation, worker: true } };
  const relay = new RecalculationRelay(marks, recalculation, workerConfig, undefined);

  const events: WriteEvent[] = [];
  const pending = new Map<string, WriteEvent[]>();
  let failed = 0;

  let polling = true;
  const poller = (async () => {
    while (polling) {
      if (pending.size) {
        const sent = now();
        const ids = [...pending.keys()];
        const fresh = await ds.query<{ id: string }[]>(
          `SELECT p.id FROM unnest($1::uuid[]) AS p(id)
            WHERE NOT EXISTS (SELECT 1 FROM score_recalculation_marks m WHERE m.appraisal_id = p.id)`,
          [ids],
        );
        const answered = now();
        for (const { id } of fresh) {
          const list = pending.get(id) ?? [];
          const stillPending = list.filter((e) => {
            if (e.committedAt >= sent) return true;
            e.freshAt = answered;
            return false;
          });
          if (stillPending.length) pending.set(id, stillPending);
          else pending.delete(id);
        }
      }
      await sleep(o.pollMs);
    }
  })();

  const write = async (due: number) => {
    const targetId = targets[Math.floor(random() * targets.length)].id;
    const value = Math.round(random() * 1_000_000) / 100;
    const occurredOn = new Date(Date.parse(BENCH_PERIOD.start) + Math.floor(random() * days) * 86_400_000).toISOString().slice(0, 10);
    try {
      const appraisalId = await ds.transaction(async (m) => {
        const target = await achievements.findTarget(targetId, m);
        if (!target) throw new Error(`target ${targetId} vanished`);
        const appraisal = await appraisals.findByIdForUpdate(target.appraisalId, m);
        if (!appraisal) throw new Error(`appraisal ${target.appraisalId} vanished`);
        const period = await periods.findById(appraisal.periodId, m);
        if (period?.status !== 'OPEN') throw new Error('the bench period is not OPEN');
        const created = await achievements.insert(
          {
            targetId: target.id,
            appraisalId: target.appraisalId,
            value,
            occurredOn,
            description: 'bench',
            evidenceUrl: null,
            status: 'VERIFIED',
            submittedBy: appraisal.employeeId,
            contributorIds: [appraisal.employeeId],
            decidedBy: appraisal.assessorId,
            decidedAt: new Date(),
            rejectionReason: null,
          },
          m,
        );
        await audit.record(m, null, { action: 'achievement.create', entityType: 'achievement', entityId: created.id, after: created });
        await markForRecalculation(m, { appraisalIds: [created.appraisalId] }, 'achievement.create');
        return created.appraisalId;
      });
      const e: WriteEvent = { appraisalId, due, committedAt: now(), committedWall: new Date() };
      events.push(e);
      pending.set(appraisalId, [...(pending.get(appraisalId) ?? []), e]);
    } catch (err) {
      failed++;
      if (failed <= 3) console.error('write failed:', err);
    }
  };

  relay.onApplicationBootstrap();
  try {
    // Open loop: write i is due at start + i/rate whether or not earlier writes have finished, so a slow
    // database shows up as latency instead of silently lowering the rate.
    const count = Math.round(o.rate * o.durationS);
    const start = now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / o.rate;
      await sleep(due - now());
      inflight.push(write(due));
    }
    await Promise.all(inflight);
    const writesDone = now();
    while (pending.size && now() - writesDone < o.drainTimeoutS * 1000) await sleep(o.pollMs);
    const drainedIn = now() - writesDone;
    polling = false;
    await poller;

    const scores = await ds.query<{ appraisal_id: string; computed_at: Date }[]>(
      'SELECT appraisal_id, computed_at FROM appraisal_scores WHERE appraisal_id = ANY($1::uuid[])',
      [[...new Set(events.map((e) => e.appraisalId))]],
    );
    const computedAt = new Map(scores.map((s) => [s.appraisal_id, s.computed_at.getTime()]));
    const scoredAfterCommit = events.filter((e) => (computedAt.get(e.appraisalId) ?? -Infinity) >= e.committedWall.getTime()).length;
    return { events, failed, drainedIn, batches, scoredAfterCommit };
  } finally {
    polling = false;
    await relay.onApplicationShutdown();
  }
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const started = now();
  let g: GeneratedPeriod | null = o.reuse ? await findGenerated(o.url, o.sizes) : null;
  if (g) console.log(`reusing ${new URL(o.url).pathname.slice(1)} (period ${g.periodId}); --reuse skips generation`);
  else {
    g = await generate(o.url, o.sizes);
    console.log(
      `generated ${g.units} units, ${g.employees} employees, ${g.appraisals} appraisals, ${g.targets} targets, ` +
        `${g.achievements} achievements, ${g.feedback} feedback responses in ${g.seconds.toFixed(1)} s`,
    );
  }
  const periodId = g.periodId;

  const config = loadConfig({ ...process.env, DATABASE_URL: o.url });
  const ds = new DataSource(dataSourceOptions(o.url));
  await ds.initialize();
  try {
    const marks = new MarksRepository(ds);
    const inputs = new ScoreInputsRepository();
    const calculator = new ScoreCalculator(inputs);
    const recalculation = new RecalculationService(ds, marks, calculator, inputs, new RecalculationRunsRepository(ds), config, new AuditService(new AuditRepository(ds)));
    const chunk = config.recalculation.batchChunk;

    const [{ version }] = await ds.query<{ version: string }[]>('SELECT version()');
    const settings = await ds.query<{ name: string; setting: string; unit: string | null }[]>(
      `SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('shared_buffers', 'work_mem', 'random_page_cost', 'max_parallel_workers_per_gather', 'jit')
        ORDER BY name`,
    );
    const [rows] = await ds.query<{ appraisals: number; targets: number; achievements: number }[]>(
      `SELECT count(DISTINCT ap.id)::int AS appraisals, count(DISTINCT t.id)::int AS targets, count(*)::int AS achievements
         FROM appraisals ap JOIN appraisal_targets t ON t.appraisal_id = ap.id
         JOIN achievements a ON a.target_id = t.id AND a.status = 'VERIFIED'
        WHERE ap.period_id = $1`,
      [periodId],
    );
    console.log(`\nmachine: ${cpus().length} CPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
    console.log(`database: ${version.split(' on ')[0]}; ${settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ''}`).join(', ')}`);
    console.log(`period: ${rows.appraisals} appraisals, ${rows.targets} targets, ${rows.achievements} VERIFIED achievements; RECALC_BATCH_CHUNK=${chunk}`);
    const feedback = await ds.query<{ status: string; inside: number; outside: number }[]>(
      `SELECT f.status, count(*) FILTER (WHERE f.submitted_on BETWEEN p.start_date AND p.end_date)::int AS inside,
              count(*) FILTER (WHERE f.submitted_on NOT BETWEEN p.start_date AND p.end_date)::int AS outside
         FROM public_feedback f CROSS JOIN periods p WHERE p.id = $1 GROUP BY f.status ORDER BY f.status`,
      [periodId],
    );
    const [units] = await ds.query<{ units: number; service: number }[]>(
      'SELECT count(*)::int AS units, (count(*) FILTER (WHERE public_service))::int AS service FROM units',
    );
    console.log(
      `feedback: ${feedback.map((f) => `${f.inside} ${f.status}`).join(', ') || 'none'} in the period, ` +
        `${feedback.reduce((t, f) => t + f.outside, 0)} outside its dates; ${units.service} of ${units.units} units are publicService`,
    );

    // (a) Warm-up: fills appraisal_scores, the caches and the plan statistics once.
    const tw = now();
    await recalculation.recalculatePeriod(periodId);
    const warm = now() - tw;
    await ds.query(FLOOR_SQL, [periodId]);

    // (b) + (c) Best of N each, batch and floor alternating so that a noisy neighbour hits both alike. Scores
    // already exist and nothing changed, so the batch rewrites nothing: the nightly case.
    const batchRun = timing(null, () => recalculation.recalculatePeriod(periodId));
    const floorRun = timing(null, () => ds.query<unknown[]>(FLOOR_SQL, [periodId]));
    for (let i = 0; i < o.runs; i++) {
      await batchRun.once();
      await floorRun.once();
    }
    // The same with every score to write (first computation of a period; a policy edit is similar).
    const writtenRun = timing(() => ds.query('TRUNCATE appraisal_scores').then(() => undefined), () => recalculation.recalculatePeriod(periodId));
    // The same while a webhook endpoint subscribes to score.changed: every written score is also an event and a
    // delivery in the outbox (issue 15), in the same statements' transaction.
    const subscribe = () =>
      ds.query(`INSERT INTO webhook_endpoints (url, events, secret) VALUES ('http://127.0.0.1:9/bench', '{score.changed}', 'bench') RETURNING id`);
    const unsubscribe = () => ds.query(`DELETE FROM webhook_endpoints WHERE url = 'http://127.0.0.1:9/bench'`).then(() => ds.query('TRUNCATE webhook_events CASCADE'));
    const subscribedRun = timing(
      async () => {
        await ds.query('TRUNCATE appraisal_scores');
        await unsubscribe();
        await subscribe();
      },
      () => recalculation.recalculatePeriod(periodId),
    );
    if (o.writeRuns) {
      // The subscribed runs come after: each writes 20,000 outbox rows, which push the batch's pages out of a
      // default-sized shared_buffers, so a plain run right after one measures refilling the cache.
      for (let i = 0; i < o.runs; i++) {
        await writtenRun.once();
        await floorRun.once();
      }
      for (let i = 0; i < o.runs; i++) {
        await subscribedRun.once();
        await floorRun.once();
      }
      await unsubscribe();
    }
    const batch = batchRun.t;
    const floor = floorRun.t;
    const written = o.writeRuns ? writtenRun.t : null;

    console.log(`\nbatch recalculation vs floor (best of ${o.runs}; floor best of ${floor.all.length})`);
    console.log(`  warm-up batch (scores inserted)     ${secs(warm)}`);
    console.log(`  batch, scores unchanged             ${secs(batch.best)}   [${batch.all.map(secs).join(', ')}]  ${batch.result} appraisals`);
    if (written) {
      console.log(`  batch, every score written          ${secs(written.best)}   [${written.all.map(secs).join(', ')}]`);
      const sub = subscribedRun.t;
      console.log(
        `  …and a score.changed subscriber     ${secs(sub.best)}   [${sub.all.map(secs).join(', ')}]  outbox cost ×${(sub.best / written.best).toFixed(2)} (an event and a delivery per score too)`,
      );
    }
    console.log(`  floor, one SQL aggregate, fetched   ${secs(floor.best)}   [${floor.all.map(secs).join(', ')}]  ${floor.result.length} rows`);
    console.log(`  ratio batch/floor                   ${(batch.best / floor.best).toFixed(2)} (goal ≤ 1.5)${written ? `; every score written ${(written.best / floor.best).toFixed(2)} (goal ≤ 2)` : ''}`);

    // Where the batch time goes, one chunk after the other: scores present and unchanged, as in (b), then every
    // score to write, as in the written variant.
    const variants = [{ name: 'scores unchanged', truncate: false }, ...(o.writeRuns ? [{ name: 'every score written', truncate: true }] : [])];
    for (const { name, truncate } of variants) {
      if (truncate) await ds.query('TRUNCATE appraisal_scores');
      const profile = await profilePhases(ds, calculator, inputs, marks, periodId, chunk);
      console.log(`\nbatch phases, ${name}, one lane (${profile.chunks} chunks of ≤ ${chunk}; total ${secs(profile.total)}):`);
      for (const p of PHASES) {
        const t = profile.phases[p];
        console.log(`  ${p.padEnd(18)} ${secs(t).padStart(8)}  ${((100 * t) / profile.total).toFixed(0).padStart(3)} %   ${ms(t / profile.chunks)}/chunk`);
      }
      console.log(`  score payload sent: ${(profile.writeBytes / 1e6).toFixed(1)} MB of JSON`);
      if (o.explain) await explain(ds, profile.firstChunk);
    }

    // (d) Event-to-fresh-score latency.
    if (o.latency && o.rate > 0 && o.durationS > 0) {
      console.log(
        `\nlatency: ${o.rate} achievements/s for ${o.durationS} s, in-process relay every ${config.recalculation.relayIntervalMs} ms ` +
          `(RECALC_RELAY_INTERVAL_MS), freshness polled every ${o.pollMs} ms`,
      );
      const r = await measureLatency(ds, recalculation, marks, config, periodId, o);
      const fresh = r.events.filter((e) => e.freshAt !== undefined).map((e) => e.freshAt! - e.committedAt).sort((x, y) => x - y);
      const commit = r.events.map((e) => e.committedAt - e.due).sort((x, y) => x - y);
      const sizes = r.batches.map((b) => b.size);
      const drains = r.batches.map((b) => b.ms).sort((x, y) => x - y);
      console.log(`  writes committed      ${r.events.length} (${r.failed} failed); due-to-commit p50 ${ms(percentile(commit, 50))}, p95 ${ms(percentile(commit, 95))}`);
      console.log(
        `  commit-to-fresh       p50 ${ms(percentile(fresh, 50))}, p95 ${ms(percentile(fresh, 95))}, p99 ${ms(percentile(fresh, 99))}, ` +
          `max ${ms(fresh[fresh.length - 1] ?? NaN)}   (${fresh.length} fresh, ${r.events.length - fresh.length} not fresh after ${o.drainTimeoutS} s)`,
      );
      console.log(
        `  relay drains          ${r.batches.length}, ${sizes.length ? (sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(1) : 0} appraisals each on average, ` +
          `processMarks p50 ${ms(percentile(drains, 50))}, p95 ${ms(percentile(drains, 95))}`,
      );
      console.log(`  last write to drained ${ms(r.drainedIn)}; cross-check: ${r.scoredAfterCommit}/${r.events.length} events have computed_at ≥ their commit`);
    }
    console.log(`\ntotal ${secs(now() - started)}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
