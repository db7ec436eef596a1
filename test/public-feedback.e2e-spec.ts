import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { witaDate } from '../src/common/time/wita';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { RetentionService } from '../src/modules/retention/retention.service';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, userToken } from './factories';
import { insertFeedback } from './feedback-fixtures';
import { insertIndicator, insertPeriod } from './planning-fixtures';

const ANSWERS = { U1: 4, U2: 4, U3: 3, U4: 4, U5: 3, U6: 4, U7: 4, U8: 3, U9: 4 };
const CONTACT = 'Made.Warga@Example.ID';
const PHONE = '+62 812-3456-7890';

/** A client address of its own per test, so the per-IP limit of one test never reaches another. */
const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe('public feedback: intake, tickets, abuse control, moderation (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  /** Every response body of the file, searched at the end for a submitted contact. */
  const bodies: string[] = [];
  beforeAll(async () => {
    // Behind a proxy on this host: X-Forwarded-For is believed from loopback only.
    t = await createTestApp({ TRUST_PROXY: 'loopback' });
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);
  const keep = <R extends { text: string }>(res: R): R => {
    bodies.push(res.text);
    return res;
  };
  const submit = async (body: object, ip = newIp()) => keep(await t.http().post('/public-feedback').set('X-Forwarded-For', ip).send(body));
  const feedback = (unitCode: string, extra: object = {}) => ({ unitCode, channel: 'WEB', answers: ANSWERS, ...extra });
  const rows = async (unitId: string) => (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM public_feedback WHERE unit_id = $1', [unitId]))[0].n;
  const issue = async (headers: Record<string, string>, body: object) => keep(await t.http().post('/public-feedback/tickets').set(headers).send(body));

  async function unitWithOfficer(opts: { publicService?: boolean; parentId?: string } = {}) {
    const unit = await createUnit(t, { publicService: opts.publicService ?? true, ...(opts.parentId ? { parentId: opts.parentId } : {}) });
    const officer = await createEmployee(t, { unitId: unit.id });
    return { unit, officer };
  }

  describe('intake', () => {
    it('answers 202 with only a receipt id and the status, and keeps the contact only as a keyed hash', async () => {
      const { unit, officer } = await unitWithOfficer();
      const res = await submit(feedback(unit.code, { employeeNip: officer.nip, contact: CONTACT, comment: 'Cepat dan ramah', respondent: { gender: 'FEMALE', ageGroup: 'AGE_30_39' } }));
      expect(res.status).toBe(202);
      expect(Object.keys(res.body).sort()).toEqual(['receiptId', 'status']);
      expect(res.body.status).toBe('PUBLISHED');
      const [row] = await db.query(`SELECT *, submitted_on::text AS submitted_on FROM public_feedback WHERE id = $1`, [res.body.receiptId]);
      expect(row).toMatchObject({ unit_id: unit.id, employee_id: officer.id, u1: 4, u3: 3, u9: 4, status: 'PUBLISHED', submitted_on: witaDate() });
      expect(row.contact_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.ip_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row).toLowerCase()).not.toContain('made.warga');
      const audit = await t.http().get(`/audit-events?entityId=${res.body.receiptId}`).set(admin());
      expect(audit.body.items).toEqual([expect.objectContaining({ actorType: 'PUBLIC', actorName: 'public', action: 'public-feedback.submit' })]);
      expect(JSON.stringify(audit.body)).not.toContain('Cepat dan ramah');
      keep(audit);
    });

    it.each<[string, (code: string) => object, string]>([
      ['an answer outside 1–4', (c) => feedback(c, { answers: { ...ANSWERS, U4: 5 } }), 'answers.U4'],
      ['a missing element', (c) => feedback(c, { answers: { ...ANSWERS, U9: undefined } }), 'answers.U9'],
      ['a fractional answer', (c) => feedback(c, { answers: { ...ANSWERS, U2: 2.5 } }), 'answers.U2'],
      ['an unknown channel', (c) => feedback(c, { channel: 'FAX' }), 'channel'],
      ['an unknown field', (c) => feedback(c, { rating: 5 }), 'rating'],
      ['an unknown answer key', (c) => feedback(c, { answers: { ...ANSWERS, U10: 4 } }), 'answers.U10'],
      ['a NIP that is not 18 digits', (c) => feedback(c, { employeeNip: '19820314200604100' }), 'employeeNip'],
      ['a NIP nobody has', (c) => feedback(c, { employeeNip: '199001012015011999' }), 'employeeNip'],
      ['a contact that is neither e-mail nor phone', (c) => feedback(c, { contact: 'ring me' }), 'contact'],
      ['a comment over 2000 characters', (c) => feedback(c, { comment: 'x'.repeat(2001) }), 'comment'],
      ['an unknown respondent age group', (c) => feedback(c, { respondent: { ageGroup: 'OLD' } }), 'respondent.ageGroup'],
      ['an unknown unit', () => feedback('NO-SUCH-UNIT'), 'unitCode'],
      ['a ticket nobody issued', (c) => feedback(c, { serviceTicket: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' }), 'serviceTicket'],
    ])('refuses %s with 400 naming the field, and stores nothing', async (_, body, field) => {
      const { unit } = await unitWithOfficer();
      const res = await submit(body(unit.code));
      expectProblem(res, 400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(await rows(unit.id)).toBe(0);
    });

    it('refuses an officer of another unit or no longer active, and an inactive unit', async () => {
      const { unit, officer } = await unitWithOfficer();
      const other = await unitWithOfficer();
      expectProblem(await submit(feedback(unit.code, { employeeNip: other.officer.nip })), 400);
      expectProblem(await issue(admin(), { unitCode: unit.code, employeeNip: other.officer.nip }), 400);
      await db.query(`UPDATE employees SET status = 'RETIRED' WHERE id = $1`, [officer.id]);
      expectProblem(await submit(feedback(unit.code, { employeeNip: officer.nip })), 400);
      expectProblem(await issue(admin(), { unitCode: unit.code, employeeNip: officer.nip }), 400);
      await db.query('UPDATE units SET active = false WHERE id = $1', [other.unit.id]);
      expectProblem(await submit(feedback(other.unit.code)), 400);
      expect(await rows(unit.id)).toBe(0);
      expect(await rows(other.unit.id)).toBe(0);
    });

    it('answers 413 to an oversized body and 400 to malformed JSON', async () => {
      const { unit } = await unitWithOfficer();
      expectProblem(await submit(feedback(unit.code, { comment: 'x'.repeat(1_100_000) })), 413);
      const bad = await t.http().post('/public-feedback').set('Content-Type', 'application/json').send('{"unitCode":');
      expectProblem(bad, 400);
      expect(await rows(unit.id)).toBe(0);
    });
  });

  describe('service tickets', () => {
    it('are issued by HR of the unit and by API keys with feedback:tickets, and by nobody else', async () => {
      const parent = await createUnit(t);
      const { unit, officer } = await unitWithOfficer({ parentId: parent.id });
      const outside = await createUnit(t);
      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: parent.id });
      const res = await issue(auth(hr.token), { unitCode: unit.code, employeeNip: officer.nip, serviceName: 'Penerbitan KTP-el' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: expect.any(String), unitId: unit.id, employeeId: officer.id, serviceName: 'Penerbitan KTP-el' });
      expect(res.body.ticket).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
      const days = (new Date(res.body.expiresAt).getTime() - new Date(res.body.createdAt).getTime()) / 86_400_000;
      expect(days).toBeCloseTo(30, 3);
      const [stored] = await db.query('SELECT token_hash FROM service_tickets WHERE id = $1', [res.body.id]);
      expect(stored.token_hash).not.toContain(res.body.ticket);

      expectProblem(await issue(auth(hr.token), { unitCode: outside.code }), 400);
      const key = await apiKey(t, ['feedback:tickets']);
      expect((await issue({ 'X-API-Key': key.key }, { unitCode: outside.code })).status).toBe(201);
      const wrongScope = await apiKey(t, ['scores:read']);
      expectProblem(await issue({ 'X-API-Key': wrongScope.key }, { unitCode: unit.code }), 403);
      const employee = await userToken(t, { role: 'EMPLOYEE', employeeId: officer.id });
      expectProblem(await issue(auth(employee.token), { unitCode: unit.code }), 403);
      expectProblem(await issue({}, { unitCode: unit.code }), 401);
      expectProblem(await issue(admin(), { unitCode: unit.code, employeeNip: '123' }), 400);
      expectProblem(await issue(admin(), { unitCode: unit.code, extra: 1 }), 400);
    });

    it('make feedback VERIFIED once; reuse and expiry answer 409; another unit is refused', async () => {
      const { unit, officer } = await unitWithOfficer();
      const ticket = (await issue(admin(), { unitCode: unit.code, employeeNip: officer.nip, serviceName: 'Izin usaha' })).body.ticket as string;
      // Typed from paper: lower case, no dashes; the unit code in any case.
      const first = await submit(feedback(unit.code.toLowerCase(), { serviceTicket: ticket.toLowerCase().replace(/-/g, '') }));
      expect(first.status).toBe(202);
      expect(first.body.status).toBe('VERIFIED');
      const [row] = await db.query('SELECT employee_id, service_name, ticket_id, ip_hash FROM public_feedback WHERE id = $1', [first.body.receiptId]);
      // The officer and the service come from the ticket; ticketed feedback is not counted against the address.
      expect(row).toMatchObject({ employee_id: officer.id, service_name: 'Izin usaha', ticket_id: expect.any(String), ip_hash: null });
      expectProblem(await submit(feedback(unit.code, { serviceTicket: ticket })), 409, 'ticket-used');

      const expired = (await issue(admin(), { unitCode: unit.code })).body;
      await db.query(`UPDATE service_tickets SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
      expectProblem(await submit(feedback(unit.code, { serviceTicket: expired.ticket })), 409, 'ticket-expired');

      const other = await unitWithOfficer();
      const foreign = (await issue(admin(), { unitCode: other.unit.code })).body.ticket;
      const res = await submit(feedback(unit.code, { serviceTicket: foreign }));
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'serviceTicket' })]);
      const colleague = await createEmployee(t, { unitId: unit.id });
      const forOfficer = (await issue(admin(), { unitCode: unit.code, employeeNip: officer.nip })).body.ticket;
      expectProblem(await submit(feedback(unit.code, { serviceTicket: forOfficer, employeeNip: colleague.nip })), 400);
      // The refused attempts used nothing up.
      expect((await submit(feedback(other.unit.code, { serviceTicket: foreign }))).body.status).toBe('VERIFIED');
      expect(await rows(unit.id)).toBe(1);
    });

    it('is used exactly once when ten submissions race with it', async () => {
      const { unit } = await unitWithOfficer();
      const ticket = (await issue(admin(), { unitCode: unit.code })).body.ticket;
      const results = await Promise.all(Array.from({ length: 10 }, () => submit(feedback(unit.code, { serviceTicket: ticket }))));
      expect(results.filter((r) => r.status === 202)).toHaveLength(1);
      for (const r of results.filter((r) => r.status !== 202)) expectProblem(r, 409, 'ticket-used');
      expect(await rows(unit.id)).toBe(1);
    });
  });

  describe('abuse control', () => {
    it('limits one address to 5 responses without a ticket per 10 minutes: 429 with Retry-After', async () => {
      const { unit } = await unitWithOfficer();
      const ip = newIp();
      for (let i = 0; i < 5; i++) expect((await submit(feedback(unit.code), ip)).status).toBe(202);
      const limited = await submit(feedback(unit.code), ip);
      expectProblem(limited, 429, 'feedback-rate-limited');
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(590);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(limited.body.retryAfter).toBe(retryAfter);
      expect(await rows(unit.id)).toBe(5);
      // Another address is not affected; a ticket is limited by tickets, not by the address.
      expect((await submit(feedback(unit.code), newIp())).status).toBe(202);
      const ticket = (await issue(admin(), { unitCode: unit.code })).body.ticket;
      expect((await submit(feedback(unit.code, { serviceTicket: ticket }), ip)).body.status).toBe('VERIFIED');
      // Once the oldest response leaves the window, the address may send again.
      await db.query(`UPDATE public_feedback SET submitted_at = submitted_at - interval '11 minutes' WHERE unit_id = $1`, [unit.id]);
      expect((await submit(feedback(unit.code), ip)).status).toBe(202);
    });

    it('admits exactly the limit when one address sends ten at once', async () => {
      const { unit } = await unitWithOfficer();
      const ip = newIp();
      const results = await Promise.all(Array.from({ length: 10 }, () => submit(feedback(unit.code), ip)));
      expect(results.filter((r) => r.status === 202)).toHaveLength(5);
      expect(results.filter((r) => r.status === 429)).toHaveLength(5);
      expect(await rows(unit.id)).toBe(5);
    });

    it('accepts one of five simultaneous responses with the same contact', async () => {
      const { unit, officer } = await unitWithOfficer();
      const results = await Promise.all(Array.from({ length: 5 }, () => submit(feedback(unit.code, { employeeNip: officer.nip, contact: PHONE }))));
      expect(results.filter((r) => r.status === 202)).toHaveLength(1);
      for (const r of results.filter((r) => r.status !== 202)) expectProblem(r, 409, 'duplicate-feedback');
      expect(await rows(unit.id)).toBe(1);
    });

    it('holds exactly the responses beyond the 20th when they arrive at once', async () => {
      const { unit, officer } = await unitWithOfficer();
      await insertFeedback(t, { unitId: unit.id, employeeId: officer.id, status: 'PUBLISHED', submittedOn: witaDate(), count: 18 });
      const results = await Promise.all(Array.from({ length: 5 }, () => submit(feedback(unit.code, { employeeNip: officer.nip }))));
      expect(results.map((r) => r.body.status as string).sort()).toEqual(['HELD', 'HELD', 'HELD', 'PUBLISHED', 'PUBLISHED']);
    });

    it('refuses the same contact on the same unit and officer within 24 hours, however it is written', async () => {
      const { unit, officer } = await unitWithOfficer();
      const colleague = await createEmployee(t, { unitId: unit.id });
      expect((await submit(feedback(unit.code, { employeeNip: officer.nip, contact: PHONE }))).status).toBe(202);
      expectProblem(await submit(feedback(unit.code, { employeeNip: officer.nip, contact: '0812 3456 7890' })), 409, 'duplicate-feedback');
      // Another officer, the unit without an officer, or no contact at all: not duplicates.
      expect((await submit(feedback(unit.code, { employeeNip: colleague.nip, contact: PHONE }))).status).toBe(202);
      expect((await submit(feedback(unit.code, { contact: PHONE }))).status).toBe(202);
      expectProblem(await submit(feedback(unit.code, { contact: '628123456790'.replace('6790', '67890') })), 409, 'duplicate-feedback');
      expect((await submit(feedback(unit.code, { employeeNip: officer.nip }))).status).toBe(202);
      await db.query(`UPDATE public_feedback SET submitted_at = now() - interval '25 hours' WHERE unit_id = $1`, [unit.id]);
      expect((await submit(feedback(unit.code, { employeeNip: officer.nip, contact: PHONE }))).status).toBe(202);
      expect(await rows(unit.id)).toBe(5);
    });

    it('holds responses about an officer beyond 20 within an hour until a moderator decides', async () => {
      const parent = await createUnit(t);
      const { unit, officer } = await unitWithOfficer({ parentId: parent.id });
      // An open appraisal of the officer in a period containing today, to see what moderation marks.
      const today = witaDate();
      const period = await insertPeriod(t, { start: today, end: today, status: 'OPEN' });
      const [appraisal] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, status) VALUES ($1, $2, $3, 'AGREED') RETURNING id`,
        [officer.id, period.id, unit.id],
      );
      const marked = async () => (await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [appraisal.id])).length > 0;
      await insertFeedback(t, { unitId: unit.id, employeeId: officer.id, status: 'PUBLISHED', submittedOn: today, count: 20 });
      const held = await submit(feedback(unit.code, { employeeNip: officer.nip }));
      expect(held.body.status).toBe('HELD');
      const ticket = (await issue(admin(), { unitCode: unit.code, employeeNip: officer.nip })).body.ticket;
      const heldTicketed = await submit(feedback(unit.code, { serviceTicket: ticket }));
      expect(heldTicketed.body.status).toBe('HELD');
      // A held response moves nothing yet; unit feedback without an officer is not held.
      expect(await marked()).toBe(false);
      expect((await submit(feedback(unit.code))).body.status).toBe('PUBLISHED');
      await db.query('DELETE FROM score_recalculation_marks WHERE appraisal_id = $1', [appraisal.id]);

      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: parent.id });
      const strangerHr = await userToken(t, { role: 'HR_OPERATOR', unitId: (await createUnit(t)).id });
      const employee = await userToken(t, { role: 'EMPLOYEE', employeeId: officer.id });
      const moderate = async (id: string, action: string, headers: Record<string, string>, body: object = {}) =>
        keep(await t.http().post(`/public-feedback/${id}/${action}`).set(headers).send(body));
      expectProblem(await moderate(held.body.receiptId, 'publish', auth(strangerHr.token)), 404);
      expectProblem(await moderate(held.body.receiptId, 'publish', auth(employee.token)), 403);
      expectProblem(await moderate(held.body.receiptId, 'publish', auth(hr.token), { note: 'x'.repeat(1001) }), 400);
      expectProblem(await moderate('00000000-0000-4000-8000-000000000000', 'publish', admin()), 404);
      expectProblem(await moderate('not-a-uuid', 'publish', admin()), 400);
      expect(await marked()).toBe(false);

      const published = await moderate(held.body.receiptId, 'publish', auth(hr.token), { note: 'Warga nyata, antrean panjang' });
      expect(published.status).toBe(200);
      expect(published.body).toMatchObject({ id: held.body.receiptId, status: 'PUBLISHED', moderatedBy: hr.username, moderationNote: 'Warga nyata, antrean panjang' });
      expect(await marked()).toBe(true);
      const again = await moderate(held.body.receiptId, 'publish', auth(hr.token));
      expectProblem(again, 409, 'feedback-state');
      // The feedback's status has its own member: `status` is the HTTP status of the problem.
      expect(again.body).toMatchObject({ status: 409, feedbackStatus: 'PUBLISHED' });
      // A held ticketed response is published as what its ticket made it.
      expect((await moderate(heldTicketed.body.receiptId, 'publish', admin())).body.status).toBe('VERIFIED');

      await db.query('DELETE FROM score_recalculation_marks WHERE appraisal_id = $1', [appraisal.id]);
      const rejected = await moderate(heldTicketed.body.receiptId, 'reject', auth(hr.token), { note: 'Tiket dipakai oleh petugas sendiri' });
      expect(rejected.body.status).toBe('REJECTED');
      expect(await marked()).toBe(true);
      const rejectedAgain = await moderate(heldTicketed.body.receiptId, 'reject', auth(hr.token));
      expectProblem(rejectedAgain, 409, 'feedback-state');
      expect(rejectedAgain.body.feedbackStatus).toBe('REJECTED');

      const audit = await t.http().get(`/audit-events?entityId=${heldTicketed.body.receiptId}`).set(admin());
      expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual(['public-feedback.publish', 'public-feedback.reject', 'public-feedback.submit']);
      keep(audit);
    });
  });

  it('forgets client-IP hashes after the rate window and contact hashes after 24 hours', async () => {
    const { unit } = await unitWithOfficer();
    const ids: string[] = [];
    for (const contact of ['a@example.id', 'b@example.id', 'c@example.id']) ids.push((await submit(feedback(unit.code, { contact }))).body.receiptId);
    await db.query(`UPDATE public_feedback SET submitted_at = now() - interval '11 minutes' WHERE id = $1`, [ids[0]]);
    await db.query(`UPDATE public_feedback SET submitted_at = now() - interval '25 hours' WHERE id = $1`, [ids[1]]);
    expect((await t.app.get(RetentionService).run()).feedbackHashes).toBeGreaterThanOrEqual(2);
    const hashes = await db.query<{ id: string; ip: boolean; contact: boolean }[]>(
      'SELECT id, ip_hash IS NOT NULL AS ip, contact_hash IS NOT NULL AS contact FROM public_feedback WHERE id = ANY($1)',
      [ids],
    );
    const of = (id: string) => hashes.find((h) => h.id === id);
    expect(of(ids[0])).toMatchObject({ ip: false, contact: true });
    expect(of(ids[1])).toMatchObject({ ip: false, contact: false });
    expect(of(ids[2])).toMatchObject({ ip: true, contact: true });
  });

  describe('staff list', () => {
    it('filters by subtree, officer, status, channel and period; HR see only their subtree', async () => {
      const parent = await createUnit(t);
      const { unit, officer } = await unitWithOfficer({ parentId: parent.id });
      const sibling = await createUnit(t);
      const today = witaDate();
      const period = await insertPeriod(t, { start: today, end: today });
      const elsewhere = await insertPeriod(t);
      await submit(feedback(unit.code, { employeeNip: officer.nip, contact: CONTACT, channel: 'KIOSK' }));
      await submit(feedback(unit.code, { comment: 'Ruang tunggu panas' }));
      await submit(feedback(sibling.code));
      const list = async (query: string, headers: Record<string, string> = admin()) => keep(await t.http().get(`/public-feedback?${query}`).set(headers));

      const all = await list(`withinUnitId=${parent.id}`);
      expect(all.body.total).toBe(2);
      for (const item of all.body.items) {
        expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['contact']));
        expect(item).not.toHaveProperty('contactHash');
        expect(item).not.toHaveProperty('ipHash');
        expect(item).not.toHaveProperty('ticketId');
      }
      expect((await list(`withinUnitId=${parent.id}&employeeId=${officer.id}`)).body.items).toEqual([
        expect.objectContaining({ employeeId: officer.id, channel: 'KIOSK', status: 'PUBLISHED', ticketed: false, answers: ANSWERS }),
      ]);
      expect((await list(`withinUnitId=${parent.id}&channel=KIOSK`)).body.total).toBe(1);
      expect((await list(`withinUnitId=${parent.id}&status=HELD`)).body.total).toBe(0);
      expect((await list(`withinUnitId=${parent.id}&periodId=${period.id}`)).body.total).toBe(2);
      expect((await list(`withinUnitId=${parent.id}&periodId=${elsewhere.id}`)).body.total).toBe(0);

      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: parent.id });
      const mine = await list('pageSize=200', auth(hr.token));
      expect(mine.body.items.every((i: { unitId: string }) => i.unitId === unit.id)).toBe(true);
      expect(mine.body.total).toBe(2);
      expectProblem(await list(`withinUnitId=${sibling.id}`, auth(hr.token)), 400);
      const one = mine.body.items[0].id;
      expect((await t.http().get(`/public-feedback/${one}`).set(auth(hr.token))).status).toBe(200);
      const siblingId = (await list(`withinUnitId=${sibling.id}`)).body.items[0].id;
      expectProblem(await t.http().get(`/public-feedback/${siblingId}`).set(auth(hr.token)), 404);
      expectProblem(await t.http().get('/public-feedback/00000000-0000-4000-8000-000000000000').set(admin()), 404);

      const reader = await apiKey(t, ['feedback:read']);
      expect((await list(`withinUnitId=${parent.id}`, { 'X-API-Key': reader.key })).body.total).toBe(2);
      expectProblem(await list('', { 'X-API-Key': (await apiKey(t, ['feedback:tickets'])).key }), 403);
      expectProblem(await list('', auth((await userToken(t, { role: 'EMPLOYEE', employeeId: officer.id })).token)), 403);
      expectProblem(await list('status=LOST'), 400);
      expectProblem(await list('sort=asc'), 400);
      expectProblem(await t.http().get('/public-feedback'), 401);
    });
  });

  describe('scoring', () => {
    /** The BERORIENTASI_PELAYANAN aspect of an officer's appraisal (all MEETS, one target met) after recalculation. */
    async function serviceAspect(ticketed: boolean) {
      const { unit, officer } = await unitWithOfficer({ publicService: false });
      const today = witaDate();
      const period = await insertPeriod(t, { start: today, end: today, status: 'OPEN' });
      const indicator = await insertIndicator(t);
      const meets = Object.fromEntries(
        ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'].map((a) => [a, 'MEETS_EXPECTATION']),
      );
      const [appraisal] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, status, behaviour_ratings, assessed_at) VALUES ($1, $2, $3, 'ASSESSED', $4, now()) RETURNING id`,
        [officer.id, period.id, unit.id, JSON.stringify(meets)],
      );
      await db.query(`INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100)`, [appraisal.id, indicator.id]);
      // Ten citizens answer 3 to every element: IKM = 3 × 25 = 75.
      const threes = { U1: 3, U2: 3, U3: 3, U4: 3, U5: 3, U6: 3, U7: 3, U8: 3, U9: 3 };
      for (let i = 0; i < 10; i++) {
        const serviceTicket = ticketed ? (await issue(admin(), { unitCode: unit.code, employeeNip: officer.nip })).body.ticket : undefined;
        const res = await submit(feedback(unit.code, { employeeNip: officer.nip, answers: threes, serviceTicket }));
        expect(res.body.status).toBe(ticketed ? 'VERIFIED' : 'PUBLISHED');
      }
      expect((await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [appraisal.id])).length).toBe(1);
      await t.app.get(RecalculationService).processMarks([appraisal.id]);
      const score = await t.http().get(`/appraisals/${appraisal.id}/score`).set(admin());
      return { score: score.body, aspect: score.body.aspects.find((a: { aspect: string }) => a.aspect === 'BERORIENTASI_PELAYANAN') };
    }

    it("ticketed feedback moves the officer's BERORIENTASI_PELAYANAN aspect; the same feedback without tickets does not", async () => {
      // publicValue = 1.2 × 75 = 90; value = 0.5 × 100 + 0.5 × 90 = 95; behaviourScore = (95 + 6 × 100) / 7 = 99.2857… → 99.29.
      const verified = await serviceAspect(true);
      expect(verified.aspect).toMatchObject({ assessorValue: 100, publicValue: 90, publicSource: 'EMPLOYEE', value: 95 });
      expect(verified.score.behaviourScore).toBe(99.29);
      // Unverified: the unit is no public-service unit, so no source at all; the assessor's 100 stands.
      const unverified = await serviceAspect(false);
      expect(unverified.aspect).toMatchObject({ assessorValue: 100, publicValue: null, publicSource: null, value: 100 });
      expect(unverified.score.behaviourScore).toBe(100);
    });
  });

  it('never answers with a submitted contact, in any form', () => {
    expect(bodies.length).toBeGreaterThan(50);
    const all = bodies.join('\n').toLowerCase();
    for (const needle of ['made.warga', 'example.id', '812-3456', '81234567890', '0812 3456']) expect(all).not.toContain(needle);
  });
});

describe('public feedback without a trusted proxy (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'false', FEEDBACK_IP_LIMIT: '2' });
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-For, so a client cannot escape the limit by inventing addresses', async () => {
    const unit = await createUnit(t, { publicService: true });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.http().post('/public-feedback').set('X-Forwarded-For', newIp()).send({ unitCode: unit.code, channel: 'WEB', answers: ANSWERS });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([202, 202, 429, 429]);
  });
});
