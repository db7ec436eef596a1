import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { witaDate } from '../src/common/time/wita';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { createAppraisal, insertIndicator, insertPeriod, orgChain, setPeriodStatus } from './planning-fixtures';

type Headers = Record<string, string>;
type User = { id: string; token: string };
type Chain = Awaited<ReturnType<typeof orgChain>>;
type Period = Awaited<ReturnType<typeof insertPeriod>>;

/** YYYY-MM-DD plus n days (UTC arithmetic on a calendar date, so no time zone shifts it). */
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Spec §11 (performance dialogue, continuous feedback notes) under the access rules and the separation of duties of §8.
 * The chain of test/planning-fixtures.ts: reviewer ← assessor ← employee, each with an EMPLOYEE user; a colleague of the
 * employee under the same assessor; an HR operator of the unit and one of an unrelated unit. Dialogues need real dates
 * (`heldOn` inside the period and not after today, WITA), so the periods lie around today.
 */
describe('performance dialogue and continuous feedback (e2e, spec §11)', () => {
  let t: TestApp;
  let db: DataSource;
  const today = witaDate();
  let c: Chain;
  /** Around today: OPEN, from 20 days ago to 20 days ahead. */
  let current: Period;
  /** The employee's appraisal in `current`, and the colleague's. */
  let appraisal: { id: string } & Record<string, unknown>;
  let colleagueAppraisal: { id: string };
  let colleague: User;
  let hrIn: User;
  let hrOut: User;
  /** Another employee of the assessor whose one user is an ADMIN (an employee has at most one user). */
  let self: { id: string };
  let selfAdmin: User;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    c = await orgChain(t);
    current = await insertPeriod(t, { start: addDays(today, -20), end: addDays(today, 20) });
    appraisal = await createAppraisal(t, c.employee.id, current.id);
    const colleagueEmployee = await createEmployee(t, { unitId: c.unit.id, name: 'Rekan Kerja', supervisorId: c.assessor.id });
    colleague = await userToken(t, { role: 'EMPLOYEE', employeeId: colleagueEmployee.id });
    colleagueAppraisal = await createAppraisal(t, colleagueEmployee.id, current.id);
    hrIn = await userToken(t, { role: 'HR_OPERATOR', unitId: c.unit.id });
    hrOut = await userToken(t, { role: 'HR_OPERATOR', unitId: (await createUnit(t)).id });
    self = await createEmployee(t, { unitId: c.unit.id, name: 'Admin BKPSDM', supervisorId: c.assessor.id });
    selfAdmin = await userToken(t, { role: 'ADMIN', employeeId: self.id });
  });
  afterAll(() => t.close());

  const as = (user: User | string): Headers => auth(typeof user === 'string' ? user : user.token);
  const admin = () => as(t.adminToken);
  const http = () => t.http();

  /** An API key issued by `user` (an ADMIN), as headers, with its id. */
  async function keyOf(user: User, scopes = ['assessments:write', 'appraisals:read']): Promise<{ id: string; headers: Headers }> {
    const res = await http().post('/api-keys').set(as(user)).send({ name: uniqueCode('key'), scopes });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, headers: { 'X-API-Key': res.body.key as string } };
  }

  const body = (heldOn: string, extra: Record<string, unknown> = {}) => ({
    heldOn,
    topics: ['Capaian izin trayek bulan ini', 'Hambatan verifikasi lapangan'],
    notes: 'Realisasi di atas target; verifikasi lapangan perlu dipercepat.',
    ...extra,
  });
  const record = (appraisalId: string, headers: Headers, b: object) => http().post(`/appraisals/${appraisalId}/dialogues`).set(headers).send(b);
  const acknowledge = (appraisalId: string, dialogueId: string, headers: Headers) =>
    http().post(`/appraisals/${appraisalId}/dialogues/${dialogueId}/acknowledge`).set(headers);
  const writeNote = (appraisalId: string, headers: Headers, b: object) => http().post(`/appraisals/${appraisalId}/feedback-notes`).set(headers).send(b);

  async function recorded(appraisalId: string, headers: Headers, heldOn = today, extra: Record<string, unknown> = {}): Promise<Record<string, unknown> & { id: string }> {
    const res = await record(appraisalId, headers, body(heldOn, extra));
    expect(res.status).toBe(201);
    return res.body as Record<string, unknown> & { id: string };
  }

  const countDialogues = async (appraisalId: string) =>
    (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM performance_dialogues WHERE appraisal_id = $1', [appraisalId]))[0].n;
  const countNotes = async (appraisalId: string) =>
    (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM appraisal_feedback_notes WHERE appraisal_id = $1', [appraisalId]))[0].n;
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

  async function auditOf(entityId: string, action: string) {
    const res = await http().get('/audit-events').query({ entityId, action }).set(admin());
    expect(res.status).toBe(200);
    return res.body.items as Record<string, unknown>[];
  }

  /** A fresh appraisal of the chain's employee (or `employeeId`) in a fresh OPEN period covering the last 30 days. */
  async function freshAppraisal(employeeId = c.employee.id): Promise<{ id: string; period: Period }> {
    const period = await insertPeriod(t, { start: addDays(today, -30), end: today });
    return { id: (await createAppraisal(t, employeeId, period.id)).id, period };
  }

  // ---------------------------------------------------------------------------------------------
  describe('recording a dialogue', () => {
    it("by the assessor: 201, requestedBy ASSESSOR, not acknowledged, the appraisal's assessor", async () => {
      expect(appraisal.assessorId).toBe(c.assessor.id);
      const res = await record(
        appraisal.id,
        as(c.assessorUser),
        body(addDays(today, -3), { topics: ['  Capaian triwulan  '], agreedActions: [{ action: 'Menyusun SOP verifikasi', dueOn: addDays(today, 10) }, { action: 'Rapat evaluasi' }] }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        appraisalId: appraisal.id,
        assessorId: c.assessor.id,
        heldOn: addDays(today, -3),
        topics: ['Capaian triwulan'],
        notes: 'Realisasi di atas target; verifikasi lapangan perlu dipercepat.',
        agreedActions: [
          { action: 'Menyusun SOP verifikasi', dueOn: addDays(today, 10) },
          { action: 'Rapat evaluasi', dueOn: null },
        ],
        requestedBy: 'ASSESSOR',
        recordedBy: c.assessorUser.id,
        recordedAt: expect.any(String),
        acknowledged: false,
        acknowledgedBy: null,
        acknowledgedAt: null,
      });
      const events = await auditOf(res.body.id, 'dialogue.record');
      expect(events).toEqual([expect.objectContaining({ entityType: 'dialogue', actorId: c.assessorUser.id, requestId: res.headers['x-request-id'] })]);
    });

    it('by the appraised employee: requestedBy EMPLOYEE, held today', async () => {
      const d = await recorded(appraisal.id, as(c.employeeUser), today);
      expect(d).toMatchObject({ requestedBy: 'EMPLOYEE', recordedBy: c.employeeUser.id, assessorId: c.assessor.id, heldOn: today, acknowledged: false, agreedActions: [] });
    });

    it('refuses the reviewer and an in-scope HR operator (403 not-your-part) and hides the appraisal from a colleague (404)', async () => {
      const before = await countDialogues(appraisal.id);
      expectProblem(await record(appraisal.id, as(c.reviewerUser), body(today)), 403, 'not-your-part');
      expectProblem(await record(appraisal.id, as(hrIn), body(today)), 403, 'not-your-part');
      expectProblem(await record(appraisal.id, as(colleague), body(today)), 404);
      expectProblem(await record(appraisal.id, as(hrOut), body(today)), 404);
      expect(await countDialogues(appraisal.id)).toBe(before);
    });

    it.each<[string, () => object, string]>([
      ['heldOn before the period', () => body(addDays(current.startDate, -1)), 'heldOn'],
      ['heldOn after today (inside the period)', () => body(addDays(today, 1)), 'heldOn'],
      ['heldOn not a calendar date', () => body('2026-02-30'), 'heldOn'],
      ['an agreed action due before heldOn', () => body(addDays(today, -2), { agreedActions: [{ action: 'Tepat', dueOn: addDays(today, -2) }, { action: 'Terlambat', dueOn: addDays(today, -3) }] }), 'agreedActions.1.dueOn'],
      ['no topics', () => body(today, { topics: [] }), 'topics'],
      ['a null topic', () => body(today, { topics: ['Capaian', null] }), 'topics'],
      ['a blank topic', () => body(today, { topics: ['   '] }), 'topics'],
      ['an unknown field', () => body(today, { mood: 'baik' }), 'mood'],
      ['no notes', () => ({ heldOn: today, topics: ['Capaian'] }), 'notes'],
    ])('refuses %s with 400 naming it', async (_, make, field) => {
      const before = await countDialogues(appraisal.id);
      const res = await record(appraisal.id, as(c.assessorUser), make());
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res).some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
      expect(await countDialogues(appraisal.id)).toBe(before);
    });

    it('refuses heldOn after the end of a past period, though not after today (400)', async () => {
      const past = await insertPeriod(t, { start: addDays(today, -40), end: addDays(today, -10) });
      const a = await createAppraisal(t, c.employee.id, past.id);
      const res = await record(a.id, as(c.assessorUser), body(addDays(past.endDate, 1)));
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res)).toEqual(['heldOn']);
      expect((await record(a.id, as(c.assessorUser), body(past.endDate))).status).toBe(201);
      expect((await record(a.id, as(c.assessorUser), body(past.startDate))).status).toBe(201);
    });

    it.each(['CLOSED', 'PLANNING'])('refuses recording and acknowledging while the period is %s (409 period-not-open)', async (status) => {
      const { id, period } = await freshAppraisal();
      const d = await recorded(id, as(c.assessorUser), addDays(today, -1));
      await setPeriodStatus(t, period.id, status);
      expectProblem(await record(id, as(c.assessorUser), body(addDays(today, -1))), 409, 'period-not-open');
      expectProblem(await record(id, as(c.employeeUser), body(addDays(today, -1))), 409, 'period-not-open');
      expectProblem(await acknowledge(id, d.id, as(c.employeeUser)), 409, 'period-not-open');
      expect(await countDialogues(id)).toBe(1);
      const [row] = await db.query<{ acknowledged_at: Date | null }[]>('SELECT acknowledged_at FROM performance_dialogues WHERE id = $1', [d.id]);
      expect(row.acknowledged_at).toBeNull();
    });

    it('accepts recording while the period is in EVALUATION', async () => {
      const { id, period } = await freshAppraisal();
      await setPeriodStatus(t, period.id, 'EVALUATION');
      expect((await record(id, as(c.assessorUser), body(today))).status).toBe(201);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('acknowledging a dialogue: the other party only', () => {
    it('an assessor-recorded dialogue: not the recorder (four-eyes), not the reviewer or an admin (not-your-part); the employee acknowledges once', async () => {
      const { id } = await freshAppraisal();
      const d = await recorded(id, as(c.assessorUser), addDays(today, -5));
      expectProblem(await acknowledge(id, d.id, as(c.assessorUser)), 403, 'four-eyes');
      expectProblem(await acknowledge(id, d.id, as(c.reviewerUser)), 403, 'not-your-part');
      expectProblem(await acknowledge(id, d.id, admin()), 403, 'not-your-part');
      expectProblem(await acknowledge(id, d.id, as(hrIn)), 403, 'not-your-part');
      expectProblem(await acknowledge(id, d.id, as(colleague)), 404);

      const startedAt = Date.now();
      const res = await acknowledge(id, d.id, as(c.employeeUser));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...d, acknowledged: true, acknowledgedBy: c.employeeUser.id, acknowledgedAt: expect.any(String) });
      const at = Date.parse(res.body.acknowledgedAt as string);
      expect(at).toBeGreaterThanOrEqual(startedAt - 5_000);
      expect(at).toBeLessThanOrEqual(Date.now() + 5_000);

      expectProblem(await acknowledge(id, d.id, as(c.employeeUser)), 409, 'dialogue-acknowledged');
      const listed = await http().get(`/appraisals/${id}/dialogues`).set(as(c.assessorUser));
      expect(listed.body.items).toEqual([res.body]);

      const events = await auditOf(d.id, 'dialogue.acknowledge');
      expect(events).toEqual([
        expect.objectContaining({
          entityType: 'dialogue',
          actorId: c.employeeUser.id,
          before: expect.objectContaining({ acknowledgedAt: null }),
          after: expect.objectContaining({ acknowledgedBy: c.employeeUser.id }),
        }),
      ]);
    });

    it('an employee-recorded dialogue: not the employee (four-eyes), not the reviewer or an HR operator (not-your-part); the assessor acknowledges', async () => {
      const { id } = await freshAppraisal();
      const d = await recorded(id, as(c.employeeUser), addDays(today, -4));
      expect(d.requestedBy).toBe('EMPLOYEE');
      expectProblem(await acknowledge(id, d.id, as(c.employeeUser)), 403, 'four-eyes');
      expectProblem(await acknowledge(id, d.id, as(c.reviewerUser)), 403, 'not-your-part');
      expectProblem(await acknowledge(id, d.id, as(hrIn)), 403, 'not-your-part');
      expectProblem(await acknowledge(id, d.id, as(colleague)), 404);
      const res = await acknowledge(id, d.id, as(c.assessorUser));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: d.id, requestedBy: 'EMPLOYEE', acknowledged: true, acknowledgedBy: c.assessorUser.id });
    });

    it('an unlinked admin acknowledges an employee-recorded dialogue', async () => {
      const { id } = await freshAppraisal();
      const d = await recorded(id, as(c.employeeUser), addDays(today, -4));
      const res = await acknowledge(id, d.id, admin());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ acknowledged: true });
    });

    it('four eyes through the issuer: neither a key of the recording user, nor the user of the recording key, acknowledges', async () => {
      // The appraisal of an employee whose user is an ADMIN: the admin and their keys speak for the employee's side.
      const { id } = await freshAppraisal(self.id);
      const byUser = await recorded(id, as(selfAdmin), addDays(today, -6));
      expect(byUser).toMatchObject({ requestedBy: 'EMPLOYEE', recordedBy: selfAdmin.id, assessorId: c.assessor.id });
      expectProblem(await acknowledge(id, byUser.id, as(selfAdmin)), 403, 'four-eyes');
      expectProblem(await acknowledge(id, byUser.id, (await keyOf(selfAdmin)).headers), 403, 'four-eyes');

      // A key of that admin records; the admin, and another key of theirs, count as its recorder too.
      const key = await keyOf(selfAdmin);
      const byKey = await recorded(id, key.headers, addDays(today, -5));
      expect(byKey).toMatchObject({ requestedBy: 'EMPLOYEE', recordedBy: key.id });
      expectProblem(await acknowledge(id, byKey.id, key.headers), 403, 'four-eyes');
      expectProblem(await acknowledge(id, byKey.id, as(selfAdmin)), 403, 'four-eyes');
      expectProblem(await acknowledge(id, byKey.id, (await keyOf(selfAdmin)).headers), 403, 'four-eyes');

      // An unlinked admin's key records for the assessor's side; neither that admin nor another key of theirs acknowledges it.
      const issuer = await userToken(t, { role: 'ADMIN' });
      const issuerKey = await keyOf(issuer);
      const byIssuerKey = await recorded(id, issuerKey.headers, addDays(today, -4));
      expect(byIssuerKey).toMatchObject({ requestedBy: 'ASSESSOR', recordedBy: issuerKey.id, assessorId: c.assessor.id });
      expectProblem(await acknowledge(id, byIssuerKey.id, as(issuer)), 403, 'four-eyes');
      expectProblem(await acknowledge(id, byIssuerKey.id, (await keyOf(issuer)).headers), 403, 'four-eyes');

      for (const d of [byUser, byKey]) {
        const res = await acknowledge(id, d.id, as(c.assessorUser));
        expect(res.status).toBe(200);
        expect(res.body.acknowledgedBy).toBe(c.assessorUser.id);
      }
      // The appraised employee's side (here their admin user) acknowledges the assessor's side's.
      const res = await acknowledge(id, byIssuerKey.id, as(selfAdmin));
      expect(res.status).toBe(200);
      expect(res.body.acknowledgedBy).toBe(selfAdmin.id);
    });

    it("refuses the assessor's side (own-appraisal) to an assessor whose account an admin linked to the appraisee created, until another admin resets it", async () => {
      // ward ← head; `linkedAdmin` (an ADMIN linked to ward) created head's account, so can sign in as head (spec §8).
      const head = await createEmployee(t, { unitId: c.unit.id, name: 'Kepala Seksi', supervisorId: c.assessor.id });
      const ward = await createEmployee(t, { unitId: c.unit.id, name: 'Staf Seksi', supervisorId: head.id });
      const linkedAdmin = await userToken(t, { role: 'ADMIN', employeeId: ward.id });
      const username = uniqueCode('head').toLowerCase();
      const created = await http().post('/users').set(as(linkedAdmin)).send({ username, password: 'correct-horse-battery', role: 'EMPLOYEE', employeeId: head.id });
      expect(created.status).toBe(201);
      const signIn = async (password: string) => as((await http().post('/auth/login').send({ username, password })).body.accessToken as string);
      let headUser = await signIn('correct-horse-battery');
      const { id } = await freshAppraisal(ward.id);
      expect((await http().get(`/appraisals/${id}`).set(headUser)).body.assessorId).toBe(head.id);

      // Neither recorded as the employee's (which any admin could then acknowledge as the assessor's side) nor as the assessor's.
      expectProblem(await record(id, headUser, body(addDays(today, -3))), 403, 'own-appraisal');
      expect(await countDialogues(id)).toBe(0);
      const byWard = await recorded(id, as(linkedAdmin), addDays(today, -2));
      expect(byWard.requestedBy).toBe('EMPLOYEE');
      expectProblem(await acknowledge(id, byWard.id, headUser), 403, 'own-appraisal');

      // The first admin resets head's password: the linked admin no longer holds the account, and it is the assessor's side again.
      expect((await http().patch(`/users/${created.body.id as string}`).set(admin()).send({ password: 'another-long-password' })).status).toBe(200);
      headUser = await signIn('another-long-password');
      expect((await recorded(id, headUser, addDays(today, -1))).requestedBy).toBe('ASSESSOR');
      expect((await acknowledge(id, byWard.id, headUser)).body).toMatchObject({ acknowledged: true, acknowledgedBy: created.body.id });
    });

    it('answers 404 for an unknown dialogue and for a dialogue of another appraisal', async () => {
      const ofColleague = await recorded(colleagueAppraisal.id, as(c.assessorUser), addDays(today, -2));
      expectProblem(await acknowledge(appraisal.id, randomUUID(), as(c.employeeUser)), 404);
      expectProblem(await acknowledge(appraisal.id, ofColleague.id, as(c.employeeUser)), 404);
      expectProblem(await acknowledge(randomUUID(), ofColleague.id, admin()), 404);
      const [row] = await db.query<{ acknowledged_at: Date | null }[]>('SELECT acknowledged_at FROM performance_dialogues WHERE id = $1', [ofColleague.id]);
      expect(row.acknowledged_at).toBeNull();
      // The colleague's own appraisal: the colleague is the other party there.
      expect((await acknowledge(colleagueAppraisal.id, ofColleague.id, as(colleague))).status).toBe(200);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('listing dialogues', () => {
    it('lists them oldest heldOn first to the employee, the assessor and the reviewer; 404 to a colleague', async () => {
      const { id } = await freshAppraisal();
      const middle = await recorded(id, as(c.assessorUser), addDays(today, -10));
      const newest = await recorded(id, as(c.employeeUser), addDays(today, -2));
      const oldest = await recorded(id, as(c.assessorUser), addDays(today, -20));
      const expected = [oldest.id, middle.id, newest.id];
      for (const who of [c.employeeUser, c.assessorUser, c.reviewerUser, hrIn]) {
        const res = await http().get(`/appraisals/${id}/dialogues`).set(as(who));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ page: 1, total: 3 });
        expect(res.body.items.map((d: { id: string }) => d.id)).toEqual(expected);
      }
      const paged = await http().get(`/appraisals/${id}/dialogues`).query({ pageSize: 1, page: 2 }).set(admin());
      expect(paged.body).toMatchObject({ page: 2, pageSize: 1, total: 3 });
      expect(paged.body.items.map((d: { id: string }) => d.id)).toEqual([middle.id]);
      expectProblem(await http().get(`/appraisals/${id}/dialogues`).set(as(colleague)), 404);
      expectProblem(await http().get(`/appraisals/${id}/dialogues`).set(as(hrOut)), 404);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('GET /periods/{id}/dialogue-gaps', () => {
    // Steps in order on one period: A's employee (aEmp) and assessor (aAss) in unit A, B's employee (bEmp) in unit B.
    let g: Period;
    let a: Chain;
    let b: Chain;
    let hrB: User;
    const ap = {} as Record<'aEmp' | 'aAss' | 'bEmp', string>;
    let gapDialogue: string;

    beforeAll(async () => {
      g = await insertPeriod(t, { start: addDays(today, -45), end: addDays(today, -15) });
      a = await orgChain(t);
      b = await orgChain(t);
      hrB = await userToken(t, { role: 'HR_OPERATOR', unitId: b.unit.id });
      ap.aEmp = (await createAppraisal(t, a.employee.id, g.id)).id;
      ap.aAss = (await createAppraisal(t, a.assessor.id, g.id)).id;
      ap.bEmp = (await createAppraisal(t, b.employee.id, g.id)).id;
    });

    const gaps = (headers: Headers, query: Record<string, unknown> = {}) => http().get(`/periods/${g.id}/dialogue-gaps`).query(query).set(headers);
    const ids = (res: { body: { items: { appraisalId: string }[] } }) => res.body.items.map((i) => i.appraisalId);
    const setMin = async (minDialogues: number) => {
      const res = await http().put(`/periods/${g.id}/policy`).set(admin()).send({ minDialogues });
      expect(res.status).toBe(200);
      expect(res.body.minDialogues).toBe(minDialogues);
    };
    const ref = (e: { id: string; nip: string }, name: string) => ({ id: e.id, nip: e.nip, name });
    /** By employee name, then NIP. */
    const byNameThenNip = () =>
      [
        { id: ap.aEmp, name: 'Pelaksana', nip: a.employee.nip },
        { id: ap.aAss, name: 'Kepala Bidang', nip: a.assessor.nip },
        { id: ap.bEmp, name: 'Pelaksana', nip: b.employee.nip },
      ]
        .sort((x, y) => (x.name === y.name ? (x.nip < y.nip ? -1 : 1) : x.name < y.name ? -1 : 1))
        .map((x) => x.id);

    it('with minDialogues 1 (the default): every appraisal without an acknowledged dialogue, pending ones counted, with its assessor', async () => {
      gapDialogue = (await recorded(ap.aEmp, as(a.assessorUser), addDays(g.startDate, 3))).id;
      const res = await gaps(admin());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, total: 3 });
      expect(ids(res)).toEqual(byNameThenNip());
      const items = res.body.items as { appraisalId: string }[];
      const item = (id: string) => items.find((i) => i.appraisalId === id);
      expect(item(ap.aEmp)).toEqual({
        appraisalId: ap.aEmp,
        employee: ref(a.employee, 'Pelaksana'),
        unitId: a.unit.id,
        assessor: ref(a.assessor, 'Kepala Bidang'),
        acknowledgedDialogues: 0,
        pendingDialogues: 1,
        minDialogues: 1,
      });
      expect(item(ap.aAss)).toMatchObject({ assessor: ref(a.reviewer, 'Kepala Dinas'), acknowledgedDialogues: 0, pendingDialogues: 0, minDialogues: 1 });
      expect(item(ap.bEmp)).toMatchObject({ assessor: ref(b.assessor, 'Kepala Bidang'), acknowledgedDialogues: 0, pendingDialogues: 0 });
    });

    it('drops an appraisal once its dialogue is acknowledged', async () => {
      expect((await acknowledge(ap.aEmp, gapDialogue, as(a.employeeUser))).status).toBe(200);
      const res = await gaps(admin());
      expect(res.body.total).toBe(2);
      expect(ids(res)).toEqual(byNameThenNip().filter((id) => id !== ap.aEmp));
    });

    it('with minDialogues 2 lists it again with one acknowledged dialogue', async () => {
      await setMin(2);
      const res = await gaps(admin());
      expect(res.body.total).toBe(3);
      expect(ids(res)).toEqual(byNameThenNip());
      expect(res.body.items.find((i: { appraisalId: string }) => i.appraisalId === ap.aEmp)).toMatchObject({
        acknowledgedDialogues: 1,
        pendingDialogues: 0,
        minDialogues: 2,
      });
      // A pending second dialogue is not enough.
      const second = await recorded(ap.aEmp, as(a.employeeUser), addDays(g.startDate, 10));
      expect((await gaps(admin(), { assessorId: a.assessor.id })).body.items).toEqual([
        expect.objectContaining({ appraisalId: ap.aEmp, acknowledgedDialogues: 1, pendingDialogues: 1, minDialogues: 2 }),
      ]);
      expect((await acknowledge(ap.aEmp, second.id, as(a.assessorUser))).status).toBe(200);
      expect(ids(await gaps(admin()))).toEqual(byNameThenNip().filter((id) => id !== ap.aEmp));
      await setMin(3);
      expect(ids(await gaps(admin()))).toEqual(byNameThenNip());
      await setMin(2);
    });

    it('narrows by withinUnitId and assessorId, and pages with the total', async () => {
      await setMin(3);
      expect(ids(await gaps(admin(), { withinUnitId: a.unit.id }))).toEqual(byNameThenNip().filter((id) => id !== ap.bEmp));
      expect(ids(await gaps(admin(), { withinUnitId: b.unit.id }))).toEqual([ap.bEmp]);
      expect(ids(await gaps(admin(), { assessorId: a.assessor.id }))).toEqual([ap.aEmp]);
      expect(ids(await gaps(admin(), { assessorId: a.reviewer.id }))).toEqual([ap.aAss]);
      expect(ids(await gaps(admin(), { withinUnitId: b.unit.id, assessorId: a.assessor.id }))).toEqual([]);
      const all = byNameThenNip();
      for (const page of [1, 2, 3]) {
        const res = await gaps(admin(), { pageSize: 1, page });
        expect(res.body).toMatchObject({ page, pageSize: 1, total: 3 });
        expect(ids(res)).toEqual([all[page - 1]]);
      }
      const beyond = await gaps(admin(), { pageSize: 2, page: 3 });
      expect(beyond.body).toMatchObject({ total: 3, items: [] });
      await setMin(2);
    });

    it("shows an HR operator their subtree only", async () => {
      const mine = await gaps(as(hrB));
      expect(mine.status).toBe(200);
      expect(mine.body.total).toBe(1);
      expect(ids(mine)).toEqual([ap.bEmp]);
      const other = await gaps(as(hrOut));
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ total: 0, items: [] });
      expectProblem(await gaps(as(hrB), { withinUnitId: a.unit.id }), 400, 'validation-failed');
    });

    it('with minDialogues 0 lists none', async () => {
      await setMin(0);
      const res = await gaps(admin());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 0, items: [] });
      await setMin(1);
      expect((await gaps(admin())).body.total).toBe(2);
    });

    it('answers 404 for an unknown period, 403 role-not-allowed to an employee, 400 for a bad filter', async () => {
      expectProblem(await http().get(`/periods/${randomUUID()}/dialogue-gaps`).set(admin()), 404);
      expectProblem(await gaps(as(a.assessorUser)), 403, 'role-not-allowed');
      expectProblem(await gaps(as(a.employeeUser)), 403, 'role-not-allowed');
      expectProblem(await gaps(admin(), { assessorId: 'nobody' }), 400, 'validation-failed');
      expectProblem(await gaps(admin(), { withinUnitId: randomUUID() }), 400, 'validation-failed');
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('continuous feedback notes', () => {
    let noteAppraisal: string;

    beforeAll(async () => {
      noteAppraisal = (await freshAppraisal()).id;
    });

    it('the assessor (ASSESSOR) and the reviewer (REVIEWER) write notes; the employee reads them, a colleague gets 404', async () => {
      const byAssessor = await writeNote(noteAppraisal, as(c.assessorUser), { kind: 'PRAISE', note: '  Laporan bulanan tepat waktu.  ' });
      expect(byAssessor.status).toBe(201);
      expect(byAssessor.body).toEqual({
        id: expect.any(String),
        appraisalId: noteAppraisal,
        kind: 'PRAISE',
        note: 'Laporan bulanan tepat waktu.',
        author: 'ASSESSOR',
        writtenBy: c.assessorUser.id,
        writtenAt: expect.any(String),
      });
      const byReviewer = await writeNote(noteAppraisal, as(c.reviewerUser), { kind: 'CONCERN', note: 'Bukti dukung belum lengkap.' });
      expect(byReviewer.status).toBe(201);
      expect(byReviewer.body).toMatchObject({ kind: 'CONCERN', author: 'REVIEWER', writtenBy: c.reviewerUser.id });
      const byAdmin = await writeNote(noteAppraisal, admin(), { kind: 'GUIDANCE', note: 'Lampirkan foto lapangan.' });
      expect(byAdmin.status).toBe(201);
      expect(byAdmin.body.author).toBe('ADMIN');

      const read = await http().get(`/appraisals/${noteAppraisal}/feedback-notes`).set(as(c.employeeUser));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ page: 1, total: 3 });
      expect(read.body.items).toEqual([byAssessor.body, byReviewer.body, byAdmin.body]);
      expect((await http().get(`/appraisals/${noteAppraisal}/feedback-notes`).set(as(hrIn))).body.total).toBe(3);
      expectProblem(await http().get(`/appraisals/${noteAppraisal}/feedback-notes`).set(as(colleague)), 404);
      expectProblem(await http().get(`/appraisals/${noteAppraisal}/feedback-notes`).set(as(hrOut)), 404);

      const events = await auditOf(byAssessor.body.id as string, 'feedback-note.write');
      expect(events).toEqual([expect.objectContaining({ entityType: 'feedback-note', actorId: c.assessorUser.id, after: expect.objectContaining({ kind: 'PRAISE' }) })]);
    });

    it('the colleague reads their own notes, not the employee', async () => {
      const note = await writeNote(colleagueAppraisal.id, as(c.assessorUser), { kind: 'GUIDANCE', note: 'Perbaiki format laporan.' });
      expect(note.status).toBe(201);
      const own = await http().get(`/appraisals/${colleagueAppraisal.id}/feedback-notes`).set(as(colleague));
      expect(own.status).toBe(200);
      expect(own.body.items.map((n: { id: string }) => n.id)).toContain(note.body.id);
      expectProblem(await http().get(`/appraisals/${colleagueAppraisal.id}/feedback-notes`).set(as(c.employeeUser)), 404);
    });

    it('refuses the employee (own-appraisal), an in-scope HR operator (not-your-part); 404 to a colleague', async () => {
      const before = await countNotes(noteAppraisal);
      const note = { kind: 'PRAISE', note: 'Saya bekerja dengan baik.' };
      expectProblem(await writeNote(noteAppraisal, as(c.employeeUser), note), 403, 'own-appraisal');
      expectProblem(await writeNote(noteAppraisal, as(hrIn), note), 403, 'not-your-part');
      expectProblem(await writeNote(noteAppraisal, as(colleague), note), 404);
      expect(await countNotes(noteAppraisal)).toBe(before);
    });

    it('refuses an admin linked to the appraised employee, and a key they issued, on that appraisal only (own-appraisal)', async () => {
      const { id } = await freshAppraisal(self.id);
      const note = { kind: 'PRAISE', note: 'Catatan untuk diri sendiri.' };
      const key = await keyOf(selfAdmin);
      expectProblem(await writeNote(id, as(selfAdmin), note), 403, 'own-appraisal');
      expectProblem(await writeNote(id, key.headers, note), 403, 'own-appraisal');
      expect(await countNotes(id)).toBe(0);
      const onOther = await writeNote(noteAppraisal, key.headers, { kind: 'GUIDANCE', note: 'Catatan dari sistem.' });
      expect(onOther.status).toBe(201);
      expect(onOther.body).toMatchObject({ author: 'ADMIN', writtenBy: key.id });
    });

    it.each<[string, object, string]>([
      ['an unknown kind', { kind: 'NOTE', note: 'Catatan' }, 'kind'],
      ['no kind', { note: 'Catatan' }, 'kind'],
      ['an empty note', { kind: 'PRAISE', note: '' }, 'note'],
      ['a blank note', { kind: 'PRAISE', note: '   ' }, 'note'],
      ['a note over 2000 characters', { kind: 'PRAISE', note: 'x'.repeat(2001) }, 'note'],
      ['an unknown field', { kind: 'PRAISE', note: 'Catatan', score: 100 }, 'score'],
    ])('refuses %s with 400 naming it', async (_, b, field) => {
      const before = await countNotes(noteAppraisal);
      const res = await writeNote(noteAppraisal, as(c.assessorUser), b);
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res)).toContain(field);
      expect(await countNotes(noteAppraisal)).toBe(before);
    });

    it('accepts a note of exactly 2000 characters', async () => {
      const res = await writeNote(noteAppraisal, as(c.reviewerUser), { kind: 'GUIDANCE', note: 'y'.repeat(2000) });
      expect(res.status).toBe(201);
      expect(res.body.note).toHaveLength(2000);
    });

    it.each(['CLOSED', 'PLANNING'])('refuses a note while the period is %s (409 period-not-open)', async (status) => {
      const { id, period } = await freshAppraisal();
      await setPeriodStatus(t, period.id, status);
      expectProblem(await writeNote(id, as(c.assessorUser), { kind: 'PRAISE', note: 'Terlambat' }), 409, 'period-not-open');
      expectProblem(await writeNote(id, as(c.reviewerUser), { kind: 'PRAISE', note: 'Terlambat' }), 409, 'period-not-open');
      expect(await countNotes(id)).toBe(0);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('notes and dialogues never change a score', () => {
    it('leaves no recalculation mark and the input digest unchanged, through a real recalculation', async () => {
      const recalculation = t.app.get(RecalculationService);
      const { id, period } = await freshAppraisal();
      // One target of weight 100 with a verified achievement: the real ScoreCalculator scores it.
      const indicator = await insertIndicator(t);
      const [target] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100) RETURNING id`,
        [id, indicator.id],
      );
      await db.query(`UPDATE appraisals SET status = 'AGREED' WHERE id = $1`, [id]);
      const achieve = (value: number, day: number) =>
        db.query(
          `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, $3, $4, 'VERIFIED', $5)`,
          [target.id, id, value, addDays(period.startDate, day), c.employee.id],
        );
      await achieve(8, 1);
      expect(await recalculation.recalculatePeriod(period.id)).toBe(1);

      const stored = async () => {
        const [row] = await db.query<{ input_digest: string | null; computed_at: Date; result_score: string; version: string }[]>(
          'SELECT input_digest, computed_at, result_score, xmin::text AS version FROM appraisal_scores WHERE appraisal_id = $1',
          [id],
        );
        return { digest: row.input_digest, computedAt: row.computed_at.toISOString(), resultScore: Number(row.result_score), version: row.version };
      };
      const marks = async () =>
        (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM score_recalculation_marks WHERE appraisal_id = $1', [id]))[0].n;
      const before = await stored();
      expect(before.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(before.resultScore).toBe(80);
      expect(await marks()).toBe(0);
      const scoreBefore = await http().get(`/appraisals/${id}/score`).set(admin());
      expect(scoreBefore.status).toBe(200);

      for (const [who, kind] of [
        [c.assessorUser, 'PRAISE'],
        [c.reviewerUser, 'CONCERN'],
        [t.adminToken, 'GUIDANCE'],
      ] as const) {
        expect((await writeNote(id, as(who), { kind, note: `Catatan ${kind}` })).status).toBe(201);
      }
      const fromAssessor = await recorded(id, as(c.assessorUser), addDays(today, -3));
      const fromEmployee = await recorded(id, as(c.employeeUser), addDays(today, -1));
      expect((await acknowledge(id, fromAssessor.id, as(c.employeeUser))).status).toBe(200);
      expect((await acknowledge(id, fromEmployee.id, as(c.assessorUser))).status).toBe(200);

      expect(await marks()).toBe(0);
      expect(await stored()).toEqual(before);
      // A real recalculation of the period finds the same inputs: same digest, the row not even rewritten.
      expect(await recalculation.recalculatePeriod(period.id)).toBe(1);
      expect(await stored()).toEqual(before);
      expect((await http().get(`/appraisals/${id}/score`).set(admin())).body).toEqual(scoreBefore.body);

      // The control: a real input change does move the digest and the score.
      await achieve(1, 2);
      await recalculation.recalculatePeriod(period.id);
      const after = await stored();
      expect(after.digest).not.toBe(before.digest);
      expect(after.resultScore).toBe(90);
    });
  });
});
