import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_SCORING_POLICY } from '../src/modules/scoring/policy';
import { RetentionService } from '../src/modules/retention/retention.service';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';

type Body = Record<string, unknown>;
type Headers = Record<string, string>;

interface Plan {
  periodId: string;
  appraisalId: string;
  targetId: string;
  /** First and last day of the period, YYYY-MM-DD. */
  start: string;
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

describe('achievements (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let unitId: string;
  let indicatorId: string;
  /** The appraisee, their assessor (supervisor) and reviewer (the assessor's supervisor), and an unrelated colleague. */
  const ids = { employee: '', assessor: '', reviewer: '', other: '' };
  const users = {} as Record<'employee' | 'assessor' | 'reviewer' | 'other' | 'hr' | 'hrElsewhere', { id: string; token: string }>;
  let key: { id: string; key: string };

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    unitId = (await createUnit(t, { name: 'Dinas Perhubungan (achievements e2e)' })).id;
    const elsewhere = (await createUnit(t)).id;
    ids.reviewer = (await createEmployee(t, { unitId, name: 'I Gusti Ngurah Kepala' })).id;
    ids.assessor = (await createEmployee(t, { unitId, name: 'Ni Made Kabid', supervisorId: ids.reviewer })).id;
    ids.employee = (await createEmployee(t, { unitId, name: 'I Wayan Pelaksana', supervisorId: ids.assessor })).id;
    ids.other = (await createEmployee(t, { unitId, name: 'I Ketut Lain', supervisorId: ids.reviewer })).id;
    for (const who of ['employee', 'assessor', 'reviewer', 'other'] as const) {
      users[who] = await userToken(t, { role: 'EMPLOYEE', employeeId: ids[who] });
    }
    users.hr = await userToken(t, { role: 'HR_OPERATOR', unitId });
    users.hrElsewhere = await userToken(t, { role: 'HR_OPERATOR', unitId: elsewhere });
    key = await apiKey(t, ['achievements:write', 'achievements:verify', 'appraisals:read']);
    const [indicator] = await db.query<{ id: string }[]>(
      `INSERT INTO indicators (code, name, unit_of_measure, aspect, direction, aggregation)
       VALUES ($1, 'Izin trayek diterbitkan', 'dokumen', 'QUANTITY', 'HIGHER_IS_BETTER', 'SUM') RETURNING id`,
      [uniqueCode('IKI-ACH')],
    );
    indicatorId = indicator.id;
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------------------------------------
  // helpers

  const usedPeriodCodes = new Set<string>();
  /**
   * What the lead's endpoints do not offer yet, by SQL: a monthly period in a random far-future year (so no
   * other file's dates or codes clash), the employee's appraisal in it and one target.
   */
  async function plan(opts: { periodStatus?: string; appraisalStatus?: string } = {}): Promise<Plan> {
    let period: { id: string; start: string; end: string } | undefined;
    for (let attempt = 0; !period; attempt++) {
      const year = randomInt(2100, 9000);
      const month = randomInt(1, 13);
      const code = `${year}-${pad(month)}`;
      if (usedPeriodCodes.has(code)) continue;
      usedPeriodCodes.add(code);
      const start = `${year}-${pad(month)}-01`;
      const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
      try {
        const [row] = await db.query<{ id: string }[]>(
          `INSERT INTO periods (code, type, start_date, end_date, status, policy)
           VALUES ($1, 'MONTHLY', $2, $3, $4, $5::jsonb) RETURNING id`,
          [code, start, end, opts.periodStatus ?? 'OPEN', JSON.stringify(DEFAULT_SCORING_POLICY)],
        );
        period = { id: row.id, start, end };
      } catch (e) {
        if (attempt > 5) throw e; // a code taken by another file: draw again
      }
    }
    const [appraisal] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, reviewer_id, status, version, agreed_at)
       VALUES ($1, $2, $3, $4, $5, $6, 1, now()) RETURNING id`,
      [ids.employee, period.id, unitId, ids.assessor, ids.reviewer, opts.appraisalStatus ?? 'AGREED'],
    );
    const [target] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 100, 100) RETURNING id`,
      [appraisal.id, indicatorId],
    );
    return { periodId: period.id, appraisalId: appraisal.id, targetId: target.id, start: period.start, end: period.end };
  }

  const as = (token: string): Headers => auth(token);
  const withKey = (k: string): Headers => ({ 'X-API-Key': k });
  const body = (p: Plan, over: Body = {}): Body => ({
    targetId: p.targetId,
    value: 42,
    occurredOn: p.start.replace(/-01$/, '-14'),
    description: 'Rekapitulasi izin trayek minggu kedua',
    evidenceUrl: 'https://arsip.denpasarkota.go.id/bukti/izin-trayek.pdf',
    ...over,
  });
  const post = (b: Body, headers: Headers = as(users.employee.token)) => t.http().post('/achievements').set(headers).send(b);
  const get = (id: string, headers: Headers = as(users.employee.token)) => t.http().get(`/achievements/${id}`).set(headers);
  const list = (query: Body, headers: Headers = as(users.employee.token)) => t.http().get('/achievements').query(query).set(headers);
  const patch = (id: string, b: Body, headers: Headers = as(users.employee.token)) =>
    t.http().patch(`/achievements/${id}`).set(headers).send(b);
  const del = (id: string, headers: Headers = as(users.employee.token)) => t.http().delete(`/achievements/${id}`).set(headers);
  const verify = (id: string, headers: Headers = as(users.assessor.token)) => t.http().post(`/achievements/${id}/verify`).set(headers);
  const reject = (id: string, reason: unknown, headers: Headers = as(users.assessor.token)) =>
    t.http().post(`/achievements/${id}/reject`).set(headers).send({ reason });

  async function submitted(p: Plan, over: Body = {}): Promise<Body & { id: string }> {
    const res = await post(body(p, over));
    expect(res.status).toBe(201);
    return res.body as Body & { id: string };
  }
  const countRows = async (p: Plan): Promise<number> =>
    (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM achievements WHERE appraisal_id = $1', [p.appraisalId]))[0].n;
  const mark = async (p: Plan): Promise<{ version: number; reason: string } | undefined> =>
    (
      await db.query<{ version: number; reason: string }[]>(
        'SELECT version::int AS version, reason FROM score_recalculation_marks WHERE appraisal_id = $1',
        [p.appraisalId],
      )
    )[0];
  const fieldsOf = (res: { body: Body }) => ((res.body.errors as { field: string }[] | undefined) ?? []).map((e) => e.field);

  // ---------------------------------------------------------------------------------------------
  describe('recording and deciding', () => {
    it('records a SUBMITTED achievement for the employee and answers 201 with the whole resource', async () => {
      const p = await plan();
      const res = await post(body(p, { value: 12.3456 }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        targetId: p.targetId,
        appraisalId: p.appraisalId,
        value: 12.3456,
        occurredOn: body(p).occurredOn,
        description: 'Rekapitulasi izin trayek minggu kedua',
        evidenceUrl: 'https://arsip.denpasarkota.go.id/bukti/izin-trayek.pdf',
        status: 'SUBMITTED',
        submittedBy: users.employee.id,
        decidedBy: null,
        decidedAt: null,
        rejectionReason: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      const read = await get(res.body.id as string, as(users.assessor.token));
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
    });

    it('lets the assessor verify it: VERIFIED with the decider and time, and a recalculation mark', async () => {
      const p = await plan();
      const a = await submitted(p);
      const afterCreate = await mark(p);
      expect(afterCreate).toMatchObject({ reason: 'achievement.create' });

      const res = await verify(a.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: a.id, status: 'VERIFIED', decidedBy: users.assessor.id, rejectionReason: null });
      expect(new Date(res.body.decidedAt as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
      const afterVerify = await mark(p);
      expect(afterVerify).toMatchObject({ reason: 'achievement.verify' });
      expect(afterVerify!.version).toBeGreaterThan(afterCreate!.version);
      // The answer is the stored state, updatedAt included.
      expect((await get(a.id)).body).toEqual(res.body);
      expect(Date.parse(res.body.updatedAt as string)).toBeGreaterThan(Date.parse(a.updatedAt as string));
    });

    it('lets the assessor reject it with a reason; a correction submits it again and clears the decision', async () => {
      const p = await plan();
      const a = await submitted(p);
      const res = await reject(a.id, '  Bukti dukung tidak memuat tanggal  ');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'REJECTED',
        rejectionReason: 'Bukti dukung tidak memuat tanggal',
        decidedBy: users.assessor.id,
        decidedAt: expect.any(String),
      });
      expect(await mark(p)).toMatchObject({ reason: 'achievement.reject' });

      const fixed = await patch(a.id, { evidenceUrl: 'https://arsip.denpasarkota.go.id/bukti/izin-trayek-bertanggal.pdf' });
      expect(fixed.status).toBe(200);
      expect(fixed.body).toMatchObject({
        status: 'SUBMITTED',
        evidenceUrl: 'https://arsip.denpasarkota.go.id/bukti/izin-trayek-bertanggal.pdf',
        value: 42,
        decidedBy: null,
        decidedAt: null,
        rejectionReason: null,
      });
      expect((await get(a.id)).body).toEqual(fixed.body);
      expect((await verify(a.id)).body.status).toBe('VERIFIED');
    });

    it('refuses a rejection without a reason or with one over 2000 characters', async () => {
      const p = await plan();
      const a = await submitted(p);
      for (const reason of [undefined, '', '   ', 'x'.repeat(2001), 7]) {
        const res = await reject(a.id, reason);
        expectProblem(res, 400, 'validation-failed');
        expect(fieldsOf(res)).toContain('reason');
      }
      expect((await get(a.id)).body.status).toBe('SUBMITTED');
    });

    it('refuses to decide twice: 409 achievement-not-submitted', async () => {
      const p = await plan();
      const a = await submitted(p);
      expect((await verify(a.id)).status).toBe(200);
      expectProblem(await verify(a.id), 409, 'achievement-not-submitted');
      expectProblem(await reject(a.id, 'zu spät'), 409, 'achievement-not-submitted');
      const b = await submitted(p);
      expect((await reject(b.id, 'kurang bukti')).status).toBe(200);
      expectProblem(await verify(b.id), 409, 'achievement-not-submitted');
    });

    it('allows recording while the appraisal is ASSESSED and the period in EVALUATION', async () => {
      const p = await plan({ periodStatus: 'EVALUATION', appraisalStatus: 'ASSESSED' });
      const a = await submitted(p);
      expect((await verify(a.id)).status).toBe(200);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('Idempotency-Key', () => {
    it('answers a replay with the first response and records exactly one row', async () => {
      const p = await plan();
      const k = randomUUID();
      const first = await post(body(p)).set('Idempotency-Key', k);
      expect(first.status).toBe(201);
      const again = await post(body(p)).set('Idempotency-Key', k);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await countRows(p)).toBe(1);
      const keys = await db.query<{ response_status: number; response_body: Body }[]>(
        `SELECT response_status, response_body FROM idempotency_keys WHERE key = $1 AND operation = 'achievements.create'`,
        [k],
      );
      expect(keys).toHaveLength(1);
      expect(keys[0]).toEqual({ response_status: 201, response_body: first.body });
      // A replay records no second audit event either.
      const audits = await db.query<unknown[]>(`SELECT 1 FROM audit_events WHERE action = 'achievement.create' AND entity_id = $1`, [
        first.body.id,
      ]);
      expect(audits).toHaveLength(1);
    });

    it('treats 10 concurrent requests with one key as one: all 201 with the same id, one row', async () => {
      const p = await plan();
      const k = `retry-${randomUUID()}`;
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(body(p)).set('Idempotency-Key', k)));
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(new Set(answers.map((r) => r.body.id as string)).size).toBe(1);
      expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
      expect(await countRows(p)).toBe(1);
    });

    it('refuses the same key with a different body: 409 idempotency-key-reused, nothing recorded', async () => {
      const p = await plan();
      const k = randomUUID();
      expect((await post(body(p)).set('Idempotency-Key', k)).status).toBe(201);
      const res = await post(body(p, { value: 43 })).set('Idempotency-Key', k);
      expectProblem(res, 409, 'idempotency-key-reused');
      expect(res.body.detail).toContain(k);
      expect(await countRows(p)).toBe(1);
    });

    it('hashes the validated body: key order, absent vs null text and blank text do not matter', async () => {
      const p = await plan();
      const k = randomUUID();
      const b = { occurredOn: body(p).occurredOn, value: 5, targetId: p.targetId };
      const first = await post(b).set('Idempotency-Key', k);
      expect(first.status).toBe(201);
      const same = await post({ targetId: p.targetId, value: 5, occurredOn: b.occurredOn, description: null, evidenceUrl: '  ' }).set(
        'Idempotency-Key',
        k,
      );
      expect(same.status).toBe(201);
      expect(same.body.id).toBe(first.body.id);
      expect(await countRows(p)).toBe(1);
    });

    it('scopes keys per caller: another caller with the same key records their own achievement', async () => {
      const p = await plan();
      const k = randomUUID();
      const mine = await post(body(p)).set('Idempotency-Key', k);
      const theirs = await post(body(p), as(users.assessor.token)).set('Idempotency-Key', k);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(theirs.body.submittedBy).toBe(users.assessor.id);
      expect(await countRows(p)).toBe(2);
    });

    it('does not use up a key on a failed request', async () => {
      const p = await plan();
      const k = randomUUID();
      expectProblem(await post(body(p, { occurredOn: p.end.replace(/^\d+/, (y) => String(Number(y) + 1)) })).set('Idempotency-Key', k), 400);
      expect((await post(body(p)).set('Idempotency-Key', k)).status).toBe(201);
    });

    it('refuses a malformed key with 400', async () => {
      const p = await plan();
      for (const bad of ['', 'has space', 'x'.repeat(201), 'ünïcode', 'tab\there']) {
        const res = await post(body(p)).set('Idempotency-Key', bad);
        expectProblem(res, 400, 'validation-failed');
        expect(fieldsOf(res)).toEqual(['Idempotency-Key']);
      }
      expect((await post(body(p)).set('Idempotency-Key', 'x'.repeat(200))).status).toBe(201);
      expect(await countRows(p)).toBe(1);
    });

    it('forgets a key after 7 days: the same key then records a new achievement', async () => {
      const p = await plan();
      const k = randomUUID();
      expect((await post(body(p)).set('Idempotency-Key', k)).status).toBe(201);
      await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '6 days 23 hours' WHERE key = $1`, [k]);
      const retention = t.app.get(RetentionService);
      await retention.run();
      expect((await post(body(p)).set('Idempotency-Key', k)).headers['idempotent-replayed']).toBe('true');
      expect(await countRows(p)).toBe(1);
      await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '7 days 1 hour' WHERE key = $1`, [k]);
      expect((await retention.run()).idempotencyKeys).toBeGreaterThanOrEqual(1);
      const later = await post(body(p)).set('Idempotency-Key', k);
      expect(later.status).toBe(201);
      expect(later.headers['idempotent-replayed']).toBeUndefined();
      expect(await countRows(p)).toBe(2);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('validation', () => {
    let p: Plan;
    beforeAll(async () => (p = await plan()));

    it('refuses occurredOn outside the period with a field error', async () => {
      const dayBefore = new Date(Date.parse(`${p.start}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const dayAfter = new Date(Date.parse(`${p.end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      for (const occurredOn of [dayBefore, dayAfter]) {
        const res = await post(body(p, { occurredOn }));
        expectProblem(res, 400, 'validation-failed');
        expect(res.body.errors).toEqual([{ field: 'occurredOn', message: expect.stringContaining(p.start) }]);
      }
      expect((await post(body(p, { occurredOn: p.start }))).status).toBe(201);
      expect((await post(body(p, { occurredOn: p.end }))).status).toBe(201);
    });

    it('refuses dates that are not calendar dates', async () => {
      for (const occurredOn of [`${p.start.slice(0, 4)}-02-30`, '14/11/2026', '2026-11-14T10:00:00Z', 20261114, null]) {
        const res = await post(body(p, { occurredOn }));
        expectProblem(res, 400, 'validation-failed');
        expect(fieldsOf(res)).toContain('occurredOn');
      }
    });

    it('refuses a negative, non-numeric or over-precise value', async () => {
      for (const value of [-1, -0.0001, '42', 1.23456, 1e-7, 1e16, null, true]) {
        const res = await post(body(p, { value }));
        expectProblem(res, 400, 'validation-failed');
        expect(fieldsOf(res)).toContain('value');
      }
      expect((await post(body(p, { value: 0 }))).body.value).toBe(0);
    });

    it('refuses unknown fields and fields the server sets', async () => {
      for (const extra of [{ colour: 'red' }, { status: 'VERIFIED' }, { appraisalId: p.appraisalId }, { submittedBy: users.assessor.id }]) {
        const res = await post(body(p, extra));
        expectProblem(res, 400, 'validation-failed');
        expect(res.body.errors).toEqual([{ field: Object.keys(extra)[0], message: 'is not a known field' }]);
      }
    });

    it('refuses a bad evidence URL and over-long texts', async () => {
      const cases: [Body, string][] = [
        [{ evidenceUrl: 'ftp://arsip/bukti.pdf' }, 'evidenceUrl'],
        [{ evidenceUrl: 'javascript:alert(1)' }, 'evidenceUrl'],
        [{ evidenceUrl: 'bukti.pdf' }, 'evidenceUrl'],
        [{ evidenceUrl: `https://arsip.denpasarkota.go.id/${'a'.repeat(2000)}` }, 'evidenceUrl'],
        [{ description: 'x'.repeat(4001) }, 'description'],
        [{ targetId: 'not-a-uuid' }, 'targetId'],
      ];
      for (const [over, field] of cases) {
        const res = await post(body(p, over));
        expectProblem(res, 400, 'validation-failed');
        expect(fieldsOf(res)).toContain(field);
      }
      const ok = await post(body(p, { description: 'x'.repeat(4000), evidenceUrl: 'http://arsip-intranet/bukti/1.pdf' }));
      expect(ok.status).toBe(201);
    });

    it('answers 404 for an unknown target', async () => {
      const id = randomUUID();
      const res = await post(body(p, { targetId: id }));
      expectProblem(res, 404, 'not-found');
      expect(res.body.detail).toBe(`Target ${id} was not found`);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('period and appraisal state', () => {
    it.each(['PLANNING', 'CLOSED'])('refuses recording while the period is %s: 409', async (periodStatus) => {
      const p = await plan({ periodStatus });
      const res = await post(body(p));
      expectProblem(res, 409, 'period-not-open-for-achievements');
      expect(res.body).toMatchObject({ periodId: p.periodId, periodStatus });
      expect(await countRows(p)).toBe(0);
    });

    it.each(['DRAFT', 'FINALIZED'])('refuses recording while the appraisal is %s: 409', async (appraisalStatus) => {
      const p = await plan({ appraisalStatus });
      const res = await post(body(p));
      expectProblem(res, 409, 'appraisal-not-agreed');
      expect(res.body).toMatchObject({ appraisalId: p.appraisalId, appraisalStatus });
    });

    it('refuses changes, deletions and decisions once the period is CLOSED', async () => {
      const p = await plan();
      const a = await submitted(p);
      await db.query(`UPDATE periods SET status = 'CLOSED' WHERE id = $1`, [p.periodId]);
      expectProblem(await patch(a.id, { value: 1 }), 409, 'period-not-open-for-achievements');
      expectProblem(await del(a.id), 409, 'period-not-open-for-achievements');
      expectProblem(await verify(a.id), 409, 'period-not-open-for-achievements');
      expectProblem(await reject(a.id, 'terlambat'), 409, 'period-not-open-for-achievements');
      expect((await get(a.id)).body).toMatchObject({ status: 'SUBMITTED', value: 42 });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('who may do what', () => {
    let p: Plan;
    beforeAll(async () => (p = await plan()));

    it('answers 404 for the target to an employee who is neither owner, assessor nor reviewer', async () => {
      const res = await post(body(p), as(users.other.token));
      expectProblem(res, 404, 'not-found');
      expect(res.body.detail).toBe(`Target ${p.targetId} was not found`);
      const a = await submitted(p);
      expectProblem(await get(a.id, as(users.other.token)), 404, 'not-found');
      expectProblem(await verify(a.id, as(users.other.token)), 404, 'not-found');
      expectProblem(await patch(a.id, { value: 1 }, as(users.other.token)), 404, 'not-found');
      expectProblem(await del(a.id, as(users.other.token)), 404, 'not-found');
      expectProblem(await list({ appraisalId: p.appraisalId }, as(users.other.token)), 404, 'not-found');
      expectProblem(await list({ targetId: p.targetId }, as(users.hrElsewhere.token)), 404, 'not-found');
      expectProblem(await post(body(p), as(users.hrElsewhere.token)), 404, 'not-found');
    });

    it('refuses the employee verifying or rejecting on their own appraisal (403 own-appraisal) and HR deciding (403 not-your-part)', async () => {
      const a = await submitted(p);
      const own = await verify(a.id, as(users.employee.token));
      expectProblem(own, 403, 'own-appraisal');
      expect(own.body.detail).toMatch(/own appraisal/);
      expectProblem(await reject(a.id, 'saya sendiri', as(users.employee.token)), 403, 'own-appraisal');
      const hr = await verify(a.id, as(users.hr.token));
      expectProblem(hr, 403, 'not-your-part');
      expect(hr.body.detail).toMatch(/assessor/);
      expect((await get(a.id)).body.status).toBe('SUBMITTED');
    });

    it('lets the reviewer read but not record (403)', async () => {
      const a = await submitted(p);
      expect((await get(a.id, as(users.reviewer.token))).status).toBe(200);
      expectProblem(await post(body(p), as(users.reviewer.token)), 403, 'not-your-part');
      expectProblem(await verify(a.id, as(users.reviewer.token)), 403, 'not-your-part');
    });

    it('lets an HR operator of the subtree record, an admin and an API key record and verify', async () => {
      const byHr = await post(body(p), as(users.hr.token));
      expect(byHr.status).toBe(201);
      expect(byHr.body.submittedBy).toBe(users.hr.id);
      const byKey = await post(body(p), withKey(key.key));
      expect(byKey.status).toBe(201);
      expect(byKey.body.submittedBy).toBe(key.id);
      expect((await verify(byHr.body.id as string, withKey(key.key))).body).toMatchObject({ status: 'VERIFIED', decidedBy: key.id });
      // An admin other than the key's issuer: the issuer counts as its submitter (four eyes, spec §8 rule 2).
      expect((await verify(byKey.body.id as string, as((await userToken(t, { role: 'ADMIN' })).token))).status).toBe(200);
    });

    it('refuses an API key without the achievements:write scope', async () => {
      const readOnly = await apiKey(t, ['appraisals:read']);
      expectProblem(await post(body(p), withKey(readOnly.key)), 403, 'missing-scope');
      const a = await submitted(p);
      expect((await get(a.id, withKey(readOnly.key))).status).toBe(200);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('changing and deleting', () => {
    it('corrects a SUBMITTED achievement; null clears the texts, but not value or occurredOn', async () => {
      const p = await plan();
      const a = await submitted(p);
      const res = await patch(a.id, { value: 45.5, occurredOn: p.end, description: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'SUBMITTED', value: 45.5, occurredOn: p.end, description: null });
      expect(await mark(p)).toMatchObject({ reason: 'achievement.update' });
      for (const b of [{ value: null }, { occurredOn: null }, { value: -3 }, { status: 'VERIFIED' }]) {
        expectProblem(await patch(a.id, b), 400, 'validation-failed');
      }
      const outside = await patch(a.id, { occurredOn: p.start.replace(/^\d+/, (y) => String(Number(y) - 1)) });
      expectProblem(outside, 400, 'validation-failed');
      expect(fieldsOf(outside)).toEqual(['occurredOn']);
    });

    it('refuses to change or delete a VERIFIED achievement: 409 achievement-verified', async () => {
      const p = await plan();
      const a = await submitted(p);
      await verify(a.id);
      expectProblem(await patch(a.id, { value: 100 }), 409, 'achievement-verified');
      expectProblem(await patch(a.id, { value: 100 }, as(t.adminToken)), 409, 'achievement-verified');
      expectProblem(await del(a.id), 409, 'achievement-verified');
      expect((await get(a.id)).body).toMatchObject({ status: 'VERIFIED', value: 42 });
    });

    it('deletes a SUBMITTED achievement: 204, then 404', async () => {
      const p = await plan();
      const a = await submitted(p);
      const before = await mark(p);
      const res = await del(a.id);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await get(a.id), 404, 'not-found');
      expectProblem(await del(a.id), 404, 'not-found');
      const after = await mark(p);
      expect(after).toMatchObject({ reason: 'achievement.delete' });
      expect(after!.version).toBeGreaterThan(before!.version);
      expect(await countRows(p)).toBe(0);
    });

    it('serialises concurrent decisions on one achievement: exactly one wins', async () => {
      const p = await plan();
      const a = await submitted(p);
      const answers = await Promise.all([verify(a.id), reject(a.id, 'kurang'), verify(a.id), reject(a.id, 'kurang')]);
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      for (const r of answers.filter((x) => x.status === 409)) expect(r.body.code).toBe('achievement-not-submitted');
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('listing', () => {
    it('lists by appraisal or target, filters by status, pages, and requires one of the two', async () => {
      const p = await plan();
      const [x, y, z] = [await submitted(p, { occurredOn: p.end }), await submitted(p, { occurredOn: p.start }), await submitted(p)];
      await verify(y.id);
      const all = await list({ appraisalId: p.appraisalId });
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ page: 1, pageSize: 50, total: 3 });
      expect((all.body.items as { id: string }[]).map((i) => i.id)).toEqual([y.id, z.id, x.id]);
      const verified = await list({ targetId: p.targetId, status: 'VERIFIED' }, as(users.assessor.token));
      expect((verified.body.items as { id: string }[]).map((i) => i.id)).toEqual([y.id]);
      const paged = await list({ appraisalId: p.appraisalId, page: 2, pageSize: 2 }, as(users.hr.token));
      expect(paged.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
      expect((paged.body.items as { id: string }[]).map((i) => i.id)).toEqual([x.id]);

      const none = await list({});
      expectProblem(none, 400, 'validation-failed');
      expect(fieldsOf(none).sort()).toEqual(['appraisalId', 'targetId']);
      expectProblem(await list({ appraisalId: 'nope' }), 400);
      expectProblem(await list({ appraisalId: p.appraisalId, status: 'DONE' }), 400);
      expectProblem(await list({ appraisalId: randomUUID() }), 404);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('audit and recalculation', () => {
    it('writes achievement.create|update|reject|verify|delete with before and after, and bumps the mark each time', async () => {
      const p = await plan();
      const versions: number[] = [];
      const record = async () => versions.push((await mark(p))!.version);
      const a = await submitted(p);
      await record();
      await reject(a.id, 'foto buram');
      await record();
      await patch(a.id, { value: 50 });
      await record();
      await verify(a.id);
      await record();
      const b = await submitted(p);
      await record();
      await del(b.id);
      await record();
      expect(versions).toEqual([...versions].sort((m, n) => m - n));
      expect(new Set(versions).size).toBe(versions.length);

      const events = await db.query<{ action: string; entity_id: string; actor_id: string; before: Body | null; after: Body | null }[]>(
        `SELECT action, entity_id, actor_id, before, after FROM audit_events
          WHERE entity_type = 'achievement' AND entity_id = ANY($1) ORDER BY occurred_at`,
        [[a.id, b.id]],
      );
      expect(events.map((e) => [e.action, e.entity_id])).toEqual([
        ['achievement.create', a.id],
        ['achievement.reject', a.id],
        ['achievement.update', a.id],
        ['achievement.verify', a.id],
        ['achievement.create', b.id],
        ['achievement.delete', b.id],
      ]);
      const [create, rej, upd, ver, , gone] = events;
      expect(create).toMatchObject({ actor_id: users.employee.id, before: null, after: { status: 'SUBMITTED', value: 42 } });
      expect(rej).toMatchObject({ actor_id: users.assessor.id, before: { status: 'SUBMITTED' }, after: { status: 'REJECTED', rejectionReason: 'foto buram' } });
      expect(upd).toMatchObject({ before: { status: 'REJECTED', value: 42 }, after: { status: 'SUBMITTED', value: 50, rejectionReason: null } });
      expect(ver).toMatchObject({ before: { status: 'SUBMITTED' }, after: { status: 'VERIFIED', decidedBy: users.assessor.id } });
      expect(gone).toMatchObject({ before: { id: b.id, status: 'SUBMITTED' }, after: null });
    });

    it('marks and audits nothing for a refused write', async () => {
      const p = await plan({ appraisalStatus: 'DRAFT' });
      expectProblem(await post(body(p)), 409, 'appraisal-not-agreed');
      expect(await mark(p)).toBeUndefined();
      const audits = await db.query<unknown[]>(
        `SELECT 1 FROM audit_events WHERE entity_type = 'achievement' AND after->>'appraisalId' = $1`,
        [p.appraisalId],
      );
      expect(audits).toHaveLength(0);
    });
  });
});
