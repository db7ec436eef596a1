import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { offsetOf } from '../../common/pagination/page';
import { HEAD_PREDICATE, HEADS_NOW } from '../recalculation/unit-heads.sql';
import type { ScoringPolicy } from '../scoring/policy';
import type { OrganisationPredicate } from '../scoring/types';
import { UNASSESSED_APPRAISAL_STATUSES } from './appraisal-rules';
import { AppraisalQueryDto } from './dto/appraisal.dto';
import { AppraisalEntity, AppraisalStatus } from './entities/appraisal.entity';
import { ObjectionEntity } from './entities/objection.entity';
import { TargetEntity } from './entities/target.entity';

/** An appraisal finalised by closing its period: its status before, and its version after. */
export interface FinalizedAppraisal {
  id: string;
  previousStatus: AppraisalStatus;
  version: number;
}

@Injectable()
export class AppraisalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(m?: EntityManager) {
    return m ?? this.dataSource.manager;
  }

  findById(id: string, m?: EntityManager): Promise<AppraisalEntity | null> {
    return this.manager(m).getRepository(AppraisalEntity).findOneBy({ id });
  }

  /** SELECT … FOR UPDATE: serialises concurrent writes to one appraisal. */
  findByIdForUpdate(id: string, m: EntityManager): Promise<AppraisalEntity | null> {
    return m.getRepository(AppraisalEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByEmployeeAndPeriod(employeeId: string, periodId: string, m?: EntityManager): Promise<AppraisalEntity | null> {
    return this.manager(m).getRepository(AppraisalEntity).findOneBy({ employeeId, periodId });
  }

  save(a: AppraisalEntity, m: EntityManager): Promise<AppraisalEntity> {
    return m.getRepository(AppraisalEntity).save(a);
  }

  async insert(row: Pick<AppraisalEntity, 'employeeId' | 'periodId' | 'unitId' | 'assessorId' | 'reviewerId' | 'status'>, m: EntityManager): Promise<AppraisalEntity> {
    const [{ heads }] = await m.query<{ heads: boolean }[]>(`SELECT ${HEADS_NOW('$1::uuid', '$2::uuid')} AS heads`, [row.employeeId, row.unitId]);
    const repo = m.getRepository(AppraisalEntity);
    return repo.save(repo.create({ ...row, headsUnit: heads }));
  }

  async list(q: AppraisalQueryDto, scope: { sql: string; params: Record<string, unknown> }): Promise<[AppraisalEntity[], number]> {
    const qb = this.manager().getRepository(AppraisalEntity).createQueryBuilder('a').where(scope.sql, scope.params);
    if (q.periodId) qb.andWhere('a.periodId = :periodId', { periodId: q.periodId });
    if (q.employeeId) qb.andWhere('a.employeeId = :employeeId', { employeeId: q.employeeId });
    if (q.assessorId) qb.andWhere('a.assessorId = :assessorId', { assessorId: q.assessorId });
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    if (q.withinUnitId) qb.andWhere('a.unitId IN (SELECT unit_subtree(:within))', { within: q.withinUnitId });
    return qb.orderBy('a.createdAt', 'DESC').addOrderBy('a.id', 'ASC').offset(offsetOf(q)).limit(q.pageSize).getManyAndCount();
  }

  /**
   * Creates the missing appraisals of a period for active employees in one statement, assessor and
   * reviewer from the supervisor chain as it stands now. Answers the new rows and how many existed.
   */
  async generate(
    periodId: string,
    units: { scopeRoot?: string; withinUnitId?: string },
    m: EntityManager,
  ): Promise<{ created: AppraisalEntity[]; existing: number }> {
    const where = ["e.status = 'ACTIVE'"];
    const params: unknown[] = [periodId];
    if (units.scopeRoot) where.push(`e.unit_id IN (SELECT unit_subtree($${params.push(units.scopeRoot)}))`);
    if (units.withinUnitId) where.push(`e.unit_id IN (SELECT unit_subtree($${params.push(units.withinUnitId)}))`);
    const [{ existing }] = await m.query<{ existing: number }[]>(
      `SELECT count(*)::int AS existing FROM employees e
        WHERE ${where.join(' AND ')} AND EXISTS (SELECT 1 FROM appraisals a WHERE a.employee_id = e.id AND a.period_id = $1)`,
      params,
    );
    const rows = await m.query<Record<string, unknown>[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, reviewer_id, heads_unit)
       SELECT e.id, $1, e.unit_id, e.supervisor_id, s.supervisor_id, ${HEADS_NOW('e.id', 'e.unit_id')}
         FROM employees e LEFT JOIN employees s ON s.id = e.supervisor_id
        WHERE ${where.join(' AND ')}
       ON CONFLICT (employee_id, period_id) DO NOTHING
       RETURNING id, employee_id, period_id, unit_id, assessor_id, reviewer_id, status`,
      params,
    );
    const created = rows.map(
      (r) =>
        ({
          id: r.id,
          employeeId: r.employee_id,
          periodId: r.period_id,
          unitId: r.unit_id,
          assessorId: r.assessor_id,
          reviewerId: r.reviewer_id,
          status: r.status,
        }) as AppraisalEntity,
    );
    return { created, existing };
  }

  /** Counts every change to the appraisal or its targets in `version` (the ETag). */
  async bumpVersion(id: string, m: EntityManager): Promise<void> {
    await m.query('UPDATE appraisals SET version = version + 1, updated_at = now() WHERE id = $1', [id]);
  }

  targets(appraisalId: string, m?: EntityManager): Promise<TargetEntity[]> {
    return this.manager(m).getRepository(TargetEntity).find({ where: { appraisalId }, order: { createdAt: 'ASC' } });
  }

  findTarget(appraisalId: string, targetId: string, m?: EntityManager): Promise<TargetEntity | null> {
    return this.manager(m).getRepository(TargetEntity).findOneBy({ id: targetId, appraisalId });
  }

  /** Is `targetId` a target of the appraisal of `assessorId` in `periodId`? (RHK atasan for cascading) */
  async isAssessorTarget(targetId: string, assessorId: string, periodId: string, m: EntityManager): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `SELECT 1 FROM appraisal_targets t JOIN appraisals a ON a.id = t.appraisal_id
        WHERE t.id = $1 AND a.employee_id = $2 AND a.period_id = $3`,
      [targetId, assessorId, periodId],
    );
    return rows.length > 0;
  }

  saveTarget(t: Partial<TargetEntity>, m: EntityManager): Promise<TargetEntity> {
    return m.getRepository(TargetEntity).save(t);
  }

  async deleteTarget(id: string, m: EntityManager): Promise<void> {
    await m.getRepository(TargetEntity).delete({ id });
  }

  async targetInUse(id: string, m: EntityManager): Promise<{ achievements: number; cascades: number }> {
    const [row] = await m.query<{ achievements: number; cascades: number }[]>(
      `SELECT (SELECT count(*) FROM achievements WHERE target_id = $1)::int AS achievements,
              (SELECT count(*) FROM appraisal_targets WHERE cascaded_from_target_id = $1)::int AS cascades`,
      [id],
    );
    return row;
  }

  findObjection(appraisalId: string, m?: EntityManager): Promise<ObjectionEntity | null> {
    return this.manager(m).getRepository(ObjectionEntity).findOneBy({ appraisalId });
  }

  /** The organisation predicate that rates the appraisal when its appraisee heads its unit (spec §5.4), and its period's policy. */
  async headRating(id: string, m: EntityManager): Promise<{ predicate: OrganisationPredicate | null; policy: Partial<ScoringPolicy> }> {
    const [row] = await m.query<{ predicate: OrganisationPredicate | null; policy: Partial<ScoringPolicy> }[]>(
      `SELECT ${HEAD_PREDICATE('a')} AS predicate, p.policy FROM appraisals a JOIN periods p ON p.id = a.period_id WHERE a.id = $1`,
      [id],
    );
    return row;
  }

  findObjectionForUpdate(appraisalId: string, m: EntityManager): Promise<ObjectionEntity | null> {
    return m.getRepository(ObjectionEntity).findOne({ where: { appraisalId }, lock: { mode: 'pessimistic_write' } });
  }

  saveObjection(o: Partial<ObjectionEntity>, m: EntityManager): Promise<ObjectionEntity> {
    return m.getRepository(ObjectionEntity).save(o);
  }

  /** Appraisals of the period still DRAFT or AGREED: the first `limit` ids (oldest first) and how many in all. */
  async unassessedInPeriod(periodId: string, limit: number, m: EntityManager): Promise<{ ids: string[]; count: number }> {
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
  async finalizeAllInPeriod(periodId: string, m: EntityManager): Promise<FinalizedAppraisal[]> {
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
