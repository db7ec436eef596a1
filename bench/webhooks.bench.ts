import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { TestRedis, until } from '../test/processes';
import { ApiProcess, call, cpuSeconds, Json, startApi } from './api-process';
import { argValue, positiveInt, recreateDatabase } from './generate';
import { seedOneUnitCity } from './one-unit-city';

/**
 * Issue 15: event-to-delivery latency of `score.changed` webhooks, through the whole pipeline of one API process
 * (`src/main.ts`, production mode, `RECALC_WORKER=true`, a private redis-server): the verify commits a recalculation
 * mark → the recalculation relay and worker recompute the score and write the event and its delivery in that
 * transaction → the webhook relay enqueues it → the webhook worker POSTs it, signed, to a Standard Webhooks receiver
 * in this process on 127.0.0.1 (loopback traffic only; `WEBHOOK_ALLOWED_HOSTS=127.0.0.1` lets the API send there).
 *
 * The city of bench/one-unit-city.ts: `--appraisals` AGREED appraisals, one SUM target of 100 at weight 100 each,
 * scored (resultScore 0) before the webhook is created, so every event the receiver gets comes from the run.
 * `--rate` events/s for `--duration` s, open loop; an event = POST /achievements (key W, value 1–9) on an appraisal
 * whose previous event has its verify answered, then POST /achievements/{id}/verify (key V, another admin's key). With
 * SUM aggregation, no other achievement and the sum kept ≤ 100 (under the 120 cap), resultScore is the sum of the
 * verified values and grows with each verify, in the bench's order: a score includes verify n exactly when its
 * resultScore ≥ S(n), the sum after it. Latency = the first signed score.changed of that appraisal with resultScore ≥
 * S(n) − the verify's answer (the commit, to within the answer's transit). A recomputation that covers two verifies
 * sends one event: it counts for both (reported as coalesced).
 */
const arg = (name: string, env: string) => argValue(process.argv, name) ?? process.env[env];
const DB_URL = process.env.BENCH_WEBHOOKS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/capaian_bench_webhooks';
const APPRAISALS = positiveInt(arg('appraisals', 'BENCH_WEBHOOKS_APPRAISALS'), '--appraisals') ?? 200;
const RATE = positiveInt(arg('rate', 'BENCH_WEBHOOKS_RATE'), '--rate') ?? 50;
const DURATION = positiveInt(arg('duration', 'BENCH_WEBHOOKS_DURATION_S'), '--duration') ?? 20;
const DRAIN_TIMEOUT = positiveInt(arg('drain-timeout', 'BENCH_WEBHOOKS_DRAIN_TIMEOUT_S'), '--drain-timeout') ?? 15;
const ADMIN_PASSWORD = 'bench-admin-password';
const ADMIN2 = { username: 'bench.admin2', password: 'bench-admin2-password' };
/** Sums stay at or under this so that capaian (sum % of 100, capped at 120) equals the sum. */
const MAX_SUM = 100;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function expect(what: string, status: number, p: Promise<{ status: number; body: Json | null }>): Promise<Json> {
  const res = await p;
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body ?? {};
}

interface Arrival {
  resultScore: number;
  /** performance.now() when the body was read. */
  at: number;
  /** Date.now() then, and the event's `timestamp` (the recomputing transaction's start), for the split. */
  wall: number;
  eventTime: number;
}

