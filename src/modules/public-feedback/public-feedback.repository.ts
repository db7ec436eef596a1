import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DataScope } from '../../common/auth/data-scope';
import { offsetOf } from '../../common/pagination/page';
import { WITA } from '../../common/time/wita';
import { FeedbackQueryDto } from './dto/feedback.dto';
import { PublicFeedbackEntity } from './entities/public-feedback.entity';
import { ServiceTicketEntity } from './entities/service-ticket.entity';

/** Namespaces of the transaction locks that make each abuse check race-free (first key of pg_advisory_xact_lock). */
enum FeedbackLock {
  Ip = 2001,
  Contact = 2002,
  Employee = 2003,
  TicketIssuer = 2004,
  TicketOfficer = 2005,
}

@Injectable()
export class PublicFeedbackRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Serialises submissions sharing a key until the transaction ends, so two at once cannot both pass a count.
   * Callers take them in the order Ip, Contact, Employee (intake) and TicketIssuer, TicketOfficer (tickets), so two
   * transactions never wait on each other in a cycle.
   */
  async lock(m: EntityManager, kind: keyof typeof FeedbackLock, key: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [FeedbackLock[kind], key]);
  }

  /** Unticketed submissions from one client within the window, and when the oldest of them leaves it. */
  async ipUsage(m: EntityManager, ipHash: string, windowSeconds: number): Promise<{ count: number; retryAfter: number }> {
    const [row] = await m.query<{ count: number; retry_after: number | null }[]>(
      `SELECT count(*)::int AS count,
              ceil(extract(epoch FROM min(submitted_at) + make_interval(secs => $2) - now()))::int AS retry_after
         FROM public_feedback
        WHERE ip_hash = $1 AND ticket_id IS NULL AND submitted_at > now() - make_interval(secs => $2)`,
      [ipHash, windowSeconds],
    );
    return { count: row.count, retryAfter: Math.max(1, row.retry_after ?? 1) };
  }

  async duplicateContact(m: EntityManager, contactHash: string, unitId: string, employeeId: string | null): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `SELECT 1 FROM public_feedback
        WHERE contact_hash = $1 AND unit_id = $2 AND employee_id IS NOT DISTINCT FROM $3::uuid
          AND submitted_at > now() - interval '24 hours'
        LIMIT 1`,
      [contactHash, unitId, employeeId],
    );
    return rows.length > 0;
  }

  async recentAboutEmployee(m: EntityManager, employeeId: string): Promise<number> {
    const [row] = await m.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM public_feedback WHERE employee_id = $1 AND submitted_at > now() - interval '1 hour'`,
      [employeeId],
    );
    return row.count;
  }

  /**
   * Tickets issued since the last WITA midnight by one issuer (`issuerId`) or naming one officer (`employeeId`),
   * and the seconds until the next WITA midnight, when the count starts again.
   */
  async ticketsToday(m: EntityManager, by: 'issuerId' | 'employeeId', id: string): Promise<{ count: number; retryAfter: number }> {
    const column = by === 'issuerId' ? 'issuer_id' : 'employee_id';
    const [row] = await m.query<{ count: number; retry_after: number }[]>(
      `SELECT count(*)::int AS count,
              ceil(extract(epoch FROM (date_trunc('day', now() AT TIME ZONE $2) + interval '1 day') AT TIME ZONE $2 - now()))::int AS retry_after
         FROM service_tickets
        WHERE ${column} = $1 AND created_at >= date_trunc('day', now() AT TIME ZONE $2) AT TIME ZONE $2`,
      [id, WITA],
    );
    return { count: row.count, retryAfter: Math.max(1, row.retry_after) };
  }

  /** The ticket, locked until the transaction ends: of two submissions with it, the second sees it used. */
  ticketForUpdate(m: EntityManager, tokenHash: string): Promise<ServiceTicketEntity | null> {
    return m.getRepository(ServiceTicketEntity).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  /** Inserts with the database clock: submittedAt and its WITA date (spec §4) come from the same instant. */
  async insert(m: EntityManager, row: Omit<PublicFeedbackEntity, 'id' | 'submittedAt' | 'submittedOn' | 'moderatedAt' | 'moderatedBy' | 'moderationNote'>): Promise<PublicFeedbackEntity> {
    const result = await m
      .createQueryBuilder()
      .insert()
      .into(PublicFeedbackEntity)
      .values({ ...row, submittedOn: () => `(now() AT TIME ZONE '${WITA}')::date` })
      .returning('id, submitted_at, submitted_on::text AS submitted_on')
      .execute();
    const [created] = result.raw as { id: string; submitted_at: Date; submitted_on: string }[];
    return m.getRepository(PublicFeedbackEntity).create({
      ...row,
      id: created.id,
      submittedAt: created.submitted_at,
      submittedOn: created.submitted_on,
      moderatedAt: null,
      moderatedBy: null,
      moderationNote: null,
    });
  }

  findById(id: string, m?: EntityManager): Promise<PublicFeedbackEntity | null> {
    return (m ?? this.dataSource.manager).getRepository(PublicFeedbackEntity).findOneBy({ id });
  }

  findByIdForUpdate(id: string, m: EntityManager): Promise<PublicFeedbackEntity | null> {
    return m.getRepository(PublicFeedbackEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async list(q: FeedbackQueryDto, scope: DataScope): Promise<[PublicFeedbackEntity[], number]> {
    const qb = this.dataSource.getRepository(PublicFeedbackEntity).createQueryBuilder('f');
    if (scope.kind === 'subtree') qb.andWhere('f.unitId IN (SELECT s.id FROM unit_subtree(:root) AS s(id))', { root: scope.rootUnitId });
    if (q.withinUnitId) qb.andWhere('f.unitId IN (SELECT s.id FROM unit_subtree(:within) AS s(id))', { within: q.withinUnitId });
    if (q.employeeId) qb.andWhere('f.employeeId = :employeeId', { employeeId: q.employeeId });
    if (q.status) qb.andWhere('f.status = :status', { status: q.status });
    if (q.channel) qb.andWhere('f.channel = :channel', { channel: q.channel });
    if (q.periodId) {
      qb.andWhere('EXISTS (SELECT 1 FROM periods p WHERE p.id = :periodId AND f.submittedOn BETWEEN p.start_date AND p.end_date)', {
        periodId: q.periodId,
      });
    }
    return qb.orderBy('f.submittedAt', 'DESC').addOrderBy('f.id', 'DESC').offset(offsetOf(q)).limit(q.pageSize).getManyAndCount();
  }
}
