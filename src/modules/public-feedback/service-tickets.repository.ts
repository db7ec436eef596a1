import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WITA } from '../../common/time/wita';
import { KeyedLock, lockKey } from '../../database/advisory-locks';
import { ServiceTicketEntity } from './entities/service-ticket.entity';

/** The daily ticket caps (spec §8 rule 5), by what they count, with the lock that makes each race-free. */
const CAP_LOCK = { issuerId: KeyedLock.TicketIssuer, employeeId: KeyedLock.TicketOfficer } as const;
export type TicketCap = keyof typeof CAP_LOCK;

@Injectable()
export class ServiceTicketsRepository {
  /**
   * Serialises the tickets counted by one cap and key until the transaction ends, so two at once cannot both pass
   * it. Callers take the issuer's before the officer's, so two transactions never wait on each other in a cycle.
   */
  lock(m: EntityManager, cap: TicketCap, key: string): Promise<void> {
    return lockKey(m, CAP_LOCK[cap], key);
  }

  /**
   * Tickets issued since the last WITA midnight by one issuer (`issuerId`) or naming one officer (`employeeId`),
   * and the seconds until the next WITA midnight, when the count starts again.
   */
  async countToday(m: EntityManager, cap: TicketCap, id: string): Promise<{ count: number; retryAfter: number }> {
    const column = cap === 'issuerId' ? 'issuer_id' : 'employee_id';
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
  findByTokenForUpdate(m: EntityManager, tokenHash: string): Promise<ServiceTicketEntity | null> {
    return m.getRepository(ServiceTicketEntity).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  insert(m: EntityManager, row: Omit<ServiceTicketEntity, 'id' | 'createdAt'>): Promise<ServiceTicketEntity> {
    return m.getRepository(ServiceTicketEntity).save(row);
  }

  async markUsed(m: EntityManager, id: string, usedAt: Date): Promise<void> {
    await m.getRepository(ServiceTicketEntity).update(id, { usedAt });
  }
}
