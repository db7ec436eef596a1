import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { all, Answers, insertFeedback } from './feedback-fixtures';
import { insertPeriod, setPeriodStatus } from './planning-fixtures';
import { insertScore, insertScoreWithPredicate } from './score-fixtures';
import { TEST_ADMIN } from './test-env';

const GHOST = '00000000-0000-4000-8000-000000000000';

type Headers = Record<string, string>;
type Predicate = 'SANGAT_BAIK' | 'BAIK' | 'BUTUH_PERBAIKAN' | 'KURANG' | 'SANGAT_KURANG';

/** A calendar date `days` after (or before) `date`. */
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const nrrOf = (values: number[]) => Object.fromEntries(values.map((v, i) => [`U${i + 1}`, v]));
const EMPTY = { responses: 0, ikm: null, category: null, label: null, nrr: null };

describe('service index (e2e, spec §4)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const admin = (): Headers => auth(t.adminToken);
  const withKey = (k: string): Headers => ({ 'X-API-Key': k });
  const unitIndex = (unitId: string, periodId: string, headers: Headers = admin()) =>
    t.http().get(`/units/${unitId}/service-index`).query({ periodId }).set(headers);
  const employeeIndex = (employeeId: string, periodId: string, headers: Headers = admin()) =>
    t.http().get(`/employees/${employeeId}/service-index`).query({ periodId }).set(headers);
  const publicIndex = (query: Record<string, string>) => t.http().get('/public/service-index').query(query);
  const summary = (periodId: string) => t.http().get(`/public/periods/${periodId}/summary`);

  describe('unit and employee index', () => {
    /*
     * Tree TOP → ROOT → CHILD → GRAND, and SIBLING (its own tree); employee EMP in unit X (its own tree).
     * Period P (MONTHLY, dates [start, end]).
     */
    let top: { id: string; code: string };
    let root: { id: string; code: string };
    let child: { id: string; code: string };
    let grand: { id: string; code: string };
    let sibling: { id: string; code: string };
    let x: { id: string; code: string };
    let emp: { id: string; nip: string };
    let other: { id: string; nip: string };
    let period: { id: string; code: string; startDate: string; endDate: string };

    const MIXED: Answers = [4, 3, 2, 1, 4, 3, 2, 1, 4]; // sum 24

    beforeAll(async () => {
      top = await createUnit(t);
      root = await createUnit(t, { parentId: top.id, kind: 'BIDANG' });
      child = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
      grand = await createUnit(t, { parentId: child.id, kind: 'UPTD' });
      sibling = await createUnit(t);
      x = await createUnit(t);
      emp = await createEmployee(t, { unitId: x.id });
      other = await createEmployee(t, { unitId: x.id });
      period = await insertPeriod(t);
      const { startDate: start, endDate: end } = period;
      const before = addDays(start, -1);
      const after = addDays(end, 1);

      // Counted for ROOT's subtree: one response each, on the boundary dates too (the range is inclusive).
      await insertFeedback(t, {
        unitId: root.id,
        status: 'PUBLISHED',
        submittedOn: start,
        answers: MIXED,
        respondent: { gender: 'FEMALE', ageGroup: 'AGE_30_39', education: 'SMA', occupation: 'SWASTA' },
      });
      await insertFeedback(t, { unitId: child.id, status: 'VERIFIED', submittedOn: addDays(start, 5), answers: all(3), respondent: { gender: 'MALE', education: 'D4_S1' } });
      await insertFeedback(t, { unitId: grand.id, status: 'VERIFIED', submittedOn: end, answers: all(4) });
      // Never counted: moderation states, outside the dates, outside the subtree (TOP is above ROOT, SIBLING elsewhere).
      await insertFeedback(t, { unitId: root.id, status: 'HELD', submittedOn: start, answers: all(1), respondent: { gender: 'MALE', ageGroup: 'UNDER_20' } });
      await insertFeedback(t, { unitId: child.id, status: 'REJECTED', submittedOn: start, answers: all(1) });
      await insertFeedback(t, { unitId: child.id, status: 'PUBLISHED', submittedOn: before, answers: all(1) });
      await insertFeedback(t, { unitId: grand.id, status: 'VERIFIED', submittedOn: after, answers: all(1) });
      await insertFeedback(t, { unitId: sibling.id, status: 'PUBLISHED', submittedOn: start, answers: all(1) });
      // TOP's own response: counted only for TOP's subtree.
      await insertFeedback(t, { unitId: top.id, status: 'PUBLISHED', submittedOn: start, answers: all(1) });

      // About EMP (unit X): two VERIFIED in the period count for EMP; the PUBLISHED one only for the unit X index.
      await insertFeedback(t, { unitId: x.id, employeeId: emp.id, status: 'VERIFIED', submittedOn: start, answers: [4, 4, 4, 4, 4, 4, 4, 4, 3] });
      await insertFeedback(t, { unitId: x.id, employeeId: emp.id, status: 'VERIFIED', submittedOn: end, answers: all(2) });
      await insertFeedback(t, { unitId: x.id, employeeId: emp.id, status: 'PUBLISHED', submittedOn: start, answers: all(1) });
      await insertFeedback(t, { unitId: x.id, employeeId: emp.id, status: 'HELD', submittedOn: start, answers: all(1) });
      await insertFeedback(t, { unitId: x.id, employeeId: emp.id, status: 'REJECTED', submittedOn: start, answers: all(1) });
      await insertFeedback(t, { unitId: x.id, employeeId: emp.id, status: 'VERIFIED', submittedOn: before, answers: all(1) });
      await insertFeedback(t, { unitId: x.id, employeeId: emp.id, status: 'VERIFIED', submittedOn: after, answers: all(1) });
    });

    it('aggregates the subtree from PUBLISHED and VERIFIED feedback within the period dates', async () => {
      // ROOT [4,3,2,1,4,3,2,1,4] + CHILD all 3 + GRAND all 4, 3 responses:
      // U1 (4+3+4)/3 = 3.6667 → 3.67; U2 (3+3+4)/3 = 3.3333 → 3.33; U3 (2+3+4)/3 = 3; U4 (1+3+4)/3 = 2.6667 → 2.67; U5..U9 repeat.
      // IKM = 25 · (24 + 27 + 36) / (9 · 3) = 2175 / 27 = 80.5556 → 80.56, category B (76.61–88.30).
      const res = await unitIndex(root.id, period.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        unitId: root.id,
        periodId: period.id,
        responses: 3,
        ikm: 80.56,
        category: 'B',
        label: 'Baik',
        nrr: nrrOf([3.67, 3.33, 3, 2.67, 3.67, 3.33, 3, 2.67, 3.67]),
        // The profiles of the same three responses (GRAND's gave none; the HELD one is not counted).
        respondents: {
          gender: { FEMALE: 1, MALE: 1, UNKNOWN: 1 },
          ageGroup: { AGE_30_39: 1, UNKNOWN: 2 },
          education: { D4_S1: 1, SMA: 1, UNKNOWN: 1 },
          occupation: { SWASTA: 1, UNKNOWN: 2 },
        },
      });
    });

    it('a parent includes its own feedback; a leaf only its own', async () => {
      // TOP: the 3 above + TOP's all 1 (sum 9): IKM = 25 · 96 / 36 = 66.6667 → 66.67, C (65.00–76.60).
      // U1 (4+3+4+1)/4 = 3; U2 (3+3+4+1)/4 = 2.75; U3 (2+3+4+1)/4 = 2.5; U4 (1+3+4+1)/4 = 2.25.
      expect((await unitIndex(top.id, period.id)).body).toMatchObject({
        responses: 4,
        ikm: 66.67,
        category: 'C',
        label: 'Kurang Baik',
        nrr: nrrOf([3, 2.75, 2.5, 2.25, 3, 2.75, 2.5, 2.25, 3]),
      });
      // GRAND: one all-4 response in the period (the all-1 one is the day after the end): 100, A.
      expect((await unitIndex(grand.id, period.id)).body).toEqual({
        unitId: grand.id,
        periodId: period.id,
        responses: 1,
        ikm: 100,
        category: 'A',
        label: 'Sangat Baik',
        nrr: nrrOf(Array(9).fill(4)),
        respondents: { gender: { UNKNOWN: 1 }, ageGroup: { UNKNOWN: 1 }, education: { UNKNOWN: 1 }, occupation: { UNKNOWN: 1 } },
      });
    });

    it('the unit index counts PUBLISHED feedback naming an employee; the employee index does not', async () => {
      // Unit X: VERIFIED (sum 35) + VERIFIED all 2 (18) + PUBLISHED all 1 (9), 3 responses:
      // IKM = 25 · 62 / 27 = 57.4074 → 57.41, D (25.00–64.99). U1..U8 (4+2+1)/3 = 2.3333 → 2.33; U9 (3+2+1)/3 = 2.
      expect((await unitIndex(x.id, period.id)).body).toMatchObject({
        responses: 3,
        ikm: 57.41,
        category: 'D',
        label: 'Tidak Baik',
        nrr: nrrOf([2.33, 2.33, 2.33, 2.33, 2.33, 2.33, 2.33, 2.33, 2]),
      });
      // EMP: VERIFIED only, in the period: [4×8, 3] and all 2. U1..U8 (4+2)/2 = 3; U9 (3+2)/2 = 2.5.
      // IKM = 25 · (35 + 18) / 18 = 73.6111 → 73.61, C.
      const res = await employeeIndex(emp.id, period.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        employeeId: emp.id,
        periodId: period.id,
        responses: 2,
        ikm: 73.61,
        category: 'C',
        label: 'Kurang Baik',
        nrr: nrrOf([3, 3, 3, 3, 3, 3, 3, 3, 2.5]),
      });
    });

    it('without a response: responses 0 and null figures', async () => {
      expect((await employeeIndex(other.id, period.id)).body).toEqual({ employeeId: other.id, periodId: period.id, ...EMPTY });
      const empty = await createUnit(t);
      expect((await unitIndex(empty.id, period.id)).body).toEqual({
        unitId: empty.id,
        periodId: period.id,
        ...EMPTY,
        respondents: { gender: {}, ageGroup: {}, education: {}, occupation: {} },
      });
      // Another period whose dates hold none of the feedback above.
      const later = await insertPeriod(t, { start: addDays(period.endDate, 2), end: addDays(period.endDate, 30) });
      expect((await unitIndex(root.id, later.id)).body).toMatchObject(EMPTY);
    });

    it('feedback belongs to every period whose dates contain it, whatever the type', async () => {
      // An ANNUAL period overlapping P and reaching 10 days past both ends also holds the rows of the day before and after.
      const wide = await insertPeriod(t, { type: 'ANNUAL', start: addDays(period.startDate, -10), end: addDays(period.endDate, 10) });
      // GRAND: all 4 on the end date + all 1 the day after = 2 responses, sum 45: IKM = 25 · 45 / 18 = 62.5, D.
      expect((await unitIndex(grand.id, wide.id)).body).toMatchObject({ responses: 2, ikm: 62.5, category: 'D' });
      // CHILD subtree: CHILD all 3, CHILD's PUBLISHED all 1 the day before, GRAND's 2 (REJECTED still out) = 4.
      expect((await unitIndex(child.id, wide.id)).body.responses).toBe(4);
    });

    it('unknown unit, employee or period → 404; bad ids, a missing periodId or an unknown parameter → 400', async () => {
      expectProblem(await unitIndex(GHOST, period.id), 404, 'not-found');
      expectProblem(await unitIndex(root.id, GHOST), 404, 'not-found');
      expectProblem(await employeeIndex(GHOST, period.id), 404, 'not-found');
      expectProblem(await employeeIndex(emp.id, GHOST), 404, 'not-found');
      expectProblem(await t.http().get(`/units/not-a-uuid/service-index`).query({ periodId: period.id }).set(admin()), 400);
      expectProblem(await t.http().get(`/employees/42/service-index`).query({ periodId: period.id }).set(admin()), 400);
      const badPeriod = await unitIndex(root.id, 'nope');
      expectProblem(badPeriod, 400, 'validation-failed');
      expect(badPeriod.body.errors).toEqual([{ field: 'periodId', message: expect.any(String) }]);
      const missing = await t.http().get(`/units/${root.id}/service-index`).set(admin());
      expectProblem(missing, 400, 'validation-failed');
      expect(missing.body.errors[0].field).toBe('periodId');
      const unknown = await t.http().get(`/employees/${emp.id}/service-index`).query({ periodId: period.id, status: 'PUBLISHED' }).set(admin());
      expectProblem(unknown, 400, 'validation-failed');
      expect(unknown.body.errors).toEqual([{ field: 'status', message: 'is not a known field' }]);
    });

    describe('access (spec §8)', () => {
      it('an HR operator reads units of their subtree only; others answer 404', async () => {
        const op = await userToken(t, { role: 'HR_OPERATOR', unitId: root.id });
        expect((await unitIndex(root.id, period.id, auth(op.token))).status).toBe(200);
        expect((await unitIndex(grand.id, period.id, auth(op.token))).body.responses).toBe(1);
        expectProblem(await unitIndex(top.id, period.id, auth(op.token)), 404, 'not-found');
        expectProblem(await unitIndex(sibling.id, period.id, auth(op.token)), 404, 'not-found');
      });

      it('an HR operator reads employees of their subtree only', async () => {
        const ofX = await userToken(t, { role: 'HR_OPERATOR', unitId: x.id });
        const ofRoot = await userToken(t, { role: 'HR_OPERATOR', unitId: root.id });
        expect((await employeeIndex(emp.id, period.id, auth(ofX.token))).body.responses).toBe(2);
        expectProblem(await employeeIndex(emp.id, period.id, auth(ofRoot.token)), 404, 'not-found');
      });

      it('an employee reads their own index only, and no unit index', async () => {
        const me = await userToken(t, { role: 'EMPLOYEE', employeeId: emp.id });
        const res = await employeeIndex(emp.id, period.id, auth(me.token));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ employeeId: emp.id, responses: 2, ikm: 73.61 });
        expectProblem(await employeeIndex(other.id, period.id, auth(me.token)), 404, 'not-found');
        expectProblem(await unitIndex(x.id, period.id, auth(me.token)), 403, 'role-not-allowed');
      });

      it('an API key needs scores:read (403 missing-scope otherwise); no credentials → 401', async () => {
        const reader = await apiKey(t, ['scores:read']);
        expect((await unitIndex(root.id, period.id, withKey(reader.key))).body.ikm).toBe(80.56);
        expect((await employeeIndex(emp.id, period.id, withKey(reader.key))).body.ikm).toBe(73.61);
        const orgReader = await apiKey(t, ['org:read', 'appraisals:read']);
        expectProblem(await unitIndex(root.id, period.id, withKey(orgReader.key)), 403, 'missing-scope');
        expectProblem(await employeeIndex(emp.id, period.id, withKey(orgReader.key)), 403, 'missing-scope');
        expectProblem(await unitIndex(root.id, period.id, {}), 401);
        expectProblem(await employeeIndex(emp.id, period.id, {}), 401);
      });
    });
  });

  describe('GET /public/service-index', () => {
    const FIGURES = ['responses', 'ikm', 'category', 'label', 'nrr'];

    it('publishes figures from 10 responses of the subtree on; with 9 none at all', async () => {
      const unit = await createUnit(t, { name: 'Dinas Pelayanan Publik' });
      const sub = await createUnit(t, { parentId: unit.id, kind: 'UPTD' });
      const period = await insertPeriod(t);
      const on = period.startDate;
      const employee = await createEmployee(t, { unitId: sub.id, name: 'I Made Rahasia Publik' });
      // 5 PUBLISHED all 4 on the unit, 4 VERIFIED all 3 on the child about an employee: 9 counted.
      await insertFeedback(t, { unitId: unit.id, status: 'PUBLISHED', submittedOn: on, answers: all(4), count: 5 });
      await insertFeedback(t, { unitId: sub.id, employeeId: employee.id, status: 'VERIFIED', submittedOn: on, answers: all(3), count: 4 });
      // Not counted, so they cannot lift it over the threshold.
      await insertFeedback(t, { unitId: unit.id, status: 'HELD', submittedOn: on, count: 2 });
      await insertFeedback(t, { unitId: unit.id, status: 'REJECTED', submittedOn: on });
      await insertFeedback(t, { unitId: unit.id, status: 'PUBLISHED', submittedOn: addDays(period.endDate, 1) });

      const nine = await publicIndex({ unitCode: unit.code, periodId: period.id });
      expect(nine.status).toBe(200);
      expect(nine.body).toEqual({ unitCode: unit.code, unitName: 'Dinas Pelayanan Publik', periodId: period.id, periodCode: period.code, published: false });
      for (const key of FIGURES) expect(nine.body).not.toHaveProperty(key);

      // The 10th: 5 × all 4 + 5 × all 3. NRR of each element (5·4 + 5·3)/10 = 3.5; IKM = 3.5 × 25 = 87.5, B.
      await insertFeedback(t, { unitId: sub.id, status: 'VERIFIED', submittedOn: period.endDate, answers: all(3) });
      const ten = await publicIndex({ unitCode: unit.code.toLowerCase(), periodId: period.id });
      expect(ten.status).toBe(200);
      expect(ten.body).toEqual({
        unitCode: unit.code,
        unitName: 'Dinas Pelayanan Publik',
        periodId: period.id,
        periodCode: period.code,
        published: true,
        responses: 10,
        ikm: 87.5,
        category: 'B',
        label: 'Baik',
        nrr: nrrOf(Array(9).fill(3.5)),
      });
      const text = JSON.stringify(ten.body);
      for (const secret of [employee.id, employee.nip, 'Rahasia', sub.id, unit.id]) expect(text).not.toContain(secret);
      // The child alone has 5: not published.
      expect((await publicIndex({ unitCode: sub.code, periodId: period.id })).body.published).toBe(false);
    });

    it('needs no login; a stale token does not get in the way', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t);
      const res = await publicIndex({ unitCode: unit.code, periodId: period.id });
      expect(res.status).toBe(200);
      expect(res.body.published).toBe(false);
      const stale = await publicIndex({ unitCode: unit.code, periodId: period.id }).set(auth('expired.or.forged'));
      expect(stale.status).toBe(200);
    });

    it('unknown unit code or period → 404; missing, malformed or unknown parameters → 400', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t);
      expectProblem(await publicIndex({ unitCode: uniqueCode('NOPE'), periodId: period.id }), 404, 'not-found');
      expectProblem(await publicIndex({ unitCode: unit.code, periodId: GHOST }), 404, 'not-found');
      const missing = await publicIndex({});
      expectProblem(missing, 400, 'validation-failed');
      expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['periodId', 'unitCode']);
      const bad = await publicIndex({ unitCode: 'not a code!', periodId: 'x' });
      expectProblem(bad, 400, 'validation-failed');
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['periodId', 'unitCode']);
      const unknown = await publicIndex({ unitCode: unit.code, periodId: period.id, employeeNip: '198501012010011001' });
      expectProblem(unknown, 400, 'validation-failed');
      expect(unknown.body.errors).toEqual([{ field: 'employeeNip', message: 'is not a known field' }]);
    });
  });

  describe('GET /public/periods/{id}/summary', () => {
    const SECRET_NAME = 'Ni Komang Rahasia Summary';

    /** A FINALIZED appraisal of a new employee, with a score row carrying `predicate` unless 'NO_SCORE'. */
    async function finalized(periodId: string, unitId: string, predicate: Predicate | null | 'NO_SCORE', people: { id: string; nip: string }[]) {
      const employee = await createEmployee(t, { unitId, name: SECRET_NAME });
      people.push(employee);
      const [a] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, status, finalized_at) VALUES ($1, $2, $3, 'FINALIZED', now()) RETURNING id`,
        [employee.id, periodId, unitId],
      );
      if (predicate === null) await insertScore(t, a.id, { result: 100, behaviour: null });
      else if (predicate !== 'NO_SCORE') await insertScoreWithPredicate(t, a.id, predicate);
      return a.id;
    }

    it('lists units with ≥ 5 appraisals of their own, counted by predicate, without a grand total or individual data', async () => {
      const prefix = uniqueCode('SUM');
      const parent = await createUnit(t, { code: `${prefix}-A`, name: 'Dinas Ringkasan' });
      const small = await createUnit(t, { code: `${prefix}-B`, name: 'Bidang Kecil', parentId: parent.id, kind: 'BIDANG' });
      const child = await createUnit(t, { code: `${prefix}-C`, name: 'Bidang Anak', parentId: parent.id, kind: 'BIDANG' });
      const period = await insertPeriod(t, { type: 'QUARTERLY', status: 'EVALUATION' });
      const elsewhere = await insertPeriod(t);
      const people: { id: string; nip: string }[] = [];
      // PARENT: 5 of its own (2 SANGAT_BAIK, 1 BAIK, 1 KURANG, 1 without a score row) → listed with 5, not 5 + its children.
      for (const p of ['SANGAT_BAIK', 'SANGAT_BAIK', 'BAIK', 'KURANG', 'NO_SCORE'] as const) await finalized(period.id, parent.id, p, people);
      // SMALL: 4 in the period, plus one in another period → 4 < 5, left out.
      for (const p of ['BAIK', 'BAIK', 'BAIK', 'BAIK'] as const) await finalized(period.id, small.id, p, people);
      await finalized(elsewhere.id, small.id, 'BAIK', people);
      // CHILD: one of each predicate and one finalised without a predicate (score row with null predicate) → 6.
      for (const p of ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG', null] as const) await finalized(period.id, child.id, p, people);

      expectProblem(await summary(period.id), 409, 'period-not-closed');
      await setPeriodStatus(t, period.id, 'CLOSED');

      const res = await summary(period.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        periodId: period.id,
        code: period.code,
        type: 'QUARTERLY',
        startDate: period.startDate,
        endDate: period.endDate,
        minAppraisals: 5,
        units: [
          {
            unitCode: parent.code,
            unitName: 'Dinas Ringkasan',
            appraisals: 5,
            predicates: { SANGAT_BAIK: 2, BAIK: 1, BUTUH_PERBAIKAN: 0, KURANG: 1, SANGAT_KURANG: 0 },
            withoutPredicate: 1,
          },
          {
            unitCode: child.code,
            unitName: 'Bidang Anak',
            appraisals: 6,
            predicates: { SANGAT_BAIK: 1, BAIK: 1, BUTUH_PERBAIKAN: 1, KURANG: 1, SANGAT_KURANG: 1 },
            withoutPredicate: 1,
          },
        ],
      });
      // No total anywhere: 5 + 6 listed, 4 hidden.
      expect(Object.keys(res.body).sort()).toEqual(['code', 'endDate', 'minAppraisals', 'periodId', 'startDate', 'type', 'units']);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('Rahasia');
      expect(text).not.toContain(small.code);
      for (const person of people) {
        expect(text).not.toContain(person.id);
        expect(text).not.toContain(person.nip);
      }
    });

    it('the fifth appraisal makes a unit appear', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t, { status: 'CLOSED' });
      const people: { id: string; nip: string }[] = [];
      for (let i = 0; i < 4; i++) await finalized(period.id, unit.id, 'BAIK', people);
      expect((await summary(period.id)).body.units).toEqual([]);
      await finalized(period.id, unit.id, 'BUTUH_PERBAIKAN', people);
      expect((await summary(period.id)).body.units).toEqual([
        {
          unitCode: unit.code,
          unitName: `Unit ${unit.code}`,
          appraisals: 5,
          predicates: { SANGAT_BAIK: 0, BAIK: 4, BUTUH_PERBAIKAN: 1, KURANG: 0, SANGAT_KURANG: 0 },
          withoutPredicate: 0,
        },
      ]);
    });

    it.each(['PLANNING', 'OPEN', 'EVALUATION'])('a %s period → 409 period-not-closed', async (status) => {
      const period = await insertPeriod(t, { status });
      const res = await summary(period.id);
      expectProblem(res, 409, 'period-not-closed');
      expect(res.body.detail).toContain('CLOSED');
    });

    it('unknown → 404; a bad uuid → 400; a CLOSED period without appraisals → no units', async () => {
      expectProblem(await summary(GHOST), 404, 'not-found');
      expectProblem(await summary('not-a-uuid'), 400);
      const period = await insertPeriod(t, { status: 'CLOSED' });
      const res = await summary(period.id);
      expect(res.status).toBe(200);
      expect(res.body.units).toEqual([]);
    });
  });
});

describe('endpoints without login are throttled per client IP and endpoint (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_THROTTLE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After beyond PUBLIC_THROTTLE_LIMIT a minute, without touching logins', async () => {
    const period = await insertPeriod(t, { status: 'CLOSED' });
    for (let i = 0; i < 3; i++) expect((await t.http().get(`/public/periods/${period.id}/summary`)).status).toBe(200);
    const limited = await t.http().get(`/public/periods/${period.id}/summary`);
    expectProblem(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Counted per endpoint (the library's key is route and client).
    expectProblem(await t.http().get(`/public/service-index?unitCode=X&periodId=${period.id}`), 404);
    // The same address still signs in, and signed-in endpoints are not counted.
    expect((await t.http().post('/auth/login').send(TEST_ADMIN)).status).toBe(200);
    expect((await t.http().get(`/periods/${period.id}`).set(auth(t.adminToken))).status).toBe(200);
  });
});
