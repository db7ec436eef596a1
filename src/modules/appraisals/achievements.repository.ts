import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { offsetOf } from '../../common/pagination/page';
import { AchievementQueryDto } from './dto/achievement.dto';
import { AchievementEntity } from './entities/achievement.entity';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { TargetEntity } from './entities/target.entity';

/** The stored first answer of an idempotent request. */
export interface StoredIdempotencyKey {
  requestHash: string;
  responseStatus: number | null;
  responseBody: unknown;
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

  insert(row: Omit<AchievementEntity, 'id' | 'createdAt' | 'updatedAt'>, m: EntityManager): Promise<AchievementEntity> {
    return this.repo(m).save(this.repo(m).create(row));
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
