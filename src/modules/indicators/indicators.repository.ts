import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { offsetOf } from '../../common/pagination/page';
import { NOT_FROZEN } from '../recalculation/recalculation-marks';
import { escapeLike } from '../units/units.repository';
import { IndicatorQueryDto } from './dto/indicator.dto';
import { IndicatorEntity } from './entities/indicator.entity';

@Injectable()
export class IndicatorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(IndicatorEntity);
  }

  findById(id: string, m?: EntityManager): Promise<IndicatorEntity | null> {
    return this.repo(m).findOneBy({ id });
  }

  findByIdForUpdate(id: string, m: EntityManager): Promise<IndicatorEntity | null> {
    return this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  existsCode(code: string, m: EntityManager): Promise<boolean> {
    return this.repo(m).existsBy({ code });
  }

  async list(q: IndicatorQueryDto): Promise<[IndicatorEntity[], number]> {
    const qb = this.repo().createQueryBuilder('i');
    if (q.jobType) {
      qb.andWhere('(cardinality(i.jobTypes) = 0 OR CAST(:jobType AS job_type) = ANY(i.jobTypes))', { jobType: q.jobType });
    }
    if (q.unitId) {
      // Unscoped indicators, and those scoped to the unit or any of its ancestors (whose subtree holds the unit).
      qb.andWhere(
        `(i.unitId IS NULL OR i.unitId IN (
            WITH RECURSIVE ancestors(id, parent_id) AS (
              SELECT id, parent_id FROM units WHERE id = :unitId
              UNION ALL
              SELECT p.id, p.parent_id FROM units p JOIN ancestors c ON p.id = c.parent_id
            )
            SELECT id FROM ancestors))`,
        { unitId: q.unitId },
      );
    }
    if (q.aspect) qb.andWhere('i.aspect = :aspect', { aspect: q.aspect });
    if (q.active !== undefined) qb.andWhere('i.active = :active', { active: q.active });
    if (q.q) qb.andWhere('(i.code ILIKE :q OR i.name ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    return qb.orderBy('i.code', 'ASC').offset(offsetOf(q)).limit(q.pageSize).getManyAndCount();
  }

  /**
   * Codes of the CLOSED periods with an appraisal that has a target on this indicator. The periods are
   * share-locked, so a period cannot close between this check and the caller's commit.
   */
  async closedPeriodCodesUsing(indicatorId: string, m: EntityManager): Promise<string[]> {
    const rows = await m.query<{ code: string; status: string }[]>(
      `SELECT p.code, p.status FROM periods p
        WHERE p.id IN (SELECT a.period_id FROM appraisal_targets t JOIN appraisals a ON a.id = t.appraisal_id
                        WHERE t.indicator_id = $1)
        ORDER BY p.start_date, p.code
          FOR SHARE OF p`,
      [indicatorId],
    );
    return rows.filter((r) => r.status === 'CLOSED').map((r) => r.code);
  }

  /** The appraisals not yet finalised with a target on this indicator: the scores its scoring fields move. */
  async openAppraisalIdsUsing(indicatorId: string, m: EntityManager): Promise<string[]> {
    const rows = await m.query<{ id: string }[]>(
      `SELECT DISTINCT a.id FROM appraisal_targets t JOIN appraisals a ON a.id = t.appraisal_id
        WHERE t.indicator_id = $1 AND ${NOT_FROZEN('a')}`,
      [indicatorId],
    );
    return rows.map((r) => r.id);
  }

  save(indicator: Partial<IndicatorEntity>, m: EntityManager): Promise<IndicatorEntity> {
    return this.repo(m).save(indicator);
  }
}