/** Verifies every request with `standardwebhooks`; records each score.changed's arrival, by appraisal, in arrival order. */
class Receiver {
  readonly arrivals = new Map<string, Arrival[]>();
  private readonly waiters = new Map<string, { min: number; resolve: (a: Arrival) => void }[]>();
  private readonly ids = new Set<string>();
  requests = 0;
  badSignatures = 0;
  duplicates = 0;
  private webhook?: Webhook;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const r = new Receiver(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => r.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/capaian`;
  }

  trust(secret: string): void {
    this.webhook = new Webhook(secret);
  }

  /** The first arrival for the appraisal with resultScore ≥ `min` (at once if it is in). */
  arrived(appraisalId: string, min: number): Promise<Arrival> {
    const a = this.arrivals.get(appraisalId)?.find((x) => x.resultScore >= min);
    if (a) return Promise.resolve(a);
    return new Promise((resolve) => this.waiters.set(appraisalId, (this.waiters.get(appraisalId) ?? []).concat({ min, resolve })));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const wall = Date.now();
      this.requests++;
      let event: { type: string; timestamp: string; data: { appraisalId: string; resultScore: number | string } };
      try {
        event = this.webhook!.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>) as typeof event;
      } catch {
        this.badSignatures++;
        return void res.writeHead(400).end();
      }
      const id = String(req.headers['webhook-id']);
      if (this.ids.has(id)) this.duplicates++;
      else if (event.type === 'score.changed') {
        this.ids.add(id);
        const { appraisalId } = event.data;
        const a: Arrival = { resultScore: Number(event.data.resultScore), at, wall, eventTime: Date.parse(event.timestamp) };
        this.arrivals.set(appraisalId, (this.arrivals.get(appraisalId) ?? []).concat(a));
        const waiting = this.waiters.get(appraisalId) ?? [];
        for (const w of waiting) if (w.min <= a.resultScore) w.resolve(a);
        this.waiters.set(appraisalId, waiting.filter((w) => w.min > a.resultScore));
      }
      res.writeHead(204).end();
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface Fixture {
  periodId: string;
  today: string;
  appraisalIds: string[];
  targetIds: string[];
}

interface Ctx {
  api: ApiProcess;
  fixture: Fixture;
  keyW: string;
  keyV: string;
  webhookId: string;
}

/** The one-unit city scored, keys W and V as in bench/http.bench.ts, then the webhook (so the first scores send nothing). */
async function setUp(api: ApiProcess, db: Client, receiver: Receiver): Promise<Ctx> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    const { periodId, today } = await seedOneUnitCity(db, 'BENCH-WH', APPRAISALS);
    await db.query('VACUUM (ANALYZE) units, indicators, periods, employees, appraisals, appraisal_targets');
    const t = await db.query<{ id: string; appraisal_id: string }>(`SELECT id, appraisal_id FROM appraisal_targets ORDER BY id`);
    const fixture = { periodId, today, appraisalIds: t.rows.map((r) => r.appraisal_id), targetIds: t.rows.map((r) => r.id) };
    const login = async (username: string, password: string) =>
      String((await expect(`login ${username}`, 200, call(agent, api.port, 'POST', '/auth/login', {}, { username, password }))).accessToken);
    const admin = { token: await login('admin', ADMIN_PASSWORD) };
    await expect('create the second admin', 201, call(agent, api.port, 'POST', '/users', admin, { ...ADMIN2, role: 'ADMIN' }));
    const admin2 = { token: await login(ADMIN2.username, ADMIN2.password) };
    // A key answers for its issuer in four eyes: the verifier's key must come from another admin.
    const w = await expect('create key W', 201, call(agent, api.port, 'POST', '/api-keys', admin, { name: 'bench writer', scopes: ['achievements:write'] }));
    const v = await expect('create key V', 201, call(agent, api.port, 'POST', '/api-keys', admin2, { name: 'bench verifier', scopes: ['achievements:verify'] }));
    const run = await expect('recalculate', 202, call(agent, api.port, 'POST', `/periods/${periodId}/recalculate`, admin));
    await until(
      async () => (await call(agent, api.port, 'GET', `/recalculations/${String(run.id)}`, admin)).body?.status === 'COMPLETED',
      60_000,
      'the batch recalculation',
    );
    const scores = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM appraisal_scores WHERE result_score = 0')).rows[0].n;
    if (scores !== APPRAISALS) throw new Error(`expected ${APPRAISALS} scores of 0, found ${scores}`);
    const hook = await expect('create the webhook', 201, call(agent, api.port, 'POST', '/webhooks', admin, { url: receiver.url, events: ['score.changed'], description: 'bench' }));
    receiver.trust(String(hook.secret));
    return { api, fixture, keyW: String(w.key), keyV: String(v.key), webhookId: String(hook.id) };
  } finally {
    agent.destroy();
  }
}

interface Outcome {
  latencies: number[];
  /** Recomputing transaction's start → arrival (wall clocks of one machine, ms). */
  eventToArrival: number[];
  never: number;
  /** Delivered by an event that covered a later verify too. */
  coalesced: number;
  skipped: number;
  failed: string[];
  /** Per appraisal, the sums after its verifies: what a score.changed of the run can report. */
  sums: Map<string, Set<number>>;
}

/** RATE events/s for DURATION s, open loop; each waits for its delivery until DRAIN_TIMEOUT s after the last one started. */
async function run(ctx: Ctx, receiver: Receiver): Promise<{ outcome: Outcome; seconds: number; cpu: number }> {
  const { api, fixture } = ctx;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = RATE * DURATION;
  const out: Outcome = { latencies: [], eventToArrival: [], never: 0, coalesced: 0, skipped: 0, failed: [], sums: new Map() };
  const sums = fixture.appraisalIds.map(() => 0);
  const busy = new Set<number>();
  let drained!: () => void;
  const drainOver = new Promise<'timeout'>((resolve) => (drained = () => resolve('timeout')));

  const event = async (value: number): Promise<void> => {
    const free = sums.flatMap((s, k) => (!busy.has(k) && s + value <= MAX_SUM ? [k] : []));
    if (!free.length) return void out.skipped++;
    const k = free[Math.floor(Math.random() * free.length)];
    busy.add(k); // until the verify answers, so that sums follow commit order; for good if it fails (the sum is unknown)
    const created = await call(agent, api.port, 'POST', '/achievements', { key: ctx.keyW }, { targetId: fixture.targetIds[k], value, occurredOn: fixture.today });
    if (created.status !== 201) throw new Error(`POST /achievements ${created.status} ${JSON.stringify(created.body)}`);
    const verified = await call(agent, api.port, 'POST', `/achievements/${String(created.body?.id)}/verify`, { key: ctx.keyV });
    if (verified.status !== 200) throw new Error(`verify ${verified.status} ${JSON.stringify(verified.body)}`);
    const committed = performance.now();
    const id = fixture.appraisalIds[k];
    const sum = (sums[k] += value);
    out.sums.set(id, (out.sums.get(id) ?? new Set()).add(sum));
    busy.delete(k);
    const a = await Promise.race([receiver.arrived(id, sum), drainOver]);
    if (a === 'timeout') return void out.never++;
    out.latencies.push(a.at - committed);
    out.eventToArrival.push(a.wall - a.eventTime);
    if (a.resultScore > sum) out.coalesced++;
  };

  const cpu0 = cpuSeconds(api.pid);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(event(1 + (i % 9)).catch((e: Error) => void out.failed.push(e.message)));
  }
  const timer = setTimeout(drained, DRAIN_TIMEOUT * 1000);
  await Promise.all(pending);
  clearTimeout(timer);
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(api.pid) - cpu0;
  agent.destroy();
  return { outcome: out, seconds, cpu };
}

interface DeliveryCounts {
  deliveries: number;
  delivered: number;
  pending: number;
  attempts: number;
  maxAttempts: number;
  nonTwoXx: number;
}

/** What the API recorded for the endpoint (the figures of GET /webhooks/{id}/deliveries, counted in SQL). */
async function deliveryCounts(db: Client, webhookId: string): Promise<DeliveryCounts> {
  const { rows } = await db.query<DeliveryCounts>(
    `SELECT count(*)::int AS deliveries, count(*) FILTER (WHERE d.status = 'DELIVERED')::int AS delivered,
            count(*) FILTER (WHERE d.status = 'PENDING')::int AS pending,
            (SELECT count(*)::int FROM webhook_delivery_attempts t JOIN webhook_deliveries x ON x.id = t.delivery_id WHERE x.endpoint_id = $1) AS attempts,
            coalesce(max(d.attempts), 0)::int AS "maxAttempts",
            (SELECT count(*)::int FROM webhook_delivery_attempts t JOIN webhook_deliveries x ON x.id = t.delivery_id
              WHERE x.endpoint_id = $1 AND (t.status_code IS NULL OR t.status_code NOT BETWEEN 200 AND 299)) AS "nonTwoXx"
       FROM webhook_deliveries d WHERE d.endpoint_id = $1`,
    [webhookId],
  );
  return rows[0];
}

function report(r: { outcome: Outcome; seconds: number; cpu: number }, receiver: Receiver, counts: DeliveryCounts): void {
  const { outcome: o } = r;
  const total = RATE * DURATION;
  const sent = total - o.skipped - o.failed.length;
  const l = [...o.latencies].sort((a, b) => a - b);
  const e = [...o.eventToArrival].sort((a, b) => a - b);
  console.log(
    `\nEvent-to-delivery (issue 15): ${total} events at ${RATE}/s (POST /achievements, then POST /achievements/{id}/verify by another ` +
      `admin's key) → score.changed, POSTed to a receiver on 127.0.0.1; latency from the verify's answer to the signed delivery's arrival; drain ${DRAIN_TIMEOUT} s`,
  );
  console.table([
    {
      sent,
      delivered: `${l.length}/${sent}`,
      'never delivered': o.never,
      coalesced: o.coalesced,
      'failed / skipped': `${o.failed.length}/${o.skipped}`,
      'p50 ms': round(quantile(l, 0.5) ?? NaN, 1),
      'p95 ms': round(quantile(l, 0.95) ?? NaN, 1),
      'p99 ms': round(quantile(l, 0.99) ?? NaN, 1),
      'max ms': round(l[l.length - 1] ?? NaN, 1),
      'event→arrival p50/p95 ms': `${quantile(e, 0.5) ?? NaN}/${quantile(e, 0.95) ?? NaN}`,
      'bad signatures': receiver.badSignatures,
      'API CPU ms/event': round((r.cpu * 1000) / Math.max(1, sent), 2),
      seconds: round(r.seconds, 1),
    },
  ]);
  console.log('Deliveries the API recorded for the endpoint (one per score.changed, one attempt each):');
  console.table([
    {
      deliveries: counts.deliveries,
      DELIVERED: counts.delivered,
      PENDING: counts.pending,
      attempts: counts.attempts,
      'most attempts of one': counts.maxAttempts,
      'attempts not 2xx': counts.nonTwoXx,
      'requests received': receiver.requests,
      'duplicate webhook-ids': receiver.duplicates,
      'score.changed received': [...receiver.arrivals.values()].reduce((n, as) => n + as.length, 0),
      'unexpected resultScore': [...receiver.arrivals].reduce((n, [id, as]) => n + as.filter((a) => !o.sums.get(id)?.has(a.resultScore)).length, 0),
    },
  ]);
  if (o.failed.length) console.log(`first failures: ${o.failed.slice(0, 3).join(' | ')}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`database ${DB_URL}`);
  await recreateDatabase(DB_URL);
  const redis = await TestRedis.start();
  const receiver = await Receiver.start();
  const db = new Client({ connectionString: DB_URL, application_name: 'capaian-bench-webhooks' });
  let api: ApiProcess | undefined;
  try {
    api = await startApi(DB_URL, redis.url, { ADMIN_PASSWORD, RECALC_WORKER: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    // The API inherits this environment: tuning such as WEBHOOK_ENDPOINT_CONCURRENCY applies to it.
    const tuning = Object.entries(process.env).filter(([k]) => /^(WEBHOOK|RECALC)_/.test(k) && k !== 'RECALC_WORKER');
    console.log(`API settings: ${tuning.map(([k, v]) => `${k}=${v}`).join(' ') || 'the defaults'} (RECALC_WORKER=true, WEBHOOK_ALLOWED_HOSTS=127.0.0.1)`);
    await db.connect();
    const ctx = await setUp(api, db, receiver);
    console.log(`set-up: ${APPRAISALS} AGREED appraisals scored, webhook ${ctx.webhookId} → ${receiver.url}, ${round((performance.now() - started) / 1000, 1)} s`);
    const result = await run(ctx, receiver);
    await sleep(500); // the last attempts' records commit after their answer
    report(result, receiver, await deliveryCounts(db, ctx.webhookId));
    console.log(`\nwhole run: ${round((performance.now() - started) / 1000, 1)} s`);
    if (receiver.badSignatures) throw new Error(`${receiver.badSignatures} deliveries failed signature verification`);
  } finally {
    await db.end().catch(() => undefined);
    await api?.stop();
    await receiver.close();
    await redis.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
