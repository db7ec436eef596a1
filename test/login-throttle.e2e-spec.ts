import Redis from 'ioredis';
import { createTestApp, TestApp } from './app';
import { auth, expectProblem, uniqueCode } from './factories';
import { TestRedis, until } from './processes';

const PASSWORD = 'correct-horse-battery';
const WRONG = 'wrong-password-123';

/** Two API processes on one redis-server of this file's own share the login attempt counts; a Redis outage does not break logins. */
describe('login throttling across instances (e2e)', () => {
  let redis: TestRedis;
  let probe: Redis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    redis = await TestRedis.start();
    probe = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    probe.on('error', () => undefined);
    const env = { REDIS_URL: redis.url, LOGIN_THROTTLE_LIMIT: '3', RECALC_WORKER: 'false' };
    a = await createTestApp(env);
    b = await createTestApp(env); // rebinds passport's global 'jwt' strategy: same secret, so harmless
  }, 60_000);
  afterAll(async () => {
    probe?.disconnect();
    await a?.close(); // a no-op when the last test closed them already
    await b?.close();
    await redis?.stop();
  });

  async function createUser(): Promise<string> {
    const username = uniqueCode('thr').toLowerCase();
    const res = await a.http().post('/users').set(auth(a.adminToken)).send({ username, password: PASSWORD, role: 'ADMIN' });
    expect(res.status).toBe(201);
    return username;
  }

  const login = (t: TestApp, username: string, password: string) => t.http().post('/auth/login').send({ username, password });

  const throttleKeys = async () => {
    if (probe.status !== 'ready') await probe.connect();
    return (await probe.keys('capaian:throttle:*')).length;
  };

  /** Wrong passwords alternately on a and b: the 4th attempt overall is refused with 429 by either. */
  async function expectSharedCount(username: string) {
    expectProblem(await login(a, username, WRONG), 401);
    expectProblem(await login(b, username, WRONG), 401);
    expectProblem(await login(a, username, WRONG), 401);
    const blocked = await login(b, username, PASSWORD);
    expectProblem(blocked, 429, 'too-many-requests');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expectProblem(await login(a, username, PASSWORD), 429);
  }

  it('counts the attempts of both instances together in Redis', async () => {
    const before = await throttleKeys();
    await expectSharedCount(await createUser());
    expect(await throttleKeys()).toBeGreaterThan(before);
  });

  it('keeps answering logins while Redis is down, throttling per process, and shares the counts again once it is back', async () => {
    const fresh = await createUser();
    const local = await createUser();
    await redis.stop();

    const started = Date.now();
    const ok = await login(a, fresh, PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.tokenType).toBe('Bearer');
    expectProblem(await login(b, fresh, WRONG), 401);
    expect(Date.now() - started).toBeLessThan(3000); // no hanging on the dead Redis

    // Each process still throttles on its own.
    for (let i = 0; i < 3; i++) expectProblem(await login(a, local, WRONG), 401);
    expectProblem(await login(a, local, PASSWORD), 429);
    expect((await login(b, local, PASSWORD)).status).toBe(200);

    await redis.resume();
    // Both instances reconnect on their own (ioredis retries every ≤ 2 s); a wrong login then lands in Redis again.
    for (const t of [a, b]) {
      await until(
        async () => {
          const before = await throttleKeys();
          expectProblem(await login(t, uniqueCode('probe').toLowerCase(), WRONG), 401);
          return (await throttleKeys()) > before;
        },
        15_000,
        'the instance to count in Redis again',
      );
    }
    await expectSharedCount(await createUser());
  });

  it('closes its Redis connections on shutdown', async () => {
    await a.close();
    await b.close();
    await throttleKeys(); // connects the probe if needed
    const clients = async () => String(await probe.call('CLIENT', 'LIST')).trim().split('\n').length;
    await until(async () => (await clients()) === 1, 3000, 'only the probe to stay connected').catch(() => undefined);
    expect(await clients()).toBe(1);
  });
});
