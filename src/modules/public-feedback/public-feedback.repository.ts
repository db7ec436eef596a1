import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DataScope } from '../../common/auth/data-scope';
import { offsetOf } from '../../common/pagination/page';
import { WITA } from '../../common/time/wita';
import { KeyedLock, lockKey } from '../../database/advisory-locks';
import { nearestServiceUnits, subtrees } from '../feedback-index/feedback-index.sql';
import { FeedbackQueryDto } from './dto/feedback.dto';
import { PublicFeedbackEntity } from './entities/public-feedback.entity';

const INTAKE_LOCK = { Ip: KeyedLock.FeedbackIp, Contact: KeyedLock.FeedbackContact, Employee: KeyedLock.FeedbackEmployee } as const;

@Injectable()
export class PublicFeedbackRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Serialises submissions sharing a key until the transaction ends, so two at once cannot both pass a count.
   * Callers take them in the order Ip, Contact, Employee, so two transactions never wait on each other in a cycle.
   */
  lock(m: EntityManager, kind: keyof typeof INTAKE_LOCK, key: string): Promise<void> {
    return lockKey(m, INTAKE_LOCK[kind], key);
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
   * Whether feedback on this unit, submitted on this WITA date, counts in the unit index of one of these employees
   * (spec §5.3): it lies in the subtree of the nearest publicService unit of the employee's unit, taken both as it is
   * now and as snapshotted by their appraisals of the periods containing that date (the unit a score uses).
   */
  async inUnitIndexOf(m: EntityManager, employeeIds: string[], unitId: string, submittedOn: string): Promise<boolean> {
    if (!employeeIds.length) return false;
    const [row] = await m.query<{ within: boolean }[]>(
      `WITH RECURSIVE ${nearestServiceUnits(
        `SELECT e.unit_id FROM employees e WHERE e.id = ANY($1::uuid[])
         UNION
         SELECT a.unit_id FROM appraisals a JOIN periods p ON p.id = a.period_id
          WHERE a.employee_id = ANY($1::uuid[]) AND $3::date BETWEEN p.start_date AND p.end_date`,
      )}, ${subtrees('SELECT DISTINCT service_unit_id FROM nearest')}
       SELECT EXISTS (SELECT 1 FROM subtree WHERE id = $2) AS within`,
      [employeeIds, unitId, submittedOn],
    );
    return row.within;
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

  /** Stores a moderation decision taken on a response read with findByIdForUpdate. */
  async saveModeration(m: EntityManager, f: PublicFeedbackEntity): Promise<void> {
    await m.getRepository(PublicFeedbackEntity).save(f);
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
