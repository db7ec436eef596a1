import { Agent, request } from 'node:http';
import { Client } from 'pg';
import { TestRedis, until } from '../test/processes';
import { ApiProcess, cpuSeconds, startApi } from './api-process';
import { argValue, generate, positiveInt } from './generate';

/**
 * Issue 14: the cost of one Prometheus scrape (GET /metrics with METRICS_TOKEN) against GET /health in the same API
 * process (`src/main.ts`, production mode, 127.0.0.1, a private redis-server; loopback traffic only). One client, one
 * keep-alive connection, one request at a time, as Prometheus scrapes. Two backlogs: no recalculation marks and an
 * empty queue; then `--marks` marks, all relayed to the `scores` queue (no worker runs, so they stay): the scrape's SQL
 * counts them and Redis counts the jobs. Per backlog, `--rounds` rounds alternate `--requests` /health and
 * `--requests` /metrics; reported: client µs per request (median of the rounds), the server's own time per request
 * (the API's http_request_duration_seconds for the two routes), the API's CPU µs per request, and the ratios.
 * BENCH_METRICS_DATABASE_URL (postgres://postgres@127.0.0.1:5432/capaian_bench_metrics) is dropped and recreated.
 */
const arg = (name: string, env: string) => argValue(process.argv, name) ?? process.env[env];
const DB_URL = process.env.BENCH_METRICS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/capaian_bench_metrics';
const MARKS = positiveInt(arg('marks', 'BENCH_METRICS_MARKS'), '--marks') ?? 10_000;
const REQUESTS = positiveInt(arg('requests', 'BENCH_METRICS_REQUESTS'), '--requests') ?? 500;
const ROUNDS = positiveInt(arg('rounds', 'BENCH_METRICS_ROUNDS'), '--rounds') ?? 5;
const TOKEN = 'bench-metrics-token-0123456789abcdef0123';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(api: ApiProcess, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const METRICS = { authorization: `Bearer ${TOKEN}` };
const scrape = async (api: ApiProcess) => {
  const r = await get(api, '/metrics', METRICS);
  if (r.status !== 200) throw new Error(`GET /metrics answered ${r.status}: ${r.body.slice(0, 200)}`);
  return r.body;
};

/** A sample of the exposition text (first series whose labels include `labels`), or 0. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `) ? wanted.every((w) => l.includes(w)) : false);
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** The server's own seconds and count of requests to a route so far, from its histogram. */
const served = (text: string, route: string) => ({
  seconds: sample(text, 'http_request_duration_seconds_sum', { route, status: '200' }),
  count: sample(text, 'http_request_duration_seconds_count', { route, status: '200' }),
});

interface Timing {
  clientUs: number;
  cpuUs: number;
}

async function time(api: ApiProcess, path: string, headers: Record<string, string>): Promise<Timing> {
  const cpu0 = cpuSeconds(api.pid);
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const r = await get(api, path, headers);
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
  }
  const ms = performance.now() - t0;
  return { clientUs: (ms * 1000) / REQUESTS, cpuUs: ((cpuSeconds(api.pid) - cpu0) * 1e6) / REQUESTS };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

async function measure(api: ApiProcess, backlog: string) {
  // Warm-up: JIT, the pools, the Redis and PostgreSQL connections.
  for (let i = 0; i < 100; i++) {
    await get(api, '/health');
    await scrape(api);
  }
  const before = await scrape(api);
  const health: Timing[] = [];
  const metrics: Timing[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so neither always runs on a warmer process.
    if (r % 2 === 0) {
      health.push(await time(api, '/health', {}));
      metrics.push(await time(api, '/metrics', METRICS));
    } else {
      metrics.push(await time(api, '/metrics', METRICS));
      health.push(await time(api, '/health', {}));
    }
  }
  const after = await scrape(api);
  const server = (route: string) => {
    const [a, b] = [served(before, route), served(after, route)];
    return ((b.seconds - a.seconds) / (b.count - a.count)) * 1e6;
  };
  const h = { client: median(health.map((x) => x.clientUs)), cpu: median(health.map((x) => x.cpuUs)), server: server('/health') };
  const m = { client: median(metrics.map((x) => x.clientUs)), cpu: median(metrics.map((x) => x.cpuUs)), server: server('/metrics') };
  return {
    backlog,
    marksPending: sample(after, 'capaian_recalculation_marks_pending'),
    queueWaiting: sample(after, 'capaian_scores_queue_jobs', { state: 'waiting' }),
    scrapeBytes: Buffer.byteLength(after),
    series: after.split('\n').filter((l) => l && !l.startsWith('#')).length,
    healthClientUs: round(h.client),
    metricsClientUs: round(m.client),
    clientRatio: round(m.client / h.client, 2),
    healthServerUs: round(h.server),
    metricsServerUs: round(m.server),
    serverRatio: round(m.server / h.server, 2),
    healthCpuUs: round(h.cpu),
    metricsCpuUs: round(m.cpu),
    cpuRatio: round(m.cpu / h.cpu, 2),
  };
}

async function main(): Promise<void> {
  console.log(`generating ${MARKS} appraisals in ${DB_URL} …`);
  const generated = await generate(DB_URL, { employees: MARKS, targetsPerAppraisal: 1, achievementsPerTarget: 1, feedbackPerMonth: 0 });
  const db = new Client({ connectionString: DB_URL });
  await db.connect();
  const redis = await TestRedis.start();
  let api: ApiProcess | undefined;
  try {
    await db.query('DELETE FROM score_recalculation_marks');
    api = await startApi(DB_URL, redis.url, { METRICS_TOKEN: TOKEN });
    const results = [await measure(api, 'no marks, empty queue')];

    await db.query(`INSERT INTO score_recalculation_marks (appraisal_id, reason) SELECT id, 'bench' FROM appraisals`);
    // The relay (no worker runs) puts every mark on the queue, where the jobs wait.
    await until(async () => (await db.query('SELECT 1 FROM score_recalculation_marks WHERE enqueued_at IS NULL LIMIT 1')).rowCount === 0, 120_000, 'the relay');
    results.push(await measure(api, `${generated.appraisals} marks, ${generated.appraisals} jobs waiting`));

    console.table(results);
    console.log(`${REQUESTS} requests × ${ROUNDS} rounds per route and backlog; medians of the rounds; one keep-alive connection.`);
  } finally {
    await api?.stop();
    await redis.stop();
    await db.end();
    agent.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
