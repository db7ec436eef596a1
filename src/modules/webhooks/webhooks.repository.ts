import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { offsetOf, PageQueryDto } from '../../common/pagination/page';
import { ClaimLock, lockClaim } from '../../database/advisory-locks';
import { DELIVERIES_CHANNEL } from '../webhook-outbox/events';
import { DeliveryStatus, WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';

/** A delivery as listed: its event's type and its attempts, oldest first. */
export interface DeliveryView extends WebhookDeliveryEntity {
  eventType: string;
  attemptLog: WebhookDeliveryAttemptEntity[];
}

export interface ClaimedDelivery {
  id: string;
  /** The number of the attempt about to be made. */
  attempt: number;
}

/** What one attempt needs, read when it is taken. */
export interface AttemptContext {
  deliveryId: string;
  eventId: string;
  payload: object;
  endpoint: WebhookEndpointEntity;
  /**
   * When the attempt was taken, by the database's clock with the row locked, to the microsecond (text, not a Date):
   * finishAttempt tells a retry asked for after it.
   */
  startedAt: string;
}

export interface AttemptRecord {
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

/** Where a delivery goes after an attempt. */
export type NextStep = { status: 'DELIVERED' } | { status: 'PENDING'; retryInMs: number } | { status: 'FAILED' };

/** SQL over the webhook endpoints, deliveries and attempts: management, the relay, the sweeper and the worker. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private endpoints(m?: EntityManager): Repository<WebhookEndpointEntity> {
    return (m ?? this.dataSource.manager).getRepository(WebhookEndpointEntity);
  }

  insertEndpoint(e: Omit<WebhookEndpointEntity, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'disabledReason' | 'disabledAt' | 'failingSince' | 'previousSecret' | 'previousSecretUntil'>, m: EntityManager): Promise<WebhookEndpointEntity> {
    return this.endpoints(m).save(this.endpoints(m).create(e));
  }

  findEndpoint(id: string): Promise<WebhookEndpointEntity | null> {
    return this.endpoints().findOneBy({ id });
  }

  findEndpointForUpdate(id: string, m: EntityManager): Promise<WebhookEndpointEntity | null> {
    return this.endpoints(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The endpoint's status, held until the transaction ends (a PATCH that disables it waits); null without the endpoint. */
  async lockEndpointStatus(id: string, m: EntityManager): Promise<WebhookEndpointEntity['status'] | null> {
    const [row] = await m.query<{ status: WebhookEndpointEntity['status'] }[]>('SELECT status FROM webhook_endpoints WHERE id = $1 FOR SHARE', [id]);
    return row?.status ?? null;
  }

  async deliveryExists(endpointId: string, deliveryId: string, m: EntityManager): Promise<boolean> {
    const rows = await m.query<unknown[]>('SELECT 1 FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2', [deliveryId, endpointId]);
    return rows.length > 0;
  }

  saveEndpoint(e: WebhookEndpointEntity, m: EntityManager): Promise<WebhookEndpointEntity> {
    return this.endpoints(m).save(e);
  }

  async deleteEndpoint(id: string, m: EntityManager): Promise<void> {
    await this.endpoints(m).delete({ id });
  }

  listEndpoints(q: PageQueryDto): Promise<[WebhookEndpointEntity[], number]> {
    return this.endpoints().findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, skip: offsetOf(q), take: q.pageSize });
  }

  /** The endpoint's PENDING deliveries become FAILED (it was disabled); answers how many. */
  async failPending(endpointId: string, m: EntityManager): Promise<number> {
    const [, affected] = await m.query<[unknown[], number]>(
      `UPDATE webhook_deliveries SET status = 'FAILED', enqueued_at = NULL, updated_at = now()
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'PENDING' ORDER BY id FOR UPDATE)`,
      [endpointId],
    );
    return affected;
  }

  /** The endpoint's deliveries, newest first, each with its event type and attempts. */
  async listDeliveries(endpointId: string, q: PageQueryDto): Promise<[DeliveryView[], number]> {
    const [items, total] = await this.dataSource.getRepository(WebhookDeliveryEntity).findAndCount({
      where: { endpointId },
      relations: { event: true },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: offsetOf(q),
      take: q.pageSize,
    });
    const attempts = await this.attemptsOf(items.map((d) => d.id));
    return [items.map((d) => this.view(d, attempts)), total];
  }

  async findDelivery(endpointId: string, deliveryId: string): Promise<DeliveryView | null> {
    const d = await this.dataSource.getRepository(WebhookDeliveryEntity).findOne({ where: { id: deliveryId, endpointId }, relations: { event: true } });
    return d ? this.view(d, await this.attemptsOf([d.id])) : null;
  }

  private view(d: WebhookDeliveryEntity, attempts: WebhookDeliveryAttemptEntity[]): DeliveryView {
    const { event, ...rest } = d;
    return { ...rest, eventType: event!.type, attemptLog: attempts.filter((a) => a.deliveryId === d.id) };
  }

  private attemptsOf(deliveryIds: string[]): Promise<WebhookDeliveryAttemptEntity[]> {
    if (!deliveryIds.length) return Promise.resolve([]);
    return this.dataSource
      .getRepository(WebhookDeliveryAttemptEntity)
      .createQueryBuilder('a')
      .where('a.delivery_id = ANY(:ids)', { ids: deliveryIds })
      .orderBy('a.attempted_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }

  /**
   * PENDING again and due now; one already on the queue stays there (its attempt is coming). Answers the status
   * before, or null when the endpoint has no such delivery. The relay is told.
   */
  async retryDelivery(endpointId: string, deliveryId: string, m: EntityManager): Promise<DeliveryStatus | null> {
    const [rows] = await m.query<[{ before: DeliveryStatus }[], number]>(
      // clock_timestamp(), not now() (when the transaction began): taken with the row locked, so a retry that waited for
      // an attempt to start is later than that start (AttemptContext.startedAt), and finishAttempt sees it.
      `UPDATE webhook_deliveries d SET status = 'PENDING', next_attempt_at = clock_timestamp(), updated_at = now(), delivered_at = NULL,
              enqueued_at = CASE WHEN d.status = 'PENDING' THEN d.enqueued_at END
         FROM (SELECT id, status AS before FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2 FOR UPDATE) old
        WHERE d.id = old.id
       RETURNING old.before, pg_notify('${DELIVERIES_CHANNEL}', '')`,
      [deliveryId, endpointId],
    );
    return rows[0]?.before ?? null;
  }

  /**
   * Takes up to `limit` due PENDING deliveries of ENABLED endpoints, oldest event first, leaving each endpoint at most
   * `perEndpoint` in flight (claimed, no attempt finished), and stamps them enqueued. Relays claim one at a time (an
   * advisory lock), so two cannot both fill the same endpoint's slots.
   */
  async claim(limit: number, perEndpoint: number): Promise<ClaimedDelivery[]> {
    return this.dataSource.transaction(async (m) => {
      await lockClaim(m, ClaimLock.WebhookDeliveries);
      const [rows] = await m.query<[ClaimedDelivery[], number]>(
        `WITH inflight AS (
           SELECT endpoint_id, count(*)::int AS n FROM webhook_deliveries
            WHERE status = 'PENDING' AND enqueued_at IS NOT NULL GROUP BY endpoint_id
         ), due AS (
           SELECT d.id, d.endpoint_id, e.seq,
                  row_number() OVER (PARTITION BY d.endpoint_id ORDER BY e.seq) AS rn
             FROM webhook_deliveries d
             JOIN webhook_events e ON e.id = d.event_id
             JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.status = 'ENABLED'
            WHERE d.status = 'PENDING' AND d.enqueued_at IS NULL AND d.next_attempt_at <= now()
         ), picked AS (
           SELECT due.id FROM due LEFT JOIN inflight i ON i.endpoint_id = due.endpoint_id
            WHERE due.rn <= $2 - COALESCE(i.n, 0)
            ORDER BY due.seq LIMIT $1
         )
         UPDATE webhook_deliveries d SET enqueued_at = now()
          WHERE d.id IN (SELECT x.id FROM webhook_deliveries x WHERE x.id IN (SELECT id FROM picked) ORDER BY x.id FOR UPDATE SKIP LOCKED)
         RETURNING d.id, d.attempts + 1 AS attempt`,
        [limit, perEndpoint],
      );
      return rows;
    });
  }

  /** Hands claimed deliveries back to the relay, e.g. when Redis refused them. */
  async release(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET enqueued_at = NULL
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE id = ANY($1::uuid[]) AND status = 'PENDING' ORDER BY id FOR UPDATE)`,
      [ids],
    );
  }

  /** Deliveries enqueued longer ago than `olderThanMs` with no attempt finished since go back to the relay. */
  async sweep(olderThanMs: number): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE webhook_deliveries SET enqueued_at = NULL
        WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'PENDING' AND enqueued_at < now() - ($1::int * interval '1 millisecond')
                      ORDER BY id FOR UPDATE SKIP LOCKED)`,
      [olderThanMs],
    );
    return affected;
  }

  /**
   * Takes attempt number `attempt` of a claimed PENDING delivery of an ENABLED endpoint; null when that attempt was
   * made already (a duplicate job) or the delivery is no longer due to go.
   */
  async startAttempt(deliveryId: string, attempt: number): Promise<AttemptContext | null> {
    const [rows] = await this.dataSource.query<[{ id: string; event_id: string; endpoint_id: string; started_at: string }[], number]>(
      // The sweeper's clock starts with the attempt, not with the claim: a job that waited in Redis is not sent twice.
      `UPDATE webhook_deliveries d SET attempts = $2, enqueued_at = now(), updated_at = now()
         FROM webhook_endpoints w
        WHERE d.id = $1 AND w.id = d.endpoint_id AND w.status = 'ENABLED'
          AND d.status = 'PENDING' AND d.attempts = $2 - 1 AND d.enqueued_at IS NOT NULL
       RETURNING d.id, d.event_id, d.endpoint_id, clock_timestamp()::text AS started_at`,
      [deliveryId, attempt],
    );
    if (!rows.length) return null;
    const [endpoint, event] = await Promise.all([
      this.findEndpoint(rows[0].endpoint_id),
      this.dataSource.query<{ payload: object }[]>('SELECT payload FROM webhook_events WHERE id = $1', [rows[0].event_id]),
    ]);
    if (!endpoint || !event.length) return null;
    return { deliveryId, eventId: rows[0].event_id, payload: event[0].payload, endpoint, startedAt: rows[0].started_at };
  }

  /**
   * Records an attempt (taken at `startedAt`, AttemptContext) and moves its delivery on; the endpoint's failure streak
   * starts, or ends on a success. Null when the delivery is gone (its endpoint was deleted meanwhile).
   */
  async finishAttempt(
    deliveryId: string,
    endpointId: string,
    startedAt: string,
    a: AttemptRecord,
    wanted: NextStep,
    m: EntityManager,
  ): Promise<{ failingSince: Date | null; status: NextStep['status'] } | null> {
    // The endpoint before its delivery, as a PATCH that disables it locks them: the other order deadlocked with it.
    const [endpoint] = await m.query<{ status: string }[]>('SELECT status FROM webhook_endpoints WHERE id = $1 FOR NO KEY UPDATE', [endpointId]);
    // Only a retry moves a PENDING delivery's due time past the start of its attempt (it was due when taken).
    const [delivery] = await m.query<{ retried: boolean }[]>(
      `SELECT status = 'PENDING' AND next_attempt_at > $2::timestamptz AS retried FROM webhook_deliveries WHERE id = $1 FOR UPDATE`,
      [deliveryId, startedAt],
    );
    if (!delivery) return null;
    let next = wanted;
    // Disabled while this attempt was under way: its pending deliveries failed, and a retry may not bring this one back.
    if (wanted.status !== 'DELIVERED' && endpoint?.status === 'DISABLED') next = { status: 'FAILED' };
    // Retried while this attempt was under way: the retry asked for another attempt, due at once and not after the
    // back-off, even when the schedule ran out. A success stands: the receiver has the event.
    else if (wanted.status !== 'DELIVERED' && delivery.retried) next = { status: 'PENDING', retryInMs: 0 };
    await m.query(
      `UPDATE webhook_deliveries SET status = $2::text::webhook_delivery_status, last_status_code = $3, enqueued_at = NULL, updated_at = now(),
              delivered_at = CASE WHEN $2::text = 'DELIVERED' THEN now() END,
              next_attempt_at = CASE WHEN $2::text = 'PENDING' THEN now() + ($4::int * interval '1 millisecond') ELSE next_attempt_at END
        WHERE id = $1`,
      [deliveryId, next.status, a.statusCode, next.status === 'PENDING' ? next.retryInMs : 0],
    );
    await m.getRepository(WebhookDeliveryAttemptEntity).insert({ deliveryId, ...a });
    // The attempt frees a slot of the endpoint (WEBHOOK_ENDPOINT_CONCURRENCY): announced, so every relay claims its next
    // deliveries at once instead of at its next interval.
    const rows = await m.query<{ failing_since: Date | null }[]>(
      `WITH e AS (
         UPDATE webhook_endpoints SET failing_since = CASE WHEN $2 THEN NULL ELSE COALESCE(failing_since, $3) END
          WHERE id = $1 RETURNING failing_since
       )
       SELECT e.failing_since, pg_notify('${DELIVERIES_CHANNEL}', '') FROM e`,
      [endpointId, next.status === 'DELIVERED', a.attemptedAt],
    );
    return { failingSince: rows[0]?.failing_since ?? null, status: next.status };
  }

  /**
   * The backlog in one statement, for the metrics scrape: PENDING deliveries of ENABLED endpoints, and the seconds
   * since the oldest of them was written (0 without any).
   */
  async backlog(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query<{ pending: number; oldest: number }[]>(
      `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(d.created_at)), 0)::float8 AS oldest
         FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.status = 'ENABLED'
        WHERE d.status = 'PENDING'`,
    );
    return { pending: row.pending, oldestAgeSeconds: Math.max(0, row.oldest) };
  }

  /** A connection of its own, outside the pool, to LISTEN for new deliveries on; the caller wires its events first. */
  newListener(): Client {
    const { url } = this.dataSource.options as { url?: string };
    return new Client({ connectionString: url, application_name: 'capaian-webhook-relay' });
  }

}
