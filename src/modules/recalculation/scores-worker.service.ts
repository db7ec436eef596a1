import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { batchJobId, ScoresJob, ScoresJobData } from './queue';
import { RecalculationService } from './recalculation.service';
import { SCORES_QUEUE_TOKEN } from './relay.service';

type Handlers = { [K in ScoresJob]: (job: Job<ScoresJobData[K]>) => Promise<unknown> };

/**
 * Consumes the `scores` queue when this process runs the worker (RECALC_WORKER). Handlers are registered
 * here, one per job name, so a job without a handler cannot exist (the Record type checks it).
 * Batches without Redis run in this process too, tracked so shutdown waits for them.
 */
@Injectable()
export class ScoresWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ScoresWorker.name);
  private readonly local = new Set<Promise<void>>();

  constructor(
    private readonly recalculation: RecalculationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(SCORES_QUEUE_TOKEN) private readonly queue?: Queue,
  ) {}

  private readonly handlers: Handlers = {
    [ScoresJob.Appraisal]: (job) => this.coalesced(job.data.appraisalId),
    [ScoresJob.PeriodBatch]: (job) => this.recalculation.executeRun(job.data.runId),
  };

  /** Appraisal jobs waiting for the next recomputation, and whether one is running. */
  private waiting: { appraisalId: string; done: (e?: Error) => void }[] = [];
  private recomputing = false;

  /**
   * The appraisal jobs in flight (up to RECALC_CONCURRENCY) are recomputed together: one transaction and one set of
   * queries for all of them instead of one each. Each job still succeeds or fails (and is retried) on its own terms:
   * when the recomputation of several fails, each is recomputed alone, so one bad appraisal holds up nobody else.
   */
  private coalesced(appraisalId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ appraisalId, done: (e) => (e === undefined ? resolve() : reject(e)) });
      if (!this.recomputing) setImmediate(() => void this.recomputeWaiting());
      this.recomputing = true;
    });
  }

  private async recomputeWaiting(): Promise<void> {
    const jobs = this.waiting;
    this.waiting = [];
    const ids = [...new Set(jobs.map((j) => j.appraisalId))];
    const outcome = await this.recompute(ids);
    if (outcome === undefined || ids.length === 1) {
      for (const j of jobs) j.done(outcome);
    } else {
      for (const id of ids) {
        const alone = await this.recompute([id]);
        for (const j of jobs) if (j.appraisalId === id) j.done(alone);
      }
    }
    if (this.waiting.length) setImmediate(() => void this.recomputeWaiting());
    else this.recomputing = false;
  }

  /** Undefined on success, else the error. */
  private recompute(ids: string[]): Promise<Error | undefined> {
    return this.recalculation.processMarks(ids).then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
  }

  onModuleInit(): void {
    if (!this.queue || !this.config.recalculation.worker) return;
    this.queue.on('error', (e) => this.logger.warn(`scores queue: ${e.message}`));
    this.queue.on('failed', (job, e) => this.logger.warn({ jobId: job.id, err: e }, 'score job failed'));
    void this.queue.process(ScoresJob.Appraisal, this.config.recalculation.concurrency, this.handlers[ScoresJob.Appraisal]);
    void this.queue.process(ScoresJob.PeriodBatch, 1, this.handlers[ScoresJob.PeriodBatch]);
  }

  /** Starts a batch: on the queue when there is one, else in this process. */
  async startBatch(runId: string): Promise<void> {
    if (this.queue) {
      await this.queue.add(ScoresJob.PeriodBatch, { runId }, { jobId: batchJobId(runId), removeOnComplete: true, removeOnFail: 1000 });
      return;
    }
    const p: Promise<void> = this.recalculation
      .executeRun(runId)
      .catch(() => undefined) // executeRun logged it and marked the run FAILED
      .finally(() => this.local.delete(p));
    this.local.add(p);
  }

  /** Graceful shutdown: in-process batches finish; Bull's own shutdown lets active jobs finish. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.local]);
  }
}
