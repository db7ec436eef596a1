import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { WebhookEventType } from '../src/modules/webhook-outbox/events';
import { recordEvent, recordTestEvent } from '../src/modules/webhook-outbox/outbox';
import { AttemptOutcome, WebhookDeliverer } from '../src/modules/webhooks/delivery.service';
import { encryptSecret, generateSecret } from '../src/modules/webhooks/secret-box';
import { WebhooksRepository } from '../src/modules/webhooks/webhooks.repository';
import { createTestApp, TestApp } from './app';
import { TEST_DATABASE_URL } from './test-env';
import { recreateDatabase } from './global-setup';
import { apiKey, auth, createUnit, expectProblem, userToken } from './factories';
import { TestRedis, until } from './processes';
import { Answer, WebhookReceiver } from './webhook-receiver';

/** A database of this file's own: webhook endpoints are global, and other files' events would reach them. */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_webhooks');

/**
 * Spec §10 webhooks against the real database, a private Redis and a real receiver on loopback that verifies every
 * signature with the Standard Webhooks reference library. No connection ever goes to a non-loopback address.
 */
const FAST = {
  RECALC_WORKER: 'true',
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_RELAY_INTERVAL_MS: '100',
  WEBHOOK_SWEEP_AFTER_MS: '2000',
};

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  attemptLog: { statusCode: number | null; error: string | null; responseBody: string | null }[];
}

interface Created {
  id: string;
  secret: string;
  path: string;
}

