import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SCORES_QUEUE } from '../src/modules/recalculation/queue';
import { createTestApp, TestApp } from './app';
import { auth, expectProblem } from './factories';
import { recreateDatabase } from './global-setup';
import { createAppraisal, insertPeriod, orgChain } from './planning-fixtures';
import { freePort, TestRedis, until } from './processes';
import { TEST_DATABASE_URL } from './test-env';
import { WebhookReceiver } from './webhook-receiver';

/**
 * GET /metrics (Prometheus text format): disabled by default, on the API port behind METRICS_TOKEN, or on a port of
 * its own (METRICS_PORT). A database of this file's own, so the marks gauges can be asserted exactly, and a private
 * redis-server for the queue gauges.
 */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_metrics');
const TOKEN = 'metrics-token-for-the-e2e-test-0123456789';
const QUIET = { DATABASE_URL: DB, RECALC_CRON: '' };

/** One sample of the exposition text: its value, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics (e2e)', () => {
  beforeAll(() => recreateDatabase(DB), 120_000);

  describe('with neither METRICS_TOKEN nor METRICS_PORT', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp(QUIET)));
    afterAll(() => t?.close());

    it('answers 404, token or not, like any unknown path', async () => {
      expectProblem(await t.http().get('/metrics'), 404, 'not-found');
      expectProblem(await t.http().get('/metrics').set(auth(TOKEN)), 404, 'not-found');
    });
  });

  describe('on the API port behind METRICS_TOKEN', () => {
    let t: TestApp;
    let db: DataSource;
    const scrape = async () => {
      const res = await t.http().get('/metrics').set(auth(TOKEN)).expect(200);
      return res.text;
    };
    beforeAll(async () => {
      t = await createTestApp({ ...QUIET, METRICS_TOKEN: TOKEN });
      db = t.app.get(DataSource);
    });
    afterAll(async () => {
      await db?.query('DELETE FROM score_recalculation_marks');
      await t?.close();
    });

    it.each<[string, () => Record<string, string>]>([
      ['no Authorization', () => ({})],
      ['a wrong token', () => auth(`${TOKEN}x`)],
      ['a prefix of the token', () => auth(TOKEN.slice(0, -1))],
      ['the token without the Bearer scheme', () => ({ Authorization: TOKEN })],
      ['the token as an API key', () => ({ 'X-API-Key': TOKEN })],
      ["an admin's access token", () => auth(t.adminToken)],
    ])('answers 401 problem+json with %s', async (_, headers) => {
      const res = await t.http().get('/metrics').set(headers());
      expectProblem(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.text).not.toContain('http_request_duration_seconds');
    });

    it('answers 200 text/plain with the token, and labels requests by route template and real status', async () => {
      const key = (route: string, status: string, method = 'GET') => ({ method, route, status });
      const before = await scrape();
      const count = (text: string, labels: Record<string, string>) => sample(text, 'http_request_duration_seconds_count', labels) ?? 0;
      const id = randomUUID();
      expectProblem(await t.http().get(`/appraisals/${id}`).set(auth(t.adminToken)), 404, 'not-found');
      expectProblem(await t.http().get(`/appraisals/${randomUUID()}`).set(auth(t.adminToken)), 404, 'not-found');
      expectProblem(await t.http().get(`/appraisals/${id}`), 401, 'unauthorized'); // refused by the guard
      expectProblem(await t.http().get('/appraisals/not-a-uuid').set(auth(t.adminToken)), 400); // the pipe
      expectProblem(await t.http().get(`/no-such-path/${id}`), 404, 'not-found'); // no route
      expectProblem(await t.http().post('/appraisals').set(auth(t.adminToken)).set('Content-Type', 'text/plain').send('x'), 415); // a middleware
      expectProblem(await t.http().get('/metrics'), 401, 'unauthorized');
      await t.http().get('/health').expect(200);

      const res = await t.http().get('/metrics').set(auth(TOKEN)).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain;.*\bversion=0\.0\.4\b/);
      expect(res.headers['cache-control']).toBe('no-store');
      const after = res.text;
      expect(after).toContain('# TYPE http_request_duration_seconds histogram');
      expect(count(after, key('/appraisals/:id', '404')) - count(before, key('/appraisals/:id', '404'))).toBe(2);
      expect(count(after, key('/appraisals/:id', '401')) - count(before, key('/appraisals/:id', '401'))).toBe(1);
      expect(count(after, key('/appraisals/:id', '400')) - count(before, key('/appraisals/:id', '400'))).toBe(1);
      expect(count(after, key('unmatched', '404')) - count(before, key('unmatched', '404'))).toBe(1);
      expect(count(after, key('unmatched', '415', 'POST')) - count(before, key('unmatched', '415', 'POST'))).toBe(1);
      expect(count(after, key('/metrics', '401')) - count(before, key('/metrics', '401'))).toBe(1);
      expect(count(after, key('/health', '200')) - count(before, key('/health', '200'))).toBe(1);
      // The previous scrape counts too, once its answer was complete.
      expect(count(after, key('/metrics', '200'))).toBeGreaterThanOrEqual(1);
      expect(sample(after, 'http_request_duration_seconds_bucket', { ...key('/appraisals/:id', '404'), le: '+Inf' })).toBe(count(after, key('/appraisals/:id', '404')));
      // Never the raw URL: the ids sent above appear nowhere.
      expect(after).not.toContain(id);
      expect(after).not.toContain('not-a-uuid');
      // Event-loop lag and the rest of prom-client's default metrics, from this app's own registry.
      expect(sample(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
      expect(after).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      expect(sample(after, 'process_start_time_seconds')).toBeGreaterThan(0);
      // Without REDIS_URL there is no queue to count.
      expect(after).not.toMatch(/^capaian_scores_queue_jobs\{/m);
    });

    it('is left out of the OpenAPI document the running app serves, as of openapi.yaml', async () => {
      const doc = await t.http().get('/docs-json').expect(200);
      expect(Object.keys(doc.body.paths as object)).toContain('/health');
      expect(Object.keys(doc.body.paths as object)).not.toContain('/metrics');
    });

    it('reports the pending recalculation marks and the age of the oldest', async () => {
      const org = await orgChain(t);
      const appraisals = [];
      for (let i = 0; i < 3; i++) appraisals.push((await createAppraisal(t, org.employee.id, (await insertPeriod(t, { status: 'OPEN' })).id)).id);
      await db.query('DELETE FROM score_recalculation_marks'); // no relay runs here (no Redis, no worker): nothing else touches them
      let text = await scrape();
      expect(sample(text, 'capaian_recalculation_marks_pending')).toBe(0);
      expect(sample(text, 'capaian_recalculation_oldest_mark_age_seconds')).toBe(0);

      const ages = [7200, 600, 0];
      for (const [i, seconds] of ages.entries()) {
        await db.query(
          `INSERT INTO score_recalculation_marks (appraisal_id, marked_at, reason) VALUES ($1, now() - $2::int * interval '1 second', 'metrics-e2e')`,
          [appraisals[i], seconds],
        );
      }
      text = await scrape();
      expect(sample(text, 'capaian_recalculation_marks_pending')).toBe(3);
      const oldest = sample(text, 'capaian_recalculation_oldest_mark_age_seconds')!;
      expect(oldest).toBeGreaterThanOrEqual(7200);
      expect(oldest).toBeLessThan(7200 + 60);

      await db.query('DELETE FROM score_recalculation_marks WHERE appraisal_id = $1', [appraisals[0]]);
      text = await scrape();
      expect(sample(text, 'capaian_recalculation_marks_pending')).toBe(2);
      const next = sample(text, 'capaian_recalculation_oldest_mark_age_seconds')!;
      expect(next).toBeGreaterThanOrEqual(600);
      expect(next).toBeLessThan(600 + 60);
    });

    it('times each batch recalculation by trigger and outcome when it finishes', async () => {
      const labels = { trigger: 'manual', outcome: 'completed' };
      const batches = (text: string) => sample(text, 'capaian_recalculation_batch_duration_seconds_count', labels) ?? 0;
      const before = await scrape();
      expect(before).toContain('# TYPE capaian_recalculation_batch_duration_seconds histogram');
      const period = await insertPeriod(t, { status: 'OPEN' });
      const run = await t.http().post(`/periods/${period.id}/recalculate`).set(auth(t.adminToken)).expect(202);
      await until(async () => (await t.http().get(`/recalculations/${run.body.id}`).set(auth(t.adminToken))).body.status === 'COMPLETED', 20_000, 'the batch');
      // The run row says COMPLETED just before the histogram is observed: wait for the observation.
      await until(async () => batches(await scrape()) === batches(before) + 1, 5_000, 'the batch to be observed');
      const after = await scrape();
      expect(sample(after, 'capaian_recalculation_batch_duration_seconds_sum', labels)).toBeGreaterThan(sample(before, 'capaian_recalculation_batch_duration_seconds_sum', labels) ?? 0);
      expect(sample(after, 'capaian_recalculation_batch_duration_seconds_count', { trigger: 'manual', outcome: 'failed' }) ?? 0).toBe(0);
    });
  });

  describe('on METRICS_PORT of METRICS_HOST', () => {
    let t: TestApp;
    let redis: TestRedis;
    let port: number;
    // Another loopback address than the API's HOST: the port listens on METRICS_HOST only.
    const url = (path: string, host = '127.0.0.2') => `http://${host}:${port}${path}`;
    beforeAll(async () => {
      redis = await TestRedis.start();
      port = await freePort();
      t = await createTestApp({ ...QUIET, HOST: '127.0.0.1', METRICS_HOST: '127.0.0.2', REDIS_URL: redis.url, METRICS_PORT: String(port) });
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await redis?.stop();
    });

    it('serves /metrics there without a token, and not on the API port', async () => {
      const res = await fetch(url('/metrics'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*\bversion=0\.0\.4\b/);
      expect(await res.text()).toContain('# TYPE http_request_duration_seconds histogram');
      expectProblem(await t.http().get('/metrics'), 404, 'not-found');
      expectProblem(await t.http().get('/metrics').set(auth(TOKEN)), 404, 'not-found');
      expect((await fetch(url('/health'))).status).toBe(404);
      await expect(fetch(url('/metrics', '127.0.0.1'))).rejects.toThrow();
      const post = await fetch(url('/metrics'), { method: 'POST' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    });

    it("counts the scores queue's jobs by state", async () => {
      const queue = t.app.get<Queue>(getQueueToken(SCORES_QUEUE));
      const jobs = async () => {
        const text = await (await fetch(url('/metrics'))).text();
        return Object.fromEntries(['waiting', 'active', 'failed', 'delayed'].map((state) => [state, sample(text, 'capaian_scores_queue_jobs', { state })]));
      };
      expect(await jobs()).toEqual({ waiting: 0, active: 0, failed: 0, delayed: 0 });
      // No worker in this process (RECALC_WORKER=false): the jobs stay where the test puts them.
      for (let i = 0; i < 4; i++) await queue.add('metrics-probe', { i });
      await queue.add('metrics-probe', { i: 4 }, { delay: 3_600_000 });
      const failing = await queue.getNextJob();
      await failing!.moveToFailed({ message: 'probe failure' }, true);
      await queue.getNextJob(); // stays active
      expect(await jobs()).toEqual({ waiting: 2, active: 1, failed: 1, delayed: 1 });
    });
  });

  describe('with METRICS_PORT and METRICS_TOKEN', () => {
    let t: TestApp;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      t = await createTestApp({ ...QUIET, HOST: '127.0.0.1', METRICS_PORT: String(port), METRICS_TOKEN: TOKEN });
    });
    afterAll(() => t?.close());

    it('asks the token on the metrics port too, and serves nothing on the API port', async () => {
      const refused = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: auth(`${TOKEN}x`) });
      expect([refused.status, refused.headers.get('content-type')]).toEqual([401, 'application/problem+json']);
      expect(await refused.json()).toMatchObject({ status: 401, code: 'unauthorized', type: 'urn:capaian:problem:unauthorized' });
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: auth(TOKEN) })).status).toBe(200);
      expectProblem(await t.http().get('/metrics').set(auth(TOKEN)), 404, 'not-found');
    });
  });

  describe('with METRICS_TOKEN, webhooks delivered in this process', () => {
    let t: TestApp;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      receiver = await WebhookReceiver.start('127.0.0.1', { strict: true });
      // No Redis and a worker: the webhook relay delivers in process, to the loopback receiver it is allowed to reach.
      t = await createTestApp({ ...QUIET, METRICS_TOKEN: TOKEN, RECALC_WORKER: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_SCHEDULE: '100ms,100ms' });
    });
    afterAll(async () => {
      await t?.close();
      await receiver?.close();
    });
    const scrape = async () => (await t.http().get('/metrics').set(auth(TOKEN)).expect(200)).text;

    it('counts delivery attempts by outcome and reports the backlog of pending deliveries', async () => {
      const attempts = (text: string, outcome: string) => sample(text, 'capaian_webhook_deliveries_total', { outcome, refused: 'false' }) ?? 0;
      const before = await scrape();
      receiver.answer('/metrics-probe', (n) => (n === 1 ? { status: 500 } : { status: 204 }));
      const created = await t.http().post('/webhooks').set(auth(t.adminToken)).send({ url: receiver.url('/metrics-probe'), events: ['score.changed'] });
      expect(created.status).toBe(201);
      receiver.trust('/metrics-probe', created.body.secret as string);
      expect((await t.http().post(`/webhooks/${created.body.id}/test`).set(auth(t.adminToken))).status).toBe(202);
      await until(() => Promise.resolve(receiver.on('/metrics-probe').length === 2), 20_000);
      await until(async () => attempts(await scrape(), 'delivered') === attempts(before, 'delivered') + 1, 5_000);
      const after = await scrape();
      expect(attempts(after, 'retrying')).toBe(attempts(before, 'retrying') + 1);
      expect(sample(after, 'capaian_webhook_deliveries_pending')).toBe(0);
      expect(sample(after, 'capaian_webhook_oldest_pending_delivery_age_seconds')).toBe(0);
      expect(receiver.on('/metrics-probe').every((r) => r.verifiedBy.length === 1)).toBe(true);
    });
  });
});
