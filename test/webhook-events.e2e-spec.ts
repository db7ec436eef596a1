import { DataSource } from 'typeorm';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { ScoreCalculator } from '../src/modules/recalculation/score-calculator';
import { WEBHOOK_EVENT_TYPES } from '../src/modules/webhook-outbox/events';
import { createTestApp, TestApp } from './app';
import { TEST_DATABASE_URL } from './test-env';
import { recreateDatabase } from './global-setup';
import { witaDate } from '../src/common/time/wita';
import { insertFeedback } from './feedback-fixtures';
import { auth, createEmployee, createUnit, uniqueCode } from './factories';
import { createAppraisal, insertIndicator, insertPeriod, orgChain } from './planning-fixtures';
import { until } from './processes';
import { validateWebhookEvent } from './response-validation';

/** A database of this file's own: webhook endpoints are global, and other files' events would reach them. */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_events');

const MEETS = Object.fromEntries(
  ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'].map((a) => [a, 'MEETS_EXPECTATION']),
);

interface EventRow {
  id: string;
  type: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

/**
 * The outbox of spec §10 from the domain's side: which changes write which events, in their own transaction, and
 * that every event's body is the `WebhookEvent` of openapi.yaml. Delivery is test/webhooks.e2e-spec.ts.
 */
describe('webhook events: the outbox (e2e, spec §10)', () => {
  let t: TestApp;
  let db: DataSource;
  let endpointId: string;
  const admin = () => auth(t.adminToken);

  beforeAll(async () => {
    await recreateDatabase(DB);
    t = await createTestApp({ DATABASE_URL: DB });
    db = t.app.get(DataSource);
    // A subscriber to everything, at a loopback port nothing listens on; no relay runs here (no Redis, no worker).
    [{ id: endpointId }] = await db.query<{ id: string }[]>(
      `INSERT INTO webhook_endpoints (url, events, secret) VALUES ('http://127.0.0.1:9/events', $1, 'not-a-real-secret') RETURNING id`,
      [[...WEBHOOK_EVENT_TYPES]],
    );
  });
  afterAll(async () => {
    await db.query('DELETE FROM webhook_endpoints WHERE id = $1', [endpointId]);
    await t.close();
  });

  /** Events of `type` whose data names one of `ids` (as appraisalId, or `key`), oldest first, each checked against the document. */
  async function events(type: string, ids: string[], key = 'appraisalId'): Promise<EventRow[]> {
    const rows = await db.query<EventRow[]>(
      `SELECT e.id, e.type, e.payload FROM webhook_events e WHERE e.type = $1 AND e.payload->'data'->>$3 = ANY($2::text[]) ORDER BY e.seq`,
      [type, ids, key],
    );
    for (const r of rows) validateWebhookEvent(r.payload);
    return rows;
  }

  /** ASSESSED appraisals in one unit with one target of 10 and one VERIFIED achievement of each value. */
  async function appraisals(values: number[], status = 'EVALUATION') {
    const unit = await createUnit(t);
    const period = await insertPeriod(t, { status });
    const indicator = await insertIndicator(t);
    const out: { id: string; targetId: string; employeeId: string }[] = [];
    for (const value of values) {
      const e = await createEmployee(t, { unitId: unit.id });
      const [a] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, status, behaviour_ratings, assessed_at) VALUES ($1, $2, $3, 'ASSESSED', $4, now()) RETURNING id`,
        [e.id, period.id, unit.id, JSON.stringify(MEETS)],
      );
      const [target] = await db.query<{ id: string }[]>(`INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100) RETURNING id`, [
        a.id,
        indicator.id,
      ]);
      await db.query(`INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, $3, $4, 'VERIFIED', $5)`, [
        target.id,
        a.id,
        value,
        period.startDate,
        e.id,
      ]);
      out.push({ id: a.id, targetId: target.id, employeeId: e.id });
    }
    return { unit, period, rows: out, ids: out.map((r) => r.id) };
  }

  const recalc = () => t.app.get(RecalculationService);

  it('score.changed: one per new or moved score, none when a recomputation leaves it as it was, none for a change that rolls back', async () => {
    const { period, rows, ids } = await appraisals([10, 5]);
    await recalc().recalculatePeriod(period.id);
    const first = await events('score.changed', ids);
    expect(first.map((e) => e.payload.data.appraisalId).sort()).toEqual([...ids].sort());
    const ofFirst = first.find((e) => e.payload.data.appraisalId === ids[0])!.payload.data;
    const score = (await t.http().get(`/appraisals/${ids[0]}/score`).set(admin())).body;
    expect(ofFirst).toMatchObject({
      resultScore: score.resultScore,
      behaviourScore: score.behaviourScore,
      finalScore: score.finalScore,
      resultRating: score.resultRating,
      predicate: 'BAIK',
      predicateCode: 2,
      previousPredicate: null,
      periodId: period.id,
      periodCode: period.code,
    });

    // Recomputed with nothing changed: no event.
    await db.query(`UPDATE appraisal_scores SET input_digest = NULL WHERE appraisal_id = ANY($1)`, [ids]);
    await recalc().recalculatePeriod(period.id);
    expect(await events('score.changed', ids)).toHaveLength(2);

    // A second verified result moves the first appraisal from 100 to 150 (capped at 120 %), BAIK → BAIK: one event.
    await db.query(`INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, 5, $3, 'VERIFIED', $4)`, [
      rows[0].targetId,
      ids[0],
      period.startDate,
      rows[0].employeeId,
    ]);
    // …first in a transaction that rolls back: neither the score nor its event stays.
    await expect(
      db.transaction(async (m) => {
        await t.app.get(ScoreCalculator).recalculate([ids[0]], m);
        expect((await m.query(`SELECT count(*)::int AS n FROM webhook_events WHERE type = 'score.changed' AND payload->'data'->>'appraisalId' = $1`, [ids[0]]))[0].n).toBe(2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await events('score.changed', ids)).toHaveLength(2);

    await recalc().recalculatePeriod(period.id);
    const after = await events('score.changed', ids);
    expect(after).toHaveLength(3);
    expect(after[2].payload.data).toMatchObject({ appraisalId: ids[0], resultScore: 120, previousPredicate: 'BAIK' });
    // Each event was delivered to the subscriber once, as one PENDING delivery.
    const deliveries = await db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND event_id = ANY($2::uuid[])',
      [endpointId, after.map((e) => e.id)],
    );
    expect(deliveries[0].n).toBe(3);
  });

  it('closing a period: period.transitioned, appraisal.finalized for each appraisal, in the close transaction', async () => {
    const { period, ids } = await appraisals([10, 10]);
    const closed = await t.http().post(`/periods/${period.id}/transitions`).set(admin()).send({ to: 'CLOSED' });
    expect(closed.body.status).toBe('CLOSED');
    const transitions = await events('period.transitioned', [period.id], 'periodId');
    expect(transitions.map((e) => e.payload.data)).toEqual([{ periodId: period.id, periodCode: period.code, from: 'EVALUATION', to: 'CLOSED' }]);
    const finalized = await events('appraisal.finalized', ids);
    expect(finalized.map((e) => e.payload.data.appraisalId).sort()).toEqual([...ids].sort());
    expect(finalized[0].payload.data).toMatchObject({ reason: 'period-close', predicate: 'BAIK', predicateCode: 2, finalScore: 100 });

    // A refused transition writes nothing.
    const again = await t.http().post(`/periods/${period.id}/transitions`).set(admin()).send({ to: 'CLOSED' });
    expect(again.status).toBe(409);
    expect(await events('period.transitioned', [period.id], 'periodId')).toHaveLength(1);
  });

  it('recalculation.completed: when a batch run ends, with its progress', async () => {
    const { period } = await appraisals([10, 10, 10], 'OPEN');
    const run = await t.http().post(`/periods/${period.id}/recalculate`).set(admin());
    expect(run.status).toBe(202);
    // Without Redis this process runs the batch itself.
    await until(async () => (await t.http().get(`/recalculations/${run.body.id}`).set(admin())).body.status === 'COMPLETED', 20_000);
    const done = await events('recalculation.completed', [run.body.id], 'id');
    expect(done.map((e) => e.payload.data)).toEqual([{ id: run.body.id, periodId: period.id, status: 'COMPLETED', progress: { done: 3, total: 3 } }]);
  });

  it('objections: appraisal.objection_filed when the employee files, appraisal.objection_resolved with the decision', async () => {
    const org = await orgChain(t);
    const period = await insertPeriod(t, { status: 'CLOSED' });
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, reviewer_id, status, behaviour_ratings, assessed_at, finalized_at)
       VALUES ($1, $2, $3, $4, $5, 'FINALIZED', $6, now(), now()) RETURNING id`,
      [org.employee.id, period.id, org.unit.id, org.assessor.id, org.reviewer.id, JSON.stringify(MEETS)],
    );
    const url = `/appraisals/${a.id}/objection`;
    const filed = await t.http().post(url).set(auth(org.employeeUser.token)).send({ reason: 'Perilaku ADAPTIF dinilai tanpa bukti' });
    expect(filed.status).toBe(201);
    expect((await events('appraisal.objection_filed', [a.id])).map((e) => e.payload.data)).toEqual([
      { appraisalId: a.id, employeeId: org.employee.id, employeeNip: org.employee.nip, periodId: period.id, periodCode: period.code, objectionId: filed.body.id, filedAt: expect.any(String) },
    ]);
    const resolved = await t.http().post(`${url}/resolve`).set(auth(org.reviewerUser.token)).send({ decision: 'REJECTED', note: 'Bukti tidak cukup' });
    expect(resolved.status).toBe(200);
    expect((await events('appraisal.objection_resolved', [a.id])).map((e) => e.payload.data)).toEqual([
      expect.objectContaining({ appraisalId: a.id, objectionId: filed.body.id, decision: 'REJECTED' }),
    ]);
  });

  it('feedback.held: a response beyond the officer\'s hourly burst is held, and only that one is an event', async () => {
    const unit = await createUnit(t, { publicService: true });
    const officer = await createEmployee(t, { unitId: unit.id });
    await insertFeedback(t, { unitId: unit.id, employeeId: officer.id, status: 'PUBLISHED', submittedOn: witaDate(), count: 20 });
    const answers = { U1: 4, U2: 4, U3: 3, U4: 4, U5: 3, U6: 4, U7: 4, U8: 3, U9: 4 };
    const res = await t.http().post('/public-feedback').set('X-Forwarded-For', '10.1.2.3').send({ unitCode: unit.code, channel: 'WEB', answers, employeeNip: officer.nip });
    expect(res.body.status).toBe('HELD');
    expect((await events('feedback.held', [officer.nip], 'employeeNip')).map((e) => e.payload.data)).toEqual([
      { feedbackId: res.body.receiptId, unitCode: unit.code, employeeNip: officer.nip },
    ]);
  });

  it('shortlist.decided, dialogue.recorded and training.recorded', async () => {
    const org = await orgChain(t);
    const candidate = await createEmployee(t, { unitId: org.unit.id });
    const [shortlist] = await db.query<{ id: string }[]>(
      `INSERT INTO promotion_shortlists (name, parameters, items, unit_id, created_by) VALUES ($1, '{}', $2, NULL, $3) RETURNING id`,
      [uniqueCode('SL'), JSON.stringify([{ employee: { id: candidate.id } }]), org.employee.id],
    );
    const decided = await t.http().post(`/promotion-candidates/shortlists/${shortlist.id}/decisions`).set(admin()).send({ employeeId: candidate.id, decision: 'APPROVED', note: 'Layak' });
    expect(decided.status).toBe(201);
    expect((await events('shortlist.decided', [shortlist.id], 'shortlistId')).map((e) => e.payload.data)).toEqual([
      { shortlistId: shortlist.id, employeeId: candidate.id, employeeNip: candidate.nip, decision: 'APPROVED', decidedAt: expect.any(String) },
    ]);

    const today = witaDate();
    const period = await insertPeriod(t, { start: today, end: today });
    const appraisal = await createAppraisal(t, org.employee.id, period.id);
    const dialogue = await t.http().post(`/appraisals/${appraisal.id}/dialogues`).set(auth(org.assessorUser.token)).send({ heldOn: today, topics: ['Capaian'], notes: 'Sesuai rencana.' });
    expect(dialogue.status).toBe(201);
    expect((await events('dialogue.recorded', [appraisal.id])).map((e) => e.payload.data)).toEqual([
      expect.objectContaining({ appraisalId: appraisal.id, employeeNip: org.employee.nip, dialogueId: dialogue.body.id, heldOn: today, requestedBy: 'ASSESSOR' }),
    ]);

    const training = await t.http().post('/assessor-trainings').set(admin()).send({ employeeId: org.assessor.id, course: uniqueCode('Pelatihan Penilai'), completedOn: today });
    expect(training.status).toBe(201);
    expect((await events('training.recorded', [training.body.id], 'trainingId')).map((e) => e.payload.data)).toEqual([
      { trainingId: training.body.id, employeeId: org.assessor.id, employeeNip: org.assessor.nip, course: training.body.course, completedOn: today, validUntil: null },
    ]);
  });

  it('nobody subscribed: a change writes no event and no delivery', async () => {
    await db.query(`UPDATE webhook_endpoints SET status = 'DISABLED' WHERE id = $1`, [endpointId]);
    try {
      const { period, ids } = await appraisals([10]);
      await recalc().recalculatePeriod(period.id);
      expect(await events('score.changed', ids)).toEqual([]);
    } finally {
      await db.query(`UPDATE webhook_endpoints SET status = 'ENABLED' WHERE id = $1`, [endpointId]);
    }
  });
});
