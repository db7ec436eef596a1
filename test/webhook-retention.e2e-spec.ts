import { DataSource } from 'typeorm';
import { ClaimLock } from '../src/database/advisory-locks';
import { RetentionRepository } from '../src/modules/retention/retention.repository';
import { RetentionService, WEBHOOK_EVENT_RETENTION_DAYS } from '../src/modules/retention/retention.service';
import { createTestApp, TestApp } from './app';
import { recreateDatabase } from './global-setup';
import { TEST_DATABASE_URL } from './test-env';

/** A database of this file's own: it counts every webhook event there is. */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_whretention');

describe('retention of webhook events (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let endpointId: string;

  beforeAll(async () => {
    await recreateDatabase(DB);
    t = await createTestApp({ DATABASE_URL: DB });
    db = t.app.get(DataSource);
    // DISABLED: no relay picks its deliveries up while the test arranges them.
    [{ id: endpointId }] = await db.query<{ id: string }[]>(
      `INSERT INTO webhook_endpoints (url, events, secret, status) VALUES ('https://127.0.0.1:9/hook', '{score.changed}', 'x', 'DISABLED') RETURNING id`,
    );
  }, 60_000);

  afterAll(async () => t?.close());

  beforeEach(() => db.query('DELETE FROM webhook_events'));

  /** An event `daysAgo` old with one delivery (and one attempt) per status, last touched `touchedDaysAgo`; answers its id. */
  async function event(daysAgo: number, statuses: string[], touchedDaysAgo = daysAgo): Promise<string> {
    const [{ id }] = await db.query<{ id: string }[]>(
      `INSERT INTO webhook_events (type, payload, created_at) VALUES ('score.changed', '{}', now() - make_interval(days => $1)) RETURNING id`,
      [daysAgo],
    );
    // A second endpoint per extra delivery: (endpoint, event) is unique.
    for (const [i, status] of statuses.entries()) {
      const ep = i === 0 ? endpointId : (
        await db.query<{ id: string }[]>(
          `INSERT INTO webhook_endpoints (url, events, secret, status) VALUES ('https://127.0.0.1:9/other', '{score.changed}', 'x', 'DISABLED') RETURNING id`,
        )
      )[0].id;
      const [{ id: deliveryId }] = await db.query<{ id: string }[]>(
        `INSERT INTO webhook_deliveries (endpoint_id, event_id, status, attempts, updated_at)
         VALUES ($1, $2, $3, 1, now() - make_interval(days => $4)) RETURNING id`,
        [ep, id, status, touchedDaysAgo],
      );
      await db.query(`INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, status_code, duration_ms) VALUES ($1, now(), 500, 3)`, [deliveryId]);
    }
    return id;
  }

  const counts = async () =>
    (
      await db.query<{ events: number; deliveries: number; attempts: number }[]>(
        `SELECT (SELECT count(*)::int FROM webhook_events) AS events, (SELECT count(*)::int FROM webhook_deliveries) AS deliveries,
                (SELECT count(*)::int FROM webhook_delivery_attempts) AS attempts`,
      )
    )[0];

  it(`deletes events older than ${WEBHOOK_EVENT_RETENTION_DAYS} days with their deliveries and attempts, unless a delivery is PENDING or was touched since`, async () => {
    const past = WEBHOOK_EVENT_RETENTION_DAYS + 1;
    await event(past, ['DELIVERED']);
    await event(past, ['FAILED']);
    const waiting = await event(past, ['DELIVERED', 'PENDING']);
    const retried = await event(past, ['FAILED'], 1); // a retry yesterday: its log stays
    const recent = await event(WEBHOOK_EVENT_RETENTION_DAYS - 1, ['FAILED']);
    expect(await counts()).toEqual({ events: 5, deliveries: 6, attempts: 6 });

    expect((await t.app.get(RetentionService).run()).webhookEvents).toBe(2);
    expect(await counts()).toEqual({ events: 3, deliveries: 4, attempts: 4 });
    const kept = await db.query<{ id: string }[]>('SELECT id FROM webhook_events ORDER BY seq');
    expect(kept.map((r) => r.id)).toEqual([waiting, retried, recent]);
    expect((await t.app.get(RetentionService).run()).webhookEvents).toBe(0);
  });

  it('leaves the deleting to the process that holds the retention lock, and deletes once it is free', async () => {
    await event(WEBHOOK_EVENT_RETENTION_DAYS + 1, ['DELIVERED']);
    const other = db.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query('SELECT pg_advisory_xact_lock($1)', [ClaimLock.Retention]);
      expect(await t.app.get(RetentionRepository).deleteWebhookEventsOlderThan(WEBHOOK_EVENT_RETENTION_DAYS)).toBe(0);
      expect((await counts()).events).toBe(1);
      await other.commitTransaction();
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    expect(await t.app.get(RetentionRepository).deleteWebhookEventsOlderThan(WEBHOOK_EVENT_RETENTION_DAYS)).toBe(1);
  });

  it('deletes in batches until none is left', async () => {
    for (let i = 0; i < 5; i++) await event(WEBHOOK_EVENT_RETENTION_DAYS + 2, ['DELIVERED']);
    expect(await t.app.get(RetentionRepository).deleteWebhookEventsOlderThan(WEBHOOK_EVENT_RETENTION_DAYS, 2)).toBe(5);
    expect(await counts()).toEqual({ events: 0, deliveries: 0, attempts: 0 });
  });
});
