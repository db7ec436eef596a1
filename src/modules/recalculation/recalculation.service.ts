import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor } from '../../common/auth/principal';
import { AppError, ConflictError, NotFoundError } from '../../common/errors/app-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { MarksRepository } from './marks.repository';
import { RecalculationRunEntity, RunTrigger } from './recalculation-run.entity';
import { RecalculationRunsRepository } from './recalculation-runs.repository';
import { recordEvent } from '../webhook-outbox/outbox';
import { ScoreCalculator } from './score-calculator';
import { NIL_UUID, ScoreInputsRepository } from './score-inputs.repository';

/** A batch run this process took to its end: what started it, how it ended, and how long it ran. */
export interface FinishedRun {
  trigger: RunTrigger;
  outcome: 'COMPLETED' | 'FAILED';
  seconds: number;
}

/**
 * The worker's side of spec §6: recompute from source rows under row locks, and clear a mark only if its
 * version is still the one read before computing.
 */
@Injectable()
export class RecalculationService {
  private readonly logger = new Logger(RecalculationService.name);
  private readonly runListeners = new Set<(run: FinishedRun) => void>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly marks: MarksRepository,
    private readonly calculator: ScoreCalculator,
    private readonly inputs: ScoreInputsRepository,
    private readonly runs: RecalculationRunsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Processes the marks of these appraisals (a job of the `scores` queue, or the in-process drain). */
  async processMarks(appraisalIds: string[]): Promise<number> {
    if (!appraisalIds.length) return 0;
    return this.dataSource.transaction(async (m) => this.recompute(await this.inputs.lock(appraisalIds, m), 'marked', m));
  }

  /**
   * Recomputes every appraisal of the period that is not FINALIZED, chunk by chunk (ranges of ids fixed up front),
   * each chunk in its own transaction and up to RECALC_BATCH_PARALLEL of them at once; or one after the other in
   * `m` when it is given (the period close runs it inside its own transaction). Chunks are disjoint and each locks
   * its rows in id order, so running them at once cannot deadlock. `onChunk` hears the running total, in order.
   */
  async recalculatePeriod(periodId: string, m?: EntityManager, onChunk?: (done: number) => Promise<void>): Promise<number> {
    const { batchChunk, batchParallel } = this.config.recalculation;
    const bounds = await this.inputs.chunkBounds(periodId, batchChunk, m ?? this.dataSource.manager);
    const ranges = [...bounds, null].map((upTo, i) => ({ after: i ? bounds[i - 1] : NIL_UUID, upTo }));
    let done = 0;
    let progress = Promise.resolve();
    let progressFailed: { error: unknown } | undefined;
    const run = async ({ after, upTo }: (typeof ranges)[number], tx: EntityManager) => {
      const ids = await this.inputs.lockChunk(periodId, after, upTo, tx);
      if (ids.length) await this.recompute(ids, 'all', tx);
      return ids.length;
    };
    const chunkDone = (n: number) => {
      done += n;
      const total = done;
      if (onChunk) progress = progress.then(() => (progressFailed ? undefined : onChunk(total))).catch((error: unknown) => void (progressFailed ??= { error }));
    };
    if (m) {
      for (const range of ranges) chunkDone(await run(range, m));
    } else {
      let next = 0;
      let failed = false;
      const lane = async () => {
        while (!failed && !progressFailed && next < ranges.length) {
          const range = ranges[next++];
          try {
            chunkDone(
              await this.dataSource.transaction(async (tx) => {
                // A chunk's commit is not waited for on disk: a crash right after it loses its scores and the marks it
                // cleared together, so whatever it left stale shows STALE again and is recomputed.
                await this.inputs.commitWithoutWaitingForDisk(tx);
                return run(range, tx);
              }),
            );
          } catch (e) {
            failed = true; // the other lanes stop after their current chunk
            throw e;
          }
        }
      };
      const lanes = await Promise.allSettled(Array.from({ length: Math.min(batchParallel, ranges.length) }, lane));
      const rejected = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
      if (rejected) {
        await progress; // the run row's progress is written before the run is finished as FAILED
        throw rejected.reason;
      }
    }
    await progress;
    if (progressFailed) throw progressFailed.error;
    return done;
  }

