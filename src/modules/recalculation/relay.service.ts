import { getQueueToken } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { NotifiedLoop } from '../../database/notified-loop';
import { MarksRepository } from './marks.repository';
import { MARKS_CHANNEL } from './recalculation-marks';
import { appraisalJobId, ScoresJob, SCORES_QUEUE } from './queue';
import { RecalculationService } from './recalculation.service';
import { withTimeout } from '../../common/time/with-timeout';

export const SCORES_QUEUE_TOKEN = getQueueToken(SCORES_QUEUE);
const CLAIM = 500;
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Moves durable marks to the `scores` queue (one job per appraisal and mark version) and, every so often,
 * hands back marks whose job never cleared them. Without Redis it drains the marks itself, in process.
 *
 * A pass runs when a committed mark is announced on the PostgreSQL channel `score_marks` (LISTEN/NOTIFY), and
 * every RECALC_RELAY_INTERVAL_MS whatever happens (NotifiedLoop).
 */
@Injectable()
export class RecalculationRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RecalculationRelay.name);
  private loop?: NotifiedLoop;
  private lastSweep = 0;
  private lastWarning = 0;

  constructor(
    private readonly marks: MarksRepository,
    private readonly recalculation: RecalculationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SCORES_QUEUE_TOKEN) private readonly queue?: Queue,
  ) {}

  /** With Redis every API process relays; without it, only a process that runs the worker drains. */
  get enabled(): boolean {
    return !!this.queue || this.config.recalculation.worker;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.warn('no REDIS_URL and RECALC_WORKER=false: score recalculation marks will wait for a worker');
      return;
    }
    this.loop = new NotifiedLoop({
      name: 'recalculation relay',
      logger: this.logger,
      listener: () => this.marks.newListener(),
      channel: MARKS_CHANNEL,
      intervalMs: this.config.recalculation.relayIntervalMs,
      pass: async () => (await this.tick()) >= CLAIM,
      // An unreachable Redis is warned about in tick() and does not fail a pass; anything else (the database) is logged here.
      failed: (e) => this.logger.error({ err: e }, this.queue ? 'recalculation relay pass failed' : 'in-process recalculation failed'),
    });
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop?.stop();
  }

  /** One relay pass; answers how many marks it moved. Public for tests and the worker entry point. */
  async tick(): Promise<number> {
    const now = Date.now();
    if (now - this.lastSweep >= Math.min(this.config.recalculation.sweepAfterMs, 30_000)) {
      this.lastSweep = now;
      const swept = await this.marks.sweep(this.config.recalculation.sweepAfterMs);
      if (swept) this.logger.warn(`re-enqueuing ${swept} recalculation mark(s) whose job did not finish`);
    }
    const claimed = await this.marks.claim(CLAIM);
    if (!claimed.length) return 0;
    if (!this.queue) {
      await this.recalculation.processMarks(claimed.map((c) => c.appraisalId));
      return claimed.length;
    }
    try {
      await withTimeout(
        this.queue.addBulk(
          claimed.map((c) => ({
            name: ScoresJob.Appraisal,
            data: { appraisalId: c.appraisalId },
            opts: { jobId: appraisalJobId(c.appraisalId, c.version, c.enqueuedAtMs), removeOnComplete: true, removeOnFail: 1000, attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
          })),
        ),
        ENQUEUE_TIMEOUT_MS,
        'Redis',
      );
      return claimed.length;
    } catch (e) {
      // Redis is down: the marks stay in PostgreSQL and go out again on a later pass.
      await this.marks.release(claimed.map((c) => c.appraisalId));
      if (now - this.lastWarning > 30_000) {
        this.lastWarning = now;
        this.logger.warn(`cannot enqueue score recalculations (${(e as Error).message}); they wait in PostgreSQL`);
      }
      return 0;
    }
  }
}
