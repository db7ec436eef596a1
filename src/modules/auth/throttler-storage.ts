import { Logger, LoggerService, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis, { RedisOptions } from 'ioredis';

type Closable = ThrottlerStorage & Partial<OnApplicationShutdown>;
/** Not exported from the package root. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export interface FailoverOptions {
  /** After a failure, skip the primary this long, so a hung Redis costs one timeout, not one per request. */
  retryAfterMs?: number;
  logger?: Pick<LoggerService, 'warn' | 'log'>;
  now?: () => number;
  /** Called on shutdown, e.g. to close the Redis connection. */
  close?: () => void;
}

/**
 * Runs an operation on Redis and, whenever Redis fails, on this process's memory instead: a Redis outage must
 * never break logins (spec §6). Warns once per outage and returns to Redis when it answers.
 */
export class RedisFailover {
  private down = false;
  private retryAt = 0;
  private static readonly defaultLogger = new Logger('Throttle');

  constructor(
    /** What is counted, for the log lines, e.g. "login attempts". */
    private readonly what: string,
    private readonly options: FailoverOptions = {},
  ) {}

  private get logger() {
    return this.options.logger ?? RedisFailover.defaultLogger;
  }

  /** The result, and whether Redis gave it. */
  async run<T>(primary: () => Promise<T>, fallback: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    const now = this.options.now ?? Date.now;
    if (!this.down || now() >= this.retryAt) {
      try {
        const value = await primary();
        if (this.down) {
          this.down = false;
          this.logger.log(`Redis answers again: ${this.what} are counted in Redis again`);
        }
        return { value, shared: true };
      } catch (e) {
        if (!this.down) this.logger.warn(`Redis failed (${(e as Error).message}): counting ${this.what} in this process until it is back`);
        this.down = true;
        this.retryAt = now() + (this.options.retryAfterMs ?? 1000);
      }
    }
    return { value: await fallback(), shared: false };
  }
}

/** A ThrottlerStorage in Redis with this process's memory as fallback (see RedisFailover). */
export class FailoverThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly failover: RedisFailover;

  constructor(
    private readonly primary: ThrottlerStorage,
    private readonly fallback: Closable,
    private readonly options: FailoverOptions = {},
  ) {
    this.failover = new RedisFailover('requests', options);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const args = [key, ttl, limit, blockDuration, throttlerName] as const;
    return (await this.failover.run(() => this.primary.increment(...args), () => this.fallback.increment(...args))).value;
  }

  onApplicationShutdown(): void {
    this.options.close?.();
    this.fallback.onApplicationShutdown?.();
  }
}

/** Fail fast: a login must never wait on Redis for longer than a fraction of a second. */
export const REDIS_THROTTLE_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 1000,
  commandTimeout: 500,
  disconnectTimeout: 100, // 2 s by default, which delays shutdown
  keyPrefix: 'capaian:throttle:',
};

/**
 * A Redis connection for counters, failing fast. Waits briefly for the first connection so boot-time
 * requests already count in Redis; starts anyway when Redis is unreachable.
 */
export async function connectCounterRedis(redisUrl: string): Promise<Redis> {
  const redis = new Redis(redisUrl, REDIS_THROTTLE_OPTIONS);
  redis.on('error', () => undefined); // failures are reported by RedisFailover, once per outage
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done).off('error', done);
      resolve();
    };
    const timer = setTimeout(done, REDIS_THROTTLE_OPTIONS.connectTimeout);
    redis.once('ready', done).once('error', done);
  });
  return redis;
}

/** Storage of the `public` throttler: in memory per process without REDIS_URL, else shared in Redis with memory as fallback. */
export async function createThrottlerStorage(
  redisUrl: string | undefined,
  logger?: Pick<LoggerService, 'warn' | 'log'>,
): Promise<ThrottlerStorage> {
  if (!redisUrl) return new ThrottlerStorageService();
  const redis = await connectCounterRedis(redisUrl);
  return new FailoverThrottlerStorage(new ThrottlerStorageRedisService(redis), new ThrottlerStorageService(), {
    close: () => redis.disconnect(),
    logger,
  });
}
