import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { offsetOf } from '../../common/pagination/page';
import { AppraisalStatus } from '../appraisals/entities/appraisal.entity';
import { PeriodQueryDto } from './dto/period.dto';
import { PeriodEntity, PeriodStatus } from './entities/period.entity';
import { UNASSESSED_APPRAISAL_STATUSES } from './period-transitions';
import { ScoringPolicy } from '../scoring/policy';

export interface FinalizedAppraisal {
  id: string;
  previousStatus: AppraisalStatus;
  version: number;
}

@Injectable()
export class PeriodsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(PeriodEntity);
  }

  findById(id: string, m?: EntityManager): Promise<PeriodEntity | null> {
    return this.repo(m).findOneBy({ id });
  }

  /** SELECT … FOR UPDATE: serialises transitions and policy edits of one period. */
  findByIdForUpdate(id: string, m: EntityManager): Promise<PeriodEntity | null> {
    return this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  existsCode(code: string, m: EntityManager): Promise<boolean> {
    return this.repo(m).existsBy({ code });
  }

  list(q: PeriodQueryDto): Promise<[PeriodEntity[], number]> {
    const qb = this.repo().createQueryBuilder('p');
    if (q.type) qb.andWhere('p.type = :type', { type: q.type });
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.containsDate) qb.andWhere('p.startDate <= :d AND p.endDate >= :d', { d: q.containsDate });
    // Newest first; of periods starting the same day, the shorter one first (month, quarter, year).
    return qb
      .orderBy('p.startDate', 'DESC')
      .addOrderBy('p.endDate', 'ASC')
      .addOrderBy('p.code', 'ASC')
      .offset(offsetOf(q))
      .limit(q.pageSize)
      .getManyAndCount();
  }

  save(period: Partial<PeriodEntity>, m: EntityManager): Promise<PeriodEntity> {
    return this.repo(m).save(period);
  }

  async setPolicy(id: string, policy: ScoringPolicy, m: EntityManager): Promise<void> {
    await this.repo(m).update({ id }, { policy });
  }

  /** Moves the period to `status`; closing stamps closed_at with the transaction time, like the appraisals it finalises. */
  async setStatus(id: string, status: PeriodStatus, m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE periods
          SET status = $2::period_status,
              closed_at = CASE WHEN $2::period_status = 'CLOSED' THEN now() ELSE closed_at END,
              updated_at = now()
        WHERE id = $1`,
      [id, status],
    );
  }

  /** Appraisals of the period still DRAFT or AGREED: the first `limit` ids (oldest first) and how many in all. */
  async unassessedAppraisals(periodId: string, limit: number, m: EntityManager): Promise<{ ids: string[]; count: number }> {
    const rows = await m.query<{ id: string; total: number }[]>(
      `SELECT id, (count(*) OVER ())::int AS total FROM appraisals
        WHERE period_id = $1 AND status = ANY($2::appraisal_status[])
        ORDER BY created_at, id
        LIMIT $3`,
      [periodId, [...UNASSESSED_APPRAISAL_STATUSES], limit],
    );
    return { ids: rows.map((r) => r.id), count: rows[0]?.total ?? 0 };
  }

  /**
   * Finalises every appraisal of the period that is not yet FINALIZED, in one set-based UPDATE (rows locked
   * first), bumping each version. Behaviour ratings are left as they are (null for unassessed ones).
   */
  async finalizeAppraisals(periodId: string, m: EntityManager): Promise<FinalizedAppraisal[]> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows] = await m.query<[{ id: string; previous_status: AppraisalStatus; version: number }[], number]>(
      `WITH old AS (
         SELECT id, status FROM appraisals WHERE period_id = $1 AND status <> 'FINALIZED' FOR UPDATE
       )
       UPDATE appraisals a
          SET status = 'FINALIZED', finalized_at = now(), version = a.version + 1, updated_at = now()
         FROM old
        WHERE a.id = old.id
       RETURNING a.id, old.status AS previous_status, a.version`,
      [periodId],
    );
    return rows.map((r) => ({ id: r.id, previousStatus: r.previous_status, version: r.version }));
  }
}
