import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { offsetOf } from '../../common/pagination/page';
import { AchievementQueryDto } from './dto/achievement.dto';
import { AchievementEntity } from './entities/achievement.entity';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { TargetEntity } from './entities/target.entity';
import type { AppraisalEntity } from './entities/appraisal.entity';
import type { PeriodEntity, PeriodStatus } from '../periods/entities/period.entity';
import type { ScoringPolicy } from '../scoring/policy';

/** The stored first answer of an idempotent request. */
export interface StoredIdempotencyKey {
  requestHash: string;
  responseStatus: number | null;
  responseBody: unknown;
}

/** The appraisal and period an achievement write is checked against (see lockContext). */
export interface WriteContextRow {
  appraisal: Pick<AppraisalEntity, 'id' | 'employeeId' | 'assessorId' | 'reviewerId' | 'unitId' | 'status' | 'periodId'>;
  period: Pick<PeriodEntity, 'id' | 'code' | 'status' | 'startDate' | 'endDate' | 'policy'>;
}

export interface IdempotencyKeyRef {
  principalId: string;
  operation: string;
  key: string;
}

@Injectable()
export class AchievementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(AchievementEntity);
  }

  findById(id: string, m?: EntityManager): Promise<AchievementEntity | null> {
    return this.repo(m).findOneBy({ id });
  }

  /** Callers lock the appraisal first; this row lock only guards against writers that do not. */
  findByIdForUpdate(id: string, m: EntityManager): Promise<AchievementEntity | null> {
    return this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findTarget(id: string, m?: EntityManager): Promise<Pick<TargetEntity, 'id' | 'appraisalId'> | null> {
    return (m ?? this.dataSource.manager)
      .getRepository(TargetEntity)
      .findOne({ select: { id: true, appraisalId: true }, where: { id } });
  }

  /** One appraisal's (or one target's) achievements, oldest result first. The caller has checked visibility. */
  list(q: AchievementQueryDto): Promise<[AchievementEntity[], number]> {
    const qb = this.repo().createQueryBuilder('a');
    if (q.appraisalId) qb.andWhere('a.appraisalId = :appraisalId', { appraisalId: q.appraisalId });
    if (q.targetId) qb.andWhere('a.targetId = :targetId', { targetId: q.targetId });
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    return qb
      .orderBy('a.occurredOn', 'ASC')
      .addOrderBy('a.createdAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .offset(offsetOf(q))
      .limit(q.pageSize)
      .getManyAndCount();
  }

  /** Plain SQL: recording an achievement is the busiest write of the API. */
  async insert(row: Omit<AchievementEntity, 'id' | 'createdAt' | 'updatedAt'>, m: EntityManager): Promise<AchievementEntity> {
    const [created] = await m.query<{ id: string; created_at: Date; updated_at: Date }[]>(
      `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, description, evidence_url, status, submitted_by,
                                 contributor_ids, decided_by, decided_at, rejection_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING id, created_at, updated_at`,
      [
        row.targetId,
        row.appraisalId,
        row.value,
        row.occurredOn,
        row.description,
        row.evidenceUrl,
        row.status,
        row.submittedBy,
        row.contributorIds,
        row.decidedBy,
        row.decidedAt,
        row.rejectionReason,
      ],
    );
    return { ...row, id: created.id, createdAt: created.created_at, updatedAt: created.updated_at };
  }

  /**
   * What every achievement write needs, in one round trip: the appraisal (of the target, or by id) locked FOR UPDATE,
   * which serialises the writes to one appraisal, and its period. Null when no such target or appraisal exists.
   */
  async lockContext(by: { targetId: string } | { appraisalId: string }, m: EntityManager): Promise<WriteContextRow | null> {
    const [r] = await m.query<
      (Omit<WriteContextRow['appraisal'], 'periodId'> & { period_id: string; code: string; period_status: PeriodStatus; start_date: string; end_date: string; policy: ScoringPolicy })[]
    >(
      `SELECT a.id, a.employee_id AS "employeeId", a.assessor_id AS "assessorId", a.reviewer_id AS "reviewerId", a.unit_id AS "unitId",
              a.status, a.period_id, p.code, p.status AS period_status, p.start_date::text, p.end_date::text, p.policy
         FROM appraisals a JOIN periods p ON p.id = a.period_id
        WHERE a.id = ${'targetId' in by ? '(SELECT t.appraisal_id FROM appraisal_targets t WHERE t.id = $1)' : '$1'}
          FOR UPDATE OF a`,
      ['targetId' in by ? by.targetId : by.appraisalId],
    );
    if (!r) return null;
    return {
      appraisal: { id: r.id, employeeId: r.employeeId, assessorId: r.assessorId, reviewerId: r.reviewerId, unitId: r.unitId, status: r.status, periodId: r.period_id },
      period: { id: r.period_id, code: r.code, status: r.period_status, startDate: r.start_date, endDate: r.end_date, policy: r.policy },
    };
  }

  /** The decision on a locked achievement, in one UPDATE (verifying is on the hot path of commit-to-fresh). */
  async decide(
    before: AchievementEntity,
    d: Pick<AchievementEntity, 'status' | 'rejectionReason' | 'decidedBy' | 'decidedAt'>,
    m: EntityManager,
  ): Promise<AchievementEntity> {
    // TypeORM answers an UPDATE with [rows, count].
    const [[row]] = await m.query<[{ updated_at: Date }[], number]>(
      `UPDATE achievements SET status = $2, rejection_reason = $3, decided_by = $4, decided_at = $5, updated_at = now()
        WHERE id = $1 RETURNING updated_at`,
      [before.id, d.status, d.rejectionReason, d.decidedBy, d.decidedAt],
    );
    return { ...before, ...d, updatedAt: row.updated_at };
  }

  save(row: AchievementEntity, m: EntityManager): Promise<AchievementEntity> {
    return this.repo(m).save(row);
  }

  async delete(id: string, m: EntityManager): Promise<void> {
    await this.repo(m).delete({ id });
  }

  /**
   * Claims an idempotency key for this request. True when this transaction now holds it; false when another
   * request holds it. A concurrent claim of the same key waits here until the holder's transaction ends, so
   * the loser reads a committed answer (or, if the holder rolled back, takes the key itself).
   */
  async claimIdempotencyKey(ref: IdempotencyKeyRef, requestHash: string, m: EntityManager): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO idempotency_keys (principal_id, operation, key, request_hash)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (principal_id, operation, key) DO NOTHING
       RETURNING principal_id`,
      [ref.principalId, ref.operation, ref.key, requestHash],
    );
    return rows.length === 1;
  }

  async findIdempotencyKey(ref: IdempotencyKeyRef, m: EntityManager): Promise<StoredIdempotencyKey | null> {
    const row = await m.getRepository(IdempotencyKeyEntity).findOneBy(ref);
    return row && { requestHash: row.requestHash, responseStatus: row.responseStatus, responseBody: row.responseBody };
  }

  async storeIdempotentResponse(ref: IdempotencyKeyRef, status: number, body: object, m: EntityManager): Promise<void> {
    await m.getRepository(IdempotencyKeyEntity).update(ref, { responseStatus: status, responseBody: body });
  }
}
