import { randomInt } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { witaDate } from '../src/common/time/wita';
import { BEHAVIOUR_ASPECTS } from '../src/modules/scoring/types';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { createAppraisal, insertIndicator, insertPeriod, orgChain } from './planning-fixtures';
import { insertScore } from './score-fixtures';

type Headers = Record<string, string>;
type Body = Record<string, unknown>;

const GHOST = '00000000-0000-4000-8000-000000000000';
const RATINGS = Object.fromEntries(BEHAVIOUR_ASPECTS.map((a) => [a, 'MEETS_EXPECTATION']));
const OVERRIDE = { rating: 'ABOVE_EXPECTATION', reason: 'Realisasi tidak tercatat lengkap' };
const COURSE = 'Pelatihan Penilai Kinerja ASN (BKPSDM Kota Denpasar)';

/** YYYY-MM-DD plus `days` calendar days. */
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Spec §11 assessor training: the records (POST/GET/DELETE /assessor-trainings), the period policy
 * `requireTrainedAssessor` on every assessor action, and the `trained`/`dialoguesHeld` of assessor-stats with the
 * training-needs report. "Trained" is judged on today's WITA date, as the service does.
 */
describe('assessor training (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let indicatorId: string;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    indicatorId = (await insertIndicator(t)).id;
  });
  afterAll(() => t.close());

  const admin = (): Headers => auth(t.adminToken);
  const http = () => t.http();
  const today = () => witaDate();

  const usedMonths = new Set<string>();
  /** An OPEN monthly period in this file's years (8600–8899), a month no other period of this file uses. */
  async function period(): Promise<{ id: string; startDate: string; endDate: string }> {
    for (;;) {
      const ym = `${randomInt(8600, 8900)}-${String(randomInt(1, 13)).padStart(2, '0')}`;
      if (usedMonths.has(ym)) continue;
      usedMonths.add(ym);
      return insertPeriod(t, { start: `${ym}-01`, end: `${ym}-28` });
    }
  }

  const record = (body: Body, headers: Headers = admin()) => http().post('/assessor-trainings').set(headers).send(body);
  const list = (query: Body, headers: Headers = admin()) => http().get('/assessor-trainings').query(query).set(headers);
  const remove = (id: string, headers: Headers = admin()) => http().delete(`/assessor-trainings/${id}`).set(headers);
  /** Records a training as admin (201) and answers its id. */
  async function trained(employeeId: string, completedOn: string, validUntil?: string | null, course = COURSE): Promise<string> {
    const res = await record({ employeeId, course, completedOn, ...(validUntil === undefined ? {} : { validUntil }) });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  async function setRequireTrained(periodId: string, on: boolean): Promise<void> {
    const res = await http().put(`/periods/${periodId}/policy`).set(admin()).send({ requireTrainedAssessor: on });
    expect(res.status).toBe(200);
    expect(res.body.requireTrainedAssessor).toBe(on);
  }
  type AuditEvent = { action: string; before: Body | null; after: Body | null; entityId: string };
  const auditOf = async (query: Body): Promise<AuditEvent[]> => {
    const res = await http().get('/audit-events').query(query).set(admin());
    expect(res.status).toBe(200);
    return res.body.items as AuditEvent[];
  };
  const fields = (res: { body: Body }) => ((res.body.errors as { field: string }[] | undefined) ?? []).map((e) => e.field);

  // ---------------------------------------------------------------------------------------------
  describe('recording a training', () => {
    it('records a training (201) with the whole resource, read back by GET and audited as assessor-training.create', async () => {
      const unit = await createUnit(t);
      const employee = await createEmployee(t, { unitId: unit.id, jobType: 'ADMINISTRATOR', rank: 'III/d' });
      const adminId = (await http().get('/auth/me').set(admin())).body.id as string;
      const completedOn = addDays(today(), -30);
      const validUntil = addDays(today(), 700);
      const res = await record({
        employeeId: employee.id,
        course: `  ${COURSE}  `,
        completedOn,
        validUntil,
        certificateUrl: 'https://bkpsdm.denpasarkota.go.id/sertifikat/penilai-0042.pdf',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        employeeId: employee.id,
        course: COURSE,
        completedOn,
        validUntil,
        certificateUrl: 'https://bkpsdm.denpasarkota.go.id/sertifikat/penilai-0042.pdf',
        recordedBy: adminId,
        recordedAt: expect.any(String),
      });
      expect(Date.parse(res.body.recordedAt)).toBeGreaterThan(Date.now() - 60_000);
      const listed = await list({ employeeId: employee.id });
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({ items: [res.body], page: 1, pageSize: 50, total: 1 });

      const events = await auditOf({ entityType: 'assessor-training', entityId: res.body.id });
      expect(events).toEqual([
        expect.objectContaining({
          action: 'assessor-training.create',
          entityId: res.body.id,
          before: null,
          after: expect.objectContaining({ employeeId: employee.id, course: COURSE, completedOn, validUntil }),
        }),
      ]);

      // Open-ended (no validUntil, or null) and a blank certificate URL store nulls.
      const open = await record({ employeeId: employee.id, course: 'Diklat Penilai Lanjutan', completedOn: today(), certificateUrl: '  ' });
      expect(open.status).toBe(201);
      expect(open.body).toMatchObject({ completedOn: today(), validUntil: null, certificateUrl: null });
      const nullUntil = await record({ employeeId: employee.id, course: 'Diklat Penilai Dasar', completedOn: '2020-02-03', validUntil: null });
      expect(nullUntil.status).toBe(201);
      expect(nullUntil.body.validUntil).toBeNull();
      // validUntil equal to completedOn is a one-day training, allowed.
      expect((await record({ employeeId: employee.id, course: 'Bimtek sehari', completedOn: '2021-05-05', validUntil: '2021-05-05' })).status).toBe(201);
    });

    it('refuses bad bodies (400) and writes nothing', async () => {
      const unit = await createUnit(t);
      const employee = await createEmployee(t, { unitId: unit.id });
      const ok = { employeeId: employee.id, course: COURSE, completedOn: '2024-03-12' };
      const cases: [string, Body, string][] = [
        ['completedOn after today (WITA)', { ...ok, completedOn: addDays(today(), 1) }, 'completedOn'],
        ['validUntil before completedOn', { ...ok, validUntil: '2024-03-11' }, 'validUntil'],
        ['an unknown employee', { ...ok, employeeId: GHOST }, 'employeeId'],
        ['an employeeId that is no uuid', { ...ok, employeeId: 'nip-123' }, 'employeeId'],
        ['no course', { employeeId: employee.id, completedOn: '2024-03-12' }, 'course'],
        ['a blank course', { ...ok, course: '   ' }, 'course'],
        ['a course too long', { ...ok, course: 'x'.repeat(201) }, 'course'],
        ['no completedOn', { employeeId: employee.id, course: COURSE }, 'completedOn'],
        ['a completedOn that is no date', { ...ok, completedOn: '2024-02-30' }, 'completedOn'],
        ['a date-time completedOn', { ...ok, completedOn: '2024-03-12T00:00:00Z' }, 'completedOn'],
        ['a validUntil that is no date', { ...ok, validUntil: 'next year' }, 'validUntil'],
        ['a certificate URL that is no URL', { ...ok, certificateUrl: 'sertifikat penilai' }, 'certificateUrl'],
        ['an ftp certificate URL', { ...ok, certificateUrl: 'ftp://bkpsdm.denpasarkota.go.id/sertifikat.pdf' }, 'certificateUrl'],
        ['a certificate URL with credentials', { ...ok, certificateUrl: 'https://user:secret@bkpsdm.denpasarkota.go.id/s.pdf' }, 'certificateUrl'],
        ['an unknown field', { ...ok, recordedBy: GHOST }, 'recordedBy'],
      ];
      for (const [what, body, field] of cases) {
        const res = await record(body);
        expectProblem(res, 400);
        expect({ what, fields: fields(res) }).toEqual({ what, fields: expect.arrayContaining([field]) });
      }
      expect((await list({ employeeId: employee.id })).body.total).toBe(0);
      const [{ n }] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM assessor_trainings WHERE employee_id = $1', [employee.id]);
      expect(n).toBe(0);
    });

    it('answers 409 duplicate-training for the same employee, course and completedOn', async () => {
      const unit = await createUnit(t);
      const employee = await createEmployee(t, { unitId: unit.id });
      const first = await record({ employeeId: employee.id, course: COURSE, completedOn: '2025-06-01', validUntil: '2027-06-01' });
      expect(first.status).toBe(201);
      // The same course (after trimming) on the same day, whatever the other fields.
      const again = await record({ employeeId: employee.id, course: ` ${COURSE} `, completedOn: '2025-06-01', certificateUrl: 'https://x.go.id/a.pdf' });
      expectProblem(again, 409, 'duplicate-training');
      // Another date or another course is another training.
      expect((await record({ employeeId: employee.id, course: COURSE, completedOn: '2025-06-02' })).status).toBe(201);
      expect((await record({ employeeId: employee.id, course: 'Diklat Penilai Lanjutan', completedOn: '2025-06-01' })).status).toBe(201);
      expect((await list({ employeeId: employee.id })).body.total).toBe(3);
    });

    it('lets an HR operator record for their subtree only: anyone else answers 400 like a missing employee', async () => {
      const unit = await createUnit(t);
      const child = await createUnit(t, { parentId: unit.id, kind: 'BIDANG' });
      const elsewhere = await createUnit(t);
      const inChild = await createEmployee(t, { unitId: child.id });
      const outside = await createEmployee(t, { unitId: elsewhere.id });
      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });

      const mine = await record({ employeeId: inChild.id, course: COURSE, completedOn: '2025-01-10' }, auth(hr.token));
      expect(mine.status).toBe(201);
      expect(mine.body).toMatchObject({ employeeId: inChild.id, recordedBy: hr.id });

      const theirs = await record({ employeeId: outside.id, course: COURSE, completedOn: '2025-01-10' }, auth(hr.token));
      const missing = await record({ employeeId: GHOST, course: COURSE, completedOn: '2025-01-10' }, auth(hr.token));
      expectProblem(theirs, 400);
      expectProblem(missing, 400);
      expect(theirs.body.errors).toEqual([{ field: 'employeeId', message: `no employee has the id ${outside.id}` }]);
      expect(missing.body.errors).toEqual([{ field: 'employeeId', message: `no employee has the id ${GHOST}` }]);
      expect((await list({ employeeId: outside.id })).body.total).toBe(0);
    });

    it('refuses employees (403) and API keys without org:write; a key with org:write records, as itself', async () => {
      const unit = await createUnit(t);
      const assessor = await createEmployee(t, { unitId: unit.id });
      const someone = await createEmployee(t, { unitId: unit.id });
      const me = await userToken(t, { role: 'EMPLOYEE', employeeId: someone.id });
      const body = { employeeId: assessor.id, course: COURSE, completedOn: '2025-02-02' };
      expectProblem(await record(body, auth(me.token)), 403);

      const readOnly = await http().post('/api-keys').set(admin()).send({ name: uniqueCode('key'), scopes: ['scores:read'] });
      expectProblem(await record(body, { 'X-API-Key': readOnly.body.key }), 403, 'missing-scope');
      const writer = await http().post('/api-keys').set(admin()).send({ name: uniqueCode('key'), scopes: ['org:write'] });
      const res = await record(body, { 'X-API-Key': writer.body.key });
      expect(res.status).toBe(201);
      expect(res.body.recordedBy).toBe(writer.body.id);
      expectProblem(await remove(res.body.id as string, auth(me.token)), 403);
      expect((await list({ employeeId: assessor.id })).body.total).toBe(1);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('nobody records or deletes a training of their own (own-record)', () => {
    it.each(['ADMIN', 'HR_OPERATOR'] as const)('a linked %s may not record or delete their own, but may another\'s', async (role) => {
      const unit = await createUnit(t);
      const self = await createEmployee(t, { unitId: unit.id, name: 'Operator Sendiri' });
      const colleague = await createEmployee(t, { unitId: unit.id });
      const user = await userToken(t, { role, employeeId: self.id, ...(role === 'HR_OPERATOR' ? { unitId: unit.id } : {}) });
      const me = auth(user.token);

      const own = await record({ employeeId: self.id, course: COURSE, completedOn: '2025-03-03' }, me);
      expectProblem(own, 403, 'own-record');
      expect((await list({ employeeId: self.id })).body.total).toBe(0);

      // Recorded by someone else, it stays theirs to delete.
      const byAdmin = await trained(self.id, '2025-03-03');
      const refusedDelete = await remove(byAdmin, me);
      expectProblem(refusedDelete, 403, 'own-record');
      expect((await list({ employeeId: self.id })).body.items.map((i: { id: string }) => i.id)).toEqual([byAdmin]);
      expect(await auditOf({ requestId: refusedDelete.headers['x-request-id'] })).toEqual([]);

      // A colleague's training is theirs to record and delete.
      const other = await record({ employeeId: colleague.id, course: COURSE, completedOn: '2025-03-03' }, me);
      expect(other.status).toBe(201);
      expect((await remove(other.body.id as string, me)).status).toBe(204);

      // An admin's API key answers for its issuer (only admins issue keys).
      if (role === 'ADMIN') {
        const key = await http().post('/api-keys').set(me).send({ name: uniqueCode('key'), scopes: ['org:write'] });
        expect(key.status).toBe(201);
        expectProblem(await record({ employeeId: self.id, course: COURSE, completedOn: '2025-04-04' }, { 'X-API-Key': key.body.key }), 403, 'own-record');
        expectProblem(await remove(byAdmin, { 'X-API-Key': key.body.key }), 403, 'own-record');
      }
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('listing', () => {
    it('filters by employeeId, unitId (the subtree) and validOn (inclusive bounds, open-ended), newest completedOn first', async () => {
      const unit = await createUnit(t);
      const child = await createUnit(t, { parentId: unit.id, kind: 'BIDANG' });
      const sibling = await createUnit(t);
      const a = await createEmployee(t, { unitId: unit.id });
      const b = await createEmployee(t, { unitId: child.id });
      const c = await createEmployee(t, { unitId: sibling.id });
      const a2020 = await trained(a.id, '2020-01-01', '2020-12-31');
      const a2021 = await trained(a.id, '2021-06-01', '2021-06-30', 'Bimtek Penilai');
      const aOpen = await trained(a.id, '2022-01-01', null, 'Diklat Penilai Lanjutan');
      const bOpen = await trained(b.id, '2019-05-05');
      const cOpen = await trained(c.id, '2019-05-05');
      const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

      expect(ids(await list({ employeeId: a.id }))).toEqual([aOpen, a2021, a2020]);
      expect(ids(await list({ unitId: unit.id }))).toEqual([aOpen, a2021, a2020, bOpen]);
      expect(ids(await list({ unitId: child.id }))).toEqual([bOpen]);
      expect(ids(await list({ unitId: sibling.id }))).toEqual([cOpen]);
      expect(ids(await list({ employeeId: a.id, unitId: child.id }))).toEqual([]);

      expect(ids(await list({ employeeId: a.id, validOn: '2019-12-31' }))).toEqual([]);
      expect(ids(await list({ employeeId: a.id, validOn: '2020-01-01' }))).toEqual([a2020]);
      expect(ids(await list({ employeeId: a.id, validOn: '2020-12-31' }))).toEqual([a2020]);
      expect(ids(await list({ employeeId: a.id, validOn: '2021-01-01' }))).toEqual([]);
      expect(ids(await list({ employeeId: a.id, validOn: '2021-06-15' }))).toEqual([a2021]);
      expect(ids(await list({ employeeId: a.id, validOn: '2022-01-01' }))).toEqual([aOpen]);
      expect(ids(await list({ unitId: unit.id, validOn: '2099-01-01' }))).toEqual([aOpen, bOpen]);

      const paged = await list({ employeeId: a.id, page: 2, pageSize: 2 });
      expect(paged.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
      expect(ids(paged)).toEqual([a2020]);

      for (const bad of [{ validOn: '2021-02-30' }, { employeeId: 'x' }, { unitId: 'x' }, { pageSize: 0 }]) {
        expectProblem(await list(bad), 400);
      }
    });

    it('shows an HR operator their subtree only and an employee their own only', async () => {
      const unit = await createUnit(t);
      const elsewhere = await createUnit(t);
      const inside = await createEmployee(t, { unitId: unit.id });
      const outside = await createEmployee(t, { unitId: elsewhere.id });
      const insideId = await trained(inside.id, '2024-01-01');
      const outsideId = await trained(outside.id, '2024-01-01');

      const hr = auth((await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id })).token);
      const hrAll = await list({}, hr);
      expect(hrAll.status).toBe(200);
      expect(hrAll.body.items.map((i: { id: string }) => i.id)).toEqual([insideId]);
      expect(hrAll.body.total).toBe(1);
      expect((await list({ employeeId: outside.id }, hr)).body).toMatchObject({ items: [], total: 0 });
      expect((await list({ unitId: elsewhere.id }, hr)).body).toMatchObject({ items: [], total: 0 });

      const me = auth((await userToken(t, { role: 'EMPLOYEE', employeeId: outside.id })).token);
      const mine = await list({}, me);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ items: [expect.objectContaining({ id: outsideId, employeeId: outside.id })], total: 1 });
      expect((await list({ employeeId: inside.id }, me)).body).toMatchObject({ items: [], total: 0 });

      // An employee user of someone with no training sees nothing at all.
      const nobody = await createEmployee(t, { unitId: unit.id });
      expect((await list({}, auth((await userToken(t, { role: 'EMPLOYEE', employeeId: nobody.id })).token))).body).toMatchObject({ items: [], total: 0 });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('deleting', () => {
    it('deletes (204) what is then gone, audited as assessor-training.delete with the record; out of scope answers 404', async () => {
      const unit = await createUnit(t);
      const elsewhere = await createUnit(t);
      const employee = await createEmployee(t, { unitId: unit.id });
      const id = await trained(employee.id, '2024-09-09', '2026-09-09');

      const hrElsewhere = auth((await userToken(t, { role: 'HR_OPERATOR', unitId: elsewhere.id })).token);
      expectProblem(await remove(id, hrElsewhere), 404);
      expect((await list({ employeeId: employee.id })).body.total).toBe(1);

      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
      const res = await remove(id, auth(hr.token));
      expect(res.status).toBe(204);
      expect((await list({ employeeId: employee.id })).body).toMatchObject({ items: [], total: 0 });
      expectProblem(await remove(id), 404);
      expectProblem(await remove(GHOST), 404);
      expectProblem(await remove('not-a-uuid'), 400);

      const events = await auditOf({ entityType: 'assessor-training', entityId: id });
      expect(events.map((e) => e.action)).toEqual(['assessor-training.delete', 'assessor-training.create']);
      expect(events[0].before).toMatchObject({ id, employeeId: employee.id, course: COURSE, completedOn: '2024-09-09', validUntil: '2026-09-09' });
      expect(events[0].after).toBeNull();
      expect(await auditOf({ requestId: res.headers['x-request-id'] })).toEqual([expect.objectContaining({ action: 'assessor-training.delete' })]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('policy requireTrainedAssessor', () => {
    /** reviewer ← assessor ← employee with users; an appraisal of the employee in a fresh OPEN period with one target; agreed by the (unlinked) admin unless `draft`. */
    async function scene(opts: { draft?: boolean } = {}) {
      const chain = await orgChain(t);
      const p = await period();
      const appraisal = await createAppraisal(t, chain.employee.id, p.id);
      const target = await http().post(`/appraisals/${appraisal.id}/targets`).set(admin()).send({ indicatorId, target: 10, weight: 100 });
      expect(target.status).toBe(201);
      if (!opts.draft) expect((await http().post(`/appraisals/${appraisal.id}/agree`).set(admin())).status).toBe(200);
      return { ...chain, periodId: p.id, appraisalId: appraisal.id, targetId: target.body.id as string, occurredOn: p.startDate };
    }
    type Scene = Awaited<ReturnType<typeof scene>>;

    async function submit(s: Scene): Promise<string> {
      const res = await http().post('/achievements').set(auth(s.employeeUser.token)).send({ targetId: s.targetId, value: 3, occurredOn: s.occurredOn });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }
    const verify = (id: string, headers: Headers) => http().post(`/achievements/${id}/verify`).set(headers);
    const reject = (id: string, headers: Headers) => http().post(`/achievements/${id}/reject`).set(headers).send({ reason: 'Bukti kurang lengkap' });
    const behaviour = (s: Scene, headers: Headers) => http().put(`/appraisals/${s.appraisalId}/behaviour`).set(headers).send({ ratings: RATINGS });
    const override = (s: Scene, headers: Headers) => http().put(`/appraisals/${s.appraisalId}/result-rating-override`).set(headers).send(OVERRIDE);
    const withdraw = (s: Scene, headers: Headers) => http().delete(`/appraisals/${s.appraisalId}/result-rating-override`).set(headers);
    const agree = (s: Scene, headers: Headers) => http().post(`/appraisals/${s.appraisalId}/agree`).set(headers);

    /** Everything an assessor action could touch, as stored: the appraisal, its achievements, the recalculation mark, the audit trail. */
    async function stored(appraisalId: string): Promise<unknown> {
      const [row] = await db.query<unknown[]>(
        `SELECT (SELECT row_to_json(a) FROM appraisals a WHERE a.id = $1) AS appraisal,
                (SELECT json_agg(x ORDER BY x.id) FROM achievements x WHERE x.appraisal_id = $1) AS achievements,
                (SELECT row_to_json(k) FROM score_recalculation_marks k WHERE k.appraisal_id = $1) AS mark,
                (SELECT count(*)::int FROM audit_events ev
                  WHERE ev.entity_id = $1::text OR ev.entity_id IN (SELECT id::text FROM achievements WHERE appraisal_id = $1)) AS audits`,
        [appraisalId],
      );
      return row;
    }

    /** The request answers 409 assessor-untrained, changes nothing and audits nothing. */
    async function untrained(appraisalId: string, send: () => Promise<Response>): Promise<Response> {
      const before = await stored(appraisalId);
      const res = await send();
      expectProblem(res, 409, 'assessor-untrained');
      expect(await stored(appraisalId)).toEqual(before);
      expect(await auditOf({ requestId: res.headers['x-request-id'] })).toEqual([]);
      return res;
    }

    it('off: an untrained assessor verifies; on: refused until a valid training, and refused again when only an expired one is left', async () => {
      const s = await scene();
      const assessor = auth(s.assessorUser.token);
      // Policy off (the default): no training needed.
      const first = await submit(s);
      const off = await verify(first, assessor);
      expect(off.status).toBe(200);
      expect(off.body.status).toBe('VERIFIED');

      await setRequireTrained(s.periodId, true);
      const second = await submit(s);
      const refused = await untrained(s.appraisalId, () => verify(second, assessor));
      expect(refused.body.detail).toContain(s.assessor.id);
      expect((await http().get(`/achievements/${second}`).set(assessor)).body).toMatchObject({ status: 'SUBMITTED', decidedBy: null, decidedAt: null });
      expect(await auditOf({ entityId: second, action: 'achievement.verify' })).toEqual([]);

      // A training valid today makes them trained.
      const valid = await trained(s.assessor.id, addDays(today(), -100), addDays(today(), 265));
      const on = await verify(second, assessor);
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ status: 'VERIFIED', decidedBy: s.assessorUser.id });
      expect(await auditOf({ entityId: second, action: 'achievement.verify' })).toHaveLength(1);

      // Only an expired training left: refused again.
      expect((await remove(valid)).status).toBe(204);
      await trained(s.assessor.id, '2020-01-01', '2021-01-01');
      const third = await submit(s);
      await untrained(s.appraisalId, () => verify(third, assessor));
      expect((await http().get(`/achievements/${third}`).set(assessor)).body.status).toBe('SUBMITTED');

      // Policy off again: no training needed.
      await setRequireTrained(s.periodId, false);
      expect((await verify(third, assessor)).status).toBe(200);
    });

    it('counts a training through its last day and from its first (today), and an open-ended one', async () => {
      const s = await scene();
      const assessor = auth(s.assessorUser.token);
      await setRequireTrained(s.periodId, true);
      const [a1, a2, a3, a4] = [await submit(s), await submit(s), await submit(s), await submit(s)];

      const endsToday = await trained(s.assessor.id, '2024-01-01', today());
      expect((await verify(a1, assessor)).status).toBe(200);
      await remove(endsToday);
      const endedYesterday = await trained(s.assessor.id, '2024-01-01', addDays(today(), -1), 'Bimtek Penilai');
      await untrained(s.appraisalId, () => verify(a2, assessor));
      await remove(endedYesterday);
      const startsToday = await trained(s.assessor.id, today(), addDays(today(), 30));
      expect((await verify(a2, assessor)).status).toBe(200);
      await remove(startsToday);
      await untrained(s.appraisalId, () => verify(a3, assessor));
      await trained(s.assessor.id, '2019-07-01'); // open-ended
      expect((await verify(a3, assessor)).status).toBe(200);
      expect((await reject(a4, assessor)).status).toBe(200);
    });

    it('refuses reject, behaviour, override and withdrawing the override by an untrained assessor (409), changing nothing', async () => {
      const s = await scene();
      const assessor = auth(s.assessorUser.token);
      const achievement = await submit(s);
      await setRequireTrained(s.periodId, true);
      // An admin linked to no employee is not held: the override exists to be withdrawn.
      expect((await override(s, admin())).status).toBe(200);

      await untrained(s.appraisalId, () => reject(achievement, assessor));
      await untrained(s.appraisalId, () => behaviour(s, assessor));
      await untrained(s.appraisalId, () => override(s, assessor));
      await untrained(s.appraisalId, () => withdraw(s, assessor));
      const read = await http().get(`/appraisals/${s.appraisalId}`).set(assessor);
      expect(read.body).toMatchObject({ status: 'AGREED', resultRatingOverride: OVERRIDE });

      // Trained (open-ended), each goes through.
      await trained(s.assessor.id, '2023-02-01');
      expect((await reject(achievement, assessor)).body.status).toBe('REJECTED');
      expect((await withdraw(s, assessor)).status).toBe(200);
      expect((await override(s, assessor)).status).toBe(200);
      const assessed = await behaviour(s, assessor);
      expect(assessed.status).toBe(200);
      expect(assessed.body.status).toBe('ASSESSED');
    });

    it('refuses agreeing a DRAFT appraisal by an untrained assessor (409), which stays DRAFT', async () => {
      const s = await scene({ draft: true });
      const assessor = auth(s.assessorUser.token);
      await setRequireTrained(s.periodId, true);
      await untrained(s.appraisalId, () => agree(s, assessor));
      expect((await http().get(`/appraisals/${s.appraisalId}`).set(assessor)).body.status).toBe('DRAFT');
      await trained(s.assessor.id, addDays(today(), -10), addDays(today(), 10));
      const agreed = await agree(s, assessor);
      expect(agreed.status).toBe(200);
      expect(agreed.body.status).toBe('AGREED');
    });

    it('holds an admin linked to an employee (not the appraisee) to the rule; an unlinked admin is not held', async () => {
      const s = await scene();
      await setRequireTrained(s.periodId, true);
      const colleague = await createEmployee(t, { unitId: (await createUnit(t)).id, name: 'Admin BKPSDM' });
      const linked = await userToken(t, { role: 'ADMIN', employeeId: colleague.id });
      const [x, y] = [await submit(s), await submit(s)];

      await untrained(s.appraisalId, () => verify(x, auth(linked.token)));
      await untrained(s.appraisalId, () => behaviour(s, auth(linked.token)));
      // A key the linked admin issued answers for them.
      const key = await http().post('/api-keys').set(auth(linked.token)).send({ name: uniqueCode('key'), scopes: ['achievements:verify'] });
      expect(key.status).toBe(201);
      await untrained(s.appraisalId, () => verify(x, { 'X-API-Key': key.body.key }));

      // The unlinked admin (and a key they issued) is not held.
      expect((await verify(x, admin())).status).toBe(200);
      const adminKey = await http().post('/api-keys').set(admin()).send({ name: uniqueCode('key'), scopes: ['achievements:verify'] });
      expect((await verify(y, { 'X-API-Key': adminKey.body.key })).status).toBe(200);

      // Trained, the linked admin goes through.
      await trained(colleague.id, '2022-08-17');
      expect((await behaviour(s, auth(linked.token))).status).toBe(200);
    });

    it('does not refuse what the appraisee does, nor other periods without the policy', async () => {
      const s = await scene();
      await setRequireTrained(s.periodId, true);
      // The employee still submits achievements: only assessor actions need training.
      const achievement = await submit(s);
      // The same untrained assessor in another period without the policy still verifies.
      const other = await period();
      const appraisal = await createAppraisal(t, s.employee.id, other.id);
      const target = await http().post(`/appraisals/${appraisal.id}/targets`).set(admin()).send({ indicatorId, target: 10, weight: 100 });
      expect(target.status).toBe(201);
      expect((await http().post(`/appraisals/${appraisal.id}/agree`).set(auth(s.assessorUser.token))).status).toBe(200);
      const there = await http()
        .post('/achievements')
        .set(auth(s.employeeUser.token))
        .send({ targetId: target.body.id, value: 1, occurredOn: other.startDate });
      expect(there.status).toBe(201);
      expect((await verify(there.body.id as string, auth(s.assessorUser.token))).status).toBe(200);
      await untrained(s.appraisalId, () => verify(achievement, auth(s.assessorUser.token)));
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('assessor-stats and training-needs', () => {
    /**
     * Seven assessors with 5 scored appraisees each, behaviour means P1–P5 100, L 120, S 80:
     *   μ = 100; variance (20² + 20²) / 7 = 114.29; σ = 10.69; zL = 20 / 10.69 = 1.87 (LENIENT), zS = −1.87 (STRICT).
     * L, P1, P2 assess in `left`, S, P3, P4, P5 in `right` (both under `root`); Q has 2 appraisals in `left`, one
     * scored, so no calibration numbers; X assesses only in another period.
     * Trainings: L open-ended; P1 ending today; P3 expired; P4 starting today; P5 open-ended plus an expired one;
     * P2, S, Q, X none. Dialogues (acknowledged unless said): P1 two in `left` and one unacknowledged; S one in
     * `right`; L one in the other period.
     */
    async function scenario() {
      const root = await createUnit(t);
      const left = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
      const right = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
      const p = await period();
      const other = await period();
      const names = ['L', 'S', 'P1', 'P2', 'P3', 'P4', 'P5', 'Q', 'X'] as const;
      const who = Object.fromEntries(
        await Promise.all(
          names.map(async (n) => [n, await createEmployee(t, { unitId: root.id, name: `Assessor ${n}`, jobType: 'ADMINISTRATOR', rank: 'III/d' })] as const),
        ),
      ) as Record<(typeof names)[number], { id: string; nip: string }>;

      const appraisal = async (periodId: string, unitId: string, assessorId: string | null, behaviour: number | null): Promise<string> => {
        const employee = await createEmployee(t, { unitId });
        const [row] = await db.query<{ id: string }[]>(
          `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status) VALUES ($1, $2, $3, $4, 'ASSESSED') RETURNING id`,
          [employee.id, periodId, unitId, assessorId],
        );
        if (behaviour !== null) await insertScore(t, row.id, { result: 100, behaviour });
        return row.id;
      };
      const five = (unitId: string, assessorId: string, behaviour: number) =>
        Promise.all(Array.from({ length: 5 }, () => appraisal(p.id, unitId, assessorId, behaviour)));
      const [, , ofP1, ofS, , , , , otherOfL] = await Promise.all([
        five(left.id, who.L.id, 120),
        five(left.id, who.P2.id, 100),
        five(left.id, who.P1.id, 100),
        five(right.id, who.S.id, 80),
        five(right.id, who.P3.id, 100),
        five(right.id, who.P4.id, 100),
        five(right.id, who.P5.id, 100),
        Promise.all([appraisal(p.id, left.id, who.Q.id, 100), appraisal(p.id, left.id, who.Q.id, null)]),
        appraisal(other.id, left.id, who.L.id, 100),
        appraisal(other.id, right.id, who.X.id, null),
        appraisal(p.id, right.id, null, null), // no assessor yet
      ]);

      await trained(who.L.id, '2025-01-01');
      await trained(who.P1.id, '2024-01-01', today());
      await trained(who.P3.id, '2020-01-01', '2021-01-01');
      await trained(who.P4.id, today(), addDays(today(), 365));
      await trained(who.P5.id, '2018-01-01');
      await trained(who.P5.id, '2017-01-01', '2017-12-31', 'Bimtek Penilai');

      const dialogue = async (appraisalId: string, assessorId: string, acknowledged: boolean): Promise<string> => {
        const [row] = await db.query<{ id: string }[]>(
          `INSERT INTO performance_dialogues (appraisal_id, assessor_id, held_on, topics, notes, agreed_actions, requested_by, recorded_by, recorder_ids, acknowledged_by, acknowledged_at)
           VALUES ($1, $2, $3, '["capaian"]', 'Dialog kinerja', '[]', 'ASSESSOR', $4, ARRAY[$4]::uuid[], $5, $6) RETURNING id`,
          [appraisalId, assessorId, p.startDate, GHOST, acknowledged ? GHOST : null, acknowledged ? new Date() : null],
        );
        return row.id;
      };
      await dialogue(ofP1[0], who.P1.id, true);
      await dialogue(ofP1[1], who.P1.id, true);
      const unacknowledged = await dialogue(ofP1[2], who.P1.id, false);
      await dialogue(ofS[0], who.S.id, true);
      await dialogue(otherOfL, who.L.id, true);
      return { root, left, right, period: p, other, who, unacknowledged };
    }

    const stats = (periodId: string, query: Body = {}, headers: Headers = admin()) =>
      http().get(`/periods/${periodId}/assessor-stats`).query(query).set(headers);
    const needs = (periodId: string, query: Body = {}, headers: Headers = admin()) =>
      http().get(`/periods/${periodId}/training-needs`).query(query).set(headers);
    const need = (e: { id: string; nip: string }, name: string, trainedNow: boolean, flag: string | null, reasons: string[], appraisees: number) => ({
      assessor: { id: e.id, nip: e.nip, name: `Assessor ${name}` },
      trained: trainedNow,
      flag,
      reasons,
      appraisees,
    });

    let s: Awaited<ReturnType<typeof scenario>>;
    beforeAll(async () => {
      s = await scenario();
    });

    it('adds trained (today) and dialoguesHeld (acknowledged, in the period) to every assessor of assessor-stats', async () => {
      const res = await stats(s.period.id);
      expect(res.status).toBe(200);
      expect(res.body.population).toEqual({ assessors: 7, meanBehaviourScore: 100, sdBehaviourScore: 10.69 });
      const items = res.body.items as { assessorId: string }[];
      const row = (n: keyof typeof s.who) => items.find((i) => i.assessorId === s.who[n].id);
      expect(res.body.items.map((i: { name: string }) => i.name)).toEqual(['Assessor L', 'Assessor P1', 'Assessor P2', 'Assessor P3', 'Assessor P4', 'Assessor P5', 'Assessor S']);
      expect(row('L')).toMatchObject({ count: 5, z: 1.87, flag: 'LENIENT', trained: true, dialoguesHeld: 0 });
      expect(row('S')).toMatchObject({ count: 5, z: -1.87, flag: 'STRICT', trained: false, dialoguesHeld: 1 });
      expect(row('P1')).toMatchObject({ flag: null, trained: true, dialoguesHeld: 2 });
      expect(row('P2')).toMatchObject({ flag: null, trained: false, dialoguesHeld: 0 });
      expect(row('P3')).toMatchObject({ flag: null, trained: false, dialoguesHeld: 0 });
      expect(row('P4')).toMatchObject({ flag: null, trained: true, dialoguesHeld: 0 });
      expect(row('P5')).toMatchObject({ flag: null, trained: true, dialoguesHeld: 0 });

      // The view narrows dialoguesHeld with the appraisals: right shows S's dialogue, left P1's.
      const right = await stats(s.period.id, { withinUnitId: s.right.id });
      expect(right.body.items.map((i: { name: string; dialoguesHeld: number; trained: boolean }) => [i.name, i.trained, i.dialoguesHeld])).toEqual([
        ['Assessor P3', false, 0],
        ['Assessor P4', true, 0],
        ['Assessor P5', true, 0],
        ['Assessor S', false, 1],
      ]);

      // An acknowledgement made later counts; trained follows a new record.
      await db.query('UPDATE performance_dialogues SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1', [s.unacknowledged, GHOST]);
      const p2Training = await trained(s.who.P2.id, '2024-04-04', addDays(today(), 1));
      const again = await stats(s.period.id, { withinUnitId: s.left.id });
      expect(again.body.items.map((i: { name: string; dialoguesHeld: number; trained: boolean }) => [i.name, i.trained, i.dialoguesHeld])).toEqual([
        ['Assessor L', true, 0],
        ['Assessor P1', true, 3],
        ['Assessor P2', true, 0],
      ]);
      await db.query('UPDATE performance_dialogues SET acknowledged_at = NULL, acknowledged_by = NULL WHERE id = $1', [s.unacknowledged]);
      expect((await remove(p2Training)).status).toBe(204);
      expect((await stats(s.period.id, { withinUnitId: s.left.id })).body.items.map((i: { trained: boolean; dialoguesHeld: number }) => [i.trained, i.dialoguesHeld])).toEqual([
        [true, 0],
        [true, 2],
        [false, 0],
      ]);
    });

    it('lists the untrained assessors with appraisees and the flagged ones, with both reasons when both hold', async () => {
      const res = await needs(s.period.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          need(s.who.L, 'L', true, 'LENIENT', ['LENIENT'], 5),
          need(s.who.P2, 'P2', false, null, ['UNTRAINED'], 5),
          need(s.who.P3, 'P3', false, null, ['UNTRAINED'], 5),
          need(s.who.Q, 'Q', false, null, ['UNTRAINED'], 2),
          need(s.who.S, 'S', false, 'STRICT', ['UNTRAINED', 'STRICT'], 5),
        ],
        page: 1,
        pageSize: 50,
        total: 5,
      });
      // X assesses only in the other period; there X and L's one appraisal make the report.
      const other = await needs(s.other.id);
      expect(other.body.items).toEqual([need(s.who.X, 'X', false, null, ['UNTRAINED'], 1)]);
    });

    it('lists an untrained assessor of a DRAFT appraisal, and drops them once trained', async () => {
      const p = await period();
      const unit = await createUnit(t);
      const a = await createEmployee(t, { unitId: unit.id, name: 'Assessor Baru' });
      const [row] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status) VALUES ($1, $2, $3, $4, 'DRAFT') RETURNING id`,
        [(await createEmployee(t, { unitId: unit.id })).id, p.id, unit.id, a.id],
      );
      expect(row.id).toBeDefined();
      expect((await needs(p.id)).body.items).toEqual([{ assessor: { id: a.id, nip: a.nip, name: 'Assessor Baru' }, trained: false, flag: null, reasons: ['UNTRAINED'], appraisees: 1 }]);
      const id = await trained(a.id, '2025-10-10');
      expect((await needs(p.id)).body).toMatchObject({ items: [], total: 0 });
      expect((await remove(id)).status).toBe(204);
      expect((await needs(p.id)).body.total).toBe(1);
    });

    it('is scoped like the other period reports: an HR operator sees their subtree, withinUnitId narrows', async () => {
      const hrLeft = auth((await userToken(t, { role: 'HR_OPERATOR', unitId: s.left.id })).token);
      const left = await needs(s.period.id, {}, hrLeft);
      expect(left.status).toBe(200);
      expect(left.body.items).toEqual([
        need(s.who.L, 'L', true, 'LENIENT', ['LENIENT'], 5),
        need(s.who.P2, 'P2', false, null, ['UNTRAINED'], 5),
        need(s.who.Q, 'Q', false, null, ['UNTRAINED'], 2),
      ]);
      const outside = await needs(s.period.id, { withinUnitId: s.right.id }, hrLeft);
      expectProblem(outside, 400);
      expect(outside.body.errors).toEqual([{ field: 'withinUnitId', message: `no unit has the id ${s.right.id}` }]);

      const right = await needs(s.period.id, { withinUnitId: s.right.id });
      expect(right.body).toEqual({
        items: [need(s.who.P3, 'P3', false, null, ['UNTRAINED'], 5), need(s.who.S, 'S', false, 'STRICT', ['UNTRAINED', 'STRICT'], 5)],
        page: 1,
        pageSize: 50,
        total: 2,
      });
      const hrRoot = auth((await userToken(t, { role: 'HR_OPERATOR', unitId: s.root.id })).token);
      expect((await needs(s.period.id, { withinUnitId: s.left.id }, hrRoot)).body.items).toEqual(left.body.items);

      const hrElsewhere = auth((await userToken(t, { role: 'HR_OPERATOR', unitId: (await createUnit(t)).id })).token);
      expect((await needs(s.period.id, {}, hrElsewhere)).body).toMatchObject({ items: [], total: 0 });

      const me = auth((await userToken(t, { role: 'EMPLOYEE', employeeId: s.who.S.id })).token);
      expectProblem(await needs(s.period.id, {}, me), 403);
      const scoresKey = await http().post('/api-keys').set(admin()).send({ name: uniqueCode('key'), scopes: ['scores:read'] });
      expect((await needs(s.period.id, {}, { 'X-API-Key': scoresKey.body.key })).body.total).toBe(5);
    });

    it('pages like every list, and answers 404 for an unknown period and 400 for bad parameters', async () => {
      const page2 = await needs(s.period.id, { page: 2, pageSize: 2 });
      expect(page2.status).toBe(200);
      expect(page2.body).toEqual({
        items: [need(s.who.P3, 'P3', false, null, ['UNTRAINED'], 5), need(s.who.Q, 'Q', false, null, ['UNTRAINED'], 2)],
        page: 2,
        pageSize: 2,
        total: 5,
      });
      expect((await needs(s.period.id, { page: 3, pageSize: 2 })).body.items).toEqual([need(s.who.S, 'S', false, 'STRICT', ['UNTRAINED', 'STRICT'], 5)]);
      expect((await needs(s.period.id, { page: 4, pageSize: 2 })).body).toMatchObject({ items: [], total: 5 });

      expectProblem(await needs(GHOST), 404);
      expectProblem(await needs('not-a-uuid'), 400);
      expectProblem(await needs(s.period.id, { withinUnitId: GHOST }), 400);
      expectProblem(await needs(s.period.id, { pageSize: 201 }), 400);
      expectProblem(await needs(s.period.id, { page: 0 }), 400);
    });
  });
});
