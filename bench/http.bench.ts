import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort, TestRedis, until } from '../test/processes';
import { ApiProcess, call, cpuSeconds, Json, peakRssMiB, startApi } from './api-process';
import { seedOneUnitCity } from './one-unit-city';
import { argValue, positiveInt, recreateDatabase } from './generate';

/**
 * Issue 14: the HTTP service measured from outside, against a bare `node:http` + `pg` server (bench/bare-server.ts)
 * doing the same transaction shapes on the same PostgreSQL, in the same run. Only loopback traffic: the API
 * (`src/main.ts` of `--api-root`, production mode) and a private redis-server on 127.0.0.1.
 *
 * 1. Set-up: recreate the database; start the API with its worker (it migrates and creates the admin); SQL: one
 *    unit, one indicator, one OPEN monthly period containing today (WITA), `--appraisals` AGREED appraisals with one
 *    target each; a second admin; API key W (achievements:write, scores:read) issued by the admin and key V
 *    (achievements:verify) issued by the second admin (a key answers for its issuer in four eyes, so two keys of one
 *    admin could not verify each other's achievements); then POST /periods/{id}/recalculate and wait for every score.
 * 2. Queries per request: the API runs with bench/count-queries.js preloaded (pg round trips per HTTP request by
 *    operation); ten operations called `--op-calls` times each, one at a time.
 * 3. Commit-to-fresh (a new API process without the counting preload: worker on, Redis, the Bull queue): `--rate`
 *    events/s for `--fresh-duration` s, open loop; an event = POST /achievements (key W), then POST /achievements/{id}/verify (key V); from the verify's answer,
 *    GET /appraisals/{id}/score every `--poll-ms` until `freshness` is FRESH. FRESH proves a score that includes the
 *    verify (its mark was committed with it, and a worker deletes a mark only after recomputing from rows read after
 *    the mark's version).
 * 4. Throughput: a second API process without the worker (a deployment runs it apart: `npm run start:worker`) and the
 *    bare server (pool of 20, the API's `extra.max`). autocannon, `--connections` keep-alive connections, `--duration`
 *    s per run, random target / appraisal per request; per operation, `--runs` runs of each variant alternating (the
 *    order flips every run), best req/s of each; ratio API/bare. Also API CPU per request and the API's peak RSS
 *    after the write runs.
 */
const arg = (name: string, env: string) => argValue(process.argv, name) ?? process.env[env];
const DB_URL = process.env.BENCH_HTTP_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/capaian_bench_http';
const API_ROOT = resolve(arg('api-root', 'BENCH_HTTP_API_ROOT') ?? join(__dirname, '..'));
const APPRAISALS = positiveInt(arg('appraisals', 'BENCH_HTTP_APPRAISALS'), '--appraisals') ?? 200;
const CONNECTIONS = positiveInt(arg('connections', 'BENCH_HTTP_CONNECTIONS'), '--connections') ?? 32;
const DURATION = positiveInt(arg('duration', 'BENCH_HTTP_DURATION_S'), '--duration') ?? 8;
const WARMUP = positiveInt(arg('warmup', 'BENCH_HTTP_WARMUP_S'), '--warmup') ?? 2;
const RUNS = positiveInt(arg('runs', 'BENCH_HTTP_RUNS'), '--runs') ?? 3;
const RATE = positiveInt(arg('rate', 'BENCH_HTTP_RATE'), '--rate') ?? 50;
const FRESH_DURATION = positiveInt(arg('fresh-duration', 'BENCH_HTTP_FRESH_DURATION_S'), '--fresh-duration') ?? 20;
const POLL_MS = positiveInt(arg('poll-ms', 'BENCH_HTTP_POLL_MS'), '--poll-ms') ?? 10;
const DRAIN_TIMEOUT = positiveInt(arg('drain-timeout', 'BENCH_HTTP_DRAIN_TIMEOUT_S'), '--drain-timeout') ?? 15;
const OP_CALLS = positiveInt(arg('op-calls', 'BENCH_HTTP_OP_CALLS'), '--op-calls') ?? 20;
const NO_FRESH = process.argv.includes('--no-fresh') || process.env.BENCH_HTTP_NO_FRESH === '1';
const SHOW_QUERIES = process.argv.includes('--show-queries') || process.env.BENCH_HTTP_SHOW_QUERIES === '1';
const NO_LOAD = process.argv.includes('--no-load') || process.env.BENCH_HTTP_NO_LOAD === '1';
const ADMIN_PASSWORD = 'bench-admin-password';
const ADMIN2 = { username: 'bench.admin2', password: 'bench-admin2-password' };
const COUNT_FILE = join(tmpdir(), `capaian-bench-http-queries-${process.pid}.json`);

