import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { offsetOf } from '../pagination/page';
import { AuditEventEntity } from './audit-event.entity';
import { AuditQueryDto } from './audit-query.dto';

export type AuditRow = Omit<AuditEventEntity, 'id' | 'occurredAt'>;

/** The append-only audit log. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts in the caller's transaction, 1000 rows a statement. */
  async insertMany(rows: AuditRow[], m: EntityManager): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      await m.getRepository(AuditEventEntity).insert(rows.slice(i, i + 1000));
    }
  }

  /** Newest first, filtered by the query's fields. */
  list(q: AuditQueryDto): Promise<[AuditEventEntity[], number]> {
    const qb = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('a');
    if (q.entityType) qb.andWhere('a.entityType = :entityType', { entityType: q.entityType });
    if (q.entityId) qb.andWhere('a.entityId = :entityId', { entityId: q.entityId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.actorId) qb.andWhere('a.actorId = :actorId', { actorId: q.actorId });
    if (q.requestId) qb.andWhere('a.requestId = :requestId', { requestId: q.requestId });
    if (q.from) qb.andWhere('a.occurredAt >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.occurredAt < :to', { to: q.to });
    return qb.orderBy('a.occurredAt', 'DESC').addOrderBy('a.id', 'DESC').offset(offsetOf(q)).limit(q.pageSize).getManyAndCount();
  }
}
