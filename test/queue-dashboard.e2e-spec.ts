import type { Queue } from 'bull';
import { SCORES_QUEUE_TOKEN } from '../src/modules/recalculation/relay.service';
import { createTestApp, TestApp } from './app';
import { expectProblem } from './factories';
import { TestRedis } from './processes';
import { TEST_ADMIN } from './test-env';

const BASIC = `Basic ${Buffer.from(`${TEST_ADMIN.username}:${TEST_ADMIN.password}`).toString('base64')}`;
const PAUSE = '/admin/queues/api/queues/scores/pause';
const RESUME = '/admin/queues/api/queues/scores/resume';

/** The queue dashboard (spec §6 operators, issue point 7): read-only unless QUEUE_DASHBOARD_WRITE=true, and then same-origin writes only. */
describe('queue dashboard (e2e)', () => {
  let redis: TestRedis;
  let readOnly: TestApp;
  let writable: TestApp;
  let queue: Queue;

  beforeAll(async () => {
    redis = await TestRedis.start();
    readOnly = await createTestApp({ REDIS_URL: redis.url });
    writable = await createTestApp({ REDIS_URL: redis.url, QUEUE_DASHBOARD_WRITE: 'true' });
    queue = writable.app.get<Queue>(SCORES_QUEUE_TOKEN);
  }, 60_000);
  afterAll(async () => {
    await queue?.resume().catch(() => undefined);
    await readOnly?.close();
    await writable?.close();
    await redis?.stop();
  });

  it('is read-only by default: shows the queue and refuses every change with 405', async () => {
    const page = await readOnly.http().get('/admin/queues').set('Authorization', BASIC);
    expect(page.status).toBe(200);
    const queues = await readOnly.http().get('/admin/queues/api/queues').set('Authorization', BASIC);
    expect(queues.status).toBe(200);
    expect(queues.body.queues[0]).toMatchObject({ name: 'scores', readOnlyMode: true });

    for (const path of [PAUSE, '/admin/queues/api/queues/pause', '/admin/queues/api/queues/scores/clean/completed']) {
      const res = await readOnly.http().put(path).set('Authorization', BASIC).set('Sec-Fetch-Site', 'same-origin');
      expectProblem(res, 405, 'method-not-allowed');
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    expect(await queue.isPaused()).toBe(false);
  });

  it('when writable, refuses changes that do not come from its own page', async () => {
    const crossSite = [
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site', Origin: 'https://capaian.test' }, // a sibling subdomain is another origin
      { Origin: 'https://evil.example', Host: 'capaian.test' },
      { Origin: 'null' },
      {}, // neither header: not from a browser page we can vouch for
    ];
    for (const headers of crossSite) {
      const res = await writable.http().put(PAUSE).set('Authorization', BASIC).set(headers);
      expectProblem(res, 403, 'cross-site-request');
    }
    expect(await queue.isPaused()).toBe(false);
    // Reading stays possible from anywhere, with the credentials.
    expect((await writable.http().get('/admin/queues/api/queues').set('Authorization', BASIC).set('Sec-Fetch-Site', 'cross-site')).status).toBe(200);
  });

  it('when writable, takes changes from its own page, with ADMIN credentials', async () => {
    expectProblem(await writable.http().put(PAUSE).set('Sec-Fetch-Site', 'same-origin'), 401);
    const paused = await writable.http().put(PAUSE).set('Authorization', BASIC).set('Sec-Fetch-Site', 'same-origin');
    expect(paused.status).toBe(200);
    expect(await queue.isPaused()).toBe(true);
    // A browser without Sec-Fetch-Site: its Origin names our own host.
    const resumed = await writable.http().put(RESUME).set('Authorization', BASIC).set({ Host: 'capaian.test', Origin: 'https://capaian.test' });
    expect(resumed.status).toBe(200);
    expect(await queue.isPaused()).toBe(false);
  });
});
