import { OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { TooManyRequestsError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { connectCounterRedis, RedisFailover } from './throttler-storage';

export interface Counter {
  key: string;
  limit: number;
}

/** Fixed-window counters. `reserve` counts one attempt in every counter, or in none when one is full. */
export interface AttemptCounters {
  /** 0 when reserved, else the milliseconds until the fullest counter's window ends. */
  reserve(counters: Counter[], windowMs: number): Promise<number>;
  release(keys: string[]): Promise<void>;
}

/** Check and count in one step (a Lua script runs atomically), so a concurrent burst cannot slip past the check. */
const RESERVE = `
local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then -- a full counter without expiry would block for good
      redis.call('PEXPIRE', key, ARGV[1])
      ttl = tonumber(ARGV[1])
    end
    wait = math.max(wait, ttl)
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 0`;

const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('DECR', key) <= 0 then redis.call('DEL', key) end
end`;

export class RedisAttemptCounters implements AttemptCounters {
  constructor(private readonly redis: Redis) {}

  async reserve(counters: Counter[], windowMs: number): Promise<number> {
    const keys = counters.map((c) => c.key);
    return Number(await this.redis.eval(RESERVE, keys.length, ...keys, windowMs, ...counters.map((c) => c.limit)));
  }

  async release(keys: string[]): Promise<void> {
    await this.redis.eval(RELEASE, keys.length, ...keys);
  }
}

export class MemoryAttemptCounters implements AttemptCounters {
  private readonly counts = new Map<string, { hits: number; until: number }>();
  private sweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  reserve(counters: Counter[], windowMs: number): Promise<number> {
    const now = this.now();
    this.sweep(now, windowMs);
    let wait = 0;
    for (const c of counters) {
      const entry = this.live(c.key, now);
      if (entry && entry.hits >= c.limit) wait = Math.max(wait, entry.until - now, 1);
    }
    if (wait > 0) return Promise.resolve(wait);
    for (const c of counters) {
      const entry = this.live(c.key, now);
      if (entry) entry.hits++;
      else this.counts.set(c.key, { hits: 1, until: now + windowMs });
    }
    return Promise.resolve(0);
  }

  release(keys: string[]): Promise<void> {
    const now = this.now();
    for (const key of keys) {
      const entry = this.live(key, now);
      if (entry && --entry.hits <= 0) this.counts.delete(key);
    }
    return Promise.resolve();
  }

  private live(key: string, now: number) {
    const entry = this.counts.get(key);
    if (entry && entry.until <= now) this.counts.delete(key);
    return entry && entry.until > now ? entry : undefined;
  }

  /** Forgets ended windows once per window, so a spray over many usernames does not grow the map forever. */
  private sweep(now: number, windowMs: number) {
    if (now < this.sweepAt) return;
    this.sweepAt = now + windowMs;
    for (const [key, entry] of this.counts) if (entry.until <= now) this.counts.delete(key);
  }
}

/**
 * The client address as counted: an IPv4 address (also when IPv4-mapped) as is, an IPv6 address by its /64,
 * the smallest block a subscriber gets, so one client cannot walk its own prefix to dodge the limit.
 */
export function addressKey(ip: string | undefined): string {
  const address = (ip ?? '').replace(/%.*$/, '');
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)) return address.slice(7);
  if (!isIPv6(address)) return address || 'unknown';
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const width = left.length + right.length + (right.at(-1)?.includes('.') ? 1 : 0); // a dotted IPv4 tail is 2 groups
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - width).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Usernames are counted by digest: a key never holds what someone typed, however long. */
const usernameKey = (username: string) => createHash('sha256').update(username).digest('base64url').slice(0, 22);

export interface LoginLimits {
  /** Failed attempts per client address and username. */
  limit: number;
  /** Failed attempts per username, from all addresses together. */
  usernameLimit: number;
  /** Failed attempts per client address, over all usernames together. */
  addressLimit: number;
  ttlSeconds: number;
}

/**
 * Limits failed sign-ins per username across addresses, per address across usernames, and per both (spec §8).
 * An attempt is reserved before the password is checked, so a refused one costs no hash, and handed back
 * after a success, so an office behind one address can sign in all morning. Counted in Redis when there is
 * one, shared by every instance, and in this process's memory while Redis is down.
 */
export class LoginLimiter implements OnApplicationShutdown {
  private readonly memory = new MemoryAttemptCounters();

  constructor(
    private readonly limits: LoginLimits,
    private readonly shared?: { counters: AttemptCounters; failover: RedisFailover; close: () => void },
  ) {}

  /**
   * Throws 429 when a limit is reached; else returns the function that gives the attempt back. The username
   * is counted as given: the caller normalises it as it looks users up (UsersService.verifyCredentials).
   */
  async reserve(username: string, clientAddress: string | undefined): Promise<() => Promise<void>> {
    const user = usernameKey(username);
    const address = addressKey(clientAddress);
    const counters = [
      { key: `login:user:${user}`, limit: this.limits.usernameLimit },
      { key: `login:address:${address}`, limit: this.limits.addressLimit },
      { key: `login:pair:${address}:${user}`, limit: this.limits.limit },
    ];
    const windowMs = this.limits.ttlSeconds * 1000;
    const { counters: store, wait } = await this.reserveIn(counters, windowMs);
    if (wait > 0) {
      throw new TooManyRequestsError(
        'too-many-requests',
        'Too many failed sign-ins for this username or from this address; retry after the time given in Retry-After',
        Math.ceil(wait / 1000),
      );
    }
    const keys = counters.map((c) => c.key);
    // A refund lost to a Redis failure only costs its owner one attempt of the window.
    return () => store.release(keys).catch(() => undefined);
  }

  private async reserveIn(counters: Counter[], windowMs: number): Promise<{ counters: AttemptCounters; wait: number }> {
    if (!this.shared) return { counters: this.memory, wait: await this.memory.reserve(counters, windowMs) };
    const { counters: redis, failover } = this.shared;
    const { value, shared } = await failover.run(
      () => redis.reserve(counters, windowMs),
      () => this.memory.reserve(counters, windowMs),
    );
    return { counters: shared ? redis : this.memory, wait: value };
  }

  onApplicationShutdown(): void {
    this.shared?.close();
  }
}

/** In memory per process without REDIS_URL, else in Redis with memory as fallback. */
export async function createLoginLimiter(config: AppConfig): Promise<LoginLimiter> {
  const limits = config.auth.loginThrottle;
  if (!config.redis.url) return new LoginLimiter(limits);
  const redis = await connectCounterRedis(config.redis.url);
  return new LoginLimiter(limits, {
    counters: new RedisAttemptCounters(redis),
    failover: new RedisFailover('login attempts'),
    close: () => redis.disconnect(),
  });
}
