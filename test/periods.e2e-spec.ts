import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_SCORING_POLICY } from '../src/modules/scoring/policy';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';

type Period = { id: string; code: string; type: string; status: string; startDate: string; endDate: string; closedAt: string | null } & Record<string, unknown>;
type PeriodType = 'MONTHLY' | 'QUARTERLY' | 'ANNUAL';

describe('periods (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let unit: { id: string };
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    unit = await createUnit(t);
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);

  // Period codes are global: every period of this file takes its own year, far from a random base, so
  // parallel files (and reruns on the same database) do not collide; a rare collision is retried.
  // Walks up a few hundred years from here: it stays below 9000, where public-anonymity's and the typed client's years are.
  let year = randomInt(2100, 8500);
  const nextYear = () => (year += randomInt(5, 12));
  const bodyFor = (type: PeriodType, y: number) =>
    type === 'MONTHLY'
      ? { code: `${y}-03`, type, startDate: `${y}-03-01`, endDate: `${y}-03-31` }
      : type === 'QUARTERLY'
        ? { code: `${y}-Q2`, type, startDate: `${y}-04-01`, endDate: `${y}-06-30` }
        : { code: `${y}`, type, startDate: `${y}-01-01`, endDate: `${y}-12-31` };

  async function createPeriod(type: PeriodType = 'MONTHLY', extra: Record<string, unknown> = {}): Promise<Period> {
    for (let attempt = 0; ; attempt++) {
      const res = await t.http().post('/periods').set(admin()).send({ ...bodyFor(type, nextYear()), ...extra });
      if (res.status === 201) return res.body as Period;
      if (res.status !== 409 || attempt > 5) throw new Error(`createPeriod: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  const transition = (id: string, body: Record<string, unknown>, headers: Record<string, string> = admin()) =>
    t.http().post(`/periods/${id}/transitions`).set(headers).send(body);
  async function advance(id: string, ...steps: string[]): Promise<void> {
    for (const to of steps) {
      const res = await transition(id, { to });
      if (res.status !== 200) throw new Error(`transition to ${to}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  /** An appraisal row in the given status for a new employee of the file's unit. */
  async function insertAppraisal(periodId: string, status: string): Promise<string> {
    const e = await createEmployee(t, { unitId: unit.id });
    const [row] = await db.query<{ id: string }[]>(
      'INSERT INTO appraisals (employee_id, period_id, unit_id, status, version) VALUES ($1, $2, $3, $4, 1) RETURNING id',
      [e.id, periodId, unit.id, status],
    );
    return row.id;
  }
  const appraisalRows = (periodId: string) =>
    db.query<{ id: string; status: string; version: number; finalized_at: Date | null; behaviour_ratings: unknown }[]>(
      'SELECT id, status, version, finalized_at, behaviour_ratings FROM appraisals WHERE period_id = $1',
      [periodId],
    );
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

  describe('create and read', () => {
    it.each<PeriodType>(['MONTHLY', 'QUARTERLY', 'ANNUAL'])('creates a %s period in PLANNING with the default policy', async (type) => {
      const body = bodyFor(type, nextYear());
      const res = await t.http().post('/periods').set(admin()).send(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        ...body,
        status: 'PLANNING',
        policy: { ...DEFAULT_SCORING_POLICY },
        closedAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const got = await t.http().get(`/periods/${res.body.id}`).set(admin());
      expect(got.body).toEqual(res.body);
      const policy = await t.http().get(`/periods/${res.body.id}/policy`).set(admin());
      expect(policy.status).toBe(200);
      expect(policy.body).toEqual({ ...DEFAULT_SCORING_POLICY });
    });

    it('upper-cases a quarterly code', async () => {
      const y = nextYear();
      const res = await t.http().post('/periods').set(admin()).send({ code: `${y}-q4`, type: 'QUARTERLY', startDate: `${y}-10-01`, endDate: `${y}-12-31` });
      expect(res.status).toBe(201);
      expect(res.body.code).toBe(`${y}-Q4`);
    });

    it('accepts February 29th as the end of a leap-year February', async () => {
      let y = nextYear();
      while (!(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) y = nextYear();
      const res = await t.http().post('/periods').set(admin()).send({ code: `${y}-02`, type: 'MONTHLY', startDate: `${y}-02-01`, endDate: `${y}-02-29` });
      expect(res.status).toBe(201);
    });

    it('fills the policy keys it is not given with the defaults', async () => {
      const p = await createPeriod('ANNUAL', { policy: { capaianCap: 150, resultWeight: 0.6, behaviourWeight: 0.4, enforceDistribution: true } });
      expect(p.policy).toEqual({ ...DEFAULT_SCORING_POLICY, capaianCap: 150, resultWeight: 0.6, behaviourWeight: 0.4, enforceDistribution: true });
      expect((await t.http().get(`/periods/${p.id}/policy`).set(admin())).body).toEqual(p.policy);
    });

    it('answers a duplicate code with 409 duplicate-period-code', async () => {
      const p = await createPeriod('MONTHLY');
      const res = await t.http().post('/periods').set(admin()).send({ code: p.code, type: p.type, startDate: p.startDate, endDate: p.endDate });
      expectProblem(res, 409, 'duplicate-period-code');
    });

    it('records period.create in the audit log', async () => {
      const p = await createPeriod();
      const audit = await t.http().get('/audit-events').query({ entityType: 'period', entityId: p.id }).set(admin());
      expect(audit.body.items).toEqual([expect.objectContaining({ action: 'period.create', after: expect.objectContaining({ code: p.code, status: 'PLANNING' }) })]);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const ghost = '00000000-0000-4000-8000-000000000000';
      expectProblem(await t.http().get(`/periods/${ghost}`).set(admin()), 404, 'not-found');
      expectProblem(await t.http().get(`/periods/${ghost}/policy`).set(admin()), 404, 'not-found');
      expectProblem(await t.http().put(`/periods/${ghost}/policy`).set(admin()).send({ capaianCap: 130 }), 404, 'not-found');
      expectProblem(await transition(ghost, { to: 'OPEN' }), 404, 'not-found');
      expectProblem(await t.http().get('/periods/2026-11').set(admin()), 400);
    });
  });

  describe('create: validation', () => {
    const post = (body: Record<string, unknown>) => t.http().post('/periods').set(admin()).send(body);

    it.each<[string, (y: number) => Record<string, unknown>, string[]]>([
      ['a monthly code for a QUARTERLY period', (y) => ({ code: `${y}-11`, type: 'QUARTERLY', startDate: `${y}-10-01`, endDate: `${y}-12-31` }), ['code']],
      ['a quarterly code for a MONTHLY period', (y) => ({ code: `${y}-Q4`, type: 'MONTHLY', startDate: `${y}-10-01`, endDate: `${y}-12-31` }), ['code']],
      ['month 13', (y) => ({ code: `${y}-13`, type: 'MONTHLY', startDate: `${y}-12-01`, endDate: `${y}-12-31` }), ['code']],
      ['quarter 5', (y) => ({ code: `${y}-Q5`, type: 'QUARTERLY', startDate: `${y}-10-01`, endDate: `${y}-12-31` }), ['code']],
      ['a two-digit year', () => ({ code: '26', type: 'ANNUAL', startDate: '2026-01-01', endDate: '2026-12-31' }), ['code']],
      ['a month ending a day early', (y) => ({ code: `${y}-11`, type: 'MONTHLY', startDate: `${y}-11-01`, endDate: `${y}-11-29` }), ['endDate']],
      ['a month ending in the next month', (y) => ({ code: `${y}-11`, type: 'MONTHLY', startDate: `${y}-11-01`, endDate: `${y}-12-01` }), ['endDate']],
      ['a month starting on the 2nd', (y) => ({ code: `${y}-11`, type: 'MONTHLY', startDate: `${y}-11-02`, endDate: `${y}-11-30` }), ['startDate']],
      ['the dates of another quarter', (y) => ({ code: `${y}-Q1`, type: 'QUARTERLY', startDate: `${y}-04-01`, endDate: `${y}-06-30` }), ['startDate', 'endDate']],
      ['a year of another year', (y) => ({ code: `${y}`, type: 'ANNUAL', startDate: `${y + 1}-01-01`, endDate: `${y + 1}-12-31` }), ['startDate', 'endDate']],
      ['end before start', (y) => ({ code: `${y}-11`, type: 'MONTHLY', startDate: `${y}-11-30`, endDate: `${y}-11-01` }), ['endDate', 'startDate']],
      ['an impossible date', (y) => ({ code: `${y}-04`, type: 'MONTHLY', startDate: `${y}-04-01`, endDate: `${y}-04-31` }), ['endDate']],
      ['a date that is not YYYY-MM-DD', (y) => ({ code: `${y}-04`, type: 'MONTHLY', startDate: `01/04/${y}`, endDate: `${y}-04-30` }), ['startDate']],
      ['an unknown type', (y) => ({ code: `${y}`, type: 'WEEKLY', startDate: `${y}-01-01`, endDate: `${y}-12-31` }), ['type']],
      ['an unknown field', (y) => ({ ...bodyFor('ANNUAL', y), colour: 'red' }), ['colour']],
      ['an unknown policy key', (y) => ({ ...bodyFor('ANNUAL', y), policy: { capaianCap: 130, bonus: 5 } }), ['policy.bonus']],
      ['a policy value out of range', (y) => ({ ...bodyFor('ANNUAL', y), policy: { capaianCap: 50 } }), ['policy.capaianCap']],
      ['a policy that is not an object', (y) => ({ ...bodyFor('ANNUAL', y), policy: 'strict' }), ['policy']],
      ['weights not summing to 1', (y) => ({ ...bodyFor('ANNUAL', y), policy: { resultWeight: 0.8 } }), ['policy.behaviourWeight']],
      ['thresholds out of order', (y) => ({ ...bodyFor('ANNUAL', y), policy: { meetsThreshold: 115 } }), ['policy.aboveThreshold']],
    ])('refuses %s with 400 naming the field, and stores nothing', async (_, make, fields) => {
      const body = make(nextYear());
      const res = await post(body);
      expectProblem(res, 400, 'validation-failed');
      expect(new Set(fieldsOf(res))).toEqual(new Set(fields));
      if (typeof body.startDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(body.startDate)) {
        const listed = await t.http().get('/periods').query({ containsDate: body.startDate }).set(admin());
        expect(listed.body.items.map((p: Period) => p.code)).not.toContain(body.code);
      }
    });

    it('says which dates the code needs', async () => {
      const y = nextYear();
      const res = await post({ code: `${y}-11`, type: 'MONTHLY', startDate: `${y}-11-01`, endDate: `${y}-11-29` });
      expect(res.body.errors).toEqual([{ field: 'endDate', message: `must be ${y}-11-30, the last day of ${y}-11` }]);
    });
  });

  describe('list', () => {
    let y: number;
    const mine: Record<string, Period> = {};
    beforeAll(async () => {
      y = nextYear();
      for (const [key, body] of Object.entries({
        annual: { code: `${y}`, type: 'ANNUAL', startDate: `${y}-01-01`, endDate: `${y}-12-31` },
        q1: { code: `${y}-Q1`, type: 'QUARTERLY', startDate: `${y}-01-01`, endDate: `${y}-03-31` },
        jan: { code: `${y}-01`, type: 'MONTHLY', startDate: `${y}-01-01`, endDate: `${y}-01-31` },
        feb: { code: `${y}-02`, type: 'MONTHLY', startDate: `${y}-02-01`, endDate: `${y}-02-${new Date(Date.UTC(y, 2, 0)).getUTCDate()}` },
      })) {
        const res = await t.http().post('/periods').set(admin()).send(body);
        if (res.status !== 201) throw new Error(`list setup: ${res.status} ${JSON.stringify(res.body)}`);
        mine[key] = res.body as Period;
      }
      await advance(mine.jan.id, 'OPEN');
    });
    /** The codes of this suite's periods in the answer, in the answer's order (other files' periods may share the dates). */
    const ownCodes = (res: { body: { items: Period[] } }) => {
      const own = new Set(Object.values(mine).map((p) => p.id));
      return res.body.items.filter((p) => own.has(p.id)).map((p) => p.code);
    };

    it('containsDate returns the periods of every type around a date, newest start first, shorter first on ties', async () => {
      const res = await t.http().get('/periods').query({ containsDate: `${y}-02-10`, pageSize: 200 }).set(admin());
      expect(res.status).toBe(200);
      expect(ownCodes(res)).toEqual([`${y}-02`, `${y}-Q1`, `${y}`]);
      const jan = await t.http().get('/periods').query({ containsDate: `${y}-01-31`, pageSize: 200 }).set(admin());
      expect(ownCodes(jan)).toEqual([`${y}-01`, `${y}-Q1`, `${y}`]);
    });

    it('filters by type and status', async () => {
      const monthly = await t.http().get('/periods').query({ containsDate: `${y}-01-15`, type: 'MONTHLY', pageSize: 200 }).set(admin());
      expect(ownCodes(monthly)).toEqual([`${y}-01`]);
      expect(monthly.body.items.every((p: Period) => p.type === 'MONTHLY')).toBe(true);
      const open = await t.http().get('/periods').query({ status: 'OPEN', pageSize: 200 }).set(admin());
      expect(open.body.items.every((p: Period) => p.status === 'OPEN')).toBe(true);
      const planning = await t.http().get('/periods').query({ containsDate: `${y}-01-15`, status: 'PLANNING', pageSize: 200 }).set(admin());
      expect(ownCodes(planning)).toEqual([`${y}-Q1`, `${y}`]);
    });

    it('pages with {items, page, pageSize, total}, newest start date first overall', async () => {
      const res = await t.http().get('/periods').query({ page: 1, pageSize: 5 }).set(admin());
      expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
      expect(res.body).toMatchObject({ page: 1, pageSize: 5 });
      expect(res.body.total).toBeGreaterThanOrEqual(4);
      const starts = res.body.items.map((p: Period) => p.startDate);
      expect(starts).toEqual([...starts].sort().reverse());
    });

    it.each([
      ['type', 'WEEKLY'],
      ['status', 'DONE'],
      ['containsDate', `2026-02-30`],
      ['pageSize', '0'],
      ['colour', 'red'],
    ])('refuses %s=%s with 400 naming it', async (param, value) => {
      const res = await t.http().get('/periods').query({ [param]: value }).set(admin());
      expectProblem(res, 400);
      expect(fieldsOf(res)).toContain(param);
    });
  });

  describe('policy', () => {
    const put = (id: string, body: unknown) => t.http().put(`/periods/${id}/policy`).set(admin()).send(body as object);

    it('changes only the keys sent and answers the whole policy', async () => {
      const p = await createPeriod();
      const res = await put(p.id, { capaianCap: 130, minUnitResponses: 40 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...DEFAULT_SCORING_POLICY, capaianCap: 130, minUnitResponses: 40 });
      const again = await put(p.id, { resultWeight: 0.6, behaviourWeight: 0.4 });
      expect(again.body).toEqual({ ...DEFAULT_SCORING_POLICY, capaianCap: 130, minUnitResponses: 40, resultWeight: 0.6, behaviourWeight: 0.4 });
      expect((await t.http().get(`/periods/${p.id}/policy`).set(admin())).body).toEqual(again.body);
      expect((await t.http().get(`/periods/${p.id}`).set(admin())).body.policy).toEqual(again.body);
    });

    it('audits an edit with the policy before and after', async () => {
      const p = await createPeriod();
      await put(p.id, { aboveThreshold: 112 });
      const audit = await t.http().get('/audit-events').query({ entityId: p.id, action: 'period.policy-update' }).set(admin());
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          entityType: 'period',
          before: { ...DEFAULT_SCORING_POLICY },
          after: { ...DEFAULT_SCORING_POLICY, aboveThreshold: 112 },
        }),
      ]);
    });

    it.each<[string, unknown]>([
      ['capaianCap', 99],
      ['capaianCap', 1001],
      ['capaianCap', '130'],
      ['capaianCap', null],
      ['aboveThreshold', -1],
      ['meetsThreshold', 1001],
      ['resultWeight', 1.5],
      ['behaviourWeight', -0.1],
      ['employeeFeedbackWeight', 2],
      ['unitFeedbackWeight', -1],
      ['minEmployeeResponses', 0],
      ['minUnitResponses', 2.5],
      ['enforceDistribution', 'yes'],
      ['enforceDistribution', null],
    ])('refuses %s = %j with 400 naming it', async (key, value) => {
      const p = await createPeriod();
      const res = await put(p.id, { [key]: value });
      expectProblem(res, 400, 'validation-failed');
      expect(new Set(fieldsOf(res))).toEqual(new Set([key]));
      expect((await t.http().get(`/periods/${p.id}/policy`).set(admin())).body).toEqual({ ...DEFAULT_SCORING_POLICY });
    });

    it('refuses unknown keys with 400 naming them', async () => {
      const p = await createPeriod();
      const res = await put(p.id, { capaianCap: 130, bonusPoints: 5 });
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res)).toEqual(['bonusPoints']);
      expect((await t.http().get(`/periods/${p.id}/policy`).set(admin())).body.capaianCap).toBe(120);
    });

    it('checks the merged policy: weights must sum to 1, thresholds in order, cap at least aboveThreshold', async () => {
      const p = await createPeriod();
      const weights = await put(p.id, { resultWeight: 0.6 });
      expectProblem(weights, 400, 'validation-failed');
      expect(fieldsOf(weights)).toEqual(['behaviourWeight']);
      const order = await put(p.id, { aboveThreshold: 90, meetsThreshold: 95 });
      expect(fieldsOf(order)).toEqual(['aboveThreshold']);
      const cap = await put(p.id, { capaianCap: 105 });
      expect(fieldsOf(cap)).toEqual(['capaianCap']);
      // The same keys together are fine.
      expect((await put(p.id, { resultWeight: 0.6, behaviourWeight: 0.4 })).status).toBe(200);
      expect((await t.http().get(`/periods/${p.id}/policy`).set(admin())).body).toEqual({ ...DEFAULT_SCORING_POLICY, resultWeight: 0.6, behaviourWeight: 0.4 });
    });

    it('marks every non-finalised appraisal of the period for recalculation, in the same write', async () => {
      const p = await createPeriod();
      await advance(p.id, 'OPEN');
      const draft = await insertAppraisal(p.id, 'DRAFT');
      const assessed = await insertAppraisal(p.id, 'ASSESSED');
      const finalized = await insertAppraisal(p.id, 'FINALIZED');
      const other = await createPeriod();
      const elsewhere = await insertAppraisal(other.id, 'DRAFT');
      const marks = () =>
        db.query<{ appraisal_id: string; reason: string }[]>(
          'SELECT appraisal_id, reason FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[]) ORDER BY appraisal_id',
          [[draft, assessed, finalized, elsewhere]],
        );

      // A refused edit marks nothing.
      expectProblem(await put(p.id, { resultWeight: 0.9 }), 400);
      expect(await marks()).toEqual([]);

      expect((await put(p.id, { capaianCap: 125 })).status).toBe(200);
      expect(await marks()).toEqual(
        [draft, assessed].sort().map((id) => ({ appraisal_id: id, reason: 'policy-edit' })),
      );
    });

    it('an edit of the §11 process keys alone is audited but marks nothing: they change no score', async () => {
      const p = await createPeriod();
      await advance(p.id, 'OPEN');
      const draft = await insertAppraisal(p.id, 'DRAFT');
      const res = await put(p.id, { requireTrainedAssessor: true, minDialogues: 2 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...DEFAULT_SCORING_POLICY, requireTrainedAssessor: true, minDialogues: 2 });
      expect(await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [draft])).toEqual([]);
      const audit = await t.http().get('/audit-events').query({ entityId: p.id, action: 'period.policy-update' }).set(admin());
      expect(audit.body.total).toBe(1);
      // A scoring key in the same request marks as before.
      expect((await put(p.id, { minDialogues: 3, capaianCap: 125 })).status).toBe(200);
      expect(await db.query('SELECT reason FROM score_recalculation_marks WHERE appraisal_id = $1', [draft])).toEqual([{ reason: 'policy-edit' }]);
    });

    it('refuses process keys out of range or of the wrong type', async () => {
      const p = await createPeriod();
      for (const body of [{ minDialogues: -1 }, { minDialogues: 53 }, { minDialogues: 1.5 }, { minDialogues: null }, { requireTrainedAssessor: 'yes' }, { requireTrainedAssessor: null }]) {
        const res = await put(p.id, body);
        expectProblem(res, 400, 'validation-failed');
        expect([...new Set(fieldsOf(res))]).toEqual(Object.keys(body));
      }
      expect((await t.http().get(`/periods/${p.id}/policy`).set(admin())).body).toEqual({ ...DEFAULT_SCORING_POLICY });
    });

    it('a body that changes nothing answers the policy and writes nothing', async () => {
      const p = await createPeriod();
      const draft = await insertAppraisal(p.id, 'DRAFT');
      const res = await put(p.id, { capaianCap: DEFAULT_SCORING_POLICY.capaianCap });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...DEFAULT_SCORING_POLICY });
      expect((await put(p.id, {})).status).toBe(200);
      expect(await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [draft])).toEqual([]);
      const audit = await t.http().get('/audit-events').query({ entityId: p.id, action: 'period.policy-update' }).set(admin());
      expect(audit.body.total).toBe(0);
    });

    it('refuses an edit of a CLOSED period with 409 period-closed', async () => {
      const p = await createPeriod();
      await advance(p.id, 'OPEN', 'EVALUATION', 'CLOSED');
      const res = await put(p.id, { capaianCap: 130 });
      expectProblem(res, 409, 'period-closed');
      expect((await t.http().get(`/periods/${p.id}/policy`).set(admin())).body).toEqual({ ...DEFAULT_SCORING_POLICY });
    });

    it('is editable in PLANNING, OPEN and EVALUATION', async () => {
      const p = await createPeriod();
      for (const [i, step] of [undefined, 'OPEN', 'EVALUATION'].entries()) {
        if (step) await advance(p.id, step);
        expect((await put(p.id, { minEmployeeResponses: 11 + i })).status).toBe(200);
      }
    });
  });

  describe('transitions', () => {
    it('moves forward one step at a time to CLOSED, stamping closedAt, and audits each step', async () => {
      const p = await createPeriod();
      for (const to of ['OPEN', 'EVALUATION']) {
        const res = await transition(p.id, { to });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: p.id, code: p.code, status: to, closedAt: null });
      }
      const closed = await transition(p.id, { to: 'CLOSED' });
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('CLOSED');
      expect(Date.parse(closed.body.closedAt as string)).not.toBeNaN();
      expect((await t.http().get(`/periods/${p.id}`).set(admin())).body).toMatchObject({ status: 'CLOSED', closedAt: closed.body.closedAt });
      const audit = await t.http().get('/audit-events').query({ entityId: p.id, action: 'period.transition' }).set(admin());
      expect(audit.body.items.map((e: { before: { status: string }; after: { status: string } }) => `${e.before.status}>${e.after.status}`)).toEqual([
        'EVALUATION>CLOSED',
        'OPEN>EVALUATION',
        'PLANNING>OPEN',
      ]);
    });

    it.each<[string, string[], string]>([
      ['skipping OPEN', [], 'EVALUATION'],
      ['skipping to CLOSED', [], 'CLOSED'],
      ['skipping EVALUATION', ['OPEN'], 'CLOSED'],
      ['going back to PLANNING', ['OPEN'], 'PLANNING'],
      ['going back to OPEN', ['OPEN', 'EVALUATION'], 'OPEN'],
      ['staying PLANNING', [], 'PLANNING'],
      ['reopening a CLOSED period', ['OPEN', 'EVALUATION', 'CLOSED'], 'OPEN'],
      ['closing a CLOSED period again', ['OPEN', 'EVALUATION', 'CLOSED'], 'CLOSED'],
    ])('refuses %s with 409 invalid-transition and changes nothing', async (_, steps, to) => {
      const p = await createPeriod();
      await advance(p.id, ...steps);
      const before = (await t.http().get(`/periods/${p.id}`).set(admin())).body as Period;
      const res = await transition(p.id, { to });
      expectProblem(res, 409, 'invalid-transition');
      expect(res.body).toMatchObject({ from: before.status, to });
      expect((await t.http().get(`/periods/${p.id}`).set(admin())).body).toEqual(before);
    });

    it('refuses an unknown status, unknown fields, and force with another status than CLOSED (400)', async () => {
      const p = await createPeriod();
      const unknown = await transition(p.id, { to: 'ARCHIVED' });
      expectProblem(unknown, 400);
      expect(fieldsOf(unknown)).toEqual(['to']);
      const extra = await transition(p.id, { to: 'OPEN', reason: 'x' });
      expect(fieldsOf(extra)).toEqual(['reason']);
      const force = await transition(p.id, { to: 'OPEN', force: true });
      expectProblem(force, 400);
      expect(fieldsOf(force)).toEqual(['force']);
      const notBool = await transition(p.id, { to: 'OPEN', force: 'yes' });
      expect(fieldsOf(notBool)).toEqual(['force']);
      expect((await t.http().get(`/periods/${p.id}`).set(admin())).body.status).toBe('PLANNING');
    });

    describe('closing', () => {
      it('refuses while appraisals are DRAFT or AGREED (409 appraisals-not-assessed, listing them) and changes nothing', async () => {
        const p = await createPeriod();
        await advance(p.id, 'OPEN', 'EVALUATION');
        const draft = await insertAppraisal(p.id, 'DRAFT');
        const agreed = await insertAppraisal(p.id, 'AGREED');
        await insertAppraisal(p.id, 'ASSESSED');
        const before = await appraisalRows(p.id);

        const res = await transition(p.id, { to: 'CLOSED' });
        expectProblem(res, 409, 'appraisals-not-assessed');
        expect(res.body.count).toBe(2);
        expect([...(res.body.appraisalIds as string[])].sort()).toEqual([draft, agreed].sort());
        expect((await t.http().get(`/periods/${p.id}`).set(admin())).body).toMatchObject({ status: 'EVALUATION', closedAt: null });
        expect(await appraisalRows(p.id)).toEqual(before);
      });

      it('finalises every ASSESSED appraisal in one go when none is pending', async () => {
        const p = await createPeriod();
        await advance(p.id, 'OPEN', 'EVALUATION');
        const ids = [await insertAppraisal(p.id, 'ASSESSED'), await insertAppraisal(p.id, 'ASSESSED')];
        const res = await transition(p.id, { to: 'CLOSED' });
        expect(res.status).toBe(200);
        const rows = await appraisalRows(p.id);
        expect(rows.map((r) => r.id).sort()).toEqual(ids.sort());
        for (const r of rows) {
          expect(r).toMatchObject({ status: 'FINALIZED', version: 2 });
          expect(r.finalized_at!.toISOString()).toBe(new Date(res.body.closedAt as string).toISOString());
        }
      });

      it('an admin forces it: DRAFT and AGREED are finalised too, unassessed; finalised ones are left alone', async () => {
        const p = await createPeriod();
        await advance(p.id, 'OPEN', 'EVALUATION');
        const draft = await insertAppraisal(p.id, 'DRAFT');
        const agreed = await insertAppraisal(p.id, 'AGREED');
        const assessed = await insertAppraisal(p.id, 'ASSESSED');
        const earlier = await insertAppraisal(p.id, 'FINALIZED');
        await db.query(`UPDATE appraisals SET finalized_at = '2020-01-01T00:00:00Z', version = 5 WHERE id = $1`, [earlier]);

        const res = await transition(p.id, { to: 'CLOSED', force: true });
        expect(res.status).toBe(200);
        expect(res.body.status).toBe('CLOSED');
        const rows = new Map((await appraisalRows(p.id)).map((r) => [r.id, r]));
        for (const id of [draft, agreed, assessed]) {
          expect(rows.get(id)).toMatchObject({ status: 'FINALIZED', version: 2, behaviour_ratings: null });
          expect(rows.get(id)!.finalized_at!.toISOString()).toBe(new Date(res.body.closedAt as string).toISOString());
        }
        expect(rows.get(earlier)).toMatchObject({ status: 'FINALIZED', version: 5 });
        expect(rows.get(earlier)!.finalized_at!.toISOString()).toBe('2020-01-01T00:00:00.000Z');

        const transitionAudit = await t.http().get('/audit-events').query({ entityId: p.id, action: 'period.transition' }).set(admin());
        expect(transitionAudit.body.items[0]).toMatchObject({
          before: { status: 'EVALUATION' },
          after: { status: 'CLOSED', force: true, finalizedAppraisals: 3, forcedAppraisals: 2 },
        });
        for (const [id, previous] of [[draft, 'DRAFT'], [agreed, 'AGREED'], [assessed, 'ASSESSED']]) {
          const audit = await t.http().get('/audit-events').query({ entityId: id, action: 'appraisal.finalize' }).set(admin());
          expect(audit.body.items).toEqual([
            expect.objectContaining({
              entityType: 'appraisal',
              before: { status: previous },
              after: expect.objectContaining({ status: 'FINALIZED', behaviourUnassessed: previous !== 'ASSESSED' }),
            }),
          ]);
        }
        expect((await t.http().get('/audit-events').query({ entityId: earlier, action: 'appraisal.finalize' }).set(admin())).body.total).toBe(0);
      });

      it('lists at most 1000 pending appraisals but counts them all', async () => {
        const p = await createPeriod();
        await advance(p.id, 'OPEN', 'EVALUATION');
        // Many appraisals need many employees: insert them directly, in this file's unit.
        const tag = uniqueCode('bulk');
        await db.query(
          `WITH e AS (
             INSERT INTO employees (nip, name, employment_type, gender, rank, rank_since, job_type, position_title, unit_id, status)
             SELECT lpad((900000000000000000 + (random() * 1e12)::bigint + g)::text, 18, '0'), $2 || g, 'PPPK', 'MALE', 'IX',
                    '2020-01-01', 'PELAKSANA', 'Pelaksana', $3, 'ACTIVE'
               FROM generate_series(1, 1001) g
             RETURNING id)
           INSERT INTO appraisals (employee_id, period_id, unit_id, status, version) SELECT e.id, $1, $3, 'DRAFT', 1 FROM e`,
          [p.id, tag, unit.id],
        );
        const res = await transition(p.id, { to: 'CLOSED' });
        expectProblem(res, 409, 'appraisals-not-assessed');
        expect(res.body.count).toBe(1001);
        expect(res.body.appraisalIds).toHaveLength(1000);
        const forced = await transition(p.id, { to: 'CLOSED', force: true });
        expect(forced.status).toBe(200);
        const [{ n }] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM appraisals WHERE period_id = $1 AND status = 'FINALIZED'`, [p.id]);
        expect(n).toBe(1001);
      });

      it('two concurrent closes: one wins, the other is refused, and the appraisals are finalised once', async () => {
        const p = await createPeriod();
        await advance(p.id, 'OPEN', 'EVALUATION');
        const id = await insertAppraisal(p.id, 'ASSESSED');
        const results = await Promise.all([transition(p.id, { to: 'CLOSED' }), transition(p.id, { to: 'CLOSED' })]);
        expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
        expectProblem(results.find((r) => r.status === 409)!, 409, 'invalid-transition');
        const [row] = await appraisalRows(p.id);
        expect(row).toMatchObject({ id, status: 'FINALIZED', version: 2 });
        const audit = await t.http().get('/audit-events').query({ entityId: id, action: 'appraisal.finalize' }).set(admin());
        expect(audit.body.total).toBe(1);
      });
    });
  });

  describe('access', () => {
    let employeeUser: { token: string };
    let hr: { token: string };
    let period: Period;
    beforeAll(async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      employeeUser = await userToken(t, { role: 'EMPLOYEE', employeeId: e.id });
      hr = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      period = await createPeriod();
    });

    it('employees and HR operators read periods and policies', async () => {
      for (const token of [employeeUser.token, hr.token]) {
        expect((await t.http().get(`/periods/${period.id}`).set(auth(token))).status).toBe(200);
        expect((await t.http().get(`/periods/${period.id}/policy`).set(auth(token))).status).toBe(200);
        expect((await t.http().get('/periods').set(auth(token))).status).toBe(200);
      }
    });

    it('an EMPLOYEE or HR operator cannot create a period, edit a policy or move a period (403)', async () => {
      for (const token of [employeeUser.token, hr.token]) {
        expectProblem(await t.http().post('/periods').set(auth(token)).send(bodyFor('ANNUAL', nextYear())), 403);
        expectProblem(await t.http().put(`/periods/${period.id}/policy`).set(auth(token)).send({ capaianCap: 130 }), 403);
        expectProblem(await transition(period.id, { to: 'OPEN' }, auth(token)), 403);
      }
      expect((await t.http().get(`/periods/${period.id}`).set(admin())).body).toMatchObject({ status: 'PLANNING', policy: { capaianCap: 120 } });
    });

    it('an HR operator cannot force a close (403) and the appraisals stay as they were', async () => {
      const p = await createPeriod();
      await advance(p.id, 'OPEN', 'EVALUATION');
      const draft = await insertAppraisal(p.id, 'DRAFT');
      expectProblem(await transition(p.id, { to: 'CLOSED', force: true }, auth(hr.token)), 403);
      expect((await appraisalRows(p.id))[0]).toMatchObject({ id: draft, status: 'DRAFT' });
      expect((await t.http().get(`/periods/${p.id}`).set(admin())).body.status).toBe('EVALUATION');
    });

    it('an API key with periods:manage moves periods but cannot force a close (403 force-requires-admin)', async () => {
      const appraisalsWriter = await apiKey(t, ['appraisals:write']);
      expectProblem(await t.http().post('/periods').set('X-API-Key', appraisalsWriter.key).send(bodyFor('ANNUAL', nextYear())), 403, 'missing-scope');
      const key = await apiKey(t, ['periods:manage']);
      const p = await createPeriod();
      const created = await t.http().post('/periods').set('X-API-Key', key.key).send(bodyFor('ANNUAL', nextYear()));
      expect(created.status).toBe(201);
      for (const to of ['OPEN', 'EVALUATION']) expect((await transition(p.id, { to }, { 'X-API-Key': key.key })).status).toBe(200);
      await insertAppraisal(p.id, 'AGREED');
      expectProblem(await transition(p.id, { to: 'CLOSED', force: true }, { 'X-API-Key': key.key }), 403, 'force-requires-admin');
      expectProblem(await transition(p.id, { to: 'CLOSED' }, { 'X-API-Key': key.key }), 409, 'appraisals-not-assessed');
      const reader = await apiKey(t, ['appraisals:read']);
      expect((await t.http().get(`/periods/${p.id}`).set('X-API-Key', reader.key)).status).toBe(200);
      expectProblem(await transition(p.id, { to: 'CLOSED' }, { 'X-API-Key': reader.key }), 403, 'missing-scope');
    });
  });
});