  async createRun(periodId: string, trigger: RunTrigger, actor: Actor | null, dedupeKey: string | null = null): Promise<RecalculationRunEntity | null> {
    return this.dataSource.transaction(async (m) => {
      const period = await this.runs.period(periodId, m);
      if (!period) throw new NotFoundError('Period', periodId);
      if (period.status === 'CLOSED') {
        throw new ConflictError('period-closed', `Period ${period.code} is closed; its scores are final`);
      }
      const total = await this.inputs.countToScore(periodId, m);
      const run = await this.runs.insert({ periodId, trigger, total, requestedBy: actor?.principal.id ?? null, dedupeKey }, m);
      if (!run) return null; // today's scheduled run exists already
      await this.audit.record(m, actor, { action: 'recalculation.create', entityType: 'period', entityId: periodId, after: run });
      return run;
    });
  }

  async getRun(id: string): Promise<RecalculationRunEntity> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFoundError('Recalculation', id);
    return run;
  }

  /** Tells `listener` of every batch run this process finishes (the metrics module times them); answers the unsubscribe. */
  onRunFinished(listener: (run: FinishedRun) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /** Runs a batch to the end, reporting progress on the run row. A COMPLETED or FAILED run is not rerun. */
  async executeRun(runId: string): Promise<void> {
    const run = await this.runs.findById(runId);
    if (!run || run.status === 'COMPLETED' || run.status === 'FAILED') return;
    await this.runs.update(runId, { status: 'RUNNING', startedAt: new Date(), done: 0 });
    const started = performance.now();
    const finished = (outcome: FinishedRun['outcome']) => {
      const seconds = (performance.now() - started) / 1000;
      for (const listener of this.runListeners) {
        try {
          listener({ trigger: run.trigger, outcome, seconds });
        } catch (e) {
          this.logger.warn({ err: e, runId }, 'a listener of finished runs failed');
        }
      }
    };
    try {
      const done = await this.recalculatePeriod(run.periodId, undefined, (n) => this.runs.update(runId, { done: n }).then(() => undefined));
      await this.finish(run, { status: 'COMPLETED', done, total: Math.max(done, run.total), finishedAt: new Date() });
      finished('COMPLETED');
    } catch (e) {
      finished('FAILED');
      this.logger.error({ err: e, runId }, 'batch recalculation failed');
      // A domain refusal is meant for people; anything else may name hosts or SQL, so the run shows a generic line and the log the rest.
      const shown = e instanceof AppError ? e.message.slice(0, 2000) : `The recalculation failed unexpectedly; the service log has the details (run ${runId})`;
      await this.finish(run, { status: 'FAILED', error: shown, finishedAt: new Date() });
      throw e instanceof AppError ? e : new Error(`batch recalculation ${runId} failed`, { cause: e });
    }
  }

  /** Records how a run ended and its `recalculation.completed` event (spec §10), in one transaction. */
  private async finish(run: RecalculationRunEntity, end: { status: 'COMPLETED' | 'FAILED'; done?: number; total?: number; error?: string; finishedAt: Date }): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.runs.update(run.id, end, m);
      const progress = { done: end.done ?? (await this.runs.findById(run.id, m))?.done ?? 0, total: end.total ?? run.total };
      await recordEvent(m, 'recalculation.completed', { id: run.id, periodId: run.periodId, status: end.status, progress });
    });
  }

  /**
   * Spec §6 for a set of appraisals the caller's transaction holds locked (id order): read their mark versions before
   * the source rows, recompute (`marked`: only those with a mark; `all`: every one), and clear the marks whose version
   * did not move meanwhile. An appraisal that cannot be scored keeps its mark. Answers how many scores were computed.
   */
  private async recompute(locked: string[], which: 'marked' | 'all', m: EntityManager): Promise<number> {
    const versions = await this.marks.versions(locked, m);
    const { computed, failed } = await this.calculator.recalculate(which === 'marked' ? [...versions.keys()] : locked, m);
    failed.forEach((id) => versions.delete(id));
    await this.marks.clear(versions, m);
    return computed;
  }
}
