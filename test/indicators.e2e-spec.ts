import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { insertPeriod } from './planning-fixtures';

type Indicator = { id: string; code: string } & Record<string, unknown>;

describe('indicators (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);
  const body = (over: Record<string, unknown> = {}) => ({
    code: uniqueCode('IKI'),
    name: 'Jumlah dokumen perizinan yang diselesaikan',
    unitOfMeasure: 'dokumen',
    aspect: 'QUANTITY',
    direction: 'HIGHER_IS_BETTER',
    aggregation: 'SUM',
    ...over,
  });
  async function createIndicator(over: Record<string, unknown> = {}): Promise<Indicator> {
    const res = await t.http().post('/indicators').set(admin()).send(body(over));
    if (res.status !== 201) throw new Error(`createIndicator: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Indicator;
  }
  const codesOf = (res: { body: { items: { code: string }[] } }) => res.body.items.map((i) => i.code).sort();

  // Period codes are global: each period of this file takes its own year, far from a random base.
  // Walks up from here: it stays below 9000, where public-anonymity's and the typed client's years are.
  let year = randomInt(2100, 8500);
  const nextYear = () => (year += randomInt(5, 12));

  describe('create and read', () => {
    it('creates an indicator with defaults, upper-cases the code and reads it back', async () => {
      const code = uniqueCode('iki-waktu');
      const res = await t
        .http()
        .post('/indicators')
        .set(admin())
        .send(body({ code: code.toLowerCase(), name: '  Rata-rata waktu layanan  ', unitOfMeasure: 'menit', aspect: 'TIME', direction: 'LOWER_IS_BETTER', aggregation: 'AVERAGE' }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        code,
        name: 'Rata-rata waktu layanan',
        description: null,
        unitOfMeasure: 'menit',
        aspect: 'TIME',
        direction: 'LOWER_IS_BETTER',
        aggregation: 'AVERAGE',
        jobTypes: [],
        unitId: null,
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const got = await t.http().get(`/indicators/${res.body.id}`).set(admin());
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('stores job types, a unit scope, a description and active=false as sent', async () => {
      const unit = await createUnit(t);
      const i = await createIndicator({ jobTypes: ['PELAKSANA', 'FUNGSIONAL'], unitId: unit.id, description: 'Bukti: register', active: false });
      expect(i).toMatchObject({ jobTypes: ['PELAKSANA', 'FUNGSIONAL'], unitId: unit.id, description: 'Bukti: register', active: false });
    });

    it('answers a duplicate code with 409 duplicate-indicator-code, whatever the case sent', async () => {
      const i = await createIndicator();
      const res = await t.http().post('/indicators').set(admin()).send(body({ code: i.code.toLowerCase() }));
      expectProblem(res, 409, 'duplicate-indicator-code');
    });

    it('refuses an unknown unitId with 400 naming unitId', async () => {
      const res = await t.http().post('/indicators').set(admin()).send(body({ unitId: '00000000-0000-4000-8000-000000000000' }));
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toEqual([{ field: 'unitId', message: expect.any(String) }]);
    });

    it('refuses an unknown body field with 400 naming the field', async () => {
      const res = await t.http().post('/indicators').set(admin()).send(body({ colour: 'red' }));
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toEqual([{ field: 'colour', message: expect.any(String) }]);
    });

    it('names every invalid field', async () => {
      const res = await t
        .http()
        .post('/indicators')
        .set(admin())
        .send({ code: 'bad code!', unitOfMeasure: '', aspect: 'SPEED', direction: 'UP', aggregation: 'MEDIAN', jobTypes: ['PELAKSANA', 'BUPATI'] });
      expectProblem(res, 400, 'validation-failed');
      const fields = new Set((res.body.errors as { field: string }[]).map((e) => e.field));
      expect(fields).toEqual(new Set(['code', 'name', 'unitOfMeasure', 'aspect', 'direction', 'aggregation', 'jobTypes']));
    });

    it('refuses repeated job types and a jobTypes that is not an array', async () => {
      const dup = await t.http().post('/indicators').set(admin()).send(body({ jobTypes: ['PELAKSANA', 'PELAKSANA'] }));
      expectProblem(dup, 400);
      expect(dup.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'jobTypes' })]));
      const str = await t.http().post('/indicators').set(admin()).send(body({ jobTypes: 'PELAKSANA' }));
      expectProblem(str, 400);
      expect(str.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'jobTypes' })]));
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(await t.http().get('/indicators/00000000-0000-4000-8000-000000000000').set(admin()), 404, 'not-found');
      expectProblem(await t.http().get('/indicators/nope').set(admin()), 400);
      expectProblem(await t.http().patch('/indicators/00000000-0000-4000-8000-000000000000').set(admin()).send({ name: 'X' }), 404, 'not-found');
    });

    it('records indicator.create and indicator.update in the audit log', async () => {
      const i = await createIndicator();
      await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ name: 'Nama baru' });
      const audit = await t.http().get('/audit-events').query({ entityType: 'indicator', entityId: i.id }).set(admin());
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['indicator.update', 'indicator.create']);
      expect(audit.body.items[0]).toMatchObject({ before: { name: i.name }, after: { name: 'Nama baru' }, actorName: 'admin' });
    });
  });

  describe('update', () => {
    it('PATCH of one field keeps the others', async () => {
      const unit = await createUnit(t);
      const i = await createIndicator({ jobTypes: ['PENGAWAS'], unitId: unit.id, description: 'd' });
      const res = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ name: 'Nama Baru' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...i, name: 'Nama Baru', updatedAt: expect.any(String) });
    });

    it('changes several fields, clears description and unit scope with null', async () => {
      const unit = await createUnit(t);
      const i = await createIndicator({ unitId: unit.id, description: 'lama' });
      const code = uniqueCode('IKI-NEW');
      const res = await t
        .http()
        .patch(`/indicators/${i.id}`)
        .set(admin())
        .send({ code: code.toLowerCase(), direction: 'LOWER_IS_BETTER', aggregation: 'LATEST', aspect: 'COST', jobTypes: ['JPT_PRATAMA'], description: null, unitId: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ code, direction: 'LOWER_IS_BETTER', aggregation: 'LATEST', aspect: 'COST', jobTypes: ['JPT_PRATAMA'], description: null, unitId: null });
      const empty = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ jobTypes: [] });
      expect(empty.body.jobTypes).toEqual([]);
    });

    it('deactivates with PATCH {active:false} and reactivates with {active:true}', async () => {
      const i = await createIndicator();
      const off = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect((await t.http().get(`/indicators/${i.id}`).set(admin())).body.active).toBe(false);
      expect((await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ active: true })).body.active).toBe(true);
    });

    it('answers a PATCH to a taken code with 409 duplicate-indicator-code and keeps the old code', async () => {
      const a = await createIndicator();
      const b = await createIndicator();
      expectProblem(await t.http().patch(`/indicators/${b.id}`).set(admin()).send({ code: a.code }), 409, 'duplicate-indicator-code');
      expect((await t.http().get(`/indicators/${b.id}`).set(admin())).body.code).toBe(b.code);
      // Its own code is not a conflict.
      expect((await t.http().patch(`/indicators/${b.id}`).set(admin()).send({ code: b.code })).status).toBe(200);
    });

    it('refuses null for required fields, unknown fields and an unknown unitId', async () => {
      const i = await createIndicator();
      const nul = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ name: null, direction: null, jobTypes: null, active: null });
      expectProblem(nul, 400);
      expect(new Set((nul.body.errors as { field: string }[]).map((e) => e.field))).toEqual(new Set(['name', 'direction', 'jobTypes', 'active']));
      const extra = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ colour: 'red' });
      expectProblem(extra, 400);
      expect(extra.body.errors).toEqual([{ field: 'colour', message: expect.any(String) }]);
      const ghost = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ unitId: '00000000-0000-4000-8000-000000000000' });
      expectProblem(ghost, 400);
      expect(ghost.body.errors).toEqual([{ field: 'unitId', message: expect.any(String) }]);
      expect((await t.http().get(`/indicators/${i.id}`).set(admin())).body).toEqual(i);
    });
  });

  describe('lock once a CLOSED period used it', () => {
    /** A period taken through PLANNING → OPEN → EVALUATION → CLOSED with one ASSESSED appraisal targeting `indicatorId`. */
    async function closedPeriodUsing(indicatorId: string, close = true): Promise<{ periodId: string; code: string }> {
      let period: { id: string; code: string } | undefined;
      for (let attempt = 0; !period; attempt++) {
        const y = nextYear();
        const res = await t.http().post('/periods').set(admin()).send({ code: `${y}`, type: 'ANNUAL', startDate: `${y}-01-01`, endDate: `${y}-12-31` });
        if (res.status === 201) period = res.body as { id: string; code: string };
        else if (res.status !== 409 || attempt > 5) throw new Error(`create period: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const unit = await createUnit(t);
      const employee = await createEmployee(t, { unitId: unit.id });
      const [appraisal] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, status, version) VALUES ($1, $2, $3, 'ASSESSED', 1) RETURNING id`,
        [employee.id, period.id, unit.id],
      );
      await db.query('INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100)', [appraisal.id, indicatorId]);
      for (const to of close ? ['OPEN', 'EVALUATION', 'CLOSED'] : ['OPEN']) {
        const res = await t.http().post(`/periods/${period.id}/transitions`).set(admin()).send({ to });
        if (res.status !== 200) throw new Error(`transition to ${to}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return { periodId: period.id, code: period.code };
    }

    it.each([['direction', 'LOWER_IS_BETTER'], ['aggregation', 'MAX'], ['aspect', 'QUALITY']])(
      'refuses a change of %s with 409 indicator-locked and changes nothing',
      async (field, value) => {
        const i = await createIndicator();
        const closed = await closedPeriodUsing(i.id);
        const res = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ [field]: value, name: 'Tidak jadi' });
        expectProblem(res, 409, 'indicator-locked');
        expect(res.body.fields).toEqual([field]);
        expect(res.body.closedPeriods).toEqual([closed.code]);
        expect((await t.http().get(`/indicators/${i.id}`).set(admin())).body).toEqual(i);
      },
    );

    it('still allows the other fields, the same values again, and deactivation', async () => {
      const i = await createIndicator();
      await closedPeriodUsing(i.id);
      const same = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ direction: i.direction, aggregation: i.aggregation, aspect: i.aspect, name: 'Nama lain' });
      expect(same.status).toBe(200);
      expect(same.body.name).toBe('Nama lain');
      const off = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
    });

    it('allows the change while the period using it is not CLOSED', async () => {
      const i = await createIndicator();
      await closedPeriodUsing(i.id, false);
      const res = await t.http().patch(`/indicators/${i.id}`).set(admin()).send({ direction: 'LOWER_IS_BETTER', aggregation: 'LATEST', aspect: 'TIME' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ direction: 'LOWER_IS_BETTER', aggregation: 'LATEST', aspect: 'TIME' });
    });
  });

  describe('recalculation marks (spec §6)', () => {
    it('a change of direction or aggregation marks the appraisals not finalised that have a target on it, and only those', async () => {
      const i = await createIndicator();
      const other = await createIndicator();
      const unit = await createUnit(t);
      const period = await insertPeriod(t);
      const appraisal = async (status: string, indicatorIds: string[]) => {
        const employee = await createEmployee(t, { unitId: unit.id });
        const [row] = await db.query<{ id: string }[]>(
          `INSERT INTO appraisals (employee_id, period_id, unit_id, status) VALUES ($1, $2, $3, $4) RETURNING id`,
          [employee.id, period.id, unit.id, status],
        );
        for (const indicatorId of indicatorIds) {
          await db.query('INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 50)', [row.id, indicatorId]);
        }
        return row.id;
      };
      const open = await appraisal('AGREED', [i.id, other.id]);
      const finalised = await appraisal('FINALIZED', [i.id]);
      const elsewhere = await appraisal('ASSESSED', [other.id]);
      const marks = async () =>
        Object.fromEntries(
          (
            await db.query<{ appraisal_id: string; version: number; reason: string }[]>(
              'SELECT appraisal_id, version::int AS version, reason FROM score_recalculation_marks WHERE appraisal_id = ANY($1)',
              [[open, finalised, elsewhere]],
            )
          ).map((r) => [r.appraisal_id, { version: r.version, reason: r.reason }]),
        );
      const patch = async (change: object) => expect((await t.http().patch(`/indicators/${i.id}`).set(admin()).send(change)).status).toBe(200);

      // Fields that no score is computed with, or the same values again, mark nothing.
      await patch({ name: 'Nama lain', aspect: 'TIME', direction: i.direction, aggregation: i.aggregation });
      expect(await marks()).toEqual({});
      await patch({ direction: 'LOWER_IS_BETTER' });
      expect(await marks()).toEqual({ [open]: { version: 1, reason: 'indicator.update' } });
      await patch({ aggregation: 'LATEST' });
      expect(await marks()).toEqual({ [open]: { version: 2, reason: 'indicator.update' } });
    });
  });

  describe('list', () => {
    // Units: A ← A1 ← A11 ; B. Indicators: global, scoped to A, A1, A11 and B; codes and names carry the tag.
    const tag = uniqueCode('lst');
    const ind: Record<string, Indicator> = {};
    let a: { id: string }, a1: { id: string }, a11: { id: string }, b: { id: string };

    beforeAll(async () => {
      a = await createUnit(t, { kind: 'DINAS' });
      a1 = await createUnit(t, { kind: 'BIDANG', parentId: a.id });
      a11 = await createUnit(t, { kind: 'UPTD', parentId: a1.id });
      b = await createUnit(t, { kind: 'BADAN' });
      ind.global = await createIndicator({ code: `${tag}-GLOBAL`, name: `Global ${tag}`, aspect: 'QUANTITY' });
      ind.pelaksana = await createIndicator({ code: `${tag}-PLK`, name: `Pelaksana ${tag}`, jobTypes: ['PELAKSANA'], aspect: 'QUALITY' });
      ind.struktural = await createIndicator({ code: `${tag}-STR`, name: `Struktural ${tag}`, jobTypes: ['ADMINISTRATOR', 'PENGAWAS'], aspect: 'TIME' });
      ind.a = await createIndicator({ code: `${tag}-UA`, name: `Dinas ${tag}`, unitId: a.id, aspect: 'COST' });
      ind.a1 = await createIndicator({ code: `${tag}-UA1`, name: `Bidang ${tag}`, unitId: a1.id });
      ind.a11 = await createIndicator({ code: `${tag}-UA11`, name: `UPTD ${tag}`, unitId: a11.id });
      ind.b = await createIndicator({ code: `${tag}-UB`, name: `Badan ${tag}`, unitId: b.id });
      ind.off = await createIndicator({ code: `${tag}-OFF`, name: `Nonaktif ${tag}`, active: false });
    });
    const list = (query: Record<string, unknown>) => t.http().get('/indicators').query({ q: tag, pageSize: 200, ...query }).set(admin());
    const codes = (...keys: string[]) => keys.map((k) => ind[k].code).sort();

    it('q matches code or name, case-insensitively, ordered by code', async () => {
      const all = await list({});
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(8);
      expect(all.body.items.map((i: Indicator) => i.code)).toEqual(Object.values(ind).map((i) => i.code).sort());
      const byName = await t.http().get('/indicators').query({ q: `badan ${tag}`.toLowerCase() }).set(admin());
      expect(codesOf(byName)).toEqual(codes('b'));
    });

    it('jobType returns the indicators for all job types and those naming it', async () => {
      expect(codesOf(await list({ jobType: 'PELAKSANA' }))).toEqual(codes('global', 'pelaksana', 'a', 'a1', 'a11', 'b', 'off'));
      expect(codesOf(await list({ jobType: 'PENGAWAS' }))).toEqual(codes('global', 'struktural', 'a', 'a1', 'a11', 'b', 'off'));
      expect(codesOf(await list({ jobType: 'JPT_MADYA' }))).toEqual(codes('global', 'a', 'a1', 'a11', 'b', 'off'));
    });

    it('unitId returns unscoped indicators and those of the unit and its ancestors, not of descendants or other units', async () => {
      const unscoped = ['global', 'pelaksana', 'struktural', 'off'];
      expect(codesOf(await list({ unitId: a1.id }))).toEqual(codes(...unscoped, 'a', 'a1'));
      expect(codesOf(await list({ unitId: a11.id }))).toEqual(codes(...unscoped, 'a', 'a1', 'a11'));
      expect(codesOf(await list({ unitId: a.id }))).toEqual(codes(...unscoped, 'a'));
      expect(codesOf(await list({ unitId: b.id }))).toEqual(codes(...unscoped, 'b'));
    });

    it('combines filters: the indicators a PELAKSANA of A11 may use', async () => {
      expect(codesOf(await list({ unitId: a11.id, jobType: 'PELAKSANA', active: 'true' }))).toEqual(codes('global', 'pelaksana', 'a', 'a1', 'a11'));
    });

    it('filters by aspect and by active', async () => {
      expect(codesOf(await list({ aspect: 'COST' }))).toEqual(codes('a'));
      expect(codesOf(await list({ aspect: 'TIME' }))).toEqual(codes('struktural'));
      expect(codesOf(await list({ active: 'false' }))).toEqual(codes('off'));
      expect((await list({ active: 'true' })).body.total).toBe(7);
      expectProblem(await list({ active: '1' }), 400);
    });

    it('pages with {items, page, pageSize, total}', async () => {
      const p2 = await list({ page: 2, pageSize: 3 });
      expect(Object.keys(p2.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
      expect(p2.body).toMatchObject({ page: 2, pageSize: 3, total: 8 });
      expect(p2.body.items.map((i: Indicator) => i.code)).toEqual(Object.values(ind).map((i) => i.code).sort().slice(3, 6));
    });

    it.each([
      ['jobType', 'BUPATI'],
      ['unitId', 'not-a-uuid'],
      ['aspect', 'SPEED'],
      ['active', 'maybe'],
      ['pageSize', '201'],
      ['colour', 'red'],
    ])('refuses %s=%s with 400 naming it', async (param, value) => {
      const res = await t.http().get('/indicators').query({ [param]: value }).set(admin());
      expectProblem(res, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: param })]));
    });
  });

  describe('access', () => {
    let unit: { id: string };
    let employeeUser: { token: string };
    let hr: { token: string };
    let indicator: Indicator;
    beforeAll(async () => {
      unit = await createUnit(t);
      const e = await createEmployee(t, { unitId: unit.id });
      employeeUser = await userToken(t, { role: 'EMPLOYEE', employeeId: e.id });
      hr = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      indicator = await createIndicator();
    });

    it('HR operators and employees read the catalogue but cannot write it (403)', async () => {
      for (const token of [employeeUser.token, hr.token]) {
        expect((await t.http().get(`/indicators/${indicator.id}`).set(auth(token))).status).toBe(200);
        expect((await t.http().get('/indicators').query({ q: indicator.code }).set(auth(token))).body.total).toBe(1);
        expectProblem(await t.http().post('/indicators').set(auth(token)).send(body()), 403);
        expectProblem(await t.http().patch(`/indicators/${indicator.id}`).set(auth(token)).send({ active: false }), 403);
      }
      expect((await t.http().get(`/indicators/${indicator.id}`).set(admin())).body.active).toBe(true);
    });

    it('API keys read with appraisals:read and write with periods:manage (not appraisals:write)', async () => {
      const reader = await apiKey(t, ['appraisals:read']);
      const writer = await apiKey(t, ['periods:manage']);
      expect((await t.http().get(`/indicators/${indicator.id}`).set('X-API-Key', reader.key)).status).toBe(200);
      expectProblem(await t.http().post('/indicators').set('X-API-Key', reader.key).send(body()), 403, 'missing-scope');
      const appraisalsWriter = await apiKey(t, ['appraisals:write']);
      expectProblem(await t.http().post('/indicators').set('X-API-Key', appraisalsWriter.key).send(body()), 403, 'missing-scope');
      const created = await t.http().post('/indicators').set('X-API-Key', writer.key).send(body());
      expect(created.status).toBe(201);
      const org = await apiKey(t, ['org:read']);
      expectProblem(await t.http().get('/indicators').set('X-API-Key', org.key), 403, 'missing-scope');
    });

    it('answers 401 without credentials', async () => {
      expectProblem(await t.http().get('/indicators'), 401);
    });
  });
});
