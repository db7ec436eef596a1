import { Agent } from 'node:http';
import { Client } from 'pg';
import { TRAINED_ON } from '../src/modules/assessor-training/trained.sql';
import { TestRedis } from '../test/processes';
import { ApiProcess, call, cpuSeconds, startApi } from './api-process';
import { argValue, positiveInt, recreateDatabase } from './generate';
import { seedOneUnitCity, WITA_TODAY } from './one-unit-city';

/**
 * Spec §11: what the period policy `requireTrainedAssessor` adds to POST /achievements/{id}/verify, against the
 * real process (started here on 127.0.0.1 with its own redis-server; only loopback traffic). With the policy off,
 * `AssessorTrainingsService.requireTrained` returns before any query (the work of a verify before the feature);
 * with it on, it runs one `SELECT EXISTS (…)` over assessor_trainings for the caller's employee. The caller is the
 * appraisals' assessor, an EMPLOYEE user linked to an employee who holds a valid training, so the check passes.
 *
 * Variants, alternating in rounds (the order flips every round so that a drifting machine favours neither):
 * (off) policy off, (on) policy on. Each verifies a fresh batch of SUBMITTED achievements (submitted by the admin,
 * so four eyes passes; round-robin over the appraisals, so concurrent requests lock different appraisals),
 * `--concurrency` at a time over keep-alive connections. Reported per variant: verifies/s, p50/p95 latency, the
 * CPU of the API process and of its PostgreSQL backends per verify; then on/off ratios, median over the rounds
 * (each round's ratio is of two batches run back to back).
 *
 * Options: --achievements N (600) per variant and round, --concurrency N (16), --rounds N (6), --appraisees N
 * (256), --warmup N (300) untimed verifies per variant first, --raw-sql (also time the check's SQL alone,
 * --raw-sql-runs N, 3000, against a same-shaped query reading no table); BENCH_VERIFY_DATABASE_URL
 * (postgres://postgres@127.0.0.1:5432/capaian_bench_verify, dropped and recreated).
 */
const arg = (name: string, env: string) => argValue(process.argv, name) ?? process.env[env];
const ACHIEVEMENTS = positiveInt(arg('achievements', 'BENCH_VERIFY_ACHIEVEMENTS'), '--achievements') ?? 600;
const CONCURRENCY = positiveInt(arg('concurrency', 'BENCH_VERIFY_CONCURRENCY'), '--concurrency') ?? 16;
const ROUNDS = positiveInt(arg('rounds', 'BENCH_VERIFY_ROUNDS'), '--rounds') ?? 6;
const APPRAISEES = positiveInt(arg('appraisees', 'BENCH_VERIFY_APPRAISEES'), '--appraisees') ?? 256;
const WARMUP = positiveInt(arg('warmup', 'BENCH_VERIFY_WARMUP'), '--warmup') ?? 300;
const RAW_SQL = process.argv.includes('--raw-sql') || process.env.BENCH_VERIFY_RAW_SQL === '1';
const RAW_SQL_RUNS = positiveInt(arg('raw-sql-runs', 'BENCH_VERIFY_RAW_SQL_RUNS'), '--raw-sql-runs') ?? 3000;
const DB_URL = process.env.BENCH_VERIFY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/capaian_bench_verify';
const ADMIN_PASSWORD = 'bench-admin-password';
const ASSESSOR = { username: 'bench.assessor', password: 'correct-horse-battery' };

