import { createTestApp, TestApp } from './app';
import { auth, createUnit, expectProblem, uniqueCode } from './factories';

describe('units (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

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
});
