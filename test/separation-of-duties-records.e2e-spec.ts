import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { witaDate } from '../src/common/time/wita';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, employeeImportRow, expectProblem, pnsNip, userToken } from './factories';
import { insertFeedback } from './feedback-fixtures';
import { insertPeriod } from './planning-fixtures';

type Headers = Record<string, string>;

const ANSWERS = { U1: 4, U2: 4, U3: 3, U4: 4, U5: 3, U6: 4, U7: 4, U8: 3, U9: 4 };
const ISSUER_CAP = 4;
const OFFICER_CAP = 3;
const IP_LIMIT = 2;

const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** Seconds from now until the next midnight WITA (UTC+8). */
const untilWitaMidnight = () => (Date.parse(`${witaDate(new Date(Date.now() + 86_400_000))}T00:00:00+08:00`) - Date.now()) / 1000;

describe('separation of duties: own records, own feedback, ticket caps (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: 'loopback',
      FEEDBACK_IP_LIMIT: String(IP_LIMIT),
      FEEDBACK_TICKETS_PER_ISSUER_DAY: String(ISSUER_CAP),
      FEEDBACK_TICKETS_PER_OFFICER_DAY: String(OFFICER_CAP),
    });
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);
  const row = async (id: string) => (await db.query('SELECT * FROM employees WHERE id = $1', [id]))[0] as Record<string, unknown>;
  const penalties = async (id: string) =>
    (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM employee_penalties WHERE employee_id = $1', [id]))[0].n;
  const auditBy = async (userId: string) =>
    (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1', [userId]))[0].n;
  const tickets = async (where: string, id: string) =>
    (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM service_tickets WHERE ${where} = $1`, [id]))[0].n;
  const issue = (headers: Headers, body: object) => t.http().post('/public-feedback/tickets').set(headers).send(body);
  /** A fresh ticket issuer: the admin's tickets of the day, from other files too, would count against the small cap. */
  const ticketKey = async (): Promise<Headers> => ({ 'X-API-Key': (await apiKey(t, ['feedback:tickets'])).key });

  /** A unit under a parent, its head, a colleague, and the employee the caller is linked to. */
  async function office() {
    const parent = await createUnit(t);
    const unit = await createUnit(t, { parentId: parent.id, publicService: true });
    const other = await createUnit(t, { parentId: parent.id });
    const head = await createEmployee(t, { unitId: unit.id, jobType: 'PENGAWAS', rank: 'III/d' });
    const me = await createEmployee(t, { unitId: unit.id, supervisorId: head.id });
    const colleague = await createEmployee(t, { unitId: unit.id, supervisorId: head.id });
    return { parent, unit, other, head, me, colleague };
  }

  async function linkedCaller(role: 'ADMIN' | 'HR_OPERATOR', o: Awaited<ReturnType<typeof office>>) {
    const user = await userToken(t, { role, employeeId: o.me.id, ...(role === 'HR_OPERATOR' ? { unitId: o.parent.id } : {}) });
    return { ...user, headers: auth(user.token) };
  }

  describe.each(['ADMIN', 'HR_OPERATOR'] as const)('an %s linked to an employee (own-record, rule 4)', (role) => {
    let o: Awaited<ReturnType<typeof office>>;
    let caller: Awaited<ReturnType<typeof linkedCaller>>;
    beforeAll(async () => {
      o = await office();
      caller = await linkedCaller(role, o);
    });

    /** The caller's record, penalties and audit trail are exactly as before the refused request. */
    async function expectRefusedAndUntouched(send: () => Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>) {
      const [before, penaltiesBefore, auditBefore] = [await row(o.me.id), await penalties(o.me.id), await auditBy(caller.id)];
      expectProblem(await send(), 403, 'own-record');
      expect(await row(o.me.id)).toEqual(before);
      expect(await penalties(o.me.id)).toBe(penaltiesBefore);
      expect(await auditBy(caller.id)).toBe(auditBefore);
    }

    it.each<[string, (o: Awaited<ReturnType<typeof office>>) => object]>([
      ['rank', () => ({ rank: 'III/b' })],
      ['rankSince (backdated)', () => ({ rankSince: '2010-04-01' })],
      ['jobType', () => ({ jobType: 'FUNGSIONAL' })],
      ['employmentType', () => ({ employmentType: 'PPPK', rank: 'IX' })],
      ['unit by id', (x) => ({ unitId: x.other.id })],
      ['unit by code', (x) => ({ unitCode: x.other.code })],
      ['supervisor by id', (x) => ({ supervisorId: x.colleague.id })],
      ['supervisor by NIP', (x) => ({ supervisorNip: x.colleague.nip })],
      ['supervisor removed', () => ({ supervisorId: null })],
      ['status', () => ({ status: 'INACTIVE' })],
      ['rank sent with a new name', () => ({ name: 'Nama Baru', rank: 'III/c' })],
    ])('refuses PATCH of their own %s with 403 and changes nothing', async (_, body) => {
      await expectRefusedAndUntouched(() => t.http().patch(`/employees/${o.me.id}`).set(caller.headers).send(body(o)));
    });

    it('refuses their own potential and penalties', async () => {
      await expectRefusedAndUntouched(() => t.http().put(`/employees/${o.me.id}/potential`).set(caller.headers).send({ potential: 'HIGH' }));
      await expectRefusedAndUntouched(() =>
        t.http().post(`/employees/${o.me.id}/penalties`).set(caller.headers).send({ level: 'LIGHT', imposedOn: '2026-03-02', description: 'Teguran lisan' }),
      );
    });

    it('still edits other fields of their own record, and restating the protected ones is no change', async () => {
      const res = await t.http().patch(`/employees/${o.me.id}`).set(caller.headers).send({ name: 'I Made Benar', rank: 'III/a', unitId: o.unit.id, status: 'ACTIVE' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'I Made Benar', rank: 'III/a', unitId: o.unit.id, supervisorId: o.head.id });
    });

    it("edits someone else's rank, potential and penalties as before", async () => {
      const rank = await t.http().patch(`/employees/${o.colleague.id}`).set(caller.headers).send({ rank: 'III/b', rankSince: '2025-04-01' });
      expect(rank.status).toBe(200);
      expect(rank.body).toMatchObject({ rank: 'III/b', rankSince: '2025-04-01' });
      expect((await t.http().put(`/employees/${o.colleague.id}/potential`).set(caller.headers).send({ potential: 'HIGH' })).body.potential).toBe('HIGH');
      const penalty = await t.http().post(`/employees/${o.colleague.id}/penalties`).set(caller.headers).send({ level: 'LIGHT', imposedOn: '2026-03-02', description: 'Teguran lisan' });
      expect(penalty.status).toBe(201);
    });

    describe('import', () => {
      const importRow = employeeImportRow;
      const read = async (id: string) => (await t.http().get(`/employees/${id}`).set(admin())).body as Record<string, unknown>;
      const importRows = (employees: object[], atomic = false) =>
        t.http().post(`/employees/import${atomic ? '?atomic=true' : ''}`).set(caller.headers).send({ employees });

      it.each<[string, (o: Awaited<ReturnType<typeof office>>) => object]>([
        ['rank', () => ({ rank: 'IV/a' })],
        ['rankSince', () => ({ rankSince: '2011-10-01' })],
        ['jobType', () => ({ jobType: 'ADMINISTRATOR' })],
        ['employmentType', () => ({ employmentType: 'PPPK', rank: 'X' })],
        ['unit', (x) => ({ unitCode: x.other.code })],
        ['supervisor', (x) => ({ supervisorNip: x.colleague.nip })],
      ])('fails a row changing their own %s as a row error; the other rows are written', async (_, changes) => {
        const [me, colleague] = [await read(o.me.id), await read(o.colleague.id)];
        const [before, auditBefore] = [await row(o.me.id), await auditBy(caller.id)];
        const res = await importRows([
          importRow(colleague, o.unit.code, o.head.nip, { positionTitle: `Analis ${randomInt(1e6)}` }),
          importRow(me, o.unit.code, o.head.nip, { name: 'Nama Lain', ...changes(o) }),
        ]);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
        expect(res.body.errors).toEqual([{ index: 1, key: o.me.nip, message: expect.stringMatching(/^own-record: /) }]);
        expect(await row(o.me.id)).toEqual(before);
        expect(await auditBy(caller.id)).toBe(auditBefore + 1);
      });

      it('with atomic=true a row changing their own rank rejects the whole import', async () => {
        const [me, colleague] = [await read(o.me.id), await read(o.colleague.id)];
        const [mine, theirs] = [await row(o.me.id), await row(o.colleague.id)];
        const auditBefore = await auditBy(caller.id);
        const res = await importRows([importRow(colleague, o.unit.code, o.head.nip, { name: 'Tidak Ditulis' }), importRow(me, o.unit.code, o.head.nip, { rank: 'IV/b' })], true);
        expectProblem(res, 400, 'import-rejected');
        expect(res.body.rowErrors).toEqual([{ index: 1, key: o.me.nip, message: expect.stringMatching(/^own-record: /) }]);
        expect([await row(o.me.id), await row(o.colleague.id)]).toEqual([mine, theirs]);
        expect(await auditBy(caller.id)).toBe(auditBefore);
      });

      it('writes a row about their own record that changes only other fields', async () => {
        const me = await read(o.me.id);
        const res = await importRows([importRow(me, o.unit.code, o.head.nip, { name: 'Nama Dari Impor' })], true);
        expect(res.body).toEqual({ created: 0, updated: 1, unchanged: 0, errors: [] });
        expect((await read(o.me.id)).name).toBe('Nama Dari Impor');
      });
    });
  });

  describe('own feedback and tickets (rule 5)', () => {
    it.each(['ADMIN', 'HR_OPERATOR'] as const)('an %s cannot publish or reject feedback about themselves; another moderator can', async (role) => {
      const o = await office();
      const caller = await linkedCaller(role, o);
      const [held] = await insertFeedback(t, { unitId: o.unit.id, employeeId: o.me.id, status: 'HELD', submittedOn: witaDate() });
      const [published] = await insertFeedback(t, { unitId: o.unit.id, employeeId: o.me.id, status: 'PUBLISHED', submittedOn: witaDate() });
      const moderate = (id: string, action: string, headers: Headers) => t.http().post(`/public-feedback/${id}/${action}`).set(headers).send({});
      const auditBefore = await auditBy(caller.id);
      expectProblem(await moderate(held, 'publish', caller.headers), 403, 'own-feedback');
      expectProblem(await moderate(held, 'reject', caller.headers), 403, 'own-feedback');
      expectProblem(await moderate(published, 'reject', caller.headers), 403, 'own-feedback');
      const statuses = await db.query<{ id: string; status: string; moderated_by: string | null }[]>(
        'SELECT id, status::text, moderated_by FROM public_feedback WHERE id = ANY($1) ORDER BY status::text',
        [[held, published]],
      );
      expect(statuses).toEqual([
        { id: held, status: 'HELD', moderated_by: null },
        { id: published, status: 'PUBLISHED', moderated_by: null },
      ]);
      expect(await auditBy(caller.id)).toBe(auditBefore);

      // Feedback about someone else, or about a unit only, outside the index of their own unit is theirs to moderate;
      // and another moderator takes theirs.
      const elsewhere = await createEmployee(t, { unitId: o.other.id });
      const [aboutOther] = await insertFeedback(t, { unitId: o.other.id, employeeId: elsewhere.id, status: 'HELD', submittedOn: witaDate() });
      const [aboutUnit] = await insertFeedback(t, { unitId: o.other.id, status: 'HELD', submittedOn: witaDate() });
      expect((await moderate(aboutOther, 'publish', caller.headers)).body.status).toBe('PUBLISHED');
      expect((await moderate(aboutUnit, 'reject', caller.headers)).body.status).toBe('REJECTED');
      expect((await moderate(held, 'publish', admin())).body.status).toBe('PUBLISHED');
    });

    it.each(['ADMIN', 'HR_OPERATOR'] as const)(
      'an %s cannot moderate feedback counted in the service index of their own unit (spec §5.3), whoever it names',
      async (role) => {
        // root ← service (publicService) ← desk (where the caller works: its nearest publicService unit is `service`)
        //                                 ← nested (publicService: its own index, and inside service's subtree too)
        //      ← sibling (publicService: another index)
        const root = await createUnit(t);
        const service = await createUnit(t, { parentId: root.id, publicService: true });
        const desk = await createUnit(t, { parentId: service.id });
        const nested = await createUnit(t, { parentId: service.id, publicService: true });
        const sibling = await createUnit(t, { parentId: root.id, publicService: true });
        const me = await createEmployee(t, { unitId: desk.id });
        const colleague = await createEmployee(t, { unitId: nested.id });
        const user = await userToken(t, { role, employeeId: me.id, ...(role === 'HR_OPERATOR' ? { unitId: root.id } : {}) });
        const headers = auth(user.token);
        const moderate = (id: string, action: string, h: Headers) => t.http().post(`/public-feedback/${id}/${action}`).set(h).send({});
        const today = witaDate();
        const auditBefore = await auditBy(user.id);

        const counted: string[] = [];
        for (const [unitId, employeeId] of [[service.id, null], [desk.id, null], [nested.id, colleague.id]] as const) {
          const [published] = await insertFeedback(t, { unitId, employeeId, status: 'PUBLISHED', submittedOn: today });
          const [held] = await insertFeedback(t, { unitId, employeeId, status: 'HELD', submittedOn: today });
          counted.push(published, held);
          const res = await moderate(published, 'reject', headers);
          expectProblem(res, 403, 'own-feedback');
          expect(res.body.detail).toMatch(/service index of their own unit/);
          expectProblem(await moderate(held, 'publish', headers), 403, 'own-feedback');
          expectProblem(await moderate(held, 'reject', headers), 403, 'own-feedback');
        }
        const stored = await db.query<{ status: string; moderated_by: string | null }[]>(
          'SELECT status::text, moderated_by FROM public_feedback WHERE id = ANY($1) ORDER BY status::text',
          [counted],
        );
        expect(stored).toEqual([...Array(3).fill({ status: 'HELD', moderated_by: null }), ...Array(3).fill({ status: 'PUBLISHED', moderated_by: null })]);
        expect(await auditBy(user.id)).toBe(auditBefore);

        // Another unit's index is theirs to moderate; another moderator takes the refused ones.
        const [there] = await insertFeedback(t, { unitId: sibling.id, status: 'PUBLISHED', submittedOn: today });
        const [heldThere] = await insertFeedback(t, { unitId: sibling.id, status: 'HELD', submittedOn: today });
        expect((await moderate(there, 'reject', headers)).body.status).toBe('REJECTED');
        expect((await moderate(heldThere, 'publish', headers)).body.status).toBe('PUBLISHED');
        expect((await moderate(counted[0], 'reject', admin())).body.status).toBe('REJECTED');
      },
    );

    it('follows the unit an appraisal of the period took: a moved moderator still cannot moderate their former unit', async () => {
      const service = await createUnit(t, { publicService: true });
      const now = await createUnit(t, { publicService: true });
      const me = await createEmployee(t, { unitId: service.id });
      const today = witaDate();
      const period = await insertPeriod(t, { start: today, end: today });
      await db.query(`INSERT INTO appraisals (employee_id, period_id, unit_id, status) VALUES ($1, $2, $3, 'AGREED')`, [me.id, period.id, service.id]);
      expect((await t.http().patch(`/employees/${me.id}`).set(admin()).send({ unitId: now.id })).status).toBe(200);
      const user = await userToken(t, { role: 'ADMIN', employeeId: me.id });
      const [before] = await insertFeedback(t, { unitId: service.id, status: 'PUBLISHED', submittedOn: today });
      const [older] = await insertFeedback(t, { unitId: service.id, status: 'PUBLISHED', submittedOn: '2001-01-01' });
      const [current] = await insertFeedback(t, { unitId: now.id, status: 'PUBLISHED', submittedOn: '2001-01-01' });
      const reject = (id: string) => t.http().post(`/public-feedback/${id}/reject`).set(auth(user.token)).send({});
      expectProblem(await reject(before), 403, 'own-feedback');
      expectProblem(await reject(current), 403, 'own-feedback');
      // Feedback on the former unit from a date none of their appraisals covers moves none of their scores.
      expect((await reject(older)).body.status).toBe('REJECTED');
    });

    it.each(['ADMIN', 'HR_OPERATOR'] as const)('an %s cannot issue a service ticket naming themselves', async (role) => {
      const o = await office();
      const caller = await linkedCaller(role, o);
      const auditBefore = await auditBy(caller.id);
      expectProblem(await issue(caller.headers, { unitCode: o.unit.code, employeeNip: o.me.nip }), 403, 'own-feedback');
      expect(await tickets('employee_id', o.me.id)).toBe(0);
      expect(await auditBy(caller.id)).toBe(auditBefore);
      expect((await issue(caller.headers, { unitCode: o.unit.code, employeeNip: o.colleague.nip })).status).toBe(201);
      expect((await issue(caller.headers, { unitCode: o.unit.code })).status).toBe(201);
      expect((await issue(await ticketKey(), { unitCode: o.unit.code, employeeNip: o.me.nip })).status).toBe(201);
    });

    it('a ticket naming no officer cannot make feedback about one VERIFIED, so neither the rule nor the cap is sidestepped', async () => {
      const o = await office();
      const caller = await linkedCaller('HR_OPERATOR', o);
      const submit = (body: object) => t.http().post('/public-feedback').set('X-Forwarded-For', newIp()).send({ unitCode: o.unit.code, channel: 'WEB', answers: ANSWERS, ...body });
      const unitTicket = (await issue(caller.headers, { unitCode: o.unit.code })).body as { id: string; ticket: string };
      for (const employeeNip of [o.me.nip, o.colleague.nip, pnsNip()]) {
        const res = await submit({ serviceTicket: unitTicket.ticket, employeeNip });
        expectProblem(res, 400);
        expect(res.body.errors).toEqual([{ field: 'employeeNip', message: expect.stringContaining('names no officer') }]);
      }
      expect(await db.query('SELECT used_at FROM service_tickets WHERE id = $1', [unitTicket.id])).toEqual([{ used_at: null }]);
      const forColleague = (await issue(caller.headers, { unitCode: o.unit.code, employeeNip: o.colleague.nip })).body.ticket;
      expectProblem(await submit({ serviceTicket: forColleague, employeeNip: pnsNip() }), 400);
      const aboutColleague = await submit({ serviceTicket: forColleague, employeeNip: o.colleague.nip });
      const aboutUnit = await submit({ serviceTicket: unitTicket.ticket });
      const stored = await db.query('SELECT id, employee_id, status::text FROM public_feedback WHERE id = ANY($1)', [[aboutColleague.body.receiptId, aboutUnit.body.receiptId]]);
      expect(stored).toEqual(
        expect.arrayContaining([
          { id: aboutColleague.body.receiptId, employee_id: o.colleague.id, status: 'VERIFIED' },
          { id: aboutUnit.body.receiptId, employee_id: null, status: 'VERIFIED' },
        ]),
      );
      expect(stored).toHaveLength(2);
    });

    it('answers 404, not 403, to an HR operator out of scope moderating feedback about themselves', async () => {
      const o = await office();
      const hr = await userToken(t, { role: 'HR_OPERATOR', employeeId: o.me.id, unitId: o.other.id });
      const [held] = await insertFeedback(t, { unitId: o.unit.id, employeeId: o.me.id, status: 'HELD', submittedOn: witaDate() });
      for (const action of ['publish', 'reject']) {
        expectProblem(await t.http().post(`/public-feedback/${held}/${action}`).set(auth(hr.token)).send({}), 404, 'not-found');
      }
      expect(await db.query('SELECT status::text, moderated_by FROM public_feedback WHERE id = $1', [held])).toEqual([{ status: 'HELD', moderated_by: null }]);
      expect(await auditBy(hr.id)).toBe(0);
    });

    it('records the issuing user or API key on every ticket', async () => {
      const o = await office();
      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: o.parent.id });
      const key = await apiKey(t, ['feedback:tickets']);
      const byUser = await issue(auth(hr.token), { unitCode: o.unit.code, employeeNip: o.colleague.nip });
      const byKey = await issue({ 'X-API-Key': key.key }, { unitCode: o.unit.code });
      const issuers = await db.query<{ id: string; issuer_id: string }[]>('SELECT id, issuer_id FROM service_tickets WHERE id = ANY($1)', [[byUser.body.id, byKey.body.id]]);
      expect(Object.fromEntries(issuers.map((r) => [r.id, r.issuer_id]))).toEqual({ [byUser.body.id]: hr.id, [byKey.body.id]: key.id });
    });
  });

  describe('daily ticket caps (rule 5)', () => {
    const expectCapped = (res: { status: number; headers: Headers; body: Record<string, unknown> }) => {
      expectProblem(res, 429, 'ticket-rate-limited');
      const retryAfter = Number(res.headers['retry-after']);
      expect(Math.abs(retryAfter - untilWitaMidnight())).toBeLessThan(5);
      expect(res.body.retryAfter).toBe(retryAfter);
    };

    it(`lets one issuer issue ${ISSUER_CAP} tickets per WITA day, then 429 until midnight WITA`, async () => {
      const o = await office();
      const key = await ticketKey();
      for (let i = 0; i < ISSUER_CAP; i++) expect((await issue(key, { unitCode: o.unit.code })).status).toBe(201);
      expectCapped(await issue(key, { unitCode: o.unit.code }));
      expectCapped(await issue(key, { unitCode: o.unit.code, employeeNip: o.colleague.nip }));
      // Another issuer is not affected; yesterday's tickets do not count.
      expect((await issue(await ticketKey(), { unitCode: o.unit.code })).status).toBe(201);
      await db.query(`UPDATE service_tickets SET created_at = created_at - interval '1 day' WHERE unit_id = $1`, [o.unit.id]);
      expect((await issue(key, { unitCode: o.unit.code })).status).toBe(201);
    });

    it(`lets ${OFFICER_CAP} tickets a WITA day name one officer, whoever issues them`, async () => {
      const o = await office();
      const issuers = await Promise.all(Array.from({ length: OFFICER_CAP + 1 }, ticketKey));
      for (const key of issuers.slice(0, OFFICER_CAP)) expect((await issue(key, { unitCode: o.unit.code, employeeNip: o.colleague.nip })).status).toBe(201);
      const last = issuers[OFFICER_CAP];
      expectCapped(await issue(last, { unitCode: o.unit.code, employeeNip: o.colleague.nip }));
      expect(await tickets('employee_id', o.colleague.id)).toBe(OFFICER_CAP);
      // Other officers and the unit itself still get tickets from the same issuer.
      expect((await issue(last, { unitCode: o.unit.code, employeeNip: o.head.nip })).status).toBe(201);
      expect((await issue(last, { unitCode: o.unit.code })).status).toBe(201);
      await db.query(`UPDATE service_tickets SET created_at = created_at - interval '1 day' WHERE employee_id = $1`, [o.colleague.id]);
      expect((await issue(last, { unitCode: o.unit.code, employeeNip: o.colleague.nip })).status).toBe(201);
    });

    it('does not count a ticket refused for its officer (another unit, unknown NIP) towards either cap', async () => {
      const o = await office();
      const elsewhere = await createEmployee(t, { unitId: o.other.id });
      const key = await apiKey(t, ['feedback:tickets']);
      const headers = { 'X-API-Key': key.key };
      const refusedBodies = [
        { unitCode: o.unit.code, employeeNip: elsewhere.nip },
        { unitCode: o.unit.code, employeeNip: pnsNip() },
        { unitCode: o.other.code, employeeNip: o.colleague.nip },
      ];
      for (let i = 0; i <= ISSUER_CAP; i++) {
        for (const body of refusedBodies) {
          const res = await issue(headers, body);
          expectProblem(res, 400, 'validation-failed');
          expect(res.body.errors).toEqual([expect.objectContaining({ field: 'employeeNip' })]);
        }
      }
      expect(await tickets('issuer_id', key.id)).toBe(0);
      // Both caps are still whole: OFFICER_CAP tickets naming the colleague, then the rest of the issuer's day.
      for (let i = 0; i < OFFICER_CAP; i++) expect((await issue(headers, { unitCode: o.unit.code, employeeNip: o.colleague.nip })).status).toBe(201);
      expectCapped(await issue(headers, { unitCode: o.unit.code, employeeNip: o.colleague.nip }));
      for (let i = OFFICER_CAP; i < ISSUER_CAP; i++) expect((await issue(headers, { unitCode: o.unit.code })).status).toBe(201);
      expectCapped(await issue(headers, { unitCode: o.unit.code }));
    });

    it('admits exactly the issuer cap when ten requests arrive at once', async () => {
      const o = await office();
      const key = await apiKey(t, ['feedback:tickets']);
      const results = await Promise.all(Array.from({ length: 10 }, () => issue({ 'X-API-Key': key.key }, { unitCode: o.unit.code })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(ISSUER_CAP);
      for (const r of results.filter((r) => r.status !== 201)) expectProblem(r, 429, 'ticket-rate-limited');
      expect(await tickets('issuer_id', key.id)).toBe(ISSUER_CAP);
    });

    it('admits exactly the officer cap when ten issuers name one officer at once', async () => {
      const o = await office();
      const keys = await Promise.all(Array.from({ length: 10 }, () => apiKey(t, ['feedback:tickets'])));
      const results = await Promise.all(keys.map((k) => issue({ 'X-API-Key': k.key }, { unitCode: o.unit.code, employeeNip: o.colleague.nip })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(OFFICER_CAP);
      for (const r of results.filter((r) => r.status !== 201)) expectProblem(r, 429, 'ticket-rate-limited');
      expect(await tickets('employee_id', o.colleague.id)).toBe(OFFICER_CAP);
    });
  });

  describe('public intake is no NIP oracle', () => {
    it('answers 429 past the address limit whether the NIP or the unit exists or not', async () => {
      const o = await office();
      const ip = newIp();
      const submit = (body: object) => t.http().post('/public-feedback').set('X-Forwarded-For', ip).send({ channel: 'WEB', answers: ANSWERS, ...body });
      for (let i = 0; i < IP_LIMIT; i++) expect((await submit({ unitCode: o.unit.code })).status).toBe(202);
      expectProblem(await submit({ unitCode: o.unit.code, employeeNip: o.colleague.nip }), 429, 'feedback-rate-limited');
      expectProblem(await submit({ unitCode: o.unit.code, employeeNip: pnsNip() }), 429, 'feedback-rate-limited');
      expectProblem(await submit({ unitCode: o.other.code, employeeNip: o.colleague.nip }), 429, 'feedback-rate-limited');
      expectProblem(await submit({ unitCode: 'NO-SUCH-UNIT', employeeNip: pnsNip() }), 429, 'feedback-rate-limited');
      // A made-up ticket is refused before any NIP is looked up; a real one is not held to the address limit.
      const fake = await submit({ unitCode: o.unit.code, employeeNip: pnsNip(), serviceTicket: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' });
      expectProblem(fake, 400);
      expect(fake.body.errors).toEqual([expect.objectContaining({ field: 'serviceTicket' })]);
      const ticket = (await issue(await ticketKey(), { unitCode: o.unit.code, employeeNip: o.colleague.nip })).body.ticket;
      expect((await submit({ unitCode: o.unit.code, serviceTicket: ticket })).body.status).toBe('VERIFIED');
    });
  });
});
