import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor } from '../../common/auth/principal';
import { AppError, ConflictError, NotFoundError } from '../../common/errors/app-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PeriodEntity } from '../periods/entities/period.entity';
import { MarksRepository } from './marks.repository';
import { RecalculationRunEntity, RunTrigger } from './recalculation-run.entity';
import { ScoreCalculator } from './score-calculator';

/**
 * The worker's side of spec §6: recompute from source rows under row locks, and clear a mark only if its
 * version is still the one read before computing.
 */
@Injectable()
export class RecalculationService {
  private readonly logger = new Logger(RecalculationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly marks: MarksRepository,
    private readonly calculator: ScoreCalculator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Processes the marks of these appraisals (a job of the `scores` queue, or the in-process drain). */
  async processMarks(appraisalIds: string[]): Promise<number> {
    if (!appraisalIds.length) return 0;
    return this.dataSource.transaction(async (m) => {
      const locked = await this.lock(appraisalIds, m);
      const versions = await this.marks.versions(locked, m);
      const { computed, failed } = await this.calculator.recalculate([...versions.keys()], m);
      failed.forEach((id) => versions.delete(id));
      await this.marks.clear(versions, m);
      return computed;
    });
  }

  /**
   * Recomputes every appraisal of the period that is not FINALIZED, chunk by chunk (keyset over ids), each
   * chunk in its own transaction unless `m` is given (the period close runs it inside its own).
   */
  async recalculatePeriod(periodId: string, m?: EntityManager, onChunk?: (done: number) => Promise<void>): Promise<number> {
    const chunk = this.config.recalculation.batchChunk;
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const step = async (tx: EntityManager) => {
        const rows = await tx.query<{ id: string }[]>(
          `SELECT id FROM appraisals WHERE period_id = $1 AND status <> 'FINALIZED' AND id > $2 ORDER BY id LIMIT $3`,
          [periodId, after, chunk],
        );
        const ids = rows.map((r) => r.id);
        if (!ids.length) return ids;
        const locked = await this.lock(ids, tx);
        const versions = await this.marks.versions(locked, tx);
        const { failed } = await this.calculator.recalculate(locked, tx);
        failed.forEach((id) => versions.delete(id));
        await this.marks.clear(versions, tx);
        return ids;
      };
      const ids = m ? await step(m) : await this.dataSource.transaction(step);
      if (!ids.length) return done;
      done += ids.length;
      after = ids[ids.length - 1];
      await onChunk?.(done);
    }
  }

  async createRun(periodId: string, trigger: RunTrigger, actor: Actor | null, dedupeKey: string | null = null): Promise<RecalculationRunEntity | null> {
    return this.dataSource.transaction(async (m) => {
      const period = await m.getRepository(PeriodEntity).findOneBy({ id: periodId });
      if (!period) throw new NotFoundError('Period', periodId);
      if (period.status === 'CLOSED') {
        throw new ConflictError('period-closed', `Period ${period.code} is closed; its scores are final`);
      }
      const [{ total }] = await m.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM appraisals WHERE period_id = $1 AND status <> 'FINALIZED'`,
        [periodId],
      );
      const inserted = await m
        .createQueryBuilder()
        .insert()
        .into(RecalculationRunEntity)
        .values({ periodId, trigger, total, requestedBy: actor?.principal.id ?? null, dedupeKey })
        .orIgnore()
        .returning('*')
        .execute();
      const id = (inserted.raw as { id: string }[])[0]?.id;
      if (!id) return null; // today's scheduled run exists already
      const run = await m.getRepository(RecalculationRunEntity).findOneByOrFail({ id });
      await this.audit.record(m, actor, { action: 'recalculation.create', entityType: 'period', entityId: periodId, after: run });
      return run;
    });
  }

  async getRun(id: string): Promise<RecalculationRunEntity> {
    const run = await this.dataSource.getRepository(RecalculationRunEntity).findOneBy({ id });
    if (!run) throw new NotFoundError('Recalculation', id);
    return run;
  }

  /** Runs a batch to the end, reporting progress on the run row. A COMPLETED or FAILED run is not rerun. */
  async executeRun(runId: string): Promise<void> {
    const repo = this.dataSource.getRepository(RecalculationRunEntity);
    const run = await repo.findOneBy({ id: runId });
    if (!run || run.status === 'COMPLETED' || run.status === 'FAILED') return;
    await repo.update({ id: runId }, { status: 'RUNNING', startedAt: new Date(), done: 0 });
    try {
      const done = await this.recalculatePeriod(run.periodId, undefined, (n) => repo.update({ id: runId }, { done: n }).then(() => undefined));
      await repo.update({ id: runId }, { status: 'COMPLETED', done, total: Math.max(done, run.total), finishedAt: new Date() });
    } catch (e) {
      this.logger.error({ err: e, runId }, 'batch recalculation failed');
      // A domain refusal is meant for people; anything else may name hosts or SQL, so the run shows a generic line and the log the rest.
      const shown = e instanceof AppError ? e.message.slice(0, 2000) : `The recalculation failed unexpectedly; the service log has the details (run ${runId})`;
      await repo.update({ id: runId }, { status: 'FAILED', error: shown, finishedAt: new Date() });
      throw e instanceof AppError ? e : new Error(`batch recalculation ${runId} failed`, { cause: e });
    }
  }

  /** Row locks in id order: one worker at a time per appraisal, without deadlocks between batches. */
  private async lock(ids: string[], m: EntityManager): Promise<string[]> {
    const rows = await m.query<{ id: string }[]>(
      'SELECT id FROM appraisals WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE',
      [ids],
    );
    return rows.map((r) => r.id);
  }
}
