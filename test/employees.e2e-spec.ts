import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, pnsNip } from './factories';

describe('employees (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('registers a PNS with gender, birth date and service start derived from the NIP', async () => {
    const unit = await createUnit(t);
    const e = await createEmployee(t, { unitId: unit.id, nip: pnsNip({ birth: '19900115', gender: 2 }) });
    expect(e).toMatchObject({ gender: 'FEMALE', birthDate: '1990-01-15', status: 'ACTIVE', unitId: unit.id, supervisorId: null });
    expect(e.serviceStart).toBe(`${e.nip.slice(8, 12)}-${e.nip.slice(12, 14)}-01`);
    const byNip = await t.http().get(`/employees/by-nip/${e.nip}`).set(auth(t.adminToken));
    expect(byNip.body.id).toBe(e.id);
  });

  it('rejects a bad NIP with a field error and stores nothing', async () => {
    const unit = await createUnit(t);
    const nip = '199002302015031001';
    const res = await t.http().post('/employees').set(auth(t.adminToken)).send({
      nip, name: 'X', employmentType: 'PNS', rank: 'III/a', rankSince: '2020-01-01', jobType: 'PELAKSANA', positionTitle: 'X', unitId: unit.id,
    });
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors).toEqual([{ field: 'nip', message: expect.stringContaining('19900230') }]);
    const lookup = await t.http().get(`/employees/by-nip/${nip}`).set(auth(t.adminToken));
    expectProblem(lookup, 404);
  });
});