async function expect(what: string, status: number, p: Promise<{ status: number; body: Json | null }>): Promise<Json> {
  const res = await p;
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body ?? {};
}

interface Fixture {
  periodId: string;
  today: string;
  appraisalIds: string[];
  targetIds: string[];
  employeeId: string;
}

/** One unit, an indicator, one OPEN monthly period containing today (WITA), APPRAISALS AGREED appraisals with one target each. */
async function fill(db: Client): Promise<Fixture> {
  const { periodId, today } = await seedOneUnitCity(db, 'BENCH-HTTP', APPRAISALS);
  await db.query('VACUUM (ANALYZE) units, indicators, periods, employees, appraisals, appraisal_targets');
  const t = await db.query<{ id: string; appraisal_id: string; employee_id: string }>(
    `SELECT t.id, t.appraisal_id, a.employee_id FROM appraisal_targets t JOIN appraisals a ON a.id = t.appraisal_id ORDER BY t.id`,
  );
  return {
    periodId,
    today,
    appraisalIds: t.rows.map((r) => r.appraisal_id),
    targetIds: t.rows.map((r) => r.id),
    employeeId: t.rows[0].employee_id,
  };
}

interface Ctx {
  api: ApiProcess;
  db: Client;
  agent: Agent;
  fixture: Fixture;
  adminToken: string;
  keyW: string;
  keyWId: string;
  keyV: string;
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Set-up through the API (worker on, queries counted): users, keys, the first scores. */
async function setUp(api: ApiProcess, db: Client, agent: Agent): Promise<Ctx> {
  const { id: adminId } = (await db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`)).rows[0];
  if (!adminId) throw new Error('no admin user');
  const fixture = await fill(db);
  const login = async (username: string, password: string) =>
    String((await expect(`login ${username}`, 200, call(agent, api.port, 'POST', '/auth/login', {}, { username, password }))).accessToken);
  const adminToken = await login('admin', ADMIN_PASSWORD);
  await expect('create the second admin', 201, call(agent, api.port, 'POST', '/users', { token: adminToken }, { ...ADMIN2, role: 'ADMIN' }));
  const admin2Token = await login(ADMIN2.username, ADMIN2.password);
  const w = await expect(
    'create key W',
    201,
    call(agent, api.port, 'POST', '/api-keys', { token: adminToken }, { name: 'bench writer', scopes: ['achievements:write', 'scores:read'] }),
  );
  const v = await expect('create key V', 201, call(agent, api.port, 'POST', '/api-keys', { token: admin2Token }, { name: 'bench verifier', scopes: ['achievements:verify'] }));
  const run = await expect('recalculate', 202, call(agent, api.port, 'POST', `/periods/${fixture.periodId}/recalculate`, { token: adminToken }));
  await until(
    async () => (await call(agent, api.port, 'GET', `/recalculations/${String(run.id)}`, { token: adminToken })).body?.status === 'COMPLETED',
    60_000,
    'the batch recalculation',
  );
  const scores = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM appraisal_scores')).rows[0].n;
  if (scores !== fixture.appraisalIds.length) throw new Error(`expected ${fixture.appraisalIds.length} scores, found ${scores}`);
  return { api, db, agent, fixture, adminToken, keyW: String(w.key), keyWId: String(w.id), keyV: String(v.key) };
}

interface OpCount {
  requests: number;
  queries: number;
  transactions: number;
  inTransaction: number;
  outside: number;
  /** With --show-queries: statement text (shortened) → calls. */
  texts?: Record<string, number>;
}

/** The counts of bench/count-queries.js since the last call (SIGUSR2 makes the API write and reset them). */
async function takeCounts(api: ApiProcess): Promise<Record<string, OpCount>> {
  rmSync(COUNT_FILE, { force: true });
  process.kill(api.pid, 'SIGUSR2');
  await until(async () => Promise.resolve(existsSync(COUNT_FILE)), 5000, 'the query counts');
  const counts = JSON.parse(readFileSync(COUNT_FILE, 'utf8')) as Record<string, OpCount>;
  rmSync(COUNT_FILE, { force: true });
  return counts;
}

/** Ten operations, OP_CALLS calls each, one at a time; SQL round trips per request by operation. */
async function queriesPerRequest(ctx: Ctx): Promise<void> {
  const { api, agent, fixture } = ctx;
  const admin = { token: ctx.adminToken };
  const w = { key: ctx.keyW };
  const v = { key: ctx.keyV };
  await sleep(500); // let the worker drain the set-up's marks
  await takeCounts(api);
  const created: string[] = [];
  const targetAt = (i: number) => fixture.targetIds[(i * 7) % fixture.targetIds.length];
  const appraisalAt = (i: number) => fixture.appraisalIds[(i * 7) % fixture.appraisalIds.length];
  for (let i = 0; i < OP_CALLS; i++) {
    const a = await expect('POST /achievements', 201, call(agent, api.port, 'POST', '/achievements', w, { targetId: targetAt(i), value: 3, occurredOn: fixture.today }));
    created.push(String(a.id));
  }
  const steps: [string, number, (i: number) => Promise<{ status: number; body: Json | null }>][] = [
    ['PATCH /achievements/{id}', 200, (i) => call(agent, api.port, 'PATCH', `/achievements/${created[i]}`, w, { value: 4 })],
    ['POST /achievements/{id}/verify', 200, (i) => call(agent, api.port, 'POST', `/achievements/${created[i]}/verify`, v)],
    ['GET /appraisals/{id}/score', 200, (i) => call(agent, api.port, 'GET', `/appraisals/${appraisalAt(i + 1)}/score`, w)],
    ['GET /appraisals/{id}', 200, (i) => call(agent, api.port, 'GET', `/appraisals/${appraisalAt(i)}`, admin)],
    ['GET /appraisals', 200, () => call(agent, api.port, 'GET', `/appraisals?periodId=${fixture.periodId}`, admin)],
    ['GET /appraisals/{id}/targets', 200, (i) => call(agent, api.port, 'GET', `/appraisals/${appraisalAt(i)}/targets`, admin)],
    ['GET /achievements', 200, (i) => call(agent, api.port, 'GET', `/achievements?appraisalId=${appraisalAt(i)}`, admin)],
    ['GET /achievements/{id}', 200, (i) => call(agent, api.port, 'GET', `/achievements/${created[i]}`, admin)],
    ['GET /employees/{id}', 200, () => call(agent, api.port, 'GET', `/employees/${fixture.employeeId}`, admin)],
  ];
  for (const [what, status, f] of steps) for (let i = 0; i < OP_CALLS; i++) await expect(what, status, f(i));
  await sleep(300); // work a request leaves behind (e.g. a key's last use) still counts for it
  const counts = await takeCounts(api);
  console.log(`\nSQL round trips per request (pg Client#query calls in the request's async context; ${OP_CALLS} calls each, one at a time):`);
  console.table(
    Object.entries(counts)
      .filter(([op]) => op !== '(background)')
      .sort((a, b) => b[1].requests - a[1].requests || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([op, c]) => ({
        operation: op,
        requests: c.requests,
        'queries/req': round(c.queries / c.requests, 2),
        'transactions/req': round(c.transactions / c.requests, 2),
        'statements in tx/req': round(c.inTransaction / c.requests, 2),
        'outside tx/req': round(c.outside / c.requests, 2),
      })),
  );
  const bg = counts['(background)'];
  if (bg) console.log(`background (worker, relay) meanwhile: ${bg.queries} queries, ${bg.transactions} transactions`);
  if (SHOW_QUERIES) {
    for (const [op, c] of Object.entries(counts)) {
      if (op === '(background)' || !c.texts) continue;
      console.log(`\n${op} (${c.requests} requests), statements per request:`);
      for (const [text, n] of Object.entries(c.texts)) console.log(`  ${round(n / c.requests, 2)} × ${text}`);
    }
  }
}

interface Fresh {
  events: number;
  fresh: number[];
  never: number;
  failed: string[];
}

/** RATE events/s for FRESH_DURATION s, open loop: create, verify, poll the score until FRESH. */
async function commitToFresh(ctx: Ctx): Promise<void> {
  const { api, fixture } = ctx;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = RATE * FRESH_DURATION;
  const result: Fresh = { events: total, fresh: [], never: 0, failed: [] };
  let polls = 0;
  let stopAt = Infinity;
  const event = async (i: number): Promise<void> => {
    const k = Math.floor(Math.random() * fixture.targetIds.length);
    const created = await call(agent, api.port, 'POST', '/achievements', { key: ctx.keyW }, { targetId: fixture.targetIds[k], value: 1 + (i % 9), occurredOn: fixture.today });
    if (created.status !== 201) throw new Error(`POST /achievements ${created.status} ${JSON.stringify(created.body)}`);
    const verified = await call(agent, api.port, 'POST', `/achievements/${String(created.body?.id)}/verify`, { key: ctx.keyV });
    if (verified.status !== 200) throw new Error(`verify ${verified.status} ${JSON.stringify(verified.body)}`);
    const t0 = performance.now();
    for (;;) {
      polls++;
      const s = await call(agent, api.port, 'GET', `/appraisals/${fixture.appraisalIds[k]}/score`, { key: ctx.keyW });
      if (s.status !== 200) throw new Error(`score ${s.status} ${JSON.stringify(s.body)}`);
      if (s.body?.freshness === 'FRESH') {
        result.fresh.push(performance.now() - t0);
        return;
      }
      if (performance.now() > stopAt) {
        result.never++;
        return;
      }
      await sleep(POLL_MS);
    }
  };
  const cpu0 = cpuSeconds(api.pid);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(event(i).catch((e: Error) => void result.failed.push(e.message)));
  }
  stopAt = performance.now() + DRAIN_TIMEOUT * 1000;
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(api.pid) - cpu0;
  agent.destroy();
  const f = [...result.fresh].sort((a, b) => a - b);
  console.log(
    `\nCommit-to-fresh through HTTP (worker in the API process, Redis + Bull): ${total} events at ${RATE}/s ` +
      `(POST /achievements, then POST /achievements/{id}/verify by another principal), poll every ${POLL_MS} ms, drain ${DRAIN_TIMEOUT} s`,
  );
  console.table([
    {
      fresh: `${f.length}/${total}`,
      'never fresh': result.never,
      failed: result.failed.length,
      'p50 ms': round(quantile(f, 0.5) ?? NaN, 1),
      'p95 ms': round(quantile(f, 0.95) ?? NaN, 1),
      'p99 ms': round(quantile(f, 0.99) ?? NaN, 1),
      'max ms': round(f[f.length - 1] ?? NaN, 1),
      'polls/event': round(polls / total, 1),
      'API req/s': round((2 * total + polls) / seconds, 0),
      'API CPU ms/event': round((cpu * 1000) / total, 2),
      seconds: round(seconds, 1),
    },
  ]);
  if (result.failed.length) console.log(`first failures: ${result.failed.slice(0, 3).join(' | ')}`);
}

interface BareProcess {
  port: number;
  pid: number;
  stop: () => Promise<void>;
}

async function startBare(submittedBy: string): Promise<BareProcess> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'bare-server.ts')], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, DATABASE_URL: DB_URL, PORT: String(port), HOST: '127.0.0.1', BARE_SUBMITTED_BY: submittedBy, BARE_POOL_MAX: '20' },
    stdio: 'pipe',
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await until(
    async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok,
    30_000,
    'the bare server',
    () => (child.exitCode !== null ? `the bare server exited with ${child.exitCode}:\n${output}` : null),
  );
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

