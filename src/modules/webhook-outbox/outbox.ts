import { EntityManager } from 'typeorm';
import { DELIVERIES_CHANNEL, TEST_EVENT_TYPE, WebhookEventType } from './events';

/**
 * Writes one event of `type` per row of `rowsSql` (a SELECT whose column `data` is the event's data, jsonb), and one
 * delivery per event and ENABLED endpoint subscribed to the type, in the caller's transaction: no event for a change
 * that rolls back, no change without its event (spec §10). Nobody subscribed: nothing is written. A committed delivery
 * is announced on DELIVERIES_CHANNEL. `rowsSql` uses $1…$n of `params`, and its order is the events' order (`seq`);
 * answers how many events were written.
 */
export async function recordEvents(m: EntityManager, type: WebhookEventType, rowsSql: string, params: unknown[] = []): Promise<number> {
  const t = `$${params.length + 1}::varchar`;
  const rows = await m.query<{ events: number }[]>(
    `WITH subscribers AS (
       SELECT w.id FROM webhook_endpoints w WHERE w.status = 'ENABLED' AND ${t} = ANY(w.events)
     ), ev AS (
       INSERT INTO webhook_events (type, payload)
       SELECT ${t}, jsonb_build_object('type', ${t}, 'timestamp', ${TIMESTAMP}, 'data', x.data)
         FROM (${rowsSql}) x
        WHERE EXISTS (SELECT 1 FROM subscribers)
       RETURNING id
     ), dl AS (
       INSERT INTO webhook_deliveries (event_id, endpoint_id)
       SELECT ev.id, s.id FROM ev CROSS JOIN subscribers s
       RETURNING 1
     )
     SELECT (SELECT count(*)::int FROM ev) AS events, (SELECT pg_notify('${DELIVERIES_CHANNEL}', '') FROM dl LIMIT 1) AS notified`,
    [...params, type],
  );
  return rows[0].events;
}

/** One event of `type` with this `data` (see recordEvents). */
export async function recordEvent(m: EntityManager, type: WebhookEventType, data: object): Promise<number> {
  return recordEvents(m, type, 'SELECT $1::jsonb AS data', [JSON.stringify(data)]);
}

/**
 * The `webhook.test` event of one endpoint (POST /webhooks/{id}/test), whatever it subscribes to; answers the
 * delivery's id, or null when the endpoint does not exist.
 */
export async function recordTestEvent(m: EntityManager, endpointId: string, data: object): Promise<string | null> {
  const rows = await m.query<{ id: string }[]>(
    `WITH ev AS (
       INSERT INTO webhook_events (type, payload)
       SELECT $2::varchar, jsonb_build_object('type', $2::varchar, 'timestamp', ${TIMESTAMP}, 'data', $3::jsonb)
         FROM webhook_endpoints w WHERE w.id = $1
       RETURNING id
     ), dl AS (
       INSERT INTO webhook_deliveries (event_id, endpoint_id) SELECT ev.id, $1 FROM ev RETURNING id
     )
     SELECT dl.id, pg_notify('${DELIVERIES_CHANNEL}', '') FROM dl`,
    [endpointId, TEST_EVENT_TYPE, JSON.stringify(data)],
  );
  return rows[0]?.id ?? null;
}

/** SQL that is true while an ENABLED endpoint subscribes to `type`: a statement that builds event data can skip the work otherwise. */
export const SUBSCRIBED = (type: WebhookEventType) =>
  `EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.status = 'ENABLED' AND '${type}' = ANY(w.events))`;

/** The transaction's time in UTC, ISO 8601 with milliseconds: when the change happened. */
const TIMESTAMP = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
