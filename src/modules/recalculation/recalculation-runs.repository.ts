import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RecalculationRunEntity, RunTrigger } from './recalculation-run.entity';

type RunProgress = Partial<Pick<RecalculationRunEntity, 'status' | 'done' | 'total' | 'error' | 'startedAt' | 'finishedAt'>>;

/** The batch runs of `POST /periods/{id}/recalculate` and the nightly schedule. */
@Injectable()
export class RecalculationRunsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(RecalculationRunEntity);
  }

  /** Inserts a run; null when its dedupe key exists already (today's scheduled run of the period). */
  async insert(
    run: { periodId: string; trigger: RunTrigger; total: number; requestedBy: string | null; dedupeKey: string | null },
    m: EntityManager,
  ): Promise<RecalculationRunEntity | null> {
    const inserted = await this.repo(m).createQueryBuilder().insert().values(run).orIgnore().returning('id').execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    return id ? this.repo(m).findOneByOrFail({ id }) : null;
  }

  findById(id: string, m?: EntityManager): Promise<RecalculationRunEntity | null> {
    return this.repo(m).findOneBy({ id });
  }

  async update(id: string, progress: RunProgress, m?: EntityManager): Promise<void> {
    await this.repo(m).update({ id }, progress);
  }

  /** The code and status of the period a run would recompute, or null when there is no such period. */
  async period(periodId: string, m: EntityManager): Promise<{ code: string; status: string } | null> {
    const [row] = await m.query<{ code: string; status: string }[]>('SELECT code, status FROM periods WHERE id = $1', [periodId]);
    return row ?? null;
  }

  /** The periods the nightly schedule recomputes: those still OPEN or in EVALUATION. */
  async periodsToRecalculate(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM periods WHERE status IN ('OPEN', 'EVALUATION')`);
    return rows.map((r) => r.id);
  }
}
