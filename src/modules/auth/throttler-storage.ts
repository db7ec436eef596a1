import { Logger, LoggerService, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis, { RedisOptions } from 'ioredis';

type Closable = ThrottlerStorage & Partial<OnApplicationShutdown>;
/** Not exported from the package root. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Counts in a shared storage (Redis) and, whenever it fails, in this process's memory instead: a Redis
 * outage must never break logins (spec §6). Warns once per outage and returns to Redis when it answers.
 */
export class FailoverThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private down = false;
  private retryAt = 0;

  constructor(
    private readonly primary: ThrottlerStorage,
    private readonly fallback: Closable,
    private readonly options: {
      /** After a failure, skip the primary this long, so a hung Redis costs one timeout, not one per login. */
      retryAfterMs?: number;
      logger?: Pick<LoggerService, 'warn' | 'log'>;
      now?: () => number;
      /** Called on shutdown, e.g. to close the Redis connection. */
      close?: () => void;
    } = {},
  ) {}

  private get logger() {
    return this.options.logger ?? FailoverThrottlerStorage.defaultLogger;
  }
  private static readonly defaultLogger = new Logger('LoginThrottle');

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.options.now ?? Date.now;
    if (!this.down || now() >= this.retryAt) {
      try {
        const record = await this.primary.increment(key, ttl, limit, blockDuration, throttlerName);
        if (this.down) {
          this.down = false;
          this.logger.log('Redis answers again: login attempts are counted in Redis again');
        }
        return record;
      } catch (e) {
        if (!this.down) {
          this.logger.warn(`Redis failed (${(e as Error).message}): counting login attempts in this process until it is back`);
        }
        this.down = true;
        this.retryAt = now() + (this.options.retryAfterMs ?? 1000);
      }
    }
    return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
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
 * Storage for the login throttler: in memory per process without REDIS_URL, else shared in Redis with the
 * in-memory storage as fallback. Waits briefly for the first connection so boot-time logins already count in Redis.
 */
export async function createThrottlerStorage(
  redisUrl: string | undefined,
  logger?: Pick<LoggerService, 'warn' | 'log'>,
): Promise<ThrottlerStorage> {
  if (!redisUrl) return new ThrottlerStorageService();
  const redis = new Redis(redisUrl, REDIS_THROTTLE_OPTIONS);
  redis.on('error', () => undefined); // failures are reported by FailoverThrottlerStorage, once per outage
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done).off('error', done);
      resolve();
    };
    const timer = setTimeout(done, REDIS_THROTTLE_OPTIONS.connectTimeout);
    redis.once('ready', done).once('error', done);
  });
  return new FailoverThrottlerStorage(new ThrottlerStorageRedisService(redis), new ThrottlerStorageService(), {
    close: () => redis.disconnect(),
    logger,
  });
}
