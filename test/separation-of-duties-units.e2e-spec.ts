import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, userToken } from './factories';
import { createAppraisal, insertPeriod } from './planning-fixtures';

type Headers = Record<string, string>;

/**
 * A unit's organisation predicate bounds the ratings below it (and is its head's result rating); its publicService flag
 * and its place in the tree decide whose citizen feedback counts in the scores below it. Nobody sets them for a unit
 * that holds their own appraisal (spec §5.3, §5.4, §8).
 */
describe("separation of duties: the units above one's own appraisal (e2e)", () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  /**
   * dinas (public service) > bidang, where `me` works; `beside` is another dinas. The caller is an admin linked to `me`,
   * or an API key that admin issued (units and predicates are admins' and keys' work).
   */
  async function office(as: 'admin' | 'key') {
    const root = await createUnit(t);
    const dinas = await createUnit(t, { parentId: root.id, publicService: true });
    const bidang = await createUnit(t, { parentId: dinas.id, kind: 'BIDANG' });
    const beside = await createUnit(t, { parentId: root.id });
    const me = await createEmployee(t, { unitId: bidang.id });
    const admin = auth((await userToken(t, { role: 'ADMIN', employeeId: me.id })).token);
    if (as === 'admin') return { root, dinas, bidang, beside, me, caller: admin };
    const key = await t.http().post('/api-keys').set(admin).send({ name: 'SIMPEG', scopes: ['org:write', 'periods:manage'] });
    expect(key.status).toBe(201);
    return { root, dinas, bidang, beside, me, caller: { 'X-API-Key': key.body.key as string } };
  }
  const unitRow = async (id: string) => (await db.query('SELECT parent_id, public_service FROM units WHERE id = $1', [id]))[0] as Record<string, unknown>;

  describe.each(['admin', 'key'] as const)('an %s acting for an employee', (as) => {
    let o: Awaited<ReturnType<typeof office>>;
    beforeAll(async () => (o = await office(as)));

    it('may not set the organisation predicate of their unit or of one above it, but may of a unit beside it', async () => {
      const period = await insertPeriod(t);
      const put = (unitId: string, caller: Headers) =>
        t.http().put(`/periods/${period.id}/units/${unitId}/organisation-predicate`).set(caller).send({ predicate: 'ISTIMEWA' });
      for (const unit of [o.bidang, o.dinas, o.root]) {
        expectProblem(await put(unit.id, o.caller), 403, 'own-appraisal');
        expect(await db.query('SELECT 1 FROM organisation_predicates WHERE period_id = $1 AND unit_id = $2', [period.id, unit.id])).toEqual([]);
      }
      expect((await put(o.beside.id, o.caller)).status).toBe(200);
      expect((await put(o.dinas.id, auth(t.adminToken))).status).toBe(200);
    });

    it('after moving away, may still not set the predicate of a period in which the old unit holds their finalised appraisal', async () => {
      const x = await office(as);
      const [period, later] = [await insertPeriod(t, { status: 'EVALUATION' }), await insertPeriod(t, { status: 'EVALUATION' })];
      const appraisal = await createAppraisal(t, x.me.id, period.id);
      // Finalised in a period not yet CLOSED: an accepted objection would recompute it from the predicate.
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE id = $1`, [appraisal.id]);
      await t.http().patch(`/employees/${x.me.id}`).set(auth(t.adminToken)).send({ unitId: x.beside.id }).expect(200);
      const put = (periodId: string) =>
        t.http().put(`/periods/${periodId}/units/${x.bidang.id}/organisation-predicate`).set(x.caller).send({ predicate: 'ISTIMEWA' });
      expectProblem(await put(period.id), 403, 'own-appraisal');
      expect((await put(later.id)).status).toBe(200);
    });

    it('after moving away, may still not reshape the old unit while an objection could recompute their finalised appraisal there', async () => {
      const x = await office(as);
      const appraisal = await createAppraisal(t, x.me.id, (await insertPeriod(t, { status: 'EVALUATION' })).id);
      await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() - interval '3 days' WHERE id = $1`, [appraisal.id]);
      await t.http().patch(`/employees/${x.me.id}`).set(auth(t.adminToken)).send({ unitId: x.beside.id }).expect(200);
      const flip = () => t.http().patch(`/units/${x.bidang.id}`).set(x.caller).send({ publicService: true });
      expectProblem(await flip(), 403, 'own-record');
      // Past the objection window, with no objection pending, nothing can recompute it.
      await db.query(`UPDATE appraisals SET finalized_at = now() - interval '15 days' WHERE id = $1`, [appraisal.id]);
      expect((await flip()).status).toBe(200);
    });

    it('may not change the publicService flag or the parent of a unit holding their appraisal (PATCH and import)', async () => {
      const before = [await unitRow(o.bidang.id), await unitRow(o.dinas.id)];
      expectProblem(await t.http().patch(`/units/${o.dinas.id}`).set(o.caller).send({ publicService: false }), 403, 'own-record');
      expectProblem(await t.http().patch(`/units/${o.bidang.id}`).set(o.caller).send({ publicService: true }), 403, 'own-record');
      expectProblem(await t.http().patch(`/units/${o.bidang.id}`).set(o.caller).send({ parentId: o.beside.id }), 403, 'own-record');
      const imported = await t
        .http()
        .post('/units/import')
        .set(o.caller)
        .send({ units: [{ code: o.dinas.code, name: 'Dinas Uji', kind: 'DINAS', parentCode: o.root.code, publicService: false }] });
      expect(imported.status).toBe(200);
      expect(imported.body.errors).toEqual([{ index: 0, key: o.dinas.code, message: expect.stringMatching(/^own-record: /) }]);
      expect([await unitRow(o.bidang.id), await unitRow(o.dinas.id)]).toEqual(before);
    });

    it('may not move another unit into or out of the subtree of a unit above their appraisal (PATCH and import)', async () => {
      const patch = (id: string, body: object) => t.http().patch(`/units/${id}`).set(o.caller).send(body);
      const under = await createUnit(t, { parentId: o.dinas.id });
      const [b1, b2] = [await createUnit(t, { parentId: o.beside.id }), await createUnit(t, { parentId: o.beside.id })];
      const x = await createUnit(t, { parentId: b1.id });
      const before = await Promise.all([o.beside, under, x].map((u) => unitRow(u.id)));
      expectProblem(await patch(o.beside.id, { parentId: o.dinas.id }), 403, 'own-record');
      expectProblem(await patch(under.id, { parentId: o.beside.id }), 403, 'own-record');
      expectProblem(await patch(under.id, { parentId: null }), 403, 'own-record');
      const imported = await t
        .http()
        .post('/units/import')
        .set(o.caller)
        .send({ units: [{ code: under.code, name: 'Seksi', kind: 'BIDANG', parentCode: o.beside.code }] });
      expect(imported.status).toBe(200);
      expect(imported.body.errors).toEqual([{ index: 0, key: under.code, message: expect.stringMatching(/^own-record: /) }]);
      expect(await Promise.all([o.beside, under, x].map((u) => unitRow(u.id)))).toEqual(before);

      expect((await patch(x.id, { parentId: b2.id })).body.parentId).toBe(b2.id);
      expect((await patch(under.id, { name: 'Seksi Baru' })).status).toBe(200);
    });

    it('still renames a unit of their own, and changes the flag of a unit beside it', async () => {
      expect((await t.http().patch(`/units/${o.bidang.id}`).set(o.caller).send({ name: 'Bidang Baru' })).status).toBe(200);
      expect((await t.http().patch(`/units/${o.beside.id}`).set(o.caller).send({ publicService: true })).body.publicService).toBe(true);
    });
  });
});