async function login(agent: Agent, port: number, username: string, password: string): Promise<string> {
  const res = await call(agent, port, 'POST', '/auth/login', {}, { username, password });
  if (res.status !== 200 || typeof res.body?.accessToken !== 'string') throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

interface Fixture {
  periodId: string;
  assessorEmployeeId: string;
  /** SUBMITTED achievements, round-robin over the appraisals (consecutive ids belong to different appraisals). */
  achievementIds: string[];
}

/**
 * One unit, an indicator, one OPEN monthly period containing today (WITA), the assessor, `APPRAISEES` employees
 * with an AGREED appraisal (assessor = the assessor) and one target each, and `total` SUBMITTED achievements
 * submitted by the admin. Trainings: a valid one for the assessor and one or two for every appraisee, so the
 * check's query meets a table of realistic shape rather than a single row. Set-based SQL, then VACUUM ANALYZE.
 */
async function fill(db: Client, adminUserId: string, total: number): Promise<Fixture> {
  const { periodId, headId: assessorEmployeeId } = await seedOneUnitCity(db, 'BENCH-VERIFY', APPRAISEES);
  const perAppraisal = Math.ceil(total / APPRAISEES);
  await db.query(
    `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by, contributor_ids, description, created_at, updated_at)
     SELECT t.id, t.appraisal_id, 1 + (j * 7 + t.rn) % 9, ${WITA_TODAY}, 'SUBMITTED', $1::uuid, ARRAY[$1::uuid],
            format('bench %s', (j - 1) * $3::int + t.rn),
            -- created_at orders the batches: round-robin over the appraisals
            now() - interval '1 hour' + ((j - 1) * $3::int + t.rn) * interval '1 ms', now()
       FROM (SELECT id, appraisal_id, row_number() OVER (ORDER BY appraisal_id)::int AS rn FROM appraisal_targets) t
      CROSS JOIN generate_series(1, $2::int) j`,
    [adminUserId, perAppraisal, APPRAISEES],
  );
  await db.query(
    `INSERT INTO assessor_trainings (employee_id, course, completed_on, valid_until, recorded_by)
     SELECT e.id, format('Pelatihan penilai kinerja %s', k), ${WITA_TODAY} - (30 + 400 * k), CASE WHEN k = 1 THEN ${WITA_TODAY} + 365 END, $1::uuid
       FROM employees e CROSS JOIN generate_series(0, 1) k
      WHERE e.id = $2::uuid OR (k = 0 OR hashtext(e.nip) % 2 = 0)`,
    [adminUserId, assessorEmployeeId],
  );
  await db.query('VACUUM (ANALYZE) units, indicators, periods, employees, appraisals, appraisal_targets, achievements, assessor_trainings');
  const ids = await db.query<{ id: string }>(`SELECT id FROM achievements WHERE status = 'SUBMITTED' ORDER BY created_at LIMIT $1`, [total]);
  return { periodId, assessorEmployeeId, achievementIds: ids.rows.map((r) => r.id) };
}

const setPolicy = (db: Client, periodId: string, on: boolean) =>
  db.query(`UPDATE periods SET policy = jsonb_set(policy, '{requireTrainedAssessor}', to_jsonb($2::boolean)) WHERE id = $1`, [periodId, on]);

/** PostgreSQL backends of the API process (application_name 'capaian') in the bench database, by pid. */
async function backendCpu(db: Client): Promise<Map<number, number>> {
  const rows = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = 'capaian' AND datname = current_database()`,
  );
  return new Map(rows.rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
}

/** CPU spent by the backends between two snapshots (a backend that appeared counts from 0; one that left is lost). */
async function backendCpuSince(db: Client, before: Map<number, number>): Promise<number> {
  const after = await backendCpu(db);
  let sum = 0;
  for (const [pid, cpu] of after) sum += cpu - (before.get(pid) ?? 0);
  return sum;
}

interface Batch {
  variant: Variant;
  verifies: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  apiCpuMs: number;
  dbCpuMs: number;
}

type Variant = 'off' | 'on';

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Ctx {
  server: ApiProcess;
  db: Client;
  agent: Agent;
  token: string;
  fixture: Fixture;
  next: number;
}

/** Verifies the next `n` achievements, CONCURRENCY at a time; every answer must be 200 VERIFIED. */
async function batch(ctx: Ctx, variant: Variant, n: number): Promise<Batch> {
  await setPolicy(ctx.db, ctx.fixture.periodId, variant === 'on');
  const ids = ctx.fixture.achievementIds.slice(ctx.next, ctx.next + n);
  if (ids.length < n) throw new Error(`ran out of SUBMITTED achievements (${ctx.next + n} needed)`);
  ctx.next += n;
  const latencies: number[] = [];
  let i = 0;
  const cpu0 = cpuSeconds(ctx.server.pid);
  const db0 = await backendCpu(ctx.db);
  const t0 = performance.now();
  const worker = async () => {
    while (i < ids.length) {
      const id = ids[i++];
      const s = performance.now();
      const res = await call(ctx.agent, ctx.server.port, 'POST', `/achievements/${id}/verify`, { token: ctx.token });
      latencies.push(performance.now() - s);
      if (res.status !== 200 || res.body?.status !== 'VERIFIED') {
        throw new Error(`verify ${id} (policy ${variant}): ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const apiCpu = cpuSeconds(ctx.server.pid) - cpu0;
  const dbCpu = await backendCpuSince(ctx.db, db0);
  latencies.sort((a, b) => a - b);
  return {
    variant,
    verifies: n,
    seconds,
    perSecond: n / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    apiCpuMs: (apiCpu * 1000) / n,
    dbCpuMs: (dbCpu * 1000) / n,
  };
}

/**
 * Untimed proof that the on variant really queries: expire the assessor's trainings, verify once with the policy
 * on (must be 409 assessor-untrained) and once with it off (must be 200), then restore the trainings.
 */
async function probe(ctx: Ctx): Promise<string> {
  const { db, fixture } = ctx;
  const [a, b] = fixture.achievementIds.slice(ctx.next, ctx.next + 2);
  if (!b) throw new Error('no achievements left for the probe');
  ctx.next += 2;
  const saved = await db.query<{ id: string; completed_on: string; valid_until: string | null }>(
    `SELECT id, completed_on::text, valid_until::text FROM assessor_trainings WHERE employee_id = $1`,
    [fixture.assessorEmployeeId],
  );
  await db.query(
    `UPDATE assessor_trainings SET completed_on = ${WITA_TODAY} - 60, valid_until = ${WITA_TODAY} - 1 WHERE employee_id = $1`,
    [fixture.assessorEmployeeId],
  );
  try {
    await setPolicy(db, fixture.periodId, true);
    const on = await call(ctx.agent, ctx.server.port, 'POST', `/achievements/${a}/verify`, { token: ctx.token });
    await setPolicy(db, fixture.periodId, false);
    const off = await call(ctx.agent, ctx.server.port, 'POST', `/achievements/${b}/verify`, { token: ctx.token });
    const onCode = String(on.body?.code ?? on.body?.type);
    if (on.status !== 409 || !onCode.includes('assessor-untrained')) {
      throw new Error(`probe: policy on, training expired: expected 409 assessor-untrained, got ${on.status} ${JSON.stringify(on.body)}`);
    }
    if (off.status !== 200) throw new Error(`probe: policy off, training expired: expected 200, got ${off.status} ${JSON.stringify(off.body)}`);
    return `policy on + expired training → ${on.status} ${onCode}; policy off → ${off.status}`;
  } finally {
    for (const t of saved.rows) {
      await db.query('UPDATE assessor_trainings SET completed_on = $2, valid_until = $3 WHERE id = $1', [t.id, t.completed_on, t.valid_until]);
    }
  }
}

/** The check's SQL alone on one connection, alternating blocks with `SELECT true` (the round trip), µs per query. */
async function rawSql(db: Client, employeeId: string): Promise<void> {
  const sql = `SELECT ${TRAINED_ON('$1::uuid', '$2::date')} AS trained`;
  const today = (await db.query<{ d: string }>(`SELECT ${WITA_TODAY}::text AS d`)).rows[0].d;
  const floorSql = 'SELECT $1::uuid IS NOT NULL AND $2::date IS NOT NULL AS trained';
  const times: Record<'check' | 'floor', number[]> = { check: [], floor: [] };
  const block = 100;
  for (let done = 0; done < RAW_SQL_RUNS; done += block) {
    for (const kind of done % (2 * block) ? (['floor', 'check'] as const) : (['check', 'floor'] as const)) {
      for (let k = 0; k < block; k++) {
        const t = performance.now();
        const r = await db.query<{ trained: boolean }>(kind === 'check' ? sql : floorSql, [employeeId, today]);
        times[kind].push((performance.now() - t) * 1000);
        if (r.rows[0].trained !== true) throw new Error(`${kind} query did not answer true`);
      }
    }
  }
  const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) ${sql.replaceAll('$1::uuid', `'${employeeId}'::uuid`).replaceAll('$2::date', `'${today}'::date`)}`);
  const c = median(times.check);
  const f = median(times.floor);
  console.log(`\nThe check's SQL alone (${RAW_SQL_RUNS} each, one connection, sequential, median µs per query from the client):`);
  console.table([
    { query: 'SELECT EXISTS (… assessor_trainings …) (the check)', medianUs: round(c, 0), p95Us: round(quantile([...times.check].sort((a, b) => a - b), 0.95), 0) },
    { query: 'SELECT $1 IS NOT NULL AND $2 IS NOT NULL (round trip)', medianUs: round(f, 0), p95Us: round(quantile([...times.floor].sort((a, b) => a - b), 0.95), 0) },
  ]);
  console.log(`check − round trip: ${round(c - f, 0)} µs; plan:\n  ${plan.rows.map((r) => r['QUERY PLAN']).join('\n  ')}`);
}

