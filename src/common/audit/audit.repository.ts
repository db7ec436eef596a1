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

  /** Inserts in the caller's transaction, 1000 rows a statement; plain SQL, as every write of the API makes one. */
  async insertMany(rows: AuditRow[], m: EntityManager): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000).map((r) => ({
        actor_type: r.actorType,
        actor_id: r.actorId,
        actor_name: r.actorName,
        action: r.action,
        entity_type: r.entityType,
        entity_id: r.entityId,
        before: r.before,
        after: r.after,
        reason: r.reason,
        request_id: r.requestId,
      }));
      await m.query(
        `INSERT INTO audit_events (actor_type, actor_id, actor_name, action, entity_type, entity_id, before, after, reason, request_id)
         SELECT v.actor_type, v.actor_id, v.actor_name, v.action, v.entity_type, v.entity_id, v.before, v.after, v.reason, v.request_id
           FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (actor_type audit_actor_type, actor_id uuid, actor_name varchar,
                action varchar, entity_type varchar, entity_id varchar, before jsonb, after jsonb, reason text, request_id varchar))
                WITH ORDINALITY AS v(actor_type, actor_id, actor_name, action, entity_type, entity_id, before, after, reason, request_id, n)
          ORDER BY v.n`,
        [JSON.stringify(chunk)],
      );
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
