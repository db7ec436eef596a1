import { randomBytes, scryptSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { auth, expectProblem, uniqueCode } from './factories';
import { TestRedis } from './processes';

const PASSWORD = 'correct-horse-battery';
const WRONG = 'wrong-password-123';
/** The module object itself (not an import's namespace copy): the one password.ts calls, so a spy sees its calls. */
const argon2 = jest.requireActual<typeof import('@node-rs/argon2')>('@node-rs/argon2');
const LIMITS = { LOGIN_THROTTLE_LIMIT: '4', LOGIN_THROTTLE_USERNAME_LIMIT: '6', LOGIN_THROTTLE_ADDRESS_LIMIT: '10' };

/**
 * Spec §8 "Authentication": failed sign-ins are limited per username across addresses and per address across
 * usernames, counted before any hash and shared by two instances through this file's own redis-server; the
 * client address comes from X-Forwarded-For, which TRUST_PROXY=loopback believes from the test client.
 */
describe('sign-in (e2e)', () => {
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let seq = 0;
  const address = () => `198.51.100.${++seq}`; // documentation range: only ever a header value

  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = { REDIS_URL: redis.url, TRUST_PROXY: 'loopback', ...LIMITS };
    a = await createTestApp(env);
    b = await createTestApp(env); // rebinds passport's global 'jwt' strategy: same secret, so harmless
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  async function createUser(): Promise<string> {
    const username = uniqueCode('sgn').toLowerCase();
    const res = await a.http().post('/users').set(auth(a.adminToken)).send({ username, password: PASSWORD, role: 'ADMIN' });
    expect(res.status).toBe(201);
    return username;
  }
  /** Instances alternate with `i`, so every limit below is only reached by counting both together. */
  const login = (i: number, from: string, username: string, password: string) =>
    (i % 2 ? b : a).http().post('/auth/login').set('X-Forwarded-For', from).send({ username, password });
  const expectRefused = (res: Awaited<ReturnType<typeof login>>) => {
    expectProblem(res, 429, 'too-many-requests');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
  };
  const storedHash = async (username: string) =>
    (await a.app.get(DataSource).query<{ password_hash: string }[]>('SELECT password_hash FROM users WHERE username = $1', [username]))[0]
      .password_hash;

  it('stops spraying one password over many usernames from one address at LOGIN_THROTTLE_ADDRESS_LIMIT', async () => {
    const sprayer = address();
    const real = [await createUser(), await createUser()];
    const names = [...real, ...Array.from({ length: 8 }, () => uniqueCode('nobody').toLowerCase())];
    for (let i = 0; i < 10; i++) expectProblem(await login(i, sprayer, names[i], WRONG), 401);
    for (let i = 10; i < 14; i++) expectRefused(await login(i, sprayer, uniqueCode('more').toLowerCase(), WRONG));
    expectRefused(await login(0, sprayer, real[0], PASSWORD)); // refused before the password is looked at
    expect((await login(1, address(), real[0], PASSWORD)).status).toBe(200); // other addresses are not affected
  });

  it('stops guessing one username from many addresses at LOGIN_THROTTLE_USERNAME_LIMIT', async () => {
    const victim = await createUser();
    for (let i = 0; i < 6; i++) expectProblem(await login(i, address(), victim, WRONG), 401);
    const fresh = address();
    expectRefused(await login(0, fresh, victim, WRONG));
    expectRefused(await login(1, fresh, victim.toUpperCase(), PASSWORD));
    expect((await login(0, fresh, await createUser(), PASSWORD)).status).toBe(200); // other usernames are not affected
  });

  it('never stops successful logins from one address (an office behind one NAT), and still counts its failures', async () => {
    const office = address();
    const staff = [await createUser(), await createUser(), await createUser()];
    for (let i = 0; i < 30; i++) expect((await login(i, office, staff[i % 3], PASSWORD)).status).toBe(200); // 3× each limit
    for (let i = 0; i < 10; i++) expectProblem(await login(i, office, uniqueCode('typo').toLowerCase(), WRONG), 401);
    expectRefused(await login(0, office, staff[0], PASSWORD));
  });

  it('answers 400 to a 10,000-character username or a NUL byte, counting no attempt and computing no hash', async () => {
    const from = address();
    const victim = await createUser();
    const malformed = [
      { username: 'a'.repeat(10_000), password: WRONG },
      { username: `${victim}\u0000`, password: WRONG },
      { username: victim, password: `${WRONG}\u0000` },
    ];
    const verify = jest.spyOn(argon2, 'verify');
    try {
      // 12 refusals from one address, 4 of them naming the victim: past every limit, were they counted.
      for (let i = 0; i < 12; i++) {
        const res = await (i % 2 ? b : a).http().post('/auth/login').set('X-Forwarded-For', from).send(malformed[i % 3]);
        expectProblem(res, 400, 'validation-failed');
        expect(res.body.errors).toEqual([expect.objectContaining({ field: i % 3 === 2 ? 'password' : 'username' })]);
      }
      expect(verify).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
    }
    // The address and the victim's counters are untouched: LOGIN_THROTTLE_LIMIT (4) failures still answer 401.
    for (let i = 0; i < 4; i++) expectProblem(await login(i, from, victim, WRONG), 401);
    expectRefused(await login(0, from, victim, WRONG));
  });

  it('computes at most LOGIN_THROTTLE_ADDRESS_LIMIT hashes for a concurrent burst of wrong passwords', async () => {
    const burst = address();
    const real = await createUser();
    const verify = jest.spyOn(argon2, 'verify');
    try {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => login(i, burst, i % 4 ? uniqueCode('burst').toLowerCase() : real, WRONG)),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30);
      expect(verify).toHaveBeenCalledTimes(10);
    } finally {
      verify.mockRestore();
    }
  });

  it('upgrades a legacy scrypt hash to argon2id on a successful login, and keeps the sessions', async () => {
    const username = await createUser();
    const salt = randomBytes(16);
    const legacy = ['scrypt', 16384, 8, 1, salt.toString('base64'), scryptSync(PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')].join('$');
    const db = a.app.get(DataSource);
    await db.query('UPDATE users SET password_hash = $1 WHERE username = $2', [legacy, username]);

    const from = address();
    expectProblem(await login(0, from, username, WRONG), 401);
    expect(await storedHash(username)).toBe(legacy); // a failed login changes nothing
    const first = await login(1, from, username, PASSWORD);
    expect(first.status).toBe(200);
    const upgraded = await storedHash(username);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    expect((await login(0, from, username, PASSWORD)).status).toBe(200);
    expect(await storedHash(username)).toBe(upgraded); // current hashes stay as they are
    expectProblem(await login(1, from, username, WRONG), 401);
    expect((await a.http().get('/auth/me').set(auth(first.body.accessToken))).status).toBe(200); // the re-hash revokes no token

    const [event] = await db.query<{ before: unknown; after: unknown }[]>(
      `SELECT before, after FROM audit_events WHERE action = 'user.password-rehash' AND entity_id = (SELECT id::text FROM users WHERE username = $1)`,
      [username],
    );
    expect(event).toMatchObject({ before: { passwordScheme: 'scrypt$16384$8$1' }, after: { passwordScheme: '$argon2id$v=19$m=19456,t=2,p=1' } });
  });

  it('upgrades an argon2id hash weaker than the current parameters', async () => {
    const username = await createUser();
    const weak = await argon2.hash(PASSWORD, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await a.app.get(DataSource).query('UPDATE users SET password_hash = $1 WHERE username = $2', [weak, username]);
    expect((await login(0, address(), username, PASSWORD)).status).toBe(200);
    expect(await storedHash(username)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
