import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { BEHAVIOUR_ASPECTS } from '../src/modules/scoring/types';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, userToken } from './factories';
import { insertIndicator } from './planning-fixtures';
import { insertScore, insertScoreWithPredicate } from './score-fixtures';

type Predicate = 'SANGAT_BAIK' | 'BAIK' | 'BUTUH_PERBAIKAN' | 'KURANG' | 'SANGAT_KURANG';

const GHOST = '00000000-0000-4000-8000-000000000000';

/** One window period's result: a predicate and final score, a score without behaviour (so no predicate), or none. */
type Result = [Predicate, number] | 'NO_BEHAVIOUR' | 'NONE' | 'NOT_FINALIZED';

interface Item {
  rank: number | null;
  employee: { id: string; nip: string; name: string; unitId: string; jobType: string; rank: string; rankSince: string; potential: string | null };
  meanFinalScore: number | null;
  periods: { code: string; predicate: Predicate | null; finalScore: number | null }[];
  talentBox: number | null;
  eligible: boolean;
  reasons: { code: string; message: string }[];
}

describe('promotion candidates (e2e, spec §7)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);

  /**
   * `n` consecutive CLOSED ANNUAL periods in random far years (codes are the year, unique across parallel files),
   * newest first, and an asOf of 1 March of the year after the newest.
   */
  async function annualWindow(n: number, range: [number, number] = [2200, 8900]): Promise<{ periods: { id: string; code: string; year: number }[]; asOf: string; last: number }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const first = randomInt(range[0], range[1]);
      const periods: { id: string; code: string; year: number }[] = [];
      let clash = false;
      for (let y = first; y < first + n; y++) {
        const rows = await db.query<{ id: string }[]>(
          `INSERT INTO periods (code, type, start_date, end_date, status, policy)
           VALUES ($1, 'ANNUAL', $2, $3, 'CLOSED', '{}'::jsonb) ON CONFLICT DO NOTHING RETURNING id`,
          [String(y), `${y}-01-01`, `${y}-12-31`],
        );
        if (!rows.length) {
          clash = true;
          break;
        }
        periods.push({ id: rows[0].id, code: String(y), year: y });
      }
      if (!clash) {
        const last = first + n - 1;
        return { periods: periods.reverse(), asOf: `${last + 1}-03-01`, last };
      }
      if (periods.length) await db.query(`DELETE FROM periods WHERE id = ANY($1)`, [periods.map((p) => p.id)]);
    }
    throw new Error('annualWindow: no free years');
  }

  /** An appraisal (FINALIZED unless said otherwise) with its score row. */
  async function appraisal(employeeId: string, periodId: string, unitId: string, result: Result): Promise<string | null> {
    if (result === 'NONE') return null;
    const finalized = result !== 'NOT_FINALIZED';
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, status, finalized_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [employeeId, periodId, unitId, finalized ? 'FINALIZED' : 'ASSESSED', finalized ? new Date() : null],
    );
    if (result === 'NO_BEHAVIOUR') {
      await insertScore(t, row.id, { result: 100, behaviour: null });
    } else {
      const [predicate, final] = result === 'NOT_FINALIZED' ? (['BAIK', 100] as const) : result;
      await insertScoreWithPredicate(t, row.id, predicate, final);
    }
    return row.id;
  }

  interface CandidateOpts {
    unitId: string;
    /** Newest first, one per window period. */
    results: Result[];
    rankSince?: string;
    potential?: 'LOW' | 'MEDIUM' | 'HIGH';
    status?: 'INACTIVE' | 'RETIRED';
    penalties?: { level: 'LIGHT' | 'MODERATE' | 'HEAVY'; imposedOn: string }[];
    jobType?: string;
    nip?: string;
    name?: string;
  }

  async function candidate(w: { periods: { id: string }[] }, o: CandidateOpts): Promise<{ id: string; nip: string; appraisalIds: (string | null)[] }> {
    const body: Record<string, unknown> & { unitId: string } = { unitId: o.unitId, rankSince: o.rankSince ?? '2020-04-01' };
    if (o.jobType) body.jobType = o.jobType;
    if (o.nip) body.nip = o.nip;
    if (o.name) body.name = o.name;
    const e = await createEmployee(t, body);
    if (o.potential) {
      const res = await t.http().put(`/employees/${e.id}/potential`).set(admin()).send({ potential: o.potential });
      expect(res.status).toBe(200);
    }
    for (const p of o.penalties ?? []) {
      const res = await t.http().post(`/employees/${e.id}/penalties`).set(admin()).send({ ...p, description: `Hukuman ${p.level}` });
      expect(res.status).toBe(201);
    }
    if (o.status) {
      const res = await t.http().patch(`/employees/${e.id}`).set(admin()).send({ status: o.status });
      expect(res.status).toBe(200);
    }
    const appraisalIds: (string | null)[] = [];
    for (let i = 0; i < o.results.length; i++) appraisalIds.push(await appraisal(e.id, w.periods[i].id, o.unitId, o.results[i]));
    return { id: e.id, nip: e.nip, appraisalIds };
  }

  const list = (query: Record<string, string | number | boolean>, headers: Record<string, string> = admin()) =>
    t.http().get('/promotion-candidates').query(query).set(headers);

  /** Twelve-digit prefix plus a counter: NIPs that sort in a known order and stay unique. */
  const nipsInOrder = (n: number): string[] => {
    // Birth 1970–1989 and TMT CPNS 2010–2024: always at least 18 years apart, as a PNS NIP must be.
    const stem = `19${randomInt(70, 90)}${String(randomInt(1, 13)).padStart(2, '0')}${String(randomInt(1, 29)).padStart(2, '0')}20${randomInt(10, 25)}${String(randomInt(1, 13)).padStart(2, '0')}1`;
    const base = randomInt(100, 900 - n);
    return Array.from({ length: n }, (_, i) => `${stem}${base + i}`);
  };

  describe('GET /promotion-candidates', () => {
    it('lists a clean eligible candidate with every field, and ranks ties as §7', async () => {
      const w = await annualWindow(2);
      const [y1, y0] = w.periods.map((p) => p.code);
      const unit = await createUnit(t);
      const nips = nipsInOrder(6);
      // Highest mean.
      const a = await candidate(w, { unitId: unit.id, results: [['BAIK', 110], ['BAIK', 110]], potential: 'HIGH', nip: nips[5], name: 'Made A' });
      // Mean 105 each: B has two SANGAT_BAIK; C one, with the higher latest; D1 and D2 tie completely, NIP decides.
      const b = await candidate(w, { unitId: unit.id, results: [['SANGAT_BAIK', 105], ['SANGAT_BAIK', 105]], nip: nips[4] });
      const c = await candidate(w, { unitId: unit.id, results: [['SANGAT_BAIK', 108], ['BAIK', 102]], nip: nips[3] });
      const d2 = await candidate(w, { unitId: unit.id, results: [['BAIK', 102], ['SANGAT_BAIK', 108]], nip: nips[2] });
      const d1 = await candidate(w, { unitId: unit.id, results: [['BAIK', 102], ['SANGAT_BAIK', 108]], nip: nips[1] });
      const z = await candidate(w, { unitId: unit.id, results: [['BAIK', 100], ['BAIK', 100]], nip: nips[0] });

      const res = await list({ asOf: w.asOf, withinUnitId: unit.id });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, total: 6, pageSize: expect.any(Number) });
      const items = res.body.items as Item[];
      expect(items.map((i) => i.employee.id)).toEqual([a.id, b.id, c.id, d1.id, d2.id, z.id]);
      expect(items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(items.map((i) => i.meanFinalScore)).toEqual([110, 105, 105, 105, 105, 100]);
      expect(items[0]).toEqual({
        rank: 1,
        employee: {
          id: a.id,
          nip: a.nip,
          name: 'Made A',
          unitId: unit.id,
          jobType: 'PELAKSANA',
          rank: 'III/a',
          rankSince: '2020-04-01',
          potential: 'HIGH',
        },
        meanFinalScore: 110,
        periods: [
          { code: y1, predicate: 'BAIK', finalScore: 110 },
          { code: y0, predicate: 'BAIK', finalScore: 110 },
        ],
        talentBox: 7,
        eligible: true,
        reasons: [],
      });
      expect(items[1].talentBox).toBeNull(); // no potential
      expect(items.every((i) => i.eligible && i.reasons.length === 0)).toBe(true);

      // Paging keeps the global rank.
      const page2 = await list({ asOf: w.asOf, withinUnitId: unit.id, page: 2, pageSize: 4 });
      expect(page2.status).toBe(200);
      expect(page2.body).toMatchObject({ page: 2, pageSize: 4, total: 6 });
      expect((page2.body.items as Item[]).map((i) => [i.rank, i.employee.id])).toEqual([
        [5, d2.id],
        [6, z.id],
      ]);

      // jobType filter.
      const f = await candidate(w, { unitId: unit.id, results: [['BAIK', 100], ['BAIK', 100]], jobType: 'FUNGSIONAL' });
      const fungsional = await list({ asOf: w.asOf, withinUnitId: unit.id, jobType: 'FUNGSIONAL' });
      expect((fungsional.body.items as Item[]).map((i) => [i.rank, i.employee.id])).toEqual([[1, f.id]]);
    });

    it('gives each failing rule alone as a reason; includeIneligible adds them after the ranked ones', async () => {
      const w = await annualWindow(2);
      const [y1, y0] = w.periods.map((p) => p.code);
      const last = w.last;
      const unit = await createUnit(t);
      const ok: Result[] = [['BAIK', 100], ['BAIK', 100]];
      const expected: Record<string, string[]> = {};
      const make = async (label: string, o: Omit<CandidateOpts, 'unitId'>, codes: string[]) => {
        const c = await candidate(w, { unitId: unit.id, ...o });
        expected[c.id] = codes;
        return [label, c] as const;
      };
      const made = [
        await make('clean', { results: [['SANGAT_BAIK', 120], ['BAIK', 100]] }, []),
        await make('inactive', { results: ok, status: 'INACTIVE' }, ['NOT_ACTIVE']),
        await make('retired', { results: ok, status: 'RETIRED' }, ['NOT_ACTIVE']),
        await make('missing older', { results: [['BAIK', 100], 'NONE'] }, ['MISSING_FINALIZED_APPRAISAL']),
        await make('not finalized', { results: ['NOT_FINALIZED', ['BAIK', 100]] }, ['MISSING_FINALIZED_APPRAISAL']),
        await make('below', { results: [['BAIK', 100], ['BUTUH_PERBAIKAN', 95]] }, ['PREDICATE_BELOW_MINIMUM']),
        await make('null predicate', { results: ['NO_BEHAVIOUR', ['BAIK', 100]] }, ['PREDICATE_BELOW_MINIMUM']),
        // asOf is (last+1)-03-01: four years in rank are reached by a rank from (last-3)-03-01.
        await make('rank boundary', { results: ok, rankSince: `${last - 3}-03-01` }, []),
        await make('rank too recent', { results: ok, rankSince: `${last - 3}-03-02` }, ['RANK_TOO_RECENT']),
        // Penalty window (asOf − 2y, asOf] = ((last-1)-03-01, (last+1)-03-01].
        await make('penalty on the window start', { results: ok, penalties: [{ level: 'HEAVY', imposedOn: `${last - 1}-03-01` }] }, []),
        await make('penalty a day later', { results: ok, penalties: [{ level: 'MODERATE', imposedOn: `${last - 1}-03-02` }] }, ['RECENT_PENALTY']),
        await make('penalty on asOf', { results: ok, penalties: [{ level: 'HEAVY', imposedOn: w.asOf }] }, ['RECENT_PENALTY']),
        await make('penalty after asOf', { results: ok, penalties: [{ level: 'HEAVY', imposedOn: `${last + 1}-03-02` }] }, []),
        await make('light penalty', { results: ok, penalties: [{ level: 'LIGHT', imposedOn: `${last}-06-01` }] }, []),
      ];
      const byId = new Map(made.map(([label, c]) => [c.id, label]));

      const all = await list({ asOf: w.asOf, withinUnitId: unit.id, includeIneligible: true, pageSize: 100 });
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(made.length);
      const items = all.body.items as Item[];
      for (const i of items) {
        expect([byId.get(i.employee.id), i.reasons.map((r) => r.code)]).toEqual([byId.get(i.employee.id), expected[i.employee.id]]);
        expect(i.eligible).toBe(expected[i.employee.id].length === 0);
        for (const r of i.reasons) expect(r.message).toEqual(expect.stringMatching(/\S/));
      }
      const eligibleCount = Object.values(expected).filter((c) => c.length === 0).length;
      expect(items.slice(0, eligibleCount).map((i) => i.rank)).toEqual(Array.from({ length: eligibleCount }, (_, k) => k + 1));
      expect(items.slice(eligibleCount).every((i) => i.rank === null && !i.eligible)).toBe(true);
      expect(items[0].employee.id).toBe(made[0][1].id); // the highest mean

      // A window with a missing period: the period is listed with nulls and the mean is over what exists.
      const missing = items.find((i) => i.employee.id === made[3][1].id)!;
      expect(missing.periods).toEqual([
        { code: y1, predicate: 'BAIK', finalScore: 100 },
        { code: y0, predicate: null, finalScore: null },
      ]);
      expect(missing.reasons[0].message).toContain(y0);

      const eligibleOnly = await list({ asOf: w.asOf, withinUnitId: unit.id, includeIneligible: false, pageSize: 100 });
      expect(eligibleOnly.body.total).toBe(eligibleCount);
      expect((eligibleOnly.body.items as Item[]).every((i) => i.eligible && i.rank !== null)).toBe(true);

      // minPredicate SANGAT_BAIK: only candidates with SANGAT_BAIK in both years would pass; here none.
      const strict = await list({ asOf: w.asOf, withinUnitId: unit.id, minPredicate: 'SANGAT_BAIK' });
      expect(strict.body.total).toBe(0);
      // Moving asOf a day back puts the rank boundary candidate out, and the 'window start' penalty in.
      const dayBefore = await list({ asOf: `${last + 1}-02-28`, withinUnitId: unit.id, includeIneligible: true, pageSize: 100 });
      const codesOf = (label: string) =>
        (dayBefore.body.items as Item[]).find((i) => byId.get(i.employee.id) === label)!.reasons.map((r) => r.code);
      expect(codesOf('rank boundary')).toEqual(['RANK_TOO_RECENT']);
      expect(codesOf('penalty on the window start')).toEqual(['RECENT_PENALTY']);
      expect(codesOf('penalty on asOf')).toEqual([]);
    });

    it('NOT_ENOUGH_CLOSED_PERIODS when fewer closed periods of the type precede asOf', async () => {
      // One closed period in an early year no other file uses; the rank dates back far enough.
      const w = await annualWindow(1, [1100, 1800]);
      const unit = await createUnit(t);
      const c = await candidate(w, { unitId: unit.id, results: [['BAIK', 100]], rankSince: `${w.last - 10}-01-01` });
      const res = await list({ asOf: w.asOf, withinUnitId: unit.id, includeIneligible: true });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          rank: null,
          eligible: false,
          employee: expect.objectContaining({ id: c.id }),
          periods: [{ code: w.periods[0].code, predicate: 'BAIK', finalScore: 100 }],
          reasons: [{ code: 'NOT_ENOUGH_CLOSED_PERIODS', message: expect.any(String) }],
        }),
      ]);
      const one = await list({ asOf: w.asOf, withinUnitId: unit.id, window: 1 });
      expect((one.body.items as Item[]).map((i) => [i.rank, i.employee.id])).toEqual([[1, c.id]]);
    });

    it('only CLOSED periods with endDate ≤ asOf make the window', async () => {
      const w = await annualWindow(2);
      const unit = await createUnit(t);
      const c = await candidate(w, { unitId: unit.id, results: [['BAIK', 100], ['BAIK', 100]] });
      // asOf inside the newest period: its end date is after asOf, so the window moves one year back and misses.
      const res = await list({ asOf: `${w.last}-12-30`, withinUnitId: unit.id, includeIneligible: true });
      const item = (res.body.items as Item[]).find((i) => i.employee.id === c.id)!;
      expect(item.periods[0].code).toBe(w.periods[1].code);
      expect(item.periods.map((p) => p.code)).not.toContain(w.periods[0].code);
    });

    it('validates its parameters', async () => {
      const unit = await createUnit(t);
      expectProblem(await list({ withinUnitId: unit.id, minPredicate: 'LUAR_BIASA' }), 400);
      expectProblem(await list({ withinUnitId: unit.id, asOf: '2026-02-30' }), 400);
      expectProblem(await list({ withinUnitId: unit.id, window: 0 }), 400);
      expectProblem(await list({ withinUnitId: unit.id, includeIneligible: 'yes' }), 400);
      expectProblem(await list({ withinUnitId: GHOST }), 400);
    });

    it('access: HR operators see their subtree only; EMPLOYEE 403; API key scores:read', async () => {
      const w = await annualWindow(2);
      const root = await createUnit(t);
      const left = await createUnit(t, { parentId: root.id });
      const right = await createUnit(t, { parentId: root.id });
      const ok: Result[] = [['BAIK', 100], ['BAIK', 100]];
      const inLeft = await candidate(w, { unitId: left.id, results: ok });
      const inRight = await candidate(w, { unitId: right.id, results: ok });

      const asAdmin = await list({ asOf: w.asOf, withinUnitId: root.id });
      expect((asAdmin.body.items as Item[]).map((i) => i.employee.id).sort()).toEqual([inLeft.id, inRight.id].sort());

      const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: left.id });
      const own = await list({ asOf: w.asOf }, auth(hr.token));
      expect(own.status).toBe(200);
      const ids = (own.body.items as Item[]).map((i) => i.employee.id);
      expect(ids).toContain(inLeft.id);
      expect(ids).not.toContain(inRight.id);
      expect(own.body.total).toBe(1);
      const withinOwn = await list({ asOf: w.asOf, withinUnitId: left.id }, auth(hr.token));
      expect((withinOwn.body.items as Item[]).map((i) => i.employee.id)).toEqual([inLeft.id]);
      const outside = await list({ asOf: w.asOf, withinUnitId: right.id }, auth(hr.token));
      expectProblem(outside, 400);
      expect(outside.body.errors.map((e: { field: string }) => e.field)).toEqual(['withinUnitId']);
      expectProblem(await list({ asOf: w.asOf, withinUnitId: root.id }, auth(hr.token)), 400);

      const employee = await userToken(t, { role: 'EMPLOYEE', employeeId: inLeft.id });
      expectProblem(await list({ asOf: w.asOf }, auth(employee.token)), 403);
      expectProblem(await t.http().post('/promotion-candidates/shortlists').set(auth(employee.token)).send({ name: 'x', parameters: {} }), 403);

      const scoresOnly = await apiKey(t, ['scores:read']);
      expectProblem(await list({ asOf: w.asOf, withinUnitId: root.id }, { 'X-API-Key': scoresOnly.key }), 403, 'missing-scope');
      const reader = await apiKey(t, ['promotion:read']);
      const byKey = await list({ asOf: w.asOf, withinUnitId: root.id }, { 'X-API-Key': reader.key });
      expect(byKey.status).toBe(200);
      expect(byKey.body.total).toBe(2);
      const other = await apiKey(t, ['org:read']);
      expectProblem(await list({ asOf: w.asOf, withinUnitId: root.id }, { 'X-API-Key': other.key }), 403);
      expectProblem(await t.http().get('/promotion-candidates').query({ asOf: w.asOf }), 401);
    });
  });

  describe('shortlists', () => {
    async function scenario() {
      const w = await annualWindow(2);
      const unit = await createUnit(t);
      const first = await candidate(w, { unitId: unit.id, results: [['SANGAT_BAIK', 115], ['BAIK', 105]], potential: 'MEDIUM' });
      const second = await candidate(w, { unitId: unit.id, results: [['BAIK', 104], ['BAIK', 104]] });
      const ineligible = await candidate(w, { unitId: unit.id, results: [['KURANG', 85], ['BAIK', 100]] });
      return { w, unit, first, second, ineligible };
    }

    it('freezes the computed list; a later score change does not alter it', async () => {
      const s = await scenario();
      const parameters = { asOf: s.w.asOf, withinUnitId: s.unit.id };
      const before = await list({ ...parameters, pageSize: 100 });
      expect((before.body.items as Item[]).map((i) => i.employee.id)).toEqual([s.first.id, s.second.id]);

      const created = await t.http().post('/promotion-candidates/shortlists').set(admin()).send({ name: 'Baperjakat Maret', parameters });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Baperjakat Maret',
        parameters: expect.objectContaining({
          periodType: 'ANNUAL',
          window: 2,
          minPredicate: 'BAIK',
          minYearsInRank: 4,
          penaltyYears: 2,
          withinUnitId: s.unit.id,
          asOf: s.w.asOf,
          includeIneligible: false,
        }),
        createdAt: expect.any(String),
        items: before.body.items,
        decisions: [],
      });
      const id = created.body.id as string;

      // The later score: the second now outranks the first.
      await insertScoreWithPredicate(t, s.second.appraisalIds[0]!, 'SANGAT_BAIK', 120);
      const after = await list({ ...parameters, pageSize: 100 });
      expect((after.body.items as Item[]).map((i) => i.employee.id)).toEqual([s.second.id, s.first.id]);
      expect(after.body.items).not.toEqual(before.body.items);

      const read = await t.http().get(`/promotion-candidates/shortlists/${id}`).set(admin());
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('stays unchanged when an accepted objection later changes a score through the real pipeline', async () => {
      const s = await scenario();
      const appraisalId = s.second.appraisalIds[0]!;
      // Give the finalised appraisal real source rows: one target of 10 met exactly, behaviour all MEETS.
      const meets = Object.fromEntries(BEHAVIOUR_ASPECTS.map((a) => [a, 'MEETS_EXPECTATION']));
      await db.query(`UPDATE appraisals SET behaviour_ratings = $2, assessed_at = now() WHERE id = $1`, [appraisalId, JSON.stringify(meets)]);
      const indicator = await insertIndicator(t);
      const [target] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100) RETURNING id`,
        [appraisalId, indicator.id],
      );
      await db.query(
        `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by)
         VALUES ($1, $2, 10, $3, 'VERIFIED', $4)`,
        [target.id, appraisalId, `${s.w.last}-06-01`, s.second.id],
      );
      const parameters = { asOf: s.w.asOf, withinUnitId: s.unit.id };
      const created = await t.http().post('/promotion-candidates/shortlists').set(admin()).send({ name: 'Baperjakat April', parameters });
      expect(created.status).toBe(201);

      // The employee objects; the reviewer (an admin here, not the first: it set the employee's password) accepts:
      // behaviour all ABOVE and the result rated ABOVE.
      const employee = await userToken(t, { role: 'EMPLOYEE', employeeId: s.second.id });
      expect((await t.http().post(`/appraisals/${appraisalId}/objection`).set(auth(employee.token)).send({ reason: 'Perilaku tidak dinilai adil' })).status).toBe(201);
      const above = Object.fromEntries(BEHAVIOUR_ASPECTS.map((a) => [a, 'ABOVE_EXPECTATION']));
      const reviewer = auth((await userToken(t, { role: 'ADMIN' })).token);
      const resolved = await t.http().post(`/appraisals/${appraisalId}/objection/resolve`).set(reviewer).send({
        decision: 'ACCEPTED', note: 'Bukti diterima', behaviourRatings: above, resultRatingOverride: 'ABOVE_EXPECTATION',
      });
      expect(resolved.status).toBe(200);
      await t.app.get(RecalculationService).processMarks([appraisalId]);
      // result 100, behaviour 120: final 0.7·100 + 0.3·120 = 106; ABOVE/ABOVE → SANGAT_BAIK.
      const live = await list({ ...parameters, pageSize: 100 });
      const second = (live.body.items as Item[]).find((i) => i.employee.id === s.second.id)!;
      expect(second.periods[0]).toEqual({ code: s.w.periods[0].code, predicate: 'SANGAT_BAIK', finalScore: 106 });
      expect(second.meanFinalScore).toBe(105);

      const read = await t.http().get(`/promotion-candidates/shortlists/${created.body.id}`).set(admin());
      expect(read.body.items).toEqual(created.body.items);
      const frozen = (read.body.items as Item[]).find((i) => i.employee.id === s.second.id)!;
      expect(frozen.periods[0]).toEqual({ code: s.w.periods[0].code, predicate: 'BAIK', finalScore: 104 });
    });

    it('fills in today as asOf and the defaults when parameters are left out', async () => {
      const unit = await createUnit(t);
      const res = await t.http().post('/promotion-candidates/shortlists').set(admin()).send({ name: 'Kosong', parameters: { withinUnitId: unit.id } });
      expect(res.status).toBe(201);
      expect(res.body.parameters).toMatchObject({
        periodType: 'ANNUAL',
        window: 2,
        minPredicate: 'BAIK',
        minYearsInRank: 4,
        penaltyYears: 2,
        includeIneligible: false,
        asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      // Today in Denpasar (WITA, UTC+8), which is already tomorrow in UTC from 16:00; the call may straddle midnight.
      const wita = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Makassar' }).format(new Date(ms));
      expect([wita(Date.now()), wita(Date.now() - 60_000)]).toContain(res.body.parameters.asOf);
      expect(res.body.items).toEqual([]);
    });

    it('validates the shortlist body', async () => {
      const post = (body: unknown) => t.http().post('/promotion-candidates/shortlists').set(admin()).send(body as object);
      expectProblem(await post({ parameters: {} }), 400);
      expectProblem(await post({ name: 'x', parameters: { minPredicate: 'LUAR_BIASA' } }), 400);
      expectProblem(await post({ name: 'x', parameters: { withinUnitId: GHOST } }), 400);
      expectProblem(await t.http().get(`/promotion-candidates/shortlists/${GHOST}`).set(admin()), 404);
    });

    it('records decisions on listed employees only, and audits', async () => {
      const s = await scenario();
      const created = await t
        .http()
        .post('/promotion-candidates/shortlists')
        .set(admin())
        .send({ name: 'Baperjakat', parameters: { asOf: s.w.asOf, withinUnitId: s.unit.id } });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const decide = (body: object) => t.http().post(`/promotion-candidates/shortlists/${id}/decisions`).set(admin()).send(body);

      const ok = await decide({ employeeId: s.first.id, decision: 'APPROVED', note: 'Memenuhi syarat' });
      expect(ok.status).toBe(201);
      expect(ok.body).toEqual({
        shortlistId: id,
        employeeId: s.first.id,
        decision: 'APPROVED',
        note: 'Memenuhi syarat',
        decidedBy: expect.any(String),
        decidedAt: expect.any(String),
      });
      expect((await decide({ employeeId: s.second.id, decision: 'DEFERRED', note: 'Menunggu formasi' })).status).toBe(201);

      // Not in the items (ineligible, so left out with includeIneligible=false) → 400 on employeeId.
      const notListed = await decide({ employeeId: s.ineligible.id, decision: 'APPROVED', note: 'x' });
      expectProblem(notListed, 400);
      expect(notListed.body.errors.map((e: { field: string }) => e.field)).toEqual(['employeeId']);
      const ghost = await decide({ employeeId: GHOST, decision: 'REJECTED', note: 'x' });
      expectProblem(ghost, 400);
      expect(ghost.body.errors.map((e: { field: string }) => e.field)).toEqual(['employeeId']);
      const badDecision = await decide({ employeeId: s.first.id, decision: 'MAYBE', note: 'x' });
      expectProblem(badDecision, 400);
      expect(badDecision.body.errors.map((e: { field: string }) => e.field)).toContain('decision');
      expectProblem(await decide({ decision: 'APPROVED', note: 'x' }), 400);
      expectProblem(
        await t.http().post(`/promotion-candidates/shortlists/${GHOST}/decisions`).set(admin()).send({ employeeId: s.first.id, decision: 'APPROVED', note: 'x' }),
        404,
      );

      const read = await t.http().get(`/promotion-candidates/shortlists/${id}`).set(admin());
      expect(read.body.decisions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ employeeId: s.first.id, decision: 'APPROVED', note: 'Memenuhi syarat' }),
          expect.objectContaining({ employeeId: s.second.id, decision: 'DEFERRED' }),
        ]),
      );
      expect(read.body.decisions).toHaveLength(2);

      const audit = await t.http().get('/audit-events').query({ entityId: id, pageSize: 100 }).set(admin());
      expect(audit.status).toBe(200);
      const actions = (audit.body.items as { action: string }[]).map((a) => a.action);
      expect(actions).toContain('shortlist.create');
      expect(actions.filter((a) => a === 'shortlist.decision')).toHaveLength(2);
    });

    it('refuses a decision on the caller\'s own place on the shortlist, for admins and HR operators alike (own-appraisal)', async () => {
      const s = await scenario();
      const created = await t.http().post('/promotion-candidates/shortlists').set(admin()).send({ name: 'Baperjakat', parameters: { asOf: s.w.asOf, withinUnitId: s.unit.id } });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const self = [
        await userToken(t, { role: 'ADMIN', employeeId: s.first.id }),
        await userToken(t, { role: 'HR_OPERATOR', unitId: s.unit.id, employeeId: s.second.id }),
      ];
      for (const [caller, own, other] of [[self[0], s.first.id, s.second.id], [self[1], s.second.id, s.first.id]] as const) {
        const decide = (employeeId: string) =>
          t.http().post(`/promotion-candidates/shortlists/${id}/decisions`).set(auth(caller.token)).send({ employeeId, decision: 'APPROVED', note: 'Memenuhi syarat' });
        const refused = await decide(own);
        expectProblem(refused, 403);
        expect(refused.body.code).toBe('own-appraisal');
        expect((await decide(other)).status).toBe(201); // a colleague's place is theirs to decide
      }
      const read = await t.http().get(`/promotion-candidates/shortlists/${id}`).set(admin());
      expect(read.body.decisions.map((d: { employeeId: string; decidedBy: string }) => [d.employeeId, d.decidedBy]).sort()).toEqual(
        [[s.first.id, self[1].id], [s.second.id, self[0].id]].sort(),
      );
    });
  });
});