type Op = 'write' | 'read';
type Variant = 'api' | 'bare';
interface Run {
  op: Op;
  variant: Variant;
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  cpuMsPerRequest: number;
}

async function load(op: Op, variant: Variant, port: number, pid: number, f: Fixture, key: string, seconds: number): Promise<Run> {
  const headers = { 'x-api-key': key, 'content-type': 'application/json' };
  const req: autocannon.Request =
    op === 'write'
      ? {
          method: 'POST',
          path: '/achievements',
          headers,
          setupRequest: (r) => ({ ...r, body: JSON.stringify({ targetId: pick(f.targetIds), value: 1 + Math.floor(Math.random() * 9), occurredOn: f.today }) }),
        }
      : { method: 'GET', path: '/', headers, setupRequest: (r) => ({ ...r, path: `/appraisals/${pick(f.appraisalIds)}/score` }) };
  const cpu0 = cpuSeconds(pid);
  const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests: [req] });
  const cpu = cpuSeconds(pid) - cpu0;
  const ok = r['2xx'];
  return {
    op,
    variant,
    perSecond: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    cpuMsPerRequest: (cpu * 1000) / Math.max(1, r.requests.total),
  };
}

async function throughput(ctx: Ctx, redisUrl: string): Promise<void> {
  const api = await startApi(DB_URL, redisUrl, { ADMIN_PASSWORD }, { cwd: API_ROOT });
  const bare = await startBare(ctx.keyWId);
  try {
    const target = (v: Variant) => (v === 'api' ? api : bare);
    const runs: Run[] = [];
    let rss: { peak: number; after: number } | undefined;
    for (const op of ['write', 'read'] as Op[]) {
      for (const v of ['api', 'bare'] as Variant[]) await load(op, v, target(v).port, target(v).pid, ctx.fixture, ctx.keyW, WARMUP);
      for (let i = 0; i < RUNS; i++) {
        for (const v of (i % 2 ? ['bare', 'api'] : ['api', 'bare']) as Variant[]) {
          runs.push(await load(op, v, target(v).port, target(v).pid, ctx.fixture, ctx.keyW, DURATION));
        }
      }
      if (op === 'write') {
        const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8'))?.[1];
        rss = { peak: peakRssMiB(api.pid), after: Math.round(Number(kib) / 1024) };
      }
    }
    const label = { write: 'POST /achievements', read: 'GET /appraisals/{id}/score' };
    console.log(`\nThroughput: ${CONNECTIONS} keep-alive connections, ${DURATION} s per run, ${RUNS} runs per variant alternating (after ${WARMUP} s untimed each)`);
    console.table(
      runs.map((r) => ({
        operation: label[r.op],
        server: r.variant,
        'req/s': round(r.perSecond, 1),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        '2xx': r.ok,
        'non-2xx': r.non2xx,
        errors: r.errors,
        'server CPU ms/req': round(r.cpuMsPerRequest, 2),
      })),
    );
    const best = (op: Op, v: Variant) => runs.filter((r) => r.op === op && r.variant === v).sort((a, b) => b.perSecond - a.perSecond)[0];
    console.log('\nBest of each (ratio = API / bare; goal ≥ 0.5):');
    console.table(
      (['write', 'read'] as Op[]).map((op) => {
        const a = best(op, 'api');
        const b = best(op, 'bare');
        const bad = runs.filter((r) => r.op === op).reduce((s, r) => s + r.non2xx + r.errors, 0);
        return {
          operation: label[op],
          'API req/s': round(a.perSecond, 1),
          'bare req/s': round(b.perSecond, 1),
          ratio: round(a.perSecond / b.perSecond, 3),
          'API p50/p99 ms': `${a.p50}/${a.p99}`,
          'bare p50/p99 ms': `${b.p50}/${b.p99}`,
          'API CPU ms/req': round(a.cpuMsPerRequest, 2),
          'bare CPU ms/req': round(b.cpuMsPerRequest, 2),
          'non-2xx + errors (all runs)': bad,
        };
      }),
    );
    if (rss) console.log(`API process memory after the write runs: peak RSS (VmHWM) ${rss.peak} MiB, RSS ${rss.after} MiB`);
    const failures = runs.reduce((s, r) => s + r.non2xx + r.errors, 0);
    if (failures) throw new Error(`${failures} non-2xx answers or errors under load: the figures above are not valid`);
  } finally {
    await bare.stop();
    await api.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`API: ${API_ROOT}/src/main.ts; database ${DB_URL}`);
  await recreateDatabase(DB_URL);
  const redis = await TestRedis.start();
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const db = new Client({ connectionString: DB_URL, application_name: 'capaian-bench' });
  let api: ApiProcess | undefined;
  try {
    api = await startApi(
      DB_URL,
      redis.url,
      { ADMIN_PASSWORD, RECALC_WORKER: 'true', BENCH_QUERY_COUNT_FILE: COUNT_FILE, BENCH_QUERY_TEXTS: SHOW_QUERIES ? '1' : '0' },
      { cwd: API_ROOT, preload: [join(__dirname, 'count-queries.js')] },
    );
    await db.connect();
    const ctx = await setUp(api, db, agent);
    console.log(`set-up: ${ctx.fixture.appraisalIds.length} AGREED appraisals with a score, ${round((performance.now() - started) / 1000, 1)} s (server start included)`);
    await queriesPerRequest(ctx);
    await api.stop();
    api = undefined;
    if (!NO_FRESH) {
      // A process of its own, without count-queries.js: its AsyncLocalStorage puts promise hooks on every promise, a
      // cost of the counting that no deployment pays.
      api = await startApi(DB_URL, redis.url, { ADMIN_PASSWORD, RECALC_WORKER: 'true' }, { cwd: API_ROOT });
      await commitToFresh({ ...ctx, api });
      await api.stop();
      api = undefined;
    }
    if (!NO_LOAD) await throughput(ctx, redis.url);
    console.log(`\nwhole run: ${round((performance.now() - started) / 1000, 1)} s`);
  } finally {
    agent.destroy();
    await db.end().catch(() => undefined);
    await api?.stop();
    await redis.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
