import { TooManyRequestsError } from '../../common/errors/app-error';
import { addressKey, AttemptCounters, LoginLimiter, MemoryAttemptCounters } from './login-limiter';
import { RedisFailover } from './throttler-storage';

describe('addressKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1%eth0', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['1::2:3:4:5:6:7', '1:0:2:3::/64'],
    ['1::3:4:5:6:1.2.3.4', '1:0:3:4::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s counts as %s', (ip, key) => expect(addressKey(ip)).toBe(key));
});

describe('MemoryAttemptCounters', () => {
  let clock: number;
  let counters: MemoryAttemptCounters;
  beforeEach(() => {
    clock = 0;
    counters = new MemoryAttemptCounters(() => clock);
  });

  it('reserves in every counter or in none, and tells how long the full one stays full', async () => {
    const a = { key: 'a', limit: 2 };
    const b = { key: 'b', limit: 5 };
    expect(await counters.reserve([a, b], 60_000)).toBe(0);
    clock = 10_000;
    expect(await counters.reserve([a, b], 60_000)).toBe(0);
    expect(await counters.reserve([a, b], 60_000)).toBe(50_000); // a is full: b is not counted
    // b took 2, so 3 more fit
    for (let i = 0; i < 3; i++) expect(await counters.reserve([b], 60_000)).toBe(0);
    expect(await counters.reserve([b], 60_000)).toBeGreaterThan(0);
    clock = 60_000; // the window is over
    expect(await counters.reserve([a, b], 60_000)).toBe(0);
  });

  it('gives a reservation back', async () => {
    const a = { key: 'a', limit: 1 };
    expect(await counters.reserve([a], 60_000)).toBe(0);
    await counters.release(['a']);
    expect(await counters.reserve([a], 60_000)).toBe(0);
    expect(await counters.reserve([a], 60_000)).toBeGreaterThan(0);
  });
});

describe('LoginLimiter', () => {
  const limits = { limit: 3, usernameLimit: 5, addressLimit: 8, ttlSeconds: 60 };
  let limiter: LoginLimiter;
  beforeEach(() => (limiter = new LoginLimiter(limits)));

  const attempt = (username: string, address: string) =>
    limiter.reserve(username, address).then(
      () => 'counted',
      (e: unknown) => {
        if (e instanceof TooManyRequestsError) return `429 ${e.code} ${e.retryAfterSeconds}`;
        throw e;
      },
    );

  it('limits one address over all usernames (password spraying)', async () => {
    for (let i = 0; i < 8; i++) expect(await attempt(`user${i}`, '198.51.100.1')).toBe('counted');
    expect(await attempt('user99', '198.51.100.1')).toBe('429 too-many-requests 60');
    expect(await attempt('user99', '198.51.100.2')).toBe('counted');
  });

  // Case-insensitivity is the caller's (UsersService.verifyCredentials lower-cases once; sign-in.e2e-spec.ts checks it).
  it('limits one username over all addresses', async () => {
    for (let i = 0; i < 5; i++) expect(await attempt('victim', `198.51.100.${i}`)).toBe('counted');
    expect(await attempt('victim', '198.51.100.99')).toBe('429 too-many-requests 60');
    expect(await attempt('someone-else', '198.51.100.99')).toBe('counted');
  });

  it('limits one username from one address sooner', async () => {
    for (let i = 0; i < 3; i++) expect(await attempt('victim', '198.51.100.1')).toBe('counted');
    expect(await attempt('victim', '198.51.100.1')).toBe('429 too-many-requests 60');
    expect(await attempt('victim', '198.51.100.2')).toBe('counted');
  });

  it('counts an IPv6 client by its /64', async () => {
    for (let i = 0; i < 8; i++) expect(await attempt(`user${i}`, `2001:db8:1:2::${i + 1}`)).toBe('counted');
    expect(await attempt('user99', '2001:db8:1:2:ffff::1')).toMatch(/^429/);
    expect(await attempt('user99', '2001:db8:1:3::1')).toBe('counted');
  });

  it('does not count an attempt that is given back (a successful login)', async () => {
    for (let i = 0; i < 30; i++) await (await limiter.reserve(`staff${i % 10}`, '198.51.100.1'))();
    for (let i = 0; i < 8; i++) expect(await attempt(`user${i}`, '198.51.100.1')).toBe('counted');
    expect(await attempt('staff1', '198.51.100.1')).toMatch(/^429/);
  });

  it('counts in memory while the shared counters fail, and gives back where it counted', async () => {
    const shared: jest.Mocked<AttemptCounters> = {
      reserve: jest.fn().mockRejectedValue(new Error('Connection is closed.')),
      release: jest.fn(),
    };
    const logger = { warn: jest.fn(), log: jest.fn() };
    const close = jest.fn();
    limiter = new LoginLimiter(limits, { counters: shared, failover: new RedisFailover('login attempts', { logger }), close });
    const giveBack = await limiter.reserve('victim', '198.51.100.1');
    await giveBack();
    expect(shared.release).not.toHaveBeenCalled();
    for (let i = 0; i < 3; i++) expect(await attempt('victim', '198.51.100.1')).toBe('counted');
    expect(await attempt('victim', '198.51.100.1')).toMatch(/^429/);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    limiter.onApplicationShutdown();
    expect(close).toHaveBeenCalledTimes(1);
  });
});
