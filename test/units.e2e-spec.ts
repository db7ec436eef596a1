import { createTestApp, TestApp } from './app';
import { apiKey, auth, createUnit, expectProblem, uniqueCode, userToken } from './factories';

describe('units (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);
  /** Codes of the items of a list answer, for order-independent comparisons. */
  const codesOf = (res: { body: { items: { code: string }[] } }) => res.body.items.map((u) => u.code).sort();

  it('creates a unit and reads it back', async () => {
    const code = uniqueCode('dishub');
    const res = await t.http().post('/units').set(auth(t.adminToken)).send({ code: code.toLowerCase(), name: 'Dinas Perhubungan', kind: 'DINAS', publicService: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code, kind: 'DINAS', publicService: true, active: true, parentId: null });
    const got = await t.http().get(`/units/${res.body.id}`).set(auth(t.adminToken));
    expect(got.body).toEqual(res.body);
  });

  it('refuses a move that would make a unit its own ancestor (409), changing nothing', async () => {
    const root = await createUnit(t);
    const child = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
    const grandchild = await createUnit(t, { parentId: child.id, kind: 'UPTD' });
    const res = await t.http().patch(`/units/${root.id}`).set(auth(t.adminToken)).send({ parentId: grandchild.id });
    expectProblem(res, 409, 'unit-cycle');
    const after = await t.http().get(`/units/${root.id}`).set(auth(t.adminToken));
    expect(after.body.parentId).toBeNull();
  });

  it('answers a created unit with 201, a UUID id, status ACTIVE and the parent it references', async () => {
    const parent = await createUnit(t);
    const code = uniqueCode('bid');
    const res = await t.http().post('/units').set(admin()).send({ code, name: '  Bidang Lalu Lintas  ', kind: 'BIDANG', parentId: parent.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      code,
      name: 'Bidang Lalu Lintas',
      parentId: parent.id,
      publicService: false,
      active: true,
      status: 'ACTIVE',
    });
  });

  it('refuses an unknown parentId with 400 naming parentId', async () => {
    const res = await t
      .http()
      .post('/units')
      .set(admin())
      .send({ code: uniqueCode('orphan'), name: 'Yatim', kind: 'BIDANG', parentId: '00000000-0000-4000-8000-000000000000' });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'parentId' })]));
  });

  describe('list', () => {
    // Tree: A ← A1 ← A11 ; B (separate root). Names carry a shared tag for q searches.
    const tag = uniqueCode('lst');
    let a: { id: string; code: string };
    let a1: { id: string; code: string };
    let a11: { id: string; code: string };
    let b: { id: string; code: string };

    beforeAll(async () => {
      a = await createUnit(t, { code: `${tag}-A`, name: `Dinas ${tag} Alpha`, kind: 'DINAS' });
      a1 = await createUnit(t, { code: `${tag}-A1`, name: `Bidang ${tag} Satu`, kind: 'BIDANG', parentId: a.id });
      a11 = await createUnit(t, { code: `${tag}-A11`, name: `UPTD ${tag} Terminal`, kind: 'UPTD', parentId: a1.id });
      b = await createUnit(t, { code: `${tag}-B`, name: `Badan ${tag} Beta`, kind: 'BADAN' });
    });

    it('withinUnitId returns the root and all its descendants, and nothing else', async () => {
      const res = await t.http().get('/units').query({ withinUnitId: a.id, pageSize: 200 }).set(admin());
      expect(res.status).toBe(200);
      expect(codesOf(res)).toEqual([a.code, a1.code, a11.code].sort());
      expect(res.body.total).toBe(3);

      const mid = await t.http().get('/units').query({ withinUnitId: a1.id }).set(admin());
      expect(codesOf(mid)).toEqual([a1.code, a11.code].sort());
    });

    it('parentId returns only direct children', async () => {
      const res = await t.http().get('/units').query({ parentId: a.id }).set(admin());
      expect(codesOf(res)).toEqual([a1.code]);
    });

    it('filters by kind', async () => {
      const res = await t.http().get('/units').query({ q: tag, kind: 'BIDANG' }).set(admin());
      expect(res.status).toBe(200);
      expect(codesOf(res)).toEqual([a1.code]);
      const none = await t.http().get('/units').query({ q: tag, kind: 'KELURAHAN' }).set(admin());
      expect(none.body).toMatchObject({ items: [], total: 0 });
    });

    it('q matches code or name, case-insensitively', async () => {
      const byCode = await t.http().get('/units').query({ q: `${tag}-a1`.toLowerCase() }).set(admin());
      expect(codesOf(byCode)).toEqual([a1.code, a11.code].sort()); // A11 contains "A1"
      const byName = await t.http().get('/units').query({ q: `${tag} beta` }).set(admin());
      expect(codesOf(byName)).toEqual([b.code]);
      const all = await t.http().get('/units').query({ q: tag }).set(admin());
      expect(codesOf(all)).toEqual([a.code, a1.code, a11.code, b.code].sort());
    });

    it('treats LIKE wildcards in q literally', async () => {
      const res = await t.http().get('/units').query({ q: `${tag}%` }).set(admin());
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(0);
    });

    it('filters by active', async () => {
      const tag2 = uniqueCode('act');
      const on = await createUnit(t, { code: `${tag2}-ON`, kind: 'OTHER' });
      const off = await createUnit(t, { code: `${tag2}-OFF`, kind: 'OTHER' });
      expect((await t.http().patch(`/units/${off.id}`).set(admin()).send({ active: false })).status).toBe(200);
      const inactive = await t.http().get('/units').query({ q: tag2, active: 'false' }).set(admin());
      expect(codesOf(inactive)).toEqual([off.code]);
      const active = await t.http().get('/units').query({ q: tag2, active: 'true' }).set(admin());
      expect(codesOf(active)).toEqual([on.code]);
      const both = await t.http().get('/units').query({ q: tag2 }).set(admin());
      expect(codesOf(both)).toEqual([off.code, on.code].sort());
      // A boolean as OpenAPI serialises one: only `true` and `false`.
      for (const value of ['maybe', '1', 'yes', 'TRUE', '']) {
        const bad = await t.http().get('/units').query({ active: value }).set(admin());
        expectProblem(bad, 400);
        expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'active' })]));
      }
    });

    it('pages with {items, page, pageSize, total}, ordered by code', async () => {
      const p1 = await t.http().get('/units').query({ q: tag, page: 1, pageSize: 3 }).set(admin());
      expect(p1.status).toBe(200);
      expect(Object.keys(p1.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
      expect(p1.body).toMatchObject({ page: 1, pageSize: 3, total: 4 });
      expect(p1.body.items.map((u: { code: string }) => u.code)).toEqual([a.code, a1.code, a11.code]);
      const p2 = await t.http().get('/units').query({ q: tag, page: 2, pageSize: 3 }).set(admin());
      expect(p2.body).toMatchObject({ page: 2, pageSize: 3, total: 4 });
      expect(p2.body.items.map((u: { code: string }) => u.code)).toEqual([b.code]);
    });

    it('defaults to page 1 and pageSize 50', async () => {
      const res = await t.http().get('/units').query({ q: tag }).set(admin());
      expect(res.body).toMatchObject({ page: 1, pageSize: 50, total: 4 });
    });

    it.each([
      ['pageSize', '201'],
      ['pageSize', '0'],
      ['page', '0'],
      ['page', 'abc'],
    ])('refuses %s=%s with 400 naming the parameter', async (param, value) => {
      const res = await t.http().get('/units').query({ [param]: value }).set(admin());
      expectProblem(res, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: param })]));
    });

    it('accepts pageSize=200', async () => {
      const res = await t.http().get('/units').query({ q: tag, pageSize: 200 }).set(admin());
      expect(res.status).toBe(200);
      expect(res.body.pageSize).toBe(200);
    });

    it('refuses an unknown query parameter with 400', async () => {
      const res = await t.http().get('/units').query({ colour: 'red' }).set(admin());
      expectProblem(res, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'colour' })]));
    });
  });

  describe('validation and conflicts', () => {
    it('answers a duplicate code with 409 duplicate-unit-code, whatever the case sent', async () => {
      const u = await createUnit(t);
      const res = await t.http().post('/units').set(admin()).send({ code: u.code.toLowerCase(), name: 'Lagi', kind: 'DINAS' });
      expectProblem(res, 409, 'duplicate-unit-code');
    });

    it('answers a PATCH to a taken code with 409 duplicate-unit-code', async () => {
      const u1 = await createUnit(t);
      const u2 = await createUnit(t);
      const res = await t.http().patch(`/units/${u2.id}`).set(admin()).send({ code: u1.code });
      expectProblem(res, 409, 'duplicate-unit-code');
      expect((await t.http().get(`/units/${u2.id}`).set(admin())).body.code).toBe(u2.code);
    });

    it('refuses an unknown body field with 400 naming the field', async () => {
      const res = await t.http().post('/units').set(admin()).send({ code: uniqueCode('x'), name: 'X', kind: 'DINAS', colour: 'red' });
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toEqual([{ field: 'colour', message: expect.any(String) }]);
    });

    it('refuses an unknown field on PATCH too', async () => {
      const u = await createUnit(t);
      const res = await t.http().patch(`/units/${u.id}`).set(admin()).send({ colour: 'red' });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'colour' })]));
    });

    it('names every invalid field', async () => {
      const res = await t.http().post('/units').set(admin()).send({ code: 'bad code!', kind: 'KABUPATEN' });
      expectProblem(res, 400, 'validation-failed');
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(new Set(fields)).toEqual(new Set(['code', 'name', 'kind']));
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(await t.http().get('/units/00000000-0000-4000-8000-000000000000').set(admin()), 404, 'not-found');
      expectProblem(await t.http().get('/units/not-a-uuid').set(admin()), 400);
    });
  });

  describe('update, deactivate, delete', () => {
    it('PATCH of one field keeps the others', async () => {
      const parent = await createUnit(t);
      const u = await createUnit(t, { parentId: parent.id, kind: 'BIDANG', publicService: true });
      const res = await t.http().patch(`/units/${u.id}`).set(admin()).send({ name: 'Nama Baru' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: u.id, code: u.code, name: 'Nama Baru', kind: 'BIDANG', parentId: parent.id, publicService: true, active: true });
    });

    it('PATCH {parentId: null} moves a unit to the root', async () => {
      const parent = await createUnit(t);
      const u = await createUnit(t, { parentId: parent.id, kind: 'BIDANG' });
      const res = await t.http().patch(`/units/${u.id}`).set(admin()).send({ parentId: null });
      expect(res.status).toBe(200);
      expect(res.body.parentId).toBeNull();
    });

    it('refuses a unit as its own parent with 409 unit-cycle', async () => {
      const u = await createUnit(t);
      expectProblem(await t.http().patch(`/units/${u.id}`).set(admin()).send({ parentId: u.id }), 409, 'unit-cycle');
    });

    it('deactivates with PATCH {active:false}: active false, status INACTIVE, still readable', async () => {
      const u = await createUnit(t);
      const res = await t.http().patch(`/units/${u.id}`).set(admin()).send({ active: false });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: u.id, code: u.code, name: `Unit ${u.code}`, active: false, status: 'INACTIVE' });
      const got = await t.http().get(`/units/${u.id}`).set(admin());
      expect(got.body).toMatchObject({ active: false, status: 'INACTIVE' });
      const back = await t.http().patch(`/units/${u.id}`).set(admin()).send({ active: true });
      expect(back.body).toMatchObject({ active: true, status: 'ACTIVE' });
    });

    it('refuses to DELETE a unit with a child (409 unit-in-use) and keeps it', async () => {
      const parent = await createUnit(t);
      const child = await createUnit(t, { parentId: parent.id, kind: 'BIDANG' });
      const res = await t.http().delete(`/units/${parent.id}`).set(admin());
      expectProblem(res, 409, 'unit-in-use');
      expect(res.body.dependants).toEqual({ 'child unit(s)': 1 });
      expect((await t.http().get(`/units/${parent.id}`).set(admin())).status).toBe(200);
      expect((await t.http().get(`/units/${child.id}`).set(admin())).body.parentId).toBe(parent.id);
    });

    it('refuses to DELETE a unit an HR operator is scoped to (409 unit-in-use)', async () => {
      const u = await createUnit(t);
      const created = await t
        .http()
        .post('/users')
        .set(admin())
        .send({ username: uniqueCode('op').toLowerCase(), password: 'correct-horse-battery', role: 'HR_OPERATOR', unitId: u.id });
      expect(created.status).toBe(201);
      expectProblem(await t.http().delete(`/units/${u.id}`).set(admin()), 409, 'unit-in-use');
      expect((await t.http().get(`/units/${u.id}`).set(admin())).status).toBe(200);
    });

    it('refuses to DELETE a unit an indicator is scoped to (409 unit-in-use, not a database error)', async () => {
      const u = await createUnit(t);
      const ind = await t.http().post('/indicators').set(admin()).send({
        code: uniqueCode('IKI'), name: 'Scoped', unitOfMeasure: 'dokumen', aspect: 'QUANTITY', direction: 'HIGHER_IS_BETTER', aggregation: 'SUM', unitId: u.id,
      });
      expect(ind.status).toBe(201);
      const res = await t.http().delete(`/units/${u.id}`).set(admin());
      expectProblem(res, 409, 'unit-in-use');
      expect(res.body.dependants).toEqual({ 'indicator(s)': 1 });
    });

    it('DELETEs a leaf unit with 204, after which it is 404 and no longer listed', async () => {
      const parent = await createUnit(t);
      const leaf = await createUnit(t, { parentId: parent.id, kind: 'UPTD' });
      const res = await t.http().delete(`/units/${leaf.id}`).set(admin());
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await t.http().get(`/units/${leaf.id}`).set(admin()), 404);
      const list = await t.http().get('/units').query({ q: leaf.code }).set(admin());
      expect(list.body.total).toBe(0);
      expectProblem(await t.http().delete(`/units/${leaf.id}`).set(admin()), 404);
      // The former parent is now a leaf and can go too.
      expect((await t.http().delete(`/units/${parent.id}`).set(admin())).status).toBe(204);
    });
  });

  describe('HR operator scope', () => {
    const tag = uniqueCode('scp');
    let a: { id: string; code: string };
    let a1: { id: string; code: string };
    let outside: { id: string; code: string };
    let op: { token: string };

    beforeAll(async () => {
      a = await createUnit(t, { code: `${tag}-A`, kind: 'DINAS' });
      a1 = await createUnit(t, { code: `${tag}-A1`, kind: 'BIDANG', parentId: a.id });
      outside = await createUnit(t, { code: `${tag}-Z`, kind: 'DINAS' });
      op = await userToken(t, { role: 'HR_OPERATOR', unitId: a.id });
    });

    it('reads units in their subtree', async () => {
      const root = await t.http().get(`/units/${a.id}`).set(auth(op.token));
      expect(root.status).toBe(200);
      expect(root.body.code).toBe(a.code);
      expect((await t.http().get(`/units/${a1.id}`).set(auth(op.token))).status).toBe(200);
    });

    it('gets 404, not 403, for a unit outside their subtree', async () => {
      expectProblem(await t.http().get(`/units/${outside.id}`).set(auth(op.token)), 404, 'not-found');
    });

    it('lists only their subtree', async () => {
      const res = await t.http().get('/units').query({ q: tag }).set(auth(op.token));
      expect(res.status).toBe(200);
      expect(codesOf(res)).toEqual([a.code, a1.code].sort());
      const within = await t.http().get('/units').query({ withinUnitId: outside.id }).set(auth(op.token));
      expect(within.body).toMatchObject({ items: [], total: 0 });
    });

    it('cannot create, update, delete or import units (403 role-not-allowed)', async () => {
      expectProblem(await t.http().post('/units').set(auth(op.token)).send({ code: uniqueCode('hr'), name: 'X', kind: 'BIDANG', parentId: a.id }), 403, 'role-not-allowed');
      expectProblem(await t.http().patch(`/units/${a1.id}`).set(auth(op.token)).send({ name: 'Dibajak' }), 403, 'role-not-allowed');
      expectProblem(await t.http().delete(`/units/${a1.id}`).set(auth(op.token)), 403, 'role-not-allowed');
      expectProblem(await t.http().post('/units/import').set(auth(op.token)).send({ units: [] }), 403, 'role-not-allowed');
      expect((await t.http().get(`/units/${a1.id}`).set(admin())).body.name).toBe(`Unit ${a1.code}`);
    });
  });

  describe('import', () => {
    const post = (body: unknown, atomic?: boolean) =>
      t
        .http()
        .post(`/units/import${atomic ? '?atomic=true' : ''}`)
        .set(admin())
        .send(body as object);
    const list = (q: string) => t.http().get('/units').query({ q, pageSize: 200 }).set(admin());

    it('creates rows given in any order (children before parents) and links them by code', async () => {
      const tag = uniqueCode('imp');
      const units = [
        { code: `${tag}-C`, name: 'UPTD Terminal', kind: 'UPTD', parentCode: `${tag}-B` },
        { code: `${tag}-B`, name: 'Bidang Lalu Lintas', kind: 'BIDANG', parentCode: `${tag}-A` },
        { code: `${tag}-A`, name: 'Dinas Perhubungan', kind: 'DINAS', publicService: true },
      ];
      const res = await post({ units });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 3, updated: 0, unchanged: 0, errors: [] });

      const got = await list(tag);
      expect(got.body.total).toBe(3);
      const byCode = new Map((got.body.items as { code: string; id: string; parentId: string | null; publicService: boolean; active: boolean }[]).map((u) => [u.code, u]));
      expect(byCode.get(`${tag}-A`)).toMatchObject({ parentId: null, publicService: true, active: true });
      expect(byCode.get(`${tag}-B`)!.parentId).toBe(byCode.get(`${tag}-A`)!.id);
      expect(byCode.get(`${tag}-C`)!.parentId).toBe(byCode.get(`${tag}-B`)!.id);
      const subtree = await t.http().get('/units').query({ withinUnitId: byCode.get(`${tag}-A`)!.id }).set(admin());
      expect(subtree.body.total).toBe(3);

      // The same rows again change nothing.
      const again = await post({ units });
      expect(again.body).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });

      // One renamed row is the only update.
      const renamed = units.map((u) => (u.code === `${tag}-B` ? { ...u, name: 'Bidang Lalu Lintas Jalan' } : u));
      const upd = await post({ units: renamed });
      expect(upd.body).toEqual({ created: 0, updated: 1, unchanged: 2, errors: [] });
      const b = await t.http().get(`/units/${byCode.get(`${tag}-B`)!.id}`).set(admin());
      expect(b.body).toMatchObject({ name: 'Bidang Lalu Lintas Jalan', parentId: byCode.get(`${tag}-A`)!.id });
    });

    it('links rows to existing units, and moves a unit to a new parent by code', async () => {
      const tag = uniqueCode('imx');
      const p1 = await createUnit(t, { code: `${tag}-P1` });
      const p2 = await createUnit(t, { code: `${tag}-P2` });
      const first = await post({ units: [{ code: `${tag}-K`, name: 'Anak', kind: 'BIDANG', parentCode: p1.code }] });
      expect(first.body).toMatchObject({ created: 1, errors: [] });
      const moved = await post({ units: [{ code: `${tag}-K`, name: 'Anak', kind: 'BIDANG', parentCode: p2.code.toLowerCase() }] });
      expect(moved.body).toEqual({ created: 0, updated: 1, unchanged: 0, errors: [] });
      const k = (await list(`${tag}-K`)).body.items[0];
      expect(k.parentId).toBe(p2.id);
    });

    it('refuses an import row that would make an existing unit its own ancestor', async () => {
      const tag = uniqueCode('imy');
      const root = await createUnit(t, { code: `${tag}-R` });
      const child = await createUnit(t, { code: `${tag}-K`, parentId: root.id, kind: 'BIDANG' });
      const res = await post({ units: [{ code: root.code, name: 'Root', kind: 'DINAS', parentCode: child.code }] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
      expect(res.body.errors).toEqual([{ index: 0, key: root.code, message: expect.stringMatching(/parentCode/) }]);
      expect((await t.http().get(`/units/${root.id}`).set(admin())).body.parentId).toBeNull();
    });

    it('reports bad rows with their index and key and writes the good ones', async () => {
      const tag = uniqueCode('imb');
      const units = [
        /* 0 */ { code: `${tag}-OK1`, name: 'Baik Satu', kind: 'DINAS' },
        /* 1 */ { code: `${tag}-KIND`, name: 'Jenis Salah', kind: 'KABUPATEN' },
        /* 2 */ { code: `${tag}-ORPH`, name: 'Yatim', kind: 'BIDANG', parentCode: `${tag}-NOWHERE` },
        /* 3 */ { code: `${tag}-OK1`, name: 'Kembar', kind: 'DINAS' },
        /* 4 */ { code: `${tag}-CYA`, name: 'Siklus A', kind: 'BIDANG', parentCode: `${tag}-CYB` },
        /* 5 */ { code: `${tag}-CYB`, name: 'Siklus B', kind: 'BIDANG', parentCode: `${tag}-CYA` },
        /* 6 */ { code: `${tag}-UNDERORPH`, name: 'Cucu Yatim', kind: 'UPTD', parentCode: `${tag}-ORPH` },
        /* 7 */ { code: `${tag}-UNDERKIND`, name: 'Anak Jenis Salah', kind: 'UPTD', parentCode: `${tag}-KIND` },
        /* 8 */ { code: `${tag}-EXTRA`, name: 'Field Asing', kind: 'DINAS', colour: 'red' },
        /* 9 */ { code: `${tag}-OK2`, name: 'Baik Dua', kind: 'BIDANG', parentCode: `${tag}-OK1` },
        /* 10 */ { code: `${tag}-SELF`, name: 'Diri Sendiri', kind: 'BIDANG', parentCode: `${tag}-SELF` },
      ];
      const res = await post({ units });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
      const errors = res.body.errors as { index: number; key: string; message: string }[];
      expect(errors.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10]);
      for (const e of errors) {
        expect(e.key).toBe(units[e.index].code);
        expect(e.message).toEqual(expect.any(String));
      }
      const msg = (i: number) => errors.find((e) => e.index === i)!.message;
      expect(msg(1)).toMatch(/^kind/);
      expect(msg(2)).toMatch(/parentCode/);
      expect(msg(3)).toMatch(/^code/);
      expect(msg(4)).toMatch(/parentCode/);
      expect(msg(8)).toMatch(/colour/);

      const got = await list(tag);
      expect(codesOf(got)).toEqual([`${tag}-OK1`, `${tag}-OK2`]);
      const ok1 = got.body.items.find((u: { code: string }) => u.code === `${tag}-OK1`);
      expect(ok1.name).toBe('Baik Satu'); // the first occurrence of a duplicated code wins
      expect(got.body.items.find((u: { code: string }) => u.code === `${tag}-OK2`).parentId).toBe(ok1.id);
    });

    it('reports a row whose code is not a string, with a null key', async () => {
      const tag = uniqueCode('imn');
      const res = await post({ units: [{ code: `${tag}-A`, name: 'A', kind: 'DINAS' }, { code: 7, name: 'B', kind: 'DINAS' }] });
      expect(res.status).toBe(200);
      expect(res.body.created).toBe(1);
      expect(res.body.errors).toEqual([{ index: 1, key: null, message: expect.stringMatching(/code/) }]);
    });

    it('with atomic=true, one bad row rejects the whole import (400 import-rejected) and writes nothing', async () => {
      const tag = uniqueCode('ima');
      const units = [
        { code: `${tag}-B`, name: 'Bidang', kind: 'BIDANG', parentCode: `${tag}-A` },
        { code: `${tag}-A`, name: 'Dinas', kind: 'DINAS' },
        { code: `${tag}-X`, name: 'Salah', kind: 'NOPE' },
      ];
      const res = await post({ units }, true);
      expectProblem(res, 400, 'import-rejected');
      expect(res.body.rowErrors).toEqual([{ index: 2, key: `${tag}-X`, message: expect.stringMatching(/kind/) }]);
      expect(res.body.errors).toEqual([{ field: 'units.2', message: expect.any(String) }]);
      expect((await list(tag)).body).toMatchObject({ items: [], total: 0 });

      // Without the bad row the same atomic import goes through.
      const ok = await post({ units: units.slice(0, 2) }, true);
      expect(ok.body).toEqual({ created: 2, updated: 0, unchanged: 0, errors: [] });
      expect((await list(tag)).body.total).toBe(2);
    });

    it('with atomic=true, an update is not written either when another row fails', async () => {
      const tag = uniqueCode('imu');
      const u = await createUnit(t, { code: `${tag}-A`, name: 'Lama' });
      const res = await post({ units: [{ code: u.code, name: 'Baru', kind: 'DINAS' }, { code: `${tag}-B`, name: 'B', kind: 'BIDANG', parentCode: `${tag}-NONE` }] }, true);
      expectProblem(res, 400, 'import-rejected');
      expect((await t.http().get(`/units/${u.id}`).set(admin())).body.name).toBe('Lama');
    });

    it('refuses atomic values other than true/false', async () => {
      for (const value of ['yes', '1', 'TRUE']) {
        const res = await t.http().post(`/units/import?atomic=${value}`).set(admin()).send({ units: [] });
        expectProblem(res, 400);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'atomic' })]));
      }
      expect((await t.http().post('/units/import?atomic=false').set(admin()).send({ units: [] })).status).toBe(200);
    });

    it('refuses more than 5000 rows with 400 and writes nothing', async () => {
      const tag = uniqueCode('big');
      const units = Array.from({ length: 5001 }, (_, i) => ({ code: `${tag}-${i}`, name: 'U', kind: 'OTHER' }));
      const res = await post({ units });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'units' })]));
      expect((await list(tag)).body.total).toBe(0);
    });

    it('refuses a body without a units array, or with unknown top-level fields', async () => {
      expectProblem(await post({}), 400);
      expectProblem(await post({ units: {} }), 400);
      const extra = await post({ units: [], dryRun: true });
      expectProblem(extra, 400);
      expect(extra.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'dryRun' })]));
    });

    it('records one audit event per created unit', async () => {
      const tag = uniqueCode('ima');
      const res = await post({ units: [{ code: `${tag}-A`, name: 'A', kind: 'DINAS' }] });
      expect(res.body.created).toBe(1);
      const id = (await list(tag)).body.items[0].id;
      const audit = await t.http().get('/audit-events').query({ entityId: id }).set(admin());
      expect(audit.body.items).toEqual([expect.objectContaining({ action: 'unit.import-create', entityType: 'unit' })]);
    });
  });

  describe('API keys', () => {
    it('a key with org:write can import units', async () => {
      const key = await apiKey(t, ['org:write']);
      const tag = uniqueCode('imk');
      const res = await t.http().post('/units/import').set('X-API-Key', key.key).send({ units: [{ code: `${tag}-A`, name: 'A', kind: 'DINAS' }] });
      expect(res.status).toBe(200);
      expect(res.body.created).toBe(1);
    });
  });
});