async function main(): Promise<void> {
  const total = 2 * WARMUP + 2 * ROUNDS * ACHIEVEMENTS + 2;
  await recreateDatabase(DB_URL);
  const redis = await TestRedis.start();
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let server: ApiProcess | undefined;
  const db = new Client({ connectionString: DB_URL, application_name: 'capaian-bench' });
  try {
    const started = performance.now();
    server = await startApi(DB_URL, redis.url, { ADMIN_PASSWORD }); // runs the migrations and creates the admin
    await db.connect();
    const adminToken = await login(agent, server.port, 'admin', ADMIN_PASSWORD);
    const { id: adminUserId } = (await db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`)).rows[0];
    const fixture = await fill(db, adminUserId, total);
    const created = await call(agent, server.port, 'POST', '/users', { token: adminToken }, {
      ...ASSESSOR,
      role: 'EMPLOYEE',
      employeeId: fixture.assessorEmployeeId,
    });
    if (created.status !== 201) throw new Error(`create the assessor's user: ${created.status} ${JSON.stringify(created.body)}`);
    const token = await login(agent, server.port, ASSESSOR.username, ASSESSOR.password);
    const ctx: Ctx = { server, db, agent, token, fixture, next: 0 };
    console.log(
      `set-up: ${APPRAISEES} AGREED appraisals, ${fixture.achievementIds.length} SUBMITTED achievements, ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s (server start included)`,
    );

    await batch(ctx, 'off', WARMUP);
    await batch(ctx, 'on', WARMUP);
    const rounds: Record<Variant, Batch>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order: Variant[] = r % 2 ? ['on', 'off'] : ['off', 'on'];
      const got: Partial<Record<Variant, Batch>> = {};
      for (const v of order) got[v] = await batch(ctx, v, ACHIEVEMENTS);
      rounds.push(got as Record<Variant, Batch>);
    }
    const check = await probe(ctx);

    console.log(
      `\nPOST /achievements/{id}/verify by the assessor (EMPLOYEE user, trained): ${ROUNDS} rounds × ${ACHIEVEMENTS} verifies per variant, ` +
        `${CONCURRENCY} at a time, keep-alive; ${WARMUP} untimed per variant first`,
    );
    console.table(
      rounds.flatMap((got, r) =>
        (r % 2 ? [got.on, got.off] : [got.off, got.on]).map((b) => ({
          round: r + 1,
          policy: b.variant,
          'verifies/s': round(b.perSecond, 1),
          'p50 ms': round(b.p50, 2),
          'p95 ms': round(b.p95, 2),
          'API CPU ms/verify': round(b.apiCpuMs, 2),
          'DB CPU ms/verify': round(b.dbCpuMs, 2),
        })),
      ),
    );
    const of = (v: Variant, f: (b: Batch) => number) => median(rounds.map((got) => f(got[v])));
    const ratio = (f: (b: Batch) => number) => median(rounds.map((got) => f(got.on) / f(got.off)));
    const metrics: [string, (b: Batch) => number, number][] = [
      ['verifies/s', (b) => b.perSecond, 1],
      ['p50 ms', (b) => b.p50, 2],
      ['p95 ms', (b) => b.p95, 2],
      ['API CPU ms/verify', (b) => b.apiCpuMs, 2],
      ['DB CPU ms/verify', (b) => b.dbCpuMs, 2],
    ];
    console.log('\nMedian over the rounds; ratio = median of the per-round on/off ratios (1.00 = no cost):');
    console.table(
      metrics.map(([name, f, d]) => {
        const each = rounds.map((got) => f(got.on) / f(got.off));
        return {
          metric: name,
          'policy off': round(of('off', f), d),
          'policy on': round(of('on', f), d),
          'on/off': round(ratio(f), 3),
          'on/off per round': `${round(Math.min(...each), 3)}–${round(Math.max(...each), 3)}`,
        };
      }),
    );
    console.log(`check: ${check}`);
    if (RAW_SQL) await rawSql(db, fixture.assessorEmployeeId);
  } finally {
    await db.end().catch(() => undefined);
    agent.destroy();
    await server?.stop();
    await redis.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
