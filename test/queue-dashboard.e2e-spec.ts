import type { Queue } from 'bull';
import { LoginLimiter } from '../src/modules/auth/login-limiter';
import * as passwords from '../src/modules/auth/password';
import { SCORES_QUEUE_TOKEN } from '../src/modules/recalculation/relay.service';
import { createTestApp, TestApp } from './app';
import { auth, createUnit, expectProblem, uniqueCode } from './factories';
import { TestRedis } from './processes';
import { TEST_ADMIN } from './test-env';

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const BASIC = basic(TEST_ADMIN.username, TEST_ADMIN.password);
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
    expect(queues.body.queues.map((q: { name: string; readOnlyMode: boolean }) => [q.name, q.readOnlyMode])).toEqual([
      ['scores', true],
      ['webhooks', true],
    ]);

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

  describe('credentials', () => {
    it('refuses a valid user who is not an ADMIN with 401', async () => {
      const unit = await createUnit(readOnly);
      const username = uniqueCode('operator').toLowerCase();
      const password = 'operator-passphrase';
      const created = await readOnly.http().post('/users').set(auth(readOnly.adminToken)).send({ username, password, role: 'HR_OPERATOR', unitId: unit.id });
      expect(created.status).toBe(201);
      expect((await readOnly.http().post('/auth/login').send({ username, password })).status).toBe(200); // the credentials are right
      expectProblem(await readOnly.http().get('/admin/queues').set('Authorization', basic(username, password)), 401, 'unauthorized');
    });

    it('refuses a NUL in the username with 401, not a database error', async () => {
      const res = await readOnly.http().get('/admin/queues').set('Authorization', basic(`${TEST_ADMIN.username}\0`, TEST_ADMIN.password));
      expectProblem(res, 401, 'unauthorized');
    });

    it('refuses a 10,000-character username with 401, before counting the attempt or hashing', async () => {
      const verify = jest.spyOn(passwords, 'verifyPassword');
      const reserve = jest.spyOn(readOnly.app.get(LoginLimiter), 'reserve');
      try {
        const res = await readOnly.http().get('/admin/queues').set('Authorization', basic('a'.repeat(10_000), TEST_ADMIN.password));
        expectProblem(res, 401, 'unauthorized');
        expect(reserve).not.toHaveBeenCalled();
        expect(verify).not.toHaveBeenCalled();
      } finally {
        verify.mockRestore();
        reserve.mockRestore();
      }
    });
  });
});