describe('webhooks (e2e, spec §10)', () => {
  let t: TestApp;
  let db: DataSource;
  let redis: TestRedis;
  let rx: WebhookReceiver;
  const admin = () => auth(t.adminToken);

  const emit = (type: WebhookEventType, data: object) => db.transaction((m) => recordEvent(m, type, data));

  /** An endpoint on the receiver at a path of its own, trusted with its secret. */
  async function endpoint(events: WebhookEventType[] = ['score.changed'], path = `/${randomUUID()}`): Promise<Created> {
    const res = await t.http().post('/webhooks').set(admin()).send({ url: rx.url(path), events, description: 'Penerima uji' });
    expect(res.status).toBe(201);
    rx.trust(path, res.body.secret);
    return { id: res.body.id, secret: res.body.secret, path };
  }

  const deliveries = async (id: string) => (await t.http().get(`/webhooks/${id}/deliveries`).set(admin())).body.items as Delivery[];
  const waitFor = (what: string, check: () => boolean | Promise<boolean>, ms = 10_000) => until(async () => check(), ms, what);

  beforeAll(async () => {
    redis = await TestRedis.start();
    rx = await WebhookReceiver.start();
    await recreateDatabase(DB);
    t = await createTestApp({ DATABASE_URL: DB, REDIS_URL: redis.url, ...FAST });
    db = t.app.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await redis?.stop();
  });

  describe('management', () => {
    it('creates an endpoint and shows its secret only once: never in GET, the list, the audit log or the database', async () => {
      const res = await t.http().post('/webhooks').set(admin()).send({ url: rx.url('/crud'), events: ['score.changed', 'appraisal.finalized'], description: '  SIMPEG  ' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ url: rx.url('/crud'), events: ['score.changed', 'appraisal.finalized'], description: 'SIMPEG', status: 'ENABLED', disabledReason: null, failingSince: null });
      const { id, secret } = res.body as { id: string; secret: string };
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const raw = secret.slice('whsec_'.length);

      const one = await t.http().get(`/webhooks/${id}`).set(admin());
      expect(one.status).toBe(200);
      expect(one.body.secret).toBeUndefined();
      expect(JSON.stringify(one.body)).not.toContain(raw);
      const list = await t.http().get('/webhooks').query({ pageSize: 200 }).set(admin());
      expect(list.status).toBe(200);
      expect(list.body.items.map((w: { id: string }) => w.id)).toContain(id);
      expect(JSON.stringify(list.body)).not.toContain(raw);

      const [stored] = await db.query<{ secret: string }[]>('SELECT secret FROM webhook_endpoints WHERE id = $1', [id]);
      expect(stored.secret).not.toContain(raw);
      expect(stored.secret).toMatch(/^v1\./);

      const patched = await t.http().patch(`/webhooks/${id}`).set(admin()).send({ events: ['period.transitioned'], description: null });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ events: ['period.transitioned'], description: null, url: rx.url('/crud') });
      const rotated = await t.http().post(`/webhooks/${id}/rotate-secret`).set(admin());
      expect(rotated.status).toBe(200);
      const deleted = await t.http().delete(`/webhooks/${id}`).set(admin());
      expect(deleted.status).toBe(204);
      expectProblem(await t.http().get(`/webhooks/${id}`).set(admin()), 404, 'not-found');

      const audit = await db.query<{ action: string; before: unknown; after: unknown }[]>(
        `SELECT action, before, after FROM audit_events WHERE entity_type = 'webhook' AND entity_id = $1 ORDER BY occurred_at, id`,
        [id],
      );
      expect(audit.map((a) => a.action).sort()).toEqual(['webhook.create', 'webhook.delete', 'webhook.rotate-secret', 'webhook.update']);
      const auditText = JSON.stringify(audit);
      expect(auditText).not.toContain(raw);
      expect(auditText).not.toContain(rotated.body.secret.slice(6));
      expect(auditText).not.toContain(stored.secret);
      expect(auditText).not.toMatch(/"secret"|"previousSecret"/);
    });

    it('audits a rotation without any secret: neither the old nor the new one is in the endpoint\'s audit events', async () => {
      const e = await endpoint();
      const rotated = await t.http().post(`/webhooks/${e.id}/rotate-secret`).set(admin());
      expect(rotated.status).toBe(200);
      const fresh = rotated.body.secret as string;
      expect(fresh).toMatch(/^whsec_/);
      expect(fresh).not.toBe(e.secret);

      const res = await t.http().get('/audit-events').query({ entityId: e.id, pageSize: 100 }).set(admin());
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: { action: string }) => a.action).sort()).toEqual(['webhook.create', 'webhook.rotate-secret']);
      expect(res.body.items.find((a: { action: string }) => a.action === 'webhook.rotate-secret')).toMatchObject({
        entityType: 'webhook',
        actorType: 'USER',
        after: expect.objectContaining({ id: e.id, previousSecretUntil: rotated.body.previousSecretUntil }),
      });
      const text = JSON.stringify(res.body);
      for (const secret of [e.secret, fresh]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.slice('whsec_'.length));
      }
      expect(text).not.toContain('whsec_');
    });

    it('admits API keys with webhooks:manage only, and admins only among people', async () => {
      const key = await apiKey(t, ['webhooks:manage']);
      const created = await t.http().post('/webhooks').set('X-API-Key', key.key).send({ url: rx.url('/by-key'), events: ['feedback.held'] });
      expect(created.status).toBe(201);
      expect(created.body.createdBy).toBe(key.id);
      const other = await apiKey(t, ['periods:manage']);
      expectProblem(await t.http().get('/webhooks').set('X-API-Key', other.key), 403);
      const unit = await createUnit(t);
      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      expectProblem(await t.http().get(`/webhooks/${created.body.id}`).set(auth(hr.token)), 403, 'role-not-allowed');
      expectProblem(await t.http().post('/webhooks').set(auth(hr.token)).send({ url: rx.url('/x'), events: ['feedback.held'] }), 403, 'role-not-allowed');
    });

    it.each([
      ['an unknown event type', { events: ['score.exploded'] }, 'events'],
      ['no events', { events: [] }, 'events'],
      ['repeated events', { events: ['score.changed', 'score.changed'] }, 'events'],
      ['webhook.test, which nobody subscribes to', { events: ['webhook.test'] }, 'events'],
      ['a URL that is not one', { url: 'not a url' }, 'url'],
      ['an ftp URL', { url: 'ftp://127.0.0.1/x' }, 'url'],
      ['a NUL byte', { description: 'a\u0000b' }, 'description'],
      ['an oversized description', { description: 'x'.repeat(501) }, 'description'],
      ['an oversized URL', { url: `http://127.0.0.1/${'x'.repeat(2000)}` }, 'url'],
      ['an unknown field', { secret: 'whsec_mine' }, 'secret'],
      ['credentials in the URL', { url: 'http://user:pass@127.0.0.1/x' }, 'url'],
    ])('refuses %s (400, naming the field)', async (_, change, field) => {
      const res = await t.http().post('/webhooks').set(admin()).send({ url: rx.url('/bad'), events: ['score.changed'], ...change });
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it.each(['http://127.0.0.2/hook', 'http://[::1]/hook', 'http://localhost/hook', 'http://0.0.0.0/hook', 'http://[::ffff:10.0.0.1]/hook', 'http://169.254.169.254/latest'])(
      'refuses %s, a non-public address outside WEBHOOK_ALLOWED_HOSTS (SSRF), at create and at PATCH',
      async (url) => {
        const res = await t.http().post('/webhooks').set(admin()).send({ url, events: ['score.changed'] });
        expectProblem(res, 400, 'validation-failed');
        expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringMatching(/address/) }]);
        const ok = await endpoint();
        expectProblem(await t.http().patch(`/webhooks/${ok.id}`).set(admin()).send({ url }), 400, 'validation-failed');
      },
    );

    it('names the class and the host of a refused URL, never the address its name resolves to, at create and before an attempt', async () => {
      const reason = 'host localhost resolves to a non-public address (loopback); only public addresses unless the host is in WEBHOOK_ALLOWED_HOSTS';
      const res = await t.http().post('/webhooks').set(admin()).send({ url: 'http://localhost:9/hook', events: ['score.changed'] });
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toEqual([{ field: 'url', message: reason }]);
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|::1/);

      const e = await endpoint(['appraisal.objection_filed']);
      await db.query('UPDATE webhook_endpoints SET url = $2 WHERE id = $1', [e.id, 'http://localhost:9/hook']); // as if DNS now pointed inside
      await emit('appraisal.objection_filed', { ssrf: 'localhost' });
      await waitFor('FAILED', async () => (await deliveries(e.id))[0]?.status === 'FAILED');
      const [d] = await deliveries(e.id);
      expect(d.attemptLog.map((a) => a.error)).toEqual(d.attemptLog.map(() => `address-refused: ${reason}`));
      expect(JSON.stringify(d)).not.toMatch(/127\.0\.0\.1|::1/);
    });

    it('refuses a test and a retry on a DISABLED endpoint (409 webhook-disabled) and changes nothing; re-enabled, both are accepted', async () => {
      const e = await endpoint(['shortlist.decided']);
      const sent = await t.http().post(`/webhooks/${e.id}/test`).set(admin());
      expect(sent.status).toBe(202);
      await waitFor('DELIVERED', async () => (await deliveries(e.id))[0]?.status === 'DELIVERED');
      expect((await t.http().patch(`/webhooks/${e.id}`).set(admin()).send({ enabled: false })).status).toBe(200);
      const state = () =>
        db.query(
          `SELECT (SELECT count(*)::int FROM webhook_events) AS events, (SELECT json_agg(d ORDER BY d.id)::text FROM webhook_deliveries d WHERE d.endpoint_id = $1) AS deliveries,
                  (SELECT count(*)::int FROM audit_events WHERE action IN ('webhook.test', 'webhook.delivery-retry')) AS audits`,
          [e.id],
        );
      const before = await state();

      const test = await t.http().post(`/webhooks/${e.id}/test`).set(admin());
      expectProblem(test, 409, 'webhook-disabled');
      expect(test.body.detail).toContain('PATCH {"enabled": true}');
      expectProblem(await t.http().post(`/webhooks/${e.id}/deliveries/${sent.body.deliveryId}/retry`).set(admin()), 409, 'webhook-disabled');
      // No such delivery: still a 404, whatever the endpoint's status.
      expectProblem(await t.http().post(`/webhooks/${e.id}/deliveries/${randomUUID()}/retry`).set(admin()), 404, 'not-found');
      expect(await state()).toEqual(before);

      expect((await t.http().patch(`/webhooks/${e.id}`).set(admin()).send({ enabled: true })).status).toBe(200);
      expect((await t.http().post(`/webhooks/${e.id}/deliveries/${sent.body.deliveryId}/retry`).set(admin())).status).toBe(202);
      expect((await t.http().post(`/webhooks/${e.id}/test`).set(admin())).status).toBe(202);
      await waitFor('the retried and the second test delivery', () => rx.on(e.path).length === 3);
    });

    it('checks the status under the lock a disabling PATCH takes: a test or retry waiting for it is refused once it commits', async () => {
      const e = await endpoint(['shortlist.decided']);
      const sent = await t.http().post(`/webhooks/${e.id}/test`).set(admin());
      expect(sent.status).toBe(202);
      await waitFor('DELIVERED', async () => (await deliveries(e.id))[0]?.status === 'DELIVERED');
      // A PATCH {enabled: false} under way: the endpoint row locked as the service locks it, the status not yet written.
      const patch = db.createQueryRunner();
      await patch.connect();
      await patch.startTransaction();
      try {
        await patch.query('SELECT id FROM webhook_endpoints WHERE id = $1 FOR UPDATE', [e.id]);
        const test = t.http().post(`/webhooks/${e.id}/test`).set(admin()).then((r) => r);
        const retry = t.http().post(`/webhooks/${e.id}/deliveries/${sent.body.deliveryId}/retry`).set(admin()).then((r) => r);
        // Both wait on that lock before the PATCH commits: without the share lock they would have answered already.
        await until(async () => {
          const [{ n }] = await db.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM webhook_endpoints%FOR SHARE%'`,
          );
          return n === 2;
        }, 10_000);
        await patch.query(`UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = 'manual', disabled_at = now() WHERE id = $1`, [e.id]);
        await patch.commitTransaction();
        expectProblem(await test, 409, 'webhook-disabled');
        expectProblem(await retry, 409, 'webhook-disabled');
      } finally {
        if (patch.isTransactionActive) await patch.rollbackTransaction();
        await patch.release();
      }
      expect((await deliveries(e.id)).map((d) => [d.id, d.status])).toEqual([[sent.body.deliveryId, 'DELIVERED']]);
    });

    it('answers 404 for a missing webhook and for a delivery of another endpoint', async () => {
      const a = await endpoint();
      const b = await endpoint();
      const test = await t.http().post(`/webhooks/${a.id}/test`).set(admin());
      expect(test.status).toBe(202);
      expectProblem(await t.http().post(`/webhooks/${b.id}/deliveries/${test.body.deliveryId}/retry`).set(admin()), 404, 'not-found');
      expectProblem(await t.http().post(`/webhooks/${a.id}/deliveries/${randomUUID()}/retry`).set(admin()), 404, 'not-found');
      for (const [method, path] of [['get', ''], ['patch', ''], ['delete', ''], ['post', '/rotate-secret'], ['post', '/test'], ['get', '/deliveries']] as const) {
        const call = t.http()[method](`/webhooks/${randomUUID()}${path}`).set(admin());
        expectProblem(method === 'patch' ? await call.send({ description: 'x' }) : await call, 404, 'not-found');
      }
      expectProblem(await t.http().get('/webhooks/not-a-uuid').set(admin()), 400);
    });
  });

  describe('delivery', () => {
    it('delivers a subscribed event as a signed Standard Webhooks POST of the stored envelope, and nothing unsubscribed', async () => {
      const e = await endpoint(['score.changed']);
      await emit('appraisal.finalized', { appraisalId: randomUUID() });
      await emit('score.changed', { appraisalId: 'a-1', finalScore: 104.5 });
      await waitFor('the score.changed delivery', () => rx.on(e.path).length === 1);
      const [got] = rx.on(e.path);
      expect(got.verifiedBy).toEqual([e.secret]);
      const envelope = JSON.parse(got.body);
      expect(envelope).toEqual({ type: 'score.changed', timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/), data: { appraisalId: 'a-1', finalScore: 104.5 } });
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['user-agent']).toBe('Capaian-Webhooks/1');
      expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      const [event] = await db.query<{ id: string; payload: unknown }[]>(`SELECT e.id, e.payload FROM webhook_events e JOIN webhook_deliveries d ON d.event_id = e.id WHERE d.endpoint_id = $1`, [e.id]);
      expect(got.headers['webhook-id']).toBe(event.id);
      expect(envelope).toEqual(event.payload);
      await waitFor('DELIVERED', async () => (await deliveries(e.id))[0]?.status === 'DELIVERED');
      const [d] = await deliveries(e.id);
      expect(d).toMatchObject({ eventId: event.id, eventType: 'score.changed', status: 'DELIVERED', attempts: 1, lastStatusCode: 204, nextAttemptAt: null });
      expect(d.attemptLog).toEqual([expect.objectContaining({ statusCode: 204, error: null })]);
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.on(e.path)).toHaveLength(1);
    });

    it('sends a test event (202) that arrives verified and shows up in the deliveries', async () => {
      const e = await endpoint(['shortlist.decided']);
      const res = await t.http().post(`/webhooks/${e.id}/test`).set(admin());
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ deliveryId: expect.any(String) });
      await waitFor('the test event', () => rx.on(e.path).length === 1);
      const [got] = rx.on(e.path);
      expect(got.verifiedBy).toEqual([e.secret]);
      expect(JSON.parse(got.body)).toMatchObject({ type: 'webhook.test', data: { webhookId: e.id } });
      await waitFor('DELIVERED', async () => (await deliveries(e.id))[0]?.status === 'DELIVERED');
      expect((await deliveries(e.id))[0]).toMatchObject({ id: res.body.deliveryId, eventType: 'webhook.test', attempts: 1, lastStatusCode: 204 });
    });

    it('signs with both secrets for 24 h after a rotation: old and new each verify the same delivery', async () => {
      const e = await endpoint();
      const rotated = await t.http().post(`/webhooks/${e.id}/rotate-secret`).set(admin());
      expect(rotated.status).toBe(200);
      const fresh = rotated.body.secret as string;
      expect(fresh).not.toBe(e.secret);
      expect(new Date(rotated.body.previousSecretUntil).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
      rx.trust(e.path, e.secret, fresh);
      await emit('score.changed', { n: 1 });
      await waitFor('the delivery', () => rx.on(e.path).length === 1);
      const [got] = rx.on(e.path);
      expect(got.verifiedBy.sort()).toEqual([e.secret, fresh].sort());
      expect(got.headers['webhook-signature'].split(' ')).toHaveLength(2);

      // Once the overlap is over, only the new secret signs.
      await db.query(`UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second' WHERE id = $1`, [e.id]);
      await emit('score.changed', { n: 2 });
      await waitFor('the second delivery', () => rx.on(e.path).length === 2);
      expect(rx.on(e.path)[1].verifiedBy).toEqual([fresh]);
    });

    it('retries a 500 with the same webhook-id and records every attempt with its code and a 1 KB excerpt', async () => {
      const e = await endpoint();
      const outcomes: AttemptOutcome[] = [];
      const unsubscribe = t.app.get(WebhookDeliverer).onAttempt((o) => o.endpointId === e.id && outcomes.push(o));
      rx.answer(e.path, (n) => (n === 1 ? { status: 500, body: 'é'.repeat(3000) } : { status: 200, body: 'ok' }));
      await emit('score.changed', { retry: true });
      await waitFor('two attempts', () => rx.on(e.path).length === 2);
      const [first, second] = rx.on(e.path);
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(second.body).toBe(first.body);
      expect([...first.verifiedBy, ...second.verifiedBy]).toEqual([e.secret, e.secret]);
      await waitFor('DELIVERED', async () => (await deliveries(e.id))[0]?.status === 'DELIVERED');
      const [d] = await deliveries(e.id);
      expect(d).toMatchObject({ attempts: 2, lastStatusCode: 200 });
      expect(d.attemptLog.map((a) => a.statusCode)).toEqual([500, 200]);
      expect(d.attemptLog[0].responseBody).toHaveLength(512); // 1024 bytes of two-byte characters
      expect(d.attemptLog[1].responseBody).toBe('ok');
      unsubscribe();
      expect(outcomes.map((o) => [o.outcome, o.statusCode, o.disabled])).toEqual([['retrying', 500, null], ['delivered', 200, null]]);
      const [w] = await db.query<{ failing_since: Date | null }[]>('SELECT failing_since FROM webhook_endpoints WHERE id = $1', [e.id]);
      expect(w.failing_since).toBeNull();
    });

    it('gives up after the schedule (FAILED, failingSince set), and a manual retry sends it again', async () => {
      const e = await endpoint();
      let fail = true;
      rx.answer(e.path, () => (fail ? { status: 503 } : { status: 200 }));
      await emit('score.changed', { doomed: true });
      await waitFor('FAILED', async () => (await deliveries(e.id))[0]?.status === 'FAILED');
      const [d] = await deliveries(e.id);
      expect(d).toMatchObject({ attempts: 4, lastStatusCode: 503, nextAttemptAt: null });
      expect(rx.on(e.path)).toHaveLength(4);
      const failing = await t.http().get(`/webhooks/${e.id}`).set(admin());
      expect(failing.body).toMatchObject({ status: 'ENABLED', failingSince: expect.any(String) });

      fail = false;
      const retry = await t.http().post(`/webhooks/${e.id}/deliveries/${d.id}/retry`).set(admin());
      expect(retry.status).toBe(202);
      expect(retry.body).toMatchObject({ id: d.id, status: 'PENDING' });
      await waitFor('DELIVERED after the retry', async () => (await deliveries(e.id))[0]?.status === 'DELIVERED');
      expect(rx.on(e.path)).toHaveLength(5);
      expect(new Set(rx.on(e.path).map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect((await t.http().get(`/webhooks/${e.id}`).set(admin())).body.failingSince).toBeNull();
      const [audit] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'webhook.delivery-retry' AND entity_id = $1`, [d.id]);
      expect(audit.n).toBe(1);
    });

    it('disables the endpoint at once on 410 Gone (reason gone, audited as the system); PATCH enabled=true re-enables it', async () => {
      const e = await endpoint();
      rx.answer(e.path, () => ({ status: 410 }));
      await emit('score.changed', { gone: 1 });
      await waitFor('DISABLED', async () => (await t.http().get(`/webhooks/${e.id}`).set(admin())).body.status === 'DISABLED');
      const w = await t.http().get(`/webhooks/${e.id}`).set(admin());
      expect(w.body).toMatchObject({ status: 'DISABLED', disabledReason: 'gone', disabledAt: expect.any(String) });
      expect(rx.on(e.path)).toHaveLength(1);
      expect((await deliveries(e.id))[0]).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: 410 });
      const audit = await db.query<{ actor_type: string; reason: string; after: { status: string } }[]>(
        `SELECT actor_type, reason, after FROM audit_events WHERE action = 'webhook.disable' AND entity_id = $1`,
        [e.id],
      );
      expect(audit).toEqual([expect.objectContaining({ actor_type: 'SYSTEM', reason: 'gone', after: expect.objectContaining({ status: 'DISABLED', disabledReason: 'gone' }) })]);
      expect(JSON.stringify(audit)).not.toContain(e.secret.slice(6));

      // A disabled endpoint gets no new events.
      await emit('score.changed', { gone: 2 });
      expect(await deliveries(e.id)).toHaveLength(1);

      rx.answer(e.path, () => ({ status: 200 }));
      const enabled = await t.http().patch(`/webhooks/${e.id}`).set(admin()).send({ enabled: true });
      expect(enabled.status).toBe(200);
      expect(enabled.body).toMatchObject({ status: 'ENABLED', disabledReason: null, disabledAt: null, failingSince: null });
      await emit('score.changed', { gone: 3 });
      await waitFor('delivered after re-enabling', () => rx.on(e.path).length === 2);
    });

    it('disables an endpoint failing for 5 days (reason failing)', async () => {
      const e = await endpoint();
      rx.answer(e.path, () => ({ status: 500 }));
      await db.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1`, [e.id]);
      await emit('score.changed', { failing: true });
      await waitFor('DISABLED', async () => (await t.http().get(`/webhooks/${e.id}`).set(admin())).body.status === 'DISABLED');
      expect((await t.http().get(`/webhooks/${e.id}`).set(admin())).body).toMatchObject({ disabledReason: 'failing' });
      expect((await deliveries(e.id))[0]).toMatchObject({ status: 'FAILED', attempts: 1 });
    });

    it('checks the address again before every attempt: a refused address gets no connection (address-refused)', async () => {
      // A listener on 127.0.0.2 (loopback, outside WEBHOOK_ALLOWED_HOSTS) that must never be called.
      let calls = 0;
      const trap = createServer((_, res) => (calls++, res.end()));
      await new Promise<void>((r) => trap.listen(0, '127.0.0.2', r));
      try {
        const e = await endpoint();
        const url = `http://127.0.0.2:${(trap.address() as AddressInfo).port}/trap`;
        await db.query('UPDATE webhook_endpoints SET url = $2 WHERE id = $1', [e.id, url]); // as if DNS now pointed there
        await emit('score.changed', { ssrf: true });
        await waitFor('FAILED', async () => (await deliveries(e.id))[0]?.status === 'FAILED');
        const [d] = await deliveries(e.id);
        expect(d.attempts).toBe(4);
        expect(d.attemptLog.every((a) => a.statusCode === null && !!a.error?.startsWith('address-refused'))).toBe(true);
        expect(calls).toBe(0);
      } finally {
        await new Promise((r) => trap.close(r));
      }
    });

    it('one receiver that never answers does not delay another endpoint, and has at most 4 requests in flight', async () => {
      const slow = await endpoint(['recalculation.completed']);
      const fast = await endpoint(['recalculation.completed']);
      rx.answer(slow.path, () => 'hang');
      const started = Date.now();
      for (let i = 0; i < 10; i++) await emit('recalculation.completed', { i });
      await waitFor('10 deliveries to the fast endpoint', () => rx.on(fast.path).length === 10, 5000);
      // 10 attempts at the slow one, 4 at a time, each 500 ms before its timeout: at least 1.5 s had they queued in front.
      expect(Date.now() - started).toBeLessThan(1500);
      expect(rx.on(fast.path).every((r) => r.verifiedBy.length === 1)).toBe(true);
      await waitFor('the slow endpoint timing out', async () => (await deliveries(slow.id)).some((d) => d.attemptLog.some((a) => a.error === 'timeout')));
      expect(rx.maxOpen.get(slow.path)).toBeLessThanOrEqual(4);
      await t.http().patch(`/webhooks/${slow.id}`).set(admin()).send({ enabled: false });
    });

    it('delivers every event produced while Redis is down once it is back', async () => {
      const e = await endpoint(['period.transitioned']);
      await redis.stop();
      try {
        for (let i = 0; i < 5; i++) await emit('period.transitioned', { from: 'OPEN', to: 'EVALUATION', i });
        // Longer than the relay's enqueue timeout (5 s): it gives its claims back and tries again.
        await new Promise((r) => setTimeout(r, 6000));
        expect(rx.on(e.path)).toHaveLength(0);
        const [waiting] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'PENDING' AND attempts = 0`, [e.id]);
        expect(waiting.n).toBe(5);
        const backlog = await t.app.get(WebhooksRepository).backlog();
        expect(backlog.pending).toBeGreaterThanOrEqual(5);
        expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(5);
      } finally {
        await redis.resume();
      }
      await waitFor('5 deliveries after Redis came back', () => rx.on(e.path).length >= 5, 25_000);
      const got = rx.on(e.path).map((r) => JSON.parse(r.body).data.i as number);
      expect(new Set(got)).toEqual(new Set([0, 1, 2, 3, 4]));
      expect(rx.on(e.path).every((r) => r.verifiedBy.length === 1)).toBe(true);
      await waitFor('all DELIVERED', async () => (await deliveries(e.id)).every((d) => d.status === 'DELIVERED'));
    }, 40_000);

    it('PATCH enabled=false fails the endpoint\'s PENDING deliveries (manual, audited), and re-enabling does not send them', async () => {
      const e = await endpoint(['feedback.held']);
      // Redis down: nothing can be sent, so the deliveries stay PENDING for as long as the test needs.
      await redis.stop();
      let failed: Delivery[];
      try {
        for (let i = 0; i < 3; i++) await emit('feedback.held', { i });
        const waiting = await deliveries(e.id);
        expect(waiting.map((d) => [d.status, d.attempts])).toEqual([['PENDING', 0], ['PENDING', 0], ['PENDING', 0]]);

        const disabled = await t.http().patch(`/webhooks/${e.id}`).set(admin()).send({ enabled: false });
        expect(disabled.status).toBe(200);
        expect(disabled.body).toMatchObject({ status: 'DISABLED', disabledReason: 'manual', disabledAt: expect.any(String) });
        failed = await deliveries(e.id);
        expect(failed.map((d) => d.id).sort()).toEqual(waiting.map((d) => d.id).sort());
        expect(failed.map((d) => [d.status, d.attempts])).toEqual([['FAILED', 0], ['FAILED', 0], ['FAILED', 0]]);
      } finally {
        await redis.resume();
      }
      expect((await t.http().get(`/webhooks/${e.id}`).set(admin())).body).toMatchObject({ status: 'DISABLED', disabledReason: 'manual' });
      const audit = await t.http().get('/audit-events').query({ entityId: e.id, action: 'webhook.update' }).set(admin());
      expect(audit.status).toBe(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          actorType: 'USER',
          before: expect.objectContaining({ status: 'ENABLED', disabledReason: null }),
          after: expect.objectContaining({ status: 'DISABLED', disabledReason: 'manual' }),
        }),
      ]);

      const enabled = await t.http().patch(`/webhooks/${e.id}`).set(admin()).send({ enabled: true });
      expect(enabled.status).toBe(200);
      expect(enabled.body).toMatchObject({ status: 'ENABLED', disabledReason: null });
      // The test event is claimed after anything older still due: once it has arrived, the failed ones would have too.
      const test = await t.http().post(`/webhooks/${e.id}/test`).set(admin());
      expect(test.status).toBe(202);
      await waitFor('the test event after re-enabling', () => rx.on(e.path).length >= 1, 25_000);
      await waitFor('the test delivery DELIVERED', async () => (await deliveries(e.id)).find((d) => d.id === test.body.deliveryId)?.status === 'DELIVERED');
      expect(rx.on(e.path).map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['webhook.test']);
      const after = await deliveries(e.id);
      expect(after.filter((d) => d.id !== test.body.deliveryId).map((d) => [d.status, d.attempts, d.attemptLog.length])).toEqual(failed.map(() => ['FAILED', 0, 0]));
    }, 40_000);

    it('sends again a delivery whose job Redis lost (the sweeper)', async () => {
      const e = await endpoint(['training.recorded']);
      // Disabled meanwhile, so the relay leaves the delivery alone while the test stages it.
      await t.http().patch(`/webhooks/${e.id}`).set(admin()).send({ enabled: false });
      const deliveryId = await db.transaction((m) => recordTestEvent(m, e.id, { webhookId: e.id, message: 'swept' }));
      // As if the relay had put it on the queue a minute ago and Redis had lost the job: claimed, never attempted.
      await db.query(`UPDATE webhook_deliveries SET enqueued_at = now() - interval '1 minute' WHERE id = $1`, [deliveryId]);
      await t.http().patch(`/webhooks/${e.id}`).set(admin()).send({ enabled: true });
      await waitFor('the swept delivery', () => rx.on(e.path).length === 1, 35_000);
      expect(rx.on(e.path)[0].verifiedBy).toEqual([e.secret]);
      await waitFor('DELIVERED', async () => (await deliveries(e.id))[0]?.status === 'DELIVERED');
      expect((await deliveries(e.id))[0]).toMatchObject({ attempts: 1 });
    }, 45_000);
  });
});

describe('webhooks without Redis (e2e, in process)', () => {
  let t: TestApp;
  let rx: WebhookReceiver;

  beforeAll(async () => {
    rx = await WebhookReceiver.start();
    t = await createTestApp({ DATABASE_URL: DB, ...FAST });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('delivers and verifies from the API process itself', async () => {
    const res = await t.http().post('/webhooks').set(auth(t.adminToken)).send({ url: rx.url('/local'), events: ['feedback.held'] });
    expect(res.status).toBe(201);
    rx.trust('/local', res.body.secret);
    await t.app.get(DataSource).transaction((m) => recordEvent(m, 'feedback.held', { feedbackId: 'f-1' }));
    await until(() => Promise.resolve(rx.on('/local').length === 1), 10_000, 'the delivery');
    expect(rx.on('/local')[0].verifiedBy).toEqual([res.body.secret]);
    expect(new Webhook(res.body.secret).verify(rx.on('/local')[0].body, rx.on('/local')[0].headers)).toMatchObject({ type: 'feedback.held' });
  });

  it('a secret that no longer decrypts fails the attempt on the record (retried, nothing sent), not in a silent loop', async () => {
    const db = t.app.get(DataSource);
    const res = await t.http().post('/webhooks').set(auth(t.adminToken)).send({ url: rx.url('/unreadable'), events: ['feedback.held'] });
    expect(res.status).toBe(201);
    // As after JWT_SECRET changed with WEBHOOK_SECRET_KEY unset: the stored ciphertext is no longer this key's.
    await db.query(`UPDATE webhook_endpoints SET secret = $2 WHERE id = $1`, [res.body.id, encryptSecret(generateSecret(), randomBytes(32))]);
    await db.transaction((m) => recordEvent(m, 'feedback.held', { feedbackId: 'f-2' }));
    const deliveries = async () => (await t.http().get(`/webhooks/${res.body.id}/deliveries`).set(auth(t.adminToken))).body.items as Delivery[];
    await until(async () => (await deliveries())[0]?.attemptLog.length >= 2, 10_000, 'two recorded attempts');
    const [d] = await deliveries();
    expect(d.attemptLog[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/^secret-unreadable/) });
    expect(d.status).not.toBe('DELIVERED');
    expect(rx.on('/unreadable')).toEqual([]);
    expect((await t.http().get(`/webhooks/${res.body.id}`).set(auth(t.adminToken))).body.failingSince).toEqual(expect.any(String));
  });

  it('an attempt under way when its endpoint is disabled leaves the delivery FAILED, not PENDING again', async () => {
    const res = await t.http().post('/webhooks').set(auth(t.adminToken)).send({ url: rx.url('/slow-then-off'), events: ['feedback.held'] });
    expect(res.status).toBe(201);
    rx.trust('/slow-then-off', res.body.secret);
    rx.answer('/slow-then-off', () => 'hang');
    await t.app.get(DataSource).transaction((m) => recordEvent(m, 'feedback.held', { feedbackId: 'f-3' }));
    await until(() => Promise.resolve(rx.on('/slow-then-off').length === 1), 10_000, 'the attempt to arrive');
    expect((await t.http().patch(`/webhooks/${res.body.id}`).set(auth(t.adminToken)).send({ enabled: false })).status).toBe(200);
    // The receiver never answers: the attempt times out (WEBHOOK_TIMEOUT_MS of FAST) after the endpoint was disabled.
    const deliveries = async () => (await t.http().get(`/webhooks/${res.body.id}/deliveries`).set(auth(t.adminToken))).body.items as Delivery[];
    await until(async () => (await deliveries())[0]?.attemptLog.length === 1, 10_000, 'the attempt to end');
    expect((await deliveries())[0]).toMatchObject({ status: 'FAILED', attempts: 1, nextAttemptAt: null });
  });
});

describe('a retry asked for while an attempt is under way (e2e)', () => {
  let t: TestApp;
  let rx: WebhookReceiver;

  beforeAll(async () => {
    rx = await WebhookReceiver.start();
    // One retry, an hour after the first attempt: an attempt within seconds can only be the manual retry's.
    t = await createTestApp({ DATABASE_URL: DB, RECALC_WORKER: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_SCHEDULE: '1h', WEBHOOK_RELAY_INTERVAL_MS: '100' });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('is not lost: a failed attempt is followed at once by the next (beyond the schedule too), a successful one stands', async () => {
    const admin = auth(t.adminToken);
    const res = await t.http().post('/webhooks').set(admin).send({ url: rx.url('/held'), events: ['feedback.held'] });
    expect(res.status).toBe(201);
    rx.trust('/held', res.body.secret);
    // Every attempt is held open until the test answers it.
    const answers: ((a: Answer) => void)[] = [];
    rx.answer('/held', () => new Promise<Answer>((resolve) => answers.push(resolve)));
    const test = await t.http().post(`/webhooks/${res.body.id}/test`).set(admin);
    expect(test.status).toBe(202);
    const retry = async () => expect((await t.http().post(`/webhooks/${res.body.id}/deliveries/${test.body.deliveryId}/retry`).set(admin)).status).toBe(202);
    const attempt = (n: number) => until(() => Promise.resolve(rx.on('/held').length === n), 5000, `attempt ${n} within 5 s`);

    await attempt(1);
    await retry();
    answers[0]({ status: 500 });
    // Not an hour later (WEBHOOK_RETRY_SCHEDULE), which the failure alone would have given.
    await attempt(2);
    // The schedule has run out after this attempt; the retry asked for during it still gets one more.
    await retry();
    answers[1]({ status: 500 });
    await attempt(3);
    await retry();
    answers[2]({ status: 200 });

    const delivery = async () => ((await t.http().get(`/webhooks/${res.body.id}/deliveries`).set(admin)).body.items as Delivery[])[0];
    await until(async () => (await delivery()).status === 'DELIVERED', 5000, 'DELIVERED');
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.on('/held')).toHaveLength(3);
    expect(rx.on('/held').every((r) => r.verifiedBy.length === 1)).toBe(true);
    const d = await delivery();
    expect(d).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 200, nextAttemptAt: null });
    expect(d.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
  });
});
