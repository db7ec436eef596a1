import { ThrottlerStorageService } from '@nestjs/throttler';
import { createThrottlerStorage, FailoverThrottlerStorage } from './throttler-storage';

const record = (totalHits: number) => ({ totalHits, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });

describe('FailoverThrottlerStorage', () => {
  let clock: number;
  let redis: { increment: jest.Mock };
  let memory: { increment: jest.Mock; onApplicationShutdown: jest.Mock };
  let logger: { warn: jest.Mock; log: jest.Mock };
  let close: jest.Mock;
  let storage: FailoverThrottlerStorage;

  const hit = () => storage.increment('key', 60_000, 3, 60_000, 'login');

  beforeEach(() => {
    clock = 0;
    redis = { increment: jest.fn().mockResolvedValue(record(1)) };
    memory = { increment: jest.fn().mockResolvedValue(record(7)), onApplicationShutdown: jest.fn() };
    logger = { warn: jest.fn(), log: jest.fn() };
    close = jest.fn();
    storage = new FailoverThrottlerStorage(redis, memory, { logger, close, retryAfterMs: 1000, now: () => clock });
  });

  it('counts in Redis while it answers', async () => {
    await expect(hit()).resolves.toEqual(record(1));
    expect(redis.increment).toHaveBeenCalledWith('key', 60_000, 3, 60_000, 'login');
    expect(memory.increment).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('falls back to memory when Redis rejects, warns once per outage, and returns to Redis', async () => {
    redis.increment.mockRejectedValue(new Error("Stream isn't writeable"));
    for (let i = 0; i < 5; i++, clock += 1500) await expect(hit()).resolves.toEqual(record(7));
    expect(redis.increment).toHaveBeenCalledTimes(5); // retried after each pause
    expect(memory.increment).toHaveBeenCalledTimes(5);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain("Stream isn't writeable");

    redis.increment.mockResolvedValue(record(2));
    await expect(hit()).resolves.toEqual(record(2));
    expect(memory.increment).toHaveBeenCalledTimes(5);
    expect(logger.log).toHaveBeenCalledTimes(1);

    // A second outage warns again.
    redis.increment.mockRejectedValue(new Error('Command timed out'));
    await hit();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('skips Redis for a moment after a failure, so a hung Redis does not slow every login', async () => {
    redis.increment.mockRejectedValueOnce(new Error('Command timed out'));
    await hit();
    clock += 500;
    await hit();
    expect(redis.increment).toHaveBeenCalledTimes(1);
    expect(memory.increment).toHaveBeenCalledTimes(2);
    clock += 500;
    await expect(hit()).resolves.toEqual(record(1));
    expect(redis.increment).toHaveBeenCalledTimes(2);
  });

  it('closes the connection and the memory storage on shutdown', () => {
    storage.onApplicationShutdown();
    expect(close).toHaveBeenCalledTimes(1);
    expect(memory.onApplicationShutdown).toHaveBeenCalledTimes(1);
  });
});

describe('createThrottlerStorage', () => {
  it('keeps the in-memory storage without REDIS_URL', async () => {
    expect(await createThrottlerStorage(undefined)).toBeInstanceOf(ThrottlerStorageService);
  });

  it('starts even when Redis is unreachable, and counts in memory then', async () => {
    const logger = { warn: jest.fn(), log: jest.fn() };
    // Port 1 on loopback refuses at once.
    const storage = (await createThrottlerStorage('redis://127.0.0.1:1', logger)) as FailoverThrottlerStorage;
    expect(storage).toBeInstanceOf(FailoverThrottlerStorage);
    try {
      const r = await storage.increment('k', 60_000, 3, 60_000, 'login');
      expect(r).toMatchObject({ totalHits: 1, isBlocked: false });
      expect(logger.warn).toHaveBeenCalledTimes(1);
    } finally {
      storage.onApplicationShutdown();
    }
  });
});
