import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { offsetOf } from '../../common/pagination/page';
import { PeriodQueryDto } from './dto/period.dto';
import { PeriodEntity, PeriodStatus } from './entities/period.entity';
import { ScoringPolicy } from '../scoring/policy';

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

  /** SELECT … FOR SHARE: writes into the period wait for, or block, a concurrent transition. */
  findByIdForShare(id: string, m: EntityManager): Promise<PeriodEntity | null> {
    return this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_read' } });
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
}
