import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { NotifiedLoop } from '../../database/notified-loop';
import { DELIVERIES_CHANNEL } from '../webhook-outbox/events';
import { WebhookDeliverer } from './delivery.service';
import { deliveryJobId, WebhooksJob, WEBHOOKS_QUEUE_TOKEN } from './queue';
import { ClaimedDelivery, WebhooksRepository } from './webhooks.repository';
import { withTimeout } from '../../common/time/with-timeout';

const CLAIM = 200;
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Moves due deliveries to the `webhooks` queue (one job per delivery and attempt) and hands back those whose job
 * Redis lost. Without Redis, a process that runs the worker sends them itself, in the background, at most
 * WEBHOOK_WORKER_CONCURRENCY at once. Either way the claim leaves each endpoint at most WEBHOOK_ENDPOINT_CONCURRENCY in
 * flight, so one slow receiver cannot take every slot.
 *
 * A pass runs when a committed delivery or a finished attempt is announced on DELIVERIES_CHANNEL (LISTEN/NOTIFY), when
 * an in-process attempt ends, and every WEBHOOK_RELAY_INTERVAL_MS (retries fall due without notice) (NotifiedLoop).
 */
@Injectable()
export class WebhookRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookRelay.name);
  private loop?: NotifiedLoop;
  private lastSweep = 0;
  private lastWarning = 0;
  /** In-process attempts under way (no Redis). */
  private readonly local = new Set<Promise<unknown>>();

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly deliverer: WebhookDeliverer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(WEBHOOKS_QUEUE_TOKEN) private readonly queue?: Queue,
  ) {}

  /** With Redis every API process relays; without it, only a process that runs the worker (RECALC_WORKER) sends. */
  get enabled(): boolean {
    return !!this.queue || this.config.recalculation.worker;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.warn('no REDIS_URL and RECALC_WORKER=false: webhook deliveries will wait for a worker');
      return;
    }
    this.loop = new NotifiedLoop({
      name: 'webhook relay',
      logger: this.logger,
      listener: () => this.repo.newListener(),
      channel: DELIVERIES_CHANNEL,
      intervalMs: this.config.webhooks.relayIntervalMs,
      pass: async () => (await this.tick()) >= CLAIM,
      // An unreachable Redis is warned about in tick() and does not fail a pass; anything else (the database) is logged here.
      failed: (e) => this.logger.error({ err: e }, 'webhook relay pass failed'),
    });
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop?.stop();
    await Promise.all([...this.local]);
  }

  /** One relay pass; answers how many deliveries it moved. Public for tests. */
  async tick(): Promise<number> {
    const now = Date.now();
    const { sweepAfterMs, endpointConcurrency, workerConcurrency } = this.config.webhooks;
    if (now - this.lastSweep >= Math.min(sweepAfterMs, 30_000)) {
      this.lastSweep = now;
      const swept = await this.repo.sweep(sweepAfterMs);
      if (swept) this.logger.warn(`re-enqueuing ${swept} webhook deliveries whose attempt did not finish`);
    }
    const room = this.queue ? CLAIM : workerConcurrency - this.local.size;
    if (room <= 0) return 0;
    const claimed = await this.repo.claim(room, endpointConcurrency);
    if (!claimed.length) return 0;
    if (!this.queue) {
      for (const c of claimed) this.runLocally(c);
      return claimed.length;
    }
    try {
      await withTimeout(
        this.queue.addBulk(
          claimed.map((c) => ({
            name: WebhooksJob.Deliver,
            data: { deliveryId: c.id, attempt: c.attempt },
            // Retries follow WEBHOOK_RETRY_SCHEDULE, not Bull's; a job that threw is dropped and the sweeper sends it again.
            opts: { jobId: deliveryJobId(c.id, c.attempt), removeOnComplete: true, removeOnFail: true, attempts: 1 },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
        'Redis',
      );
      return claimed.length;
    } catch (e) {
      // Redis is down: the deliveries stay in PostgreSQL and go out on a later pass.
      await this.repo.release(claimed.map((c) => c.id));
      if (now - this.lastWarning > 30_000) {
        this.lastWarning = now;
        this.logger.warn(`cannot enqueue webhook deliveries (${(e as Error).message}); they wait in PostgreSQL`);
      }
      return 0;
    }
  }

  private runLocally(c: ClaimedDelivery): void {
    const p: Promise<unknown> = this.deliverer
      .deliver(c.id, c.attempt)
      // Left claimed: the sweeper hands it back.
      .catch((e: unknown) => this.logger.error({ err: e, deliveryId: c.id }, 'webhook delivery failed unexpectedly'))
      .finally(() => {
        this.local.delete(p);
        this.loop?.wake();
      });
    this.local.add(p);
  }
}
