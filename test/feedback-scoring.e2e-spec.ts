import { DataSource } from 'typeorm';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { markForFeedback } from '../src/modules/recalculation/feedback-marks';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit } from './factories';
import { all, insertFeedback } from './feedback-fixtures';
import { insertIndicator, insertPeriod } from './planning-fixtures';

const ASPECTS = ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'];
const MEETS = Object.fromEntries(ASPECTS.map((a) => [a, 'MEETS_EXPECTATION']));

/** YYYY-MM-DD plus n days (UTC, so no time zone shifts the date). */
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Aspect {
  aspect: string;
  assessorValue: number;
  publicValue: number | null;
  publicSource: 'EMPLOYEE' | 'UNIT' | null;
  value: number;
}

/**
 * Spec §4/§5.3/§6: citizen feedback in the BERORIENTASI_PELAYANAN aspect. Every appraisal here has one target
 * of 10 with a verified achievement of 10 (resultScore 100) and all seven aspects MEETS (assessor value 100),
 * so only the service aspect moves: behaviourScore = (6·100 + value)/7, finalScore = 0.7·100 + 0.3·behaviour.
 */
describe('public feedback in scores (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let recalculation: RecalculationService;
  let indicator: { id: string };
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    recalculation = t.app.get(RecalculationService);
    indicator = await insertIndicator(t);
  });
  afterAll(() => t.close());

  /** An ASSESSED appraisal of a new employee (or the given one) with the appraisal's unit snapshot `unitId`. */
  async function appraisal(unitId: string, periodId: string, opts: { employeeId?: string; status?: string } = {}) {
    const employeeId = opts.employeeId ?? (await createEmployee(t, { unitId })).id;
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, status, behaviour_ratings, assessed_at)
       VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
      [employeeId, periodId, unitId, opts.status ?? 'ASSESSED', JSON.stringify(MEETS)],
    );
    const [target] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100) RETURNING id`,
      [a.id, indicator.id],
    );
    const [{ start_date }] = await db.query<{ start_date: string }[]>(`SELECT start_date::text FROM periods WHERE id = $1`, [periodId]);
    await db.query(
      `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, 10, $3, 'VERIFIED', $4)`,
      [target.id, a.id, start_date, employeeId],
    );
    return { id: a.id, employeeId };
  }

  /** Marks and recomputes, as a worker would. */
  async function recompute(...ids: string[]): Promise<number> {
    await db.query(
      `INSERT INTO score_recalculation_marks (appraisal_id, version, marked_at, reason)
       SELECT unnest($1::uuid[]), 1, now(), 'test' ON CONFLICT (appraisal_id) DO UPDATE SET version = score_recalculation_marks.version + 1`,
      [ids],
    );
    return recalculation.processMarks(ids);
  }

  async function score(id: string) {
    const res = await t.http().get(`/appraisals/${id}/score`).set(auth(t.adminToken));
    expect(res.status).toBe(200);
    const service = (res.body.aspects as Aspect[]).find((a) => a.aspect === 'BERORIENTASI_PELAYANAN')!;
    return { body: res.body as { behaviourScore: number; finalScore: number; computedAt: string }, service };
  }

  const assessorOnly = { assessorValue: 100, publicValue: null, publicSource: null, value: 100 };

  describe('employee source', () => {
    it('≥ 10 VERIFIED responses in the period blend the employee IKM at α 0.5', async () => {
      const unit = await createUnit(t);
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const a = await appraisal(unit.id, period.id);
      // 5 × all 4 and 5 × all 3: total 5·36 + 5·27 = 315, IKM = 25·315/(9·10) = 87.5, publicValue 1.2·87.5 = 105.
      await insertFeedback(t, { unitId: unit.id, employeeId: a.employeeId, status: 'VERIFIED', submittedOn: period.startDate, count: 5 });
      await insertFeedback(t, { unitId: unit.id, employeeId: a.employeeId, status: 'VERIFIED', submittedOn: period.endDate, answers: all(3), count: 5 });
      // Ignored: PUBLISHED does not count for an employee; a VERIFIED one the day after end_date is outside the period.
      await insertFeedback(t, { unitId: unit.id, employeeId: a.employeeId, status: 'PUBLISHED', submittedOn: period.startDate, answers: all(1), count: 3 });
      await insertFeedback(t, { unitId: unit.id, employeeId: a.employeeId, status: 'VERIFIED', submittedOn: addDays(period.endDate, 1), answers: all(1) });
      expect(await recompute(a.id)).toBe(1);

      const { body, service } = await score(a.id);
      // value = 0.5·100 + 0.5·105 = 102.5; behaviour = (600 + 102.5)/7 = 100.357… → 100.36;
      // final = 0.7·100 + 0.3·100.357… = 100.107… → 100.11.
      expect(service).toMatchObject({ assessorValue: 100, publicValue: 105, publicSource: 'EMPLOYEE', value: 102.5 });
      expect(body).toMatchObject({ resultScore: 100, behaviourScore: 100.36, finalScore: 100.11 });
    });

    it('9 VERIFIED responses, or PUBLISHED/HELD/REJECTED ones however many, leave the assessor value alone', async () => {
      const unit = await createUnit(t); // not publicService, so no unit source either
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const nine = await appraisal(unit.id, period.id);
      const unverified = await appraisal(unit.id, period.id);
      await insertFeedback(t, { unitId: unit.id, employeeId: nine.employeeId, status: 'VERIFIED', submittedOn: period.startDate, answers: all(1), count: 9 });
      for (const status of ['PUBLISHED', 'HELD', 'REJECTED']) {
        await insertFeedback(t, { unitId: unit.id, employeeId: unverified.employeeId, status, submittedOn: period.startDate, answers: all(1), count: 12 });
      }
      expect(await recompute(nine.id, unverified.id)).toBe(2);
      for (const id of [nine.id, unverified.id]) {
        const { body, service } = await score(id);
        expect(service).toMatchObject(assessorOnly);
        expect(body).toMatchObject({ behaviourScore: 100, finalScore: 100 });
      }
    });

    it('the employee source wins over a qualifying unit source', async () => {
      const unit = await createUnit(t, { publicService: true });
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const a = await appraisal(unit.id, period.id);
      // Unit: 40 responses of all 1 (IKM 25) would pull hard; the employee's 10 × all 4 (IKM 100) win.
      await insertFeedback(t, { unitId: unit.id, status: 'PUBLISHED', submittedOn: period.startDate, answers: all(1), count: 40 });
      await insertFeedback(t, { unitId: unit.id, employeeId: a.employeeId, status: 'VERIFIED', submittedOn: period.startDate, count: 10 });
      await recompute(a.id);
      // publicValue 120, value 0.5·100 + 0.5·120 = 110; behaviour 710/7 = 101.428… → 101.43.
      const { body, service } = await score(a.id);
      expect(service).toMatchObject({ publicValue: 120, publicSource: 'EMPLOYEE', value: 110 });
      expect(body.behaviourScore).toBe(101.43);
    });
  });

  describe('unit source', () => {
    it('≥ 30 PUBLISHED+VERIFIED responses across the nearest publicService ancestor subtree blend its IKM at α 0.25', async () => {
      const parent = await createUnit(t, { publicService: true });
      const child = await createUnit(t, { parentId: parent.id });
      const sibling = await createUnit(t, { parentId: parent.id });
      const outside = await createUnit(t, { publicService: true });
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const a = await appraisal(child.id, period.id);
      // Counted (30): 15 × all 4 PUBLISHED at the sibling, 10 × all 2 VERIFIED at the parent, 5 × all 2 PUBLISHED at
      // the employee's own unit. Total 15·36 + 15·18 = 810, IKM = 25·810/(9·30) = 75, publicValue 90.
      await insertFeedback(t, { unitId: sibling.id, status: 'PUBLISHED', submittedOn: period.startDate, count: 15 });
      await insertFeedback(t, { unitId: parent.id, status: 'VERIFIED', submittedOn: period.endDate, answers: all(2), count: 10 });
      await insertFeedback(t, { unitId: child.id, status: 'PUBLISHED', submittedOn: period.startDate, answers: all(2), count: 5 });
      // Not counted: HELD/REJECTED, outside the period's dates, outside the subtree.
      await insertFeedback(t, { unitId: child.id, status: 'HELD', submittedOn: period.startDate, answers: all(1), count: 5 });
      await insertFeedback(t, { unitId: child.id, status: 'REJECTED', submittedOn: period.startDate, answers: all(1), count: 5 });
      await insertFeedback(t, { unitId: child.id, status: 'PUBLISHED', submittedOn: addDays(period.endDate, 1), answers: all(1), count: 5 });
      await insertFeedback(t, { unitId: child.id, status: 'PUBLISHED', submittedOn: addDays(period.startDate, -1), answers: all(1), count: 5 });
      await insertFeedback(t, { unitId: outside.id, status: 'PUBLISHED', submittedOn: period.startDate, answers: all(1), count: 5 });
      await recompute(a.id);
      // value = 0.75·100 + 0.25·90 = 97.5; behaviour = (600 + 97.5)/7 = 99.642… → 99.64; final = 70 + 29.892… → 99.89.
      const { body, service } = await score(a.id);
      expect(service).toMatchObject({ assessorValue: 100, publicValue: 90, publicSource: 'UNIT', value: 97.5 });
      expect(body).toMatchObject({ behaviourScore: 99.64, finalScore: 99.89 });
    });

    it('29 responses in the period (the 30th a day after end_date) are not enough; the 30th on end_date is', async () => {
      const parent = await createUnit(t, { publicService: true });
      const child = await createUnit(t, { parentId: parent.id });
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const a = await appraisal(child.id, period.id);
      await insertFeedback(t, { unitId: child.id, status: 'PUBLISHED', submittedOn: period.startDate, answers: all(2), count: 29 });
      await insertFeedback(t, { unitId: child.id, status: 'VERIFIED', submittedOn: addDays(period.endDate, 1), answers: all(2) });
      expect(await recompute(a.id)).toBe(1);
      const before = await score(a.id);
      expect(before.service).toMatchObject(assessorOnly);
      expect(before.body.behaviourScore).toBe(100);

      // Digest: the inputs changed, so the score is rewritten. 30 × all 2: IKM 50, publicValue 60,
      // value 0.75·100 + 0.25·60 = 90; behaviour 690/7 = 98.571… → 98.57.
      await insertFeedback(t, { unitId: parent.id, status: 'VERIFIED', submittedOn: period.endDate, answers: all(2) });
      expect(await recompute(a.id)).toBe(1);
      const after = await score(a.id);
      expect(after.service).toMatchObject({ publicValue: 60, publicSource: 'UNIT', value: 90 });
      expect(after.body.behaviourScore).toBe(98.57);
      expect(after.body.computedAt).not.toBe(before.body.computedAt);

      // Nothing changed since: the digest matches, nothing is written and the mark is still cleared.
      expect(await recompute(a.id)).toBe(0);
      expect((await score(a.id)).body.computedAt).toBe(after.body.computedAt);
      expect(await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [a.id])).toHaveLength(0);
    });

    it('the nearest publicService unit wins over a farther one, even when it has too few responses', async () => {
      const far = await createUnit(t, { publicService: true });
      const near = await createUnit(t, { parentId: far.id, publicService: true });
      const leaf = await createUnit(t, { parentId: near.id });
      const thin = await createUnit(t, { parentId: far.id, publicService: true });
      const period = await insertPeriod(t, { status: 'EVALUATION' });
      const inLeaf = await appraisal(leaf.id, period.id);
      const inFar = await appraisal(far.id, period.id);
      const inThin = await appraisal(thin.id, period.id);
      // near's subtree: 30 × all 2, IKM 50. thin's subtree: 29 × all 4, too few, and far's index is not used instead.
      // far's subtree holds all 89: total 30·18 + 30·36 + 29·36 = 2664, IKM = 25·2664/(9·89) = 83.146…
      await insertFeedback(t, { unitId: leaf.id, status: 'PUBLISHED', submittedOn: period.startDate, answers: all(2), count: 30 });
      await insertFeedback(t, { unitId: far.id, status: 'VERIFIED', submittedOn: period.startDate, count: 30 });
      await insertFeedback(t, { unitId: thin.id, status: 'PUBLISHED', submittedOn: period.startDate, count: 29 });
      expect(await recompute(inLeaf.id, inFar.id, inThin.id)).toBe(3);
      // leaf → near: publicValue 60, value 0.75·100 + 0.25·60 = 90.
      // far: publicValue 99.775… → 99.78, value 0.75·100 + 0.25·99.775… = 99.943… → 99.94.
      expect((await score(inLeaf.id)).service).toMatchObject({ publicValue: 60, publicSource: 'UNIT', value: 90 });
      expect((await score(inFar.id)).service).toMatchObject({ publicValue: 99.78, publicSource: 'UNIT', value: 99.94 });
      expect((await score(inThin.id)).service).toMatchObject(assessorOnly);
    });
  });

  describe('markForFeedback', () => {
    const marked = async (ids: string[]) =>
      (
        await db.query<{ appraisal_id: string }[]>('SELECT appraisal_id FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[])', [ids])
      )
        .map((r) => r.appraisal_id)
        .sort();

    it('marks the named employee and the appraisals whose unit index holds the feedback, in every period containing the date', async () => {
      // far (service) ─┬─ near (service) ─┬─ unit ── deep
      //                │                  └─ other (service) ── otherChild
      //                └─ plain
      // elsewhere: a tree of its own, no publicService unit.
      const far = await createUnit(t, { publicService: true });
      const near = await createUnit(t, { parentId: far.id, publicService: true });
      const unit = await createUnit(t, { parentId: near.id });
      const deep = await createUnit(t, { parentId: unit.id });
      const other = await createUnit(t, { parentId: near.id, publicService: true });
      const otherChild = await createUnit(t, { parentId: other.id });
      const plain = await createUnit(t, { parentId: far.id });
      const elsewhere = await createUnit(t);

      const month = await insertPeriod(t, { status: 'OPEN' });
      const year = month.startDate.slice(0, 4);
      const annual = await insertPeriod(t, { type: 'ANNUAL', start: `${year}-01-01`, end: `${year}-12-31` });
      const later = await insertPeriod(t, { start: addDays(month.endDate, 1), end: addDays(month.endDate, 20) });

      const named = await appraisal(elsewhere.id, month.id);
      const namedAnnual = await appraisal(elsewhere.id, annual.id, { employeeId: named.employeeId });
      const namedLater = await appraisal(elsewhere.id, later.id, { employeeId: named.employeeId });
      const colleague = await appraisal(elsewhere.id, month.id);
      const inUnit = await appraisal(unit.id, month.id);
      const inUnitAnnual = await appraisal(unit.id, annual.id, { employeeId: inUnit.employeeId });
      const inUnitLater = await appraisal(unit.id, later.id, { employeeId: inUnit.employeeId });
      const inDeep = await appraisal(deep.id, month.id);
      const inNear = await appraisal(near.id, month.id);
      const inFar = await appraisal(far.id, month.id);
      const inPlain = await appraisal(plain.id, month.id);
      const inOther = await appraisal(other.id, month.id);
      const inOtherChild = await appraisal(otherChild.id, month.id);
      const finalized = await appraisal(unit.id, month.id, { status: 'FINALIZED' });
      const ids = [named, namedAnnual, namedLater, colleague, inUnit, inUnitAnnual, inUnitLater, inDeep, inNear, inFar, inPlain, inOther, inOtherChild, finalized].map((a) => a.id);

      const feedback = { unitId: unit.id, employeeId: named.employeeId, submittedOn: month.endDate };
      const count = await db.transaction((m) => markForFeedback(m, feedback, 'feedback.verify'));
      // Named employee in both periods containing the date; unit/deep → near; near, far and plain (→ far) hold
      // `unit` in their subtree. Not: later period, a colleague elsewhere, other/otherChild (→ other, whose
      // subtree does not hold `unit`), a FINALIZED appraisal.
      const expected = [named, namedAnnual, inUnit, inUnitAnnual, inDeep, inNear, inFar, inPlain].map((a) => a.id).sort();
      expect(count).toBe(expected.length);
      expect(await marked(ids)).toEqual(expected);
      const [row] = await db.query<{ reason: string }[]>('SELECT reason FROM score_recalculation_marks WHERE appraisal_id = $1', [inFar.id]);
      expect(row.reason).toBe('feedback.verify');
      await db.query('DELETE FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[])', [ids]);

      // Feedback with no publicService unit above it, and no employee, reaches nobody; with one, only them.
      expect(await db.transaction((m) => markForFeedback(m, { unitId: elsewhere.id, employeeId: null, submittedOn: month.startDate }, 'feedback.publish'))).toBe(0);
      expect(await db.transaction((m) => markForFeedback(m, { unitId: elsewhere.id, employeeId: colleague.employeeId, submittedOn: month.startDate }, 'feedback.publish'))).toBe(1);
      expect(await marked(ids)).toEqual([colleague.id]);
      await db.query('DELETE FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[])', [ids]);

      // Feedback under `other` is in the subtrees of other, near and far: every appraisal indexed by one of them
      // (unit and deep → near) in the month and the annual period, none of the named-employee ones.
      await db.transaction((m) => markForFeedback(m, { unitId: otherChild.id, employeeId: null, submittedOn: month.startDate }, 'feedback.publish'));
      expect(await marked(ids)).toEqual([inOther, inOtherChild, inNear, inUnit, inUnitAnnual, inDeep, inFar, inPlain].map((a) => a.id).sort());
      await db.query('DELETE FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[])', [ids]);
    });

    it('rolls back with the caller’s transaction', async () => {
      const unit = await createUnit(t, { publicService: true });
      const period = await insertPeriod(t, { status: 'OPEN' });
      const a = await appraisal(unit.id, period.id);
      await expect(
        db.transaction(async (m) => {
          expect(await markForFeedback(m, { unitId: unit.id, employeeId: null, submittedOn: period.startDate }, 'feedback.publish')).toBe(1);
          throw new Error('write failed');
        }),
      ).rejects.toThrow('write failed');
      expect(await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [a.id])).toHaveLength(0);
    });
  });

  describe('unit changes', () => {
    it('a move or a publicService change marks exactly the appraisals whose unit index may change', async () => {
      //   p1 (public)          p2 (public)        z (public)
      //   ├── x ── y           └── s2
      //   └── s1
      const p1 = await createUnit(t, { publicService: true });
      const p2 = await createUnit(t, { publicService: true });
      const z = await createUnit(t, { publicService: true });
      const x = await createUnit(t, { parentId: p1.id });
      const y = await createUnit(t, { parentId: x.id });
      const s1 = await createUnit(t, { parentId: p1.id });
      const s2 = await createUnit(t, { parentId: p2.id });
      const period = await insertPeriod(t, { status: 'OPEN' });
      const a = {
        p1: (await appraisal(p1.id, period.id)).id,
        p2: (await appraisal(p2.id, period.id)).id,
        z: (await appraisal(z.id, period.id)).id,
        x: (await appraisal(x.id, period.id)).id,
        y: (await appraisal(y.id, period.id)).id,
        s1: (await appraisal(s1.id, period.id)).id,
        s2: (await appraisal(s2.id, period.id)).id,
        frozen: (await appraisal(x.id, period.id, { status: 'FINALIZED' })).id,
      };
      const ids = Object.values(a);
      const marked = async () => {
        const rows = await db.query<{ appraisal_id: string }[]>('SELECT appraisal_id FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[])', [ids]);
        await db.query('DELETE FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[])', [ids]);
        return rows.map((r) => r.appraisal_id).sort();
      };
      const patch = async (id: string, body: object) => expect((await t.http().patch(`/units/${id}`).set(auth(t.adminToken)).send(body)).status).toBe(200);

      await patch(x.id, { name: 'Bidang Pelayanan' });
      expect(await marked()).toEqual([]);
      // x becomes public: x and y now use x's index; p1 and s1 keep p1's, which still holds x's feedback.
      await patch(x.id, { publicService: true });
      expect(await marked()).toEqual([a.x, a.y].sort());
      // x (no longer public) moves under p2: p1's subtree loses its feedback, p2's gains it, x and y now use p2's.
      await patch(x.id, { publicService: false, parentId: p2.id });
      expect(await marked()).toEqual([a.p1, a.s1, a.p2, a.s2, a.x, a.y].sort());
      // The bulk import takes the same path, in one statement for all rows; a renamed row marks nothing.
      const imported = await t
        .http()
        .post('/units/import')
        .set(auth(t.adminToken))
        .send({
          units: [
            { code: z.code, name: `Unit ${z.code}`, kind: 'DINAS', publicService: false },
            { code: y.code, name: 'Seksi Baru', kind: 'DINAS', parentCode: x.code },
          ],
        });
      expect(imported.body).toMatchObject({ updated: 2, errors: [] });
      expect(await marked()).toEqual([a.z]);
    });
  });
});
