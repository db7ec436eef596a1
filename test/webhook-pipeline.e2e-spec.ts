import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { TEST_DATABASE_URL } from './test-env';
import { recreateDatabase } from './global-setup';
import { auth, uniqueCode } from './factories';
import { insertPeriod, orgChain } from './planning-fixtures';
import { TestRedis, until } from './processes';
import { WebhookReceiver } from './webhook-receiver';

/** A database of this file's own: webhook endpoints are global, and other files' events would reach them. */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_whpipeline');

/**
 * score.changed end to end (spec §10, issue 15): achievements submitted and verified through the API, scores recomputed
 * by the `scores` queue's worker, events delivered by the `webhooks` queue's worker (a private redis-server) to a
 * receiver that verifies every signature with the `standardwebhooks` library and checks every body against
 * openapi.yaml.
 */
describe('score.changed through the whole pipeline (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let redis: TestRedis;
  let rx: WebhookReceiver;
  let org: Awaited<ReturnType<typeof orgChain>>;
  let appraisalId: string;
  let targetId: string;
  let start: string;
  const PATH = '/hr-system';

  beforeAll(async () => {
    redis = await TestRedis.start();
    rx = await WebhookReceiver.start('127.0.0.1', { strict: true });
    await recreateDatabase(DB);
    t = await createTestApp({ DATABASE_URL: DB, REDIS_URL: redis.url, RECALC_WORKER: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', RECALC_RELAY_INTERVAL_MS: '50', WEBHOOK_RELAY_INTERVAL_MS: '50' });
    db = t.app.get(DataSource);
    org = await orgChain(t);
    const period = await insertPeriod(t, { status: 'OPEN' });
    start = period.startDate;
    const [indicator] = await db.query<{ id: string }[]>(
      `INSERT INTO indicators (code, name, unit_of_measure, aspect, direction, aggregation) VALUES ($1, 'Izin terbit', 'dokumen', 'QUANTITY', 'HIGHER_IS_BETTER', 'SUM') RETURNING id`,
      [uniqueCode('IKI-WH')],
    );
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, reviewer_id, status, version, agreed_at) VALUES ($1, $2, $3, $4, $5, 'AGREED', 1, now()) RETURNING id`,
      [org.employee.id, period.id, org.unit.id, org.assessor.id, org.reviewer.id],
    );
    appraisalId = a.id;
    [{ id: targetId }] = await db.query<{ id: string }[]>(`INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 100, 100) RETURNING id`, [
      appraisalId,
      indicator.id,
    ]);
    const hook = await t.http().post('/webhooks').set(auth(t.adminToken)).send({ url: rx.url(PATH), events: ['score.changed'] });
    expect(hook.status).toBe(201);
    rx.trust(PATH, hook.body.secret as string);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await redis?.stop();
  });

  /** The score.changed events of the appraisal the receiver verified, in arrival order. */
  const changes = () =>
    rx
      .on(PATH)
      .filter((r) => r.verifiedBy.length === 1)
      .map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> })
      .filter((e) => e.type === 'score.changed' && e.data.appraisalId === appraisalId);
  const score = async () => (await t.http().get(`/appraisals/${appraisalId}/score`).set(auth(t.adminToken))).body as Record<string, unknown>;
  const submit = async (value: number) => {
    const res = await t.http().post('/achievements').set(auth(org.employeeUser.token)).send({ targetId, value, occurredOn: start, description: 'Izin terbit' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const verify = async (id: string) => expect((await t.http().post(`/achievements/${id}/verify`).set(auth(org.assessorUser.token))).status).toBe(200);
  const fresh = () => until(async () => (await score()).freshness === 'FRESH', 20_000, 'a fresh score');
  /** Waits for `n` events; on a timeout, says where the deliveries stand. */
  const events = async (n: number) => {
    try {
      await until(() => Promise.resolve(changes().length === n), 20_000, `${n} score.changed`);
    } catch (e) {
      const state = await db.query(
        `SELECT e.type, e.payload->'data'->>'resultScore' AS score, d.status, d.attempts, d.enqueued_at, d.next_attempt_at, d.created_at, now() AS now
           FROM webhook_events e LEFT JOIN webhook_deliveries d ON d.event_id = e.id ORDER BY e.seq`,
      );
      const received = rx.on(PATH).map((r) => ({ verified: r.verifiedBy.length, body: r.body.slice(0, 200) }));
      throw new Error(`${(e as Error).message}; outbox ${JSON.stringify(state)}; received ${JSON.stringify(received)}`, { cause: e });
    }
  };

  it('the first score, then each verified achievement that moves it: exactly one event each, with the score the API reads', async () => {
    // Submitted, not yet verified: the appraisal gets its first score (nothing verified yet: 0), one event.
    const first = await submit(50);
    await fresh();
    await events(1);
    expect(changes()[0].data).toMatchObject({ appraisalId, employeeNip: org.employee.nip, resultScore: 0, previousPredicate: null });

    await verify(first);
    await fresh();
    await events(2);
    const s = await score();
    expect(s.resultScore).toBe(50);
    expect(changes()[1].data).toMatchObject({ appraisalId, resultScore: 50, resultRating: s.resultRating, finalScore: s.finalScore });

    await verify(await submit(30));
    await fresh();
    await events(3);
    expect(changes()[2].data.resultScore).toBe(80);
  });

  it('a write that leaves the score as it was (an achievement submitted, not verified): no event', async () => {
    const before = changes().length;
    await submit(1000); // SUBMITTED counts for nothing until verified
    await fresh();
    // Wait for the webhook relay to have passed several times, then count again.
    await new Promise((r) => setTimeout(r, 1000));
    expect(changes()).toHaveLength(before);
    expect(rx.on(PATH).every((r) => r.verifiedBy.length === 1)).toBe(true);
  });
});
