import { randomInt } from 'node:crypto';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, pnsNip, pppkNumber, uniqueCode, userToken } from './factories';

type Body = Record<string, unknown>;
type Employee = { id: string; nip: string } & Body;

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

  // ---------------------------------------------------------------------------------------------
  // helpers

  /** The fields of a valid PNS record (POST body or import row) without unit. */
  const fields = (over: Body = {}): Body => ({
    nip: pnsNip(),
    name: 'I Wayan Pegawai',
    employmentType: 'PNS',
    rank: 'III/a',
    rankSince: '2021-04-01',
    jobType: 'PELAKSANA',
    positionTitle: 'Pengadministrasi Umum',
    ...over,
  });
  const post = (body: Body, token = t.adminToken) => t.http().post('/employees').set(auth(token)).send(body);
  const patch = (id: string, body: Body, token = t.adminToken) => t.http().patch(`/employees/${id}`).set(auth(token)).send(body);
  const get = (id: string, token = t.adminToken) => t.http().get(`/employees/${id}`).set(auth(token));
  const byNip = (nip: string, token = t.adminToken) => t.http().get(`/employees/by-nip/${nip}`).set(auth(token));
  const list = (query: Body, token = t.adminToken) => t.http().get('/employees').query(query).set(auth(token));
  const importRows = (employees: unknown[], opts: { atomic?: boolean; token?: string } = {}) =>
    t
      .http()
      .post(`/employees/import${opts.atomic ? '?atomic=true' : ''}`)
      .set(auth(opts.token ?? t.adminToken))
      .send({ employees });
  const fieldsOf = (res: { body: Body }) => ((res.body.errors as { field: string }[] | undefined) ?? []).map((e) => e.field);
  const idsOf = (res: { body: Body }) => (res.body.items as { id: string }[]).map((e) => e.id).sort();
  /** A random 18-digit number that cannot be a PNS NIP (its "birth date" is the 32nd day of month 13). */
  const nonPnsDigits = () => `${randomInt(1970, 2000)}1332${String(randomInt(0, 10 ** 10)).padStart(10, '0')}`;

  // ---------------------------------------------------------------------------------------------
  describe('create', () => {
    let unit: { id: string; code: string };
    beforeAll(async () => (unit = await createUnit(t)));

    it('answers 201 with the whole PNS resource: id, gender, birth date, service start from the NIP', async () => {
      const nip = pnsNip({ birth: '19851231', gender: 1 });
      const res = await post(fields({ nip, unitId: unit.id, functionalLevel: 'AHLI_MUDA' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        nip,
        employmentType: 'PNS',
        gender: 'MALE',
        birthDate: '1985-12-31',
        serviceStart: `${nip.slice(8, 12)}-${nip.slice(12, 14)}-01`,
        rank: 'III/a',
        rankSince: '2021-04-01',
        jobType: 'PELAKSANA',
        functionalLevel: 'AHLI_MUDA',
        unitId: unit.id,
        supervisorId: null,
        status: 'ACTIVE',
        potential: null,
      });
      const read = await get(res.body.id);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ nip, gender: 'MALE', birthDate: '1985-12-31' });
    });

    it('keeps an explicit serviceStart of a PNS and accepts gender/birthDate that agree with the NIP', async () => {
      const nip = pnsNip({ birth: '19920704', gender: 2 });
      const res = await post(fields({ nip, unitId: unit.id, serviceStart: '2019-02-01', gender: 'FEMALE', birthDate: '1992-07-04' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ gender: 'FEMALE', birthDate: '1992-07-04', serviceStart: '2019-02-01' });
    });

    it('accepts any 18 digits for a PPPK and takes gender and birth date from the body', async () => {
      const nip = nonPnsDigits();
      expect(nip).toMatch(/^\d{18}$/);
      const res = await post(
        fields({ nip, employmentType: 'PPPK', rank: 'IX', gender: 'FEMALE', birthDate: '1988-07-09', jobType: 'FUNGSIONAL', unitId: unit.id }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ nip, employmentType: 'PPPK', rank: 'IX', gender: 'FEMALE', birthDate: '1988-07-09', serviceStart: null });

      const other = await post(fields({ nip: pppkNumber(), employmentType: 'PPPK', rank: 'XVII', unitId: unit.id }));
      expect(other.status).toBe(201);
      expect(other.body).toMatchObject({ gender: null, birthDate: null });
    });

    it.each([
      ['17 digits', '19900115201503100'],
      ['letters', '19900115201503100A'],
      ['30 February as birth date', '199002302015031001'],
      ['TMT month 13', '199001152015131001'],
      ['TMT before the 18th birthday year', '199001152007121001'],
      ['gender digit 3', '199001152015033001'],
      ['sequence 000', '199001152015031000'],
    ])('rejects a PNS NIP with %s: 400 on nip, nothing stored', async (_, nip) => {
      const res = await post(fields({ nip, unitId: unit.id }));
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res)).toEqual(['nip']);
      if (/^\d{18}$/.test(nip)) expectProblem(await byNip(nip), 404);
    });

    it('rejects a PPPK number that is not 18 digits', async () => {
      for (const nip of ['12345678901234567', '12345678901234567X', '1234567890123456789']) {
        const res = await post(fields({ nip, employmentType: 'PPPK', rank: 'V', unitId: unit.id }));
        expectProblem(res, 400, 'validation-failed');
        expect(fieldsOf(res)).toEqual(['nip']);
      }
    });

    it.each([
      ['PNS', 'IX'],
      ['PNS', 'III/e'],
      ['PPPK', 'III/a'],
      ['PPPK', 'XVIII'],
    ])('rejects a %s with rank %s: 400 on rank', async (employmentType, rank) => {
      const nip = employmentType === 'PNS' ? pnsNip() : pppkNumber();
      const res = await post(fields({ nip, employmentType, rank, unitId: unit.id }));
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res)).toEqual(['rank']);
      expectProblem(await byNip(nip), 404);
    });

    it('rejects a PNS whose body gender or birth date contradicts the NIP', async () => {
      const nip = pnsNip({ birth: '19900115', gender: 1 });
      const g = await post(fields({ nip, gender: 'FEMALE', unitId: unit.id }));
      expectProblem(g, 400, 'validation-failed');
      expect(fieldsOf(g)).toEqual(['gender']);
      const b = await post(fields({ nip, birthDate: '1990-01-16', unitId: unit.id }));
      expectProblem(b, 400, 'validation-failed');
      expect(fieldsOf(b)).toEqual(['birthDate']);
      expectProblem(await byNip(nip), 404);
    });

    it('answers 409 duplicate-nip for a NIP that exists, and keeps the first record', async () => {
      const first = await createEmployee(t, { unitId: unit.id, name: 'Pertama' });
      const res = await post(fields({ nip: first.nip, name: 'Kedua', unitId: unit.id }));
      expectProblem(res, 409, 'duplicate-nip');
      const read = await byNip(first.nip);
      expect(read.body).toMatchObject({ id: first.id, name: 'Pertama' });
    });

    it('answers concurrent registrations of one NIP with one 201 and duplicate-nip 409s', async () => {
      // A few rounds: the look-up-then-insert race is only sometimes hit by one round.
      for (let round = 0; round < 4; round++) {
        const nip = pnsNip();
        const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => post(fields({ nip, name: `Race ${i}`, unitId: unit.id }))));
        expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
        for (const r of answers.filter((a) => a.status === 409)) expectProblem(r, 409, 'duplicate-nip');
      }
    });

    it('rejects an unknown body field with 400 naming it', async () => {
      const nip = pnsNip();
      const res = await post(fields({ nip, unitId: unit.id, golongan: 'III/a' }));
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors).toContainEqual({ field: 'golongan', message: expect.any(String) });
      expectProblem(await byNip(nip), 404);
    });

    it('rejects missing required fields and bad enums with a field error each', async () => {
      const res = await post({ nip: pnsNip(), unitId: unit.id, employmentType: 'HONORER', jobType: 'STAFF', rankSince: '2021-02-30' });
      expectProblem(res, 400, 'validation-failed');
      expect(new Set(fieldsOf(res))).toEqual(new Set(['name', 'employmentType', 'rank', 'rankSince', 'jobType', 'positionTitle']));
    });

    it('requires a unit: 400 on unitCode when neither unitId nor unitCode is sent', async () => {
      const res = await post(fields());
      expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(res)).toContain('unitCode');
    });

    it('answers 400 on unitCode for an unknown unit code and 400 on unitId for an unknown unit id', async () => {
      const byCode = await post(fields({ unitCode: uniqueCode('NOPE') }));
      expectProblem(byCode, 400, 'validation-failed');
      expect(fieldsOf(byCode)).toEqual(['unitCode']);
      const byId = await post(fields({ unitId: '00000000-0000-4000-8000-000000000000' }));
      expectProblem(byId, 400, 'validation-failed');
      expect(fieldsOf(byId)).toEqual(['unitId']);
    });

    it('answers 409 unit-inactive for an inactive unit', async () => {
      const closed = await createUnit(t);
      const off = await t.http().patch(`/units/${closed.id}`).set(auth(t.adminToken)).send({ active: false });
      expect(off.status).toBe(200);
      const nip = pnsNip();
      expectProblem(await post(fields({ nip, unitId: closed.id })), 409, 'unit-inactive');
      expectProblem(await post(fields({ nip, unitCode: closed.code })), 409, 'unit-inactive');
      expectProblem(await byNip(nip), 404);
    });

    it('accepts unitCode instead of unitId', async () => {
      const res = await post(fields({ unitCode: unit.code }));
      expect(res.status).toBe(201);
      expect(res.body.unitId).toBe(unit.id);
    });

    it('resolves supervisorNip to supervisorId, and accepts supervisorId directly', async () => {
      const boss = await createEmployee(t, { unitId: unit.id, jobType: 'PENGAWAS', rank: 'III/d' });
      const viaNip = await post(fields({ unitId: unit.id, supervisorNip: boss.nip }));
      expect(viaNip.status).toBe(201);
      expect(viaNip.body.supervisorId).toBe(boss.id);
      const viaId = await post(fields({ unitId: unit.id, supervisorId: boss.id }));
      expect(viaId.status).toBe(201);
      expect(viaId.body.supervisorId).toBe(boss.id);
    });

    it('rejects an unknown supervisor with 400 on the field used, and both supervisor fields at once', async () => {
      const unknownNip = await post(fields({ unitId: unit.id, supervisorNip: pnsNip() }));
      expectProblem(unknownNip, 400, 'validation-failed');
      expect(fieldsOf(unknownNip)).toEqual(['supervisorNip']);
      const unknownId = await post(fields({ unitId: unit.id, supervisorId: '00000000-0000-4000-8000-000000000000' }));
      expectProblem(unknownId, 400, 'validation-failed');
      expect(fieldsOf(unknownId)).toEqual(['supervisorId']);
      const boss = await createEmployee(t, { unitId: unit.id });
      const both = await post(fields({ unitId: unit.id, supervisorId: boss.id, supervisorNip: boss.nip }));
      expectProblem(both, 400, 'validation-failed');
    });

    it('writes an employee.create audit event readable by admins', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      const res = await t.http().get('/audit-events').query({ entityId: e.id }).set(auth(t.adminToken));
      expect(res.status).toBe(200);
      const events = res.body.items as Body[];
      expect(events).toContainEqual(
        expect.objectContaining({
          action: 'employee.create',
          entityType: 'employee',
          entityId: e.id,
          actorType: 'USER',
          actorName: 'admin',
          before: null,
          after: expect.objectContaining({ id: e.id, nip: e.nip, unitId: unit.id }),
          requestId: expect.any(String),
        }),
      );
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('read and list', () => {
    let tag: string;
    let root: { id: string; code: string };
    let child: { id: string; code: string };
    let grandchild: { id: string; code: string };
    let outside: { id: string; code: string };
    let e1: Employee;
    let e2: Employee;
    let e3: Employee;
    let e4: Employee;

    beforeAll(async () => {
      tag = uniqueCode('nm').replace(/[^A-Z0-9]/g, '').toLowerCase();
      root = await createUnit(t);
      child = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
      grandchild = await createUnit(t, { parentId: child.id, kind: 'UPTD' });
      outside = await createUnit(t);
      e1 = await createEmployee(t, { unitId: root.id, name: `Anak Agung ${tag} Satu`, jobType: 'PELAKSANA', rank: 'III/a' });
      e2 = await createEmployee(t, { unitId: child.id, name: `Bagus ${tag} Dua`, jobType: 'FUNGSIONAL', rank: 'III/b', supervisorId: e1.id });
      e3 = await createEmployee(t, { unitId: grandchild.id, name: `Cokorda ${tag} Tiga`, jobType: 'PENGAWAS', rank: 'III/c' });
      e4 = await createEmployee(t, { unitId: outside.id, name: `Dewa ${tag} Empat`, jobType: 'FUNGSIONAL', rank: 'III/b' });
      expect((await patch(e3.id, { status: 'RETIRED' })).status).toBe(200);
    });

    it('reads an employee by id (404 for an unknown id, 400 for a malformed one)', async () => {
      const res = await get(e2.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: e2.id, nip: e2.nip, unitId: child.id, jobType: 'FUNGSIONAL' });
      expectProblem(await get('00000000-0000-4000-8000-000000000000'), 404);
      expectProblem(await get('not-a-uuid'), 400);
    });

    it('reads an employee by NIP; a malformed NIP answers 400 on nip, an unknown one 404', async () => {
      const res = await byNip(e1.nip);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(e1.id);
      for (const bad of ['1234', '19900115201503100A', '1990011520150310011']) {
        const r = await byNip(bad);
        expectProblem(r, 400, 'validation-failed');
        expect(fieldsOf(r)).toEqual(['nip']);
      }
      expectProblem(await byNip(pnsNip()), 404);
    });

    it('filters withinUnitId by the whole subtree', async () => {
      const all = await list({ withinUnitId: root.id });
      expect(all.status).toBe(200);
      expect(idsOf(all)).toEqual([e1.id, e2.id, e3.id].sort());
      expect(all.body.total).toBe(3);
      expect(idsOf(await list({ withinUnitId: child.id }))).toEqual([e2.id, e3.id].sort());
      expect(idsOf(await list({ withinUnitId: grandchild.id }))).toEqual([e3.id]);
      expect(idsOf(await list({ withinUnitId: outside.id }))).toEqual([e4.id]);
    });

    it('filters by jobType, rank and status', async () => {
      expect(idsOf(await list({ withinUnitId: root.id, jobType: 'FUNGSIONAL' }))).toEqual([e2.id]);
      expect(idsOf(await list({ withinUnitId: root.id, rank: 'III/c' }))).toEqual([e3.id]);
      expect(idsOf(await list({ withinUnitId: root.id, status: 'RETIRED' }))).toEqual([e3.id]);
      expect(idsOf(await list({ withinUnitId: root.id, status: 'ACTIVE' }))).toEqual([e1.id, e2.id].sort());
      expect(idsOf(await list({ supervisorId: e1.id }))).toEqual([e2.id]);
      expect((await list({ withinUnitId: root.id, employmentType: 'PPPK' })).body.total).toBe(0);
      expect(idsOf(await list({ withinUnitId: root.id, jobType: 'FUNGSIONAL', status: 'RETIRED' }))).toEqual([]);
      expectProblem(await list({ jobType: 'STAFF' }), 400);
      expectProblem(await list({ status: 'DEAD' }), 400);
    });

    it('q matches part of the name case-insensitively, or the start of the NIP', async () => {
      const byName = await list({ q: tag.toUpperCase() });
      expect(idsOf(byName)).toEqual([e1.id, e2.id, e3.id, e4.id].sort());
      expect(idsOf(await list({ q: `${tag} dua` }))).toEqual([e2.id]);
      const prefix = await list({ q: e1.nip.slice(0, 14), withinUnitId: root.id });
      expect(idsOf(prefix)).toEqual([e1.id]);
      expect(idsOf(await list({ q: e1.nip }))).toEqual([e1.id]);
      // The middle of a NIP is not a prefix.
      expect((await list({ q: e1.nip.slice(6, 16), withinUnitId: root.id })).body.total).toBe(0);
      // LIKE wildcards are taken literally.
      expect((await list({ q: '%', withinUnitId: root.id })).body.total).toBe(0);
    });

    it('pages with {items, page, pageSize, total}, sorted by name', async () => {
      const p1 = await list({ withinUnitId: root.id, pageSize: 2, page: 1 });
      expect(p1.status).toBe(200);
      expect(p1.body).toEqual({ items: expect.any(Array), page: 1, pageSize: 2, total: 3 });
      const p2 = await list({ withinUnitId: root.id, pageSize: 2, page: 2 });
      expect(p2.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
      expect(p1.body.items).toHaveLength(2);
      expect(p2.body.items).toHaveLength(1);
      const names = [...p1.body.items, ...p2.body.items].map((e: Body) => e.name);
      expect(names).toEqual([`Anak Agung ${tag} Satu`, `Bagus ${tag} Dua`, `Cokorda ${tag} Tiga`]);
      const p3 = await list({ withinUnitId: root.id, pageSize: 2, page: 3 });
      expect(p3.body).toMatchObject({ items: [], total: 3 });
      const defaults = await list({ withinUnitId: root.id });
      expect(defaults.body).toMatchObject({ page: 1, pageSize: 50 });
      expectProblem(await list({ pageSize: 201 }), 400);
      expectProblem(await list({ page: 0 }), 400);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('scope (§8)', () => {
    let a: { id: string; code: string };
    let a1: { id: string; code: string };
    let b: { id: string; code: string };
    let eA: Employee;
    let eA1: Employee;
    let eB: Employee;
    let hr: string;

    beforeAll(async () => {
      a = await createUnit(t);
      a1 = await createUnit(t, { parentId: a.id, kind: 'BIDANG' });
      b = await createUnit(t);
      eA = await createEmployee(t, { unitId: a.id, jobType: 'ADMINISTRATOR', rank: 'IV/a' });
      eA1 = await createEmployee(t, { unitId: a1.id, supervisorId: eA.id });
      eB = await createEmployee(t, { unitId: b.id });
      hr = (await userToken(t, { role: 'HR_OPERATOR', unitId: a.id })).token;
    });

    it('an HR operator sees and edits employees in their subtree', async () => {
      expect((await get(eA.id, hr)).status).toBe(200);
      expect((await get(eA1.id, hr)).status).toBe(200);
      expect((await byNip(eA1.nip, hr)).body.id).toBe(eA1.id);
      const edit = await patch(eA1.id, { positionTitle: 'Analis Kepegawaian' }, hr);
      expect(edit.status).toBe(200);
      expect(edit.body.positionTitle).toBe('Analis Kepegawaian');
      const pot = await t.http().put(`/employees/${eA1.id}/potential`).set(auth(hr)).send({ potential: 'MEDIUM' });
      expect(pot.status).toBe(200);
      const pen = await t
        .http()
        .post(`/employees/${eA1.id}/penalties`)
        .set(auth(hr))
        .send({ level: 'LIGHT', imposedOn: '2025-01-02', description: 'Teguran lisan' });
      expect(pen.status).toBe(201);
      expect((await t.http().get(`/employees/${eA1.id}/penalties`).set(auth(hr))).status).toBe(200);
    });

    it('an HR operator lists exactly their subtree', async () => {
      const res = await list({}, hr);
      expect(res.status).toBe(200);
      expect(idsOf(res)).toEqual([eA.id, eA1.id].sort());
      expect(res.body.total).toBe(2);
      expect((await list({ withinUnitId: b.id }, hr)).body).toMatchObject({ items: [], total: 0 });
    });

    it('an employee outside the subtree answers 404 to an HR operator on every route', async () => {
      expectProblem(await get(eB.id, hr), 404);
      expectProblem(await byNip(eB.nip, hr), 404);
      expectProblem(await patch(eB.id, { name: 'Diubah' }, hr), 404);
      expectProblem(await t.http().get(`/employees/${eB.id}/penalties`).set(auth(hr)), 404);
      expectProblem(
        await t.http().post(`/employees/${eB.id}/penalties`).set(auth(hr)).send({ level: 'HEAVY', imposedOn: '2025-01-02', description: 'x' }),
        404,
      );
      expectProblem(await t.http().put(`/employees/${eB.id}/potential`).set(auth(hr)).send({ potential: 'LOW' }), 404);
      const untouched = await get(eB.id);
      expect(untouched.body).toMatchObject({ name: eB.name, potential: null });
      expect((await t.http().get(`/employees/${eB.id}/penalties`).set(auth(t.adminToken))).body).toEqual([]);
    });

    it('an HR operator cannot create in, or move to, a unit outside the subtree: 400 as if it did not exist', async () => {
      const nip = pnsNip();
      const byId = await post(fields({ nip, unitId: b.id }), hr);
      expectProblem(byId, 400, 'validation-failed');
      expect(fieldsOf(byId)).toEqual(['unitId']);
      const byCode = await post(fields({ nip, unitCode: b.code }), hr);
      expectProblem(byCode, 400, 'validation-failed');
      expect(fieldsOf(byCode)).toEqual(['unitCode']);
      expectProblem(await byNip(nip), 404);

      const inside = await post(fields({ nip, unitCode: a1.code }), hr);
      expect(inside.status).toBe(201);

      const move = await patch(eA1.id, { unitId: b.id }, hr);
      expectProblem(move, 400, 'validation-failed');
      expect(fieldsOf(move)).toEqual(['unitId']);
      expect((await get(eA1.id)).body.unitId).toBe(a1.id);
    });

    it('an EMPLOYEE sees only themself and cannot write', async () => {
      const me = await userToken(t, { role: 'EMPLOYEE', employeeId: eA1.id });
      const self = await get(eA1.id, me.token);
      expect(self.status).toBe(200);
      expect(self.body.id).toBe(eA1.id);
      expect((await byNip(eA1.nip, me.token)).status).toBe(200);
      expectProblem(await get(eA.id, me.token), 404);
      expectProblem(await byNip(eA.nip, me.token), 404);
      expectProblem(await get(eB.id, me.token), 404);
      const mine = await list({}, me.token);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: eA1.id })] });
      expect((await t.http().get(`/employees/${eA1.id}/penalties`).set(auth(me.token))).status).toBe(200);
      expectProblem(await t.http().get(`/employees/${eA.id}/penalties`).set(auth(me.token)), 404);

      expectProblem(await patch(eA1.id, { name: 'Nama Saya' }, me.token), 403);
      expectProblem(await post(fields({ unitId: a.id }), me.token), 403);
      expectProblem(await importRows([fields({ unitCode: a.code })], { token: me.token }), 403);
      expectProblem(await t.http().put(`/employees/${eA1.id}/potential`).set(auth(me.token)).send({ potential: 'HIGH' }), 403);
      expect((await get(eA1.id)).body.name).toBe(eA1.name);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('update (PATCH)', () => {
    let unit: { id: string; code: string };
    beforeAll(async () => (unit = await createUnit(t)));

    it('changes name and rank, and keeps everything else', async () => {
      const e = await createEmployee(t, { unitId: unit.id, functionalLevel: 'AHLI_PERTAMA' });
      const res = await patch(e.id, { name: 'Ni Made Baru', rank: 'III/b', rankSince: '2025-04-01' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: e.id, nip: e.nip, name: 'Ni Made Baru', rank: 'III/b', rankSince: '2025-04-01',
        gender: e.gender, birthDate: e.birthDate, serviceStart: e.serviceStart, functionalLevel: 'AHLI_PERTAMA', unitId: unit.id,
      });
      expect((await get(e.id)).body).toMatchObject({ name: 'Ni Made Baru', rank: 'III/b' });
      const audit = await t.http().get('/audit-events').query({ entityId: e.id, action: 'employee.update' }).set(auth(t.adminToken));
      expect(audit.body.items).toEqual([
        expect.objectContaining({ before: expect.objectContaining({ name: e.name }), after: expect.objectContaining({ name: 'Ni Made Baru' }) }),
      ]);
    });

    it('rejects a rank of the wrong employment type and unknown fields', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      const rank = await patch(e.id, { rank: 'IX' });
      expectProblem(rank, 400, 'validation-failed');
      expect(fieldsOf(rank)).toEqual(['rank']);
      const unknown = await patch(e.id, { pangkat: 'Penata' });
      expectProblem(unknown, 400, 'validation-failed');
      expect(fieldsOf(unknown)).toEqual(['pangkat']);
      expect((await get(e.id)).body.rank).toBe('III/a');
    });

    it('refuses null for a required field with 400 naming it (never a 500), and clears nullable ones', async () => {
      const boss = await createEmployee(t, { unitId: unit.id });
      const e = await createEmployee(t, { unitId: unit.id, supervisorId: boss.id, functionalLevel: 'TERAMPIL' });
      for (const field of ['name', 'rank', 'rankSince', 'jobType', 'positionTitle', 'employmentType', 'nip', 'status', 'unitId', 'unitCode']) {
        const res = await patch(e.id, { [field]: null });
        expectProblem(res, 400, 'validation-failed');
        expect(fieldsOf(res)).toContain(field);
      }
      const cleared = await patch(e.id, { supervisorId: null, functionalLevel: null, serviceStart: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ supervisorId: null, functionalLevel: null, serviceStart: null, name: e.name });
    });

    it('moves an employee to another unit by unitId or unitCode; an inactive target answers 409', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      const other = await createUnit(t);
      const third = await createUnit(t);
      const byId = await patch(e.id, { unitId: other.id });
      expect(byId.status).toBe(200);
      expect(byId.body.unitId).toBe(other.id);
      const byCode = await patch(e.id, { unitCode: third.code });
      expect(byCode.status).toBe(200);
      expect(byCode.body.unitId).toBe(third.id);
      const unknown = await patch(e.id, { unitCode: uniqueCode('NOPE') });
      expectProblem(unknown, 400, 'validation-failed');
      expect(fieldsOf(unknown)).toEqual(['unitCode']);
      const closed = await createUnit(t);
      expect((await t.http().patch(`/units/${closed.id}`).set(auth(t.adminToken)).send({ active: false })).status).toBe(200);
      expectProblem(await patch(e.id, { unitId: closed.id }), 409, 'unit-inactive');
      expect((await get(e.id)).body.unitId).toBe(third.id);
    });

    it('lets a full-record PATCH restate the current unit after that unit was deactivated', async () => {
      const home = await createUnit(t);
      const e = await createEmployee(t, { unitId: home.id });
      expect((await t.http().patch(`/units/${home.id}`).set(auth(t.adminToken)).send({ active: false })).status).toBe(200);
      const byId = await patch(e.id, { name: 'Masih Di Sini', unitId: home.id });
      expect(byId.status).toBe(200);
      expect(byId.body).toMatchObject({ name: 'Masih Di Sini', unitId: home.id });
      const byCode = await patch(e.id, { positionTitle: 'Arsiparis', unitCode: home.code });
      expect(byCode.status).toBe(200);
      expect(byCode.body).toMatchObject({ positionTitle: 'Arsiparis', unitId: home.id });
    });

    it('sets status RETIRED (audited as a deactivation) and refuses an unknown status', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      const res = await patch(e.id, { status: 'RETIRED' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('RETIRED');
      expect((await get(e.id)).body.status).toBe('RETIRED');
      const audit = await t.http().get('/audit-events').query({ entityId: e.id, action: 'employee.deactivate' }).set(auth(t.adminToken));
      expect(audit.body.total).toBe(1);
      expectProblem(await patch(e.id, { status: 'PENSIUN' }), 400);
    });

    it('refuses a supervisor cycle with 409 supervisor-cycle and changes nothing', async () => {
      const a = await createEmployee(t, { unitId: unit.id, name: 'A' });
      const b = await createEmployee(t, { unitId: unit.id, name: 'B', supervisorId: a.id });
      const c = await createEmployee(t, { unitId: unit.id, name: 'C', supervisorId: b.id });
      const byId = await patch(a.id, { supervisorId: c.id, name: 'A renamed' });
      expectProblem(byId, 409, 'supervisor-cycle');
      const byNipRef = await patch(a.id, { supervisorNip: b.nip });
      expectProblem(byNipRef, 409, 'supervisor-cycle');
      expect((await get(a.id)).body).toMatchObject({ supervisorId: null, name: 'A' });
      // Re-pointing the top of the chain elsewhere is fine.
      const d = await createEmployee(t, { unitId: unit.id, name: 'D' });
      const ok = await patch(a.id, { supervisorNip: d.nip });
      expect(ok.status).toBe(200);
      expect(ok.body.supervisorId).toBe(d.id);
    });

    it('refuses self-supervision with 409', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      expectProblem(await patch(e.id, { supervisorId: e.id }), 409, 'supervisor-cycle');
      expectProblem(await patch(e.id, { supervisorNip: e.nip }), 409, 'supervisor-cycle');
      expect((await get(e.id)).body.supervisorId).toBeNull();
    });

    it('serialises concurrent supervisor changes so that they cannot form a cycle together', async () => {
      const a = await createEmployee(t, { unitId: unit.id });
      const b = await createEmployee(t, { unitId: unit.id });
      const [ab, ba] = await Promise.all([patch(a.id, { supervisorId: b.id }), patch(b.id, { supervisorId: a.id })]);
      expect([ab.status, ba.status].sort()).toEqual([200, 409]);
      const [ra, rb] = await Promise.all([get(a.id), get(b.id)]);
      expect([ra.body.supervisorId, rb.body.supervisorId].filter(Boolean)).toHaveLength(1);
    });

    it('changing the NIP of a PNS recomputes gender and birth date', async () => {
      const e = await createEmployee(t, { unitId: unit.id, nip: pnsNip({ birth: '19800101', gender: 1 }) });
      expect(e).toMatchObject({ gender: 'MALE', birthDate: '1980-01-01' });
      const nip = pnsNip({ birth: '19850310', gender: 2 });
      const res = await patch(e.id, { nip });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ nip, gender: 'FEMALE', birthDate: '1985-03-10' });
      expect((await byNip(nip)).body.id).toBe(e.id);
      expectProblem(await byNip(e.nip), 404);
      // A NIP that is invalid, or another employee's, is refused.
      expect(fieldsOf(await patch(e.id, { nip: '198503102010133001' }))).toEqual(['nip']);
      const other = await createEmployee(t, { unitId: unit.id });
      expectProblem(await patch(e.id, { nip: other.nip }), 409, 'duplicate-nip');
      // A body gender that contradicts the NIP is refused.
      expect(fieldsOf(await patch(e.id, { gender: 'MALE' }))).toEqual(['gender']);
    });

    it('a PPPK keeps the gender and birth date of the body when only the number or rank changes', async () => {
      const created = await post(
        fields({ nip: pppkNumber(), employmentType: 'PPPK', rank: 'VII', gender: 'MALE', birthDate: '1991-05-06', unitId: unit.id }),
      );
      expect(created.status).toBe(201);
      const rank = await patch(created.body.id, { rank: 'IX' });
      expect(rank.body).toMatchObject({ rank: 'IX', gender: 'MALE', birthDate: '1991-05-06' });
      const nip = pppkNumber();
      const renumbered = await patch(created.body.id, { nip });
      expect(renumbered.status).toBe(200);
      expect(renumbered.body).toMatchObject({ nip, gender: 'MALE', birthDate: '1991-05-06' });
      const regendered = await patch(created.body.id, { gender: 'FEMALE' });
      expect(regendered.body.gender).toBe('FEMALE');
    });

    it('answers 404 for an unknown employee', async () => {
      expectProblem(await patch('00000000-0000-4000-8000-000000000000', { name: 'X' }), 404);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('potential and penalties', () => {
    let unit: { id: string; code: string };
    beforeAll(async () => (unit = await createUnit(t)));
    const putPotential = (id: string, body: unknown) => t.http().put(`/employees/${id}/potential`).set(auth(t.adminToken)).send(body as object);
    const addPenalty = (id: string, body: Body) => t.http().post(`/employees/${id}/penalties`).set(auth(t.adminToken)).send(body);

    it('sets, validates and clears the potential', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      const high = await putPotential(e.id, { potential: 'HIGH' });
      expect(high.status).toBe(200);
      expect(high.body).toMatchObject({ id: e.id, potential: 'HIGH' });
      expect((await get(e.id)).body.potential).toBe('HIGH');
      const bad = await putPotential(e.id, { potential: 'SUPER' });
      expectProblem(bad, 400, 'validation-failed');
      expect(fieldsOf(bad)).toEqual(['potential']);
      expectProblem(await putPotential(e.id, {}), 400);
      expect((await get(e.id)).body.potential).toBe('HIGH');
      const cleared = await putPotential(e.id, { potential: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.potential).toBeNull();
      expect((await get(e.id)).body.potential).toBeNull();
      expectProblem(await putPotential('00000000-0000-4000-8000-000000000000', { potential: 'LOW' }), 404);
    });

    it('records a penalty: 201 with id and employeeId', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      const res = await addPenalty(e.id, { level: 'MODERATE', imposedOn: '2025-03-02', description: 'Penundaan kenaikan gaji berkala' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        employeeId: e.id,
        level: 'MODERATE',
        imposedOn: '2025-03-02',
        description: 'Penundaan kenaikan gaji berkala',
      });
      const audit = await t.http().get('/audit-events').query({ entityId: res.body.id }).set(auth(t.adminToken));
      expect(audit.body.items).toContainEqual(expect.objectContaining({ action: 'penalty.create' }));
    });

    it('rejects a bad level, an impossible date, a missing description and unknown employees', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      const level = await addPenalty(e.id, { level: 'SEVERE', imposedOn: '2025-03-02', description: 'x' });
      expectProblem(level, 400, 'validation-failed');
      expect(fieldsOf(level)).toEqual(['level']);
      const date = await addPenalty(e.id, { level: 'LIGHT', imposedOn: '2026-02-30', description: 'x' });
      expectProblem(date, 400, 'validation-failed');
      expect(fieldsOf(date)).toContain('imposedOn');
      expect(fieldsOf(await addPenalty(e.id, { level: 'LIGHT', imposedOn: '02/03/2025', description: 'x' }))).toContain('imposedOn');
      expect(fieldsOf(await addPenalty(e.id, { level: 'LIGHT', imposedOn: '2025-03-02' }))).toContain('description');
      expect(fieldsOf(await addPenalty(e.id, { level: 'LIGHT', imposedOn: '2025-03-02', description: 'x', sk: '1' }))).toEqual(['sk']);
      expectProblem(await addPenalty('00000000-0000-4000-8000-000000000000', { level: 'LIGHT', imposedOn: '2025-03-02', description: 'x' }), 404);
      expect((await t.http().get(`/employees/${e.id}/penalties`).set(auth(t.adminToken))).body).toEqual([]);
    });

    it('lists penalties newest first', async () => {
      const e = await createEmployee(t, { unitId: unit.id });
      for (const [level, imposedOn] of [
        ['LIGHT', '2024-01-10'],
        ['HEAVY', '2025-06-01'],
        ['MODERATE', '2023-03-03'],
      ]) {
        expect((await addPenalty(e.id, { level, imposedOn, description: `${level} ${imposedOn}` })).status).toBe(201);
      }
      const res = await t.http().get(`/employees/${e.id}/penalties`).set(auth(t.adminToken));
      expect(res.status).toBe(200);
      expect(res.body.map((p: Body) => p.imposedOn)).toEqual(['2025-06-01', '2024-01-10', '2023-03-03']);
      expect(res.body.map((p: Body) => p.level)).toEqual(['HEAVY', 'LIGHT', 'MODERATE']);
      expect(res.body.every((p: Body) => p.employeeId === e.id)).toBe(true);
      expectProblem(await t.http().get('/employees/00000000-0000-4000-8000-000000000000/penalties').set(auth(t.adminToken)), 404);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('import', () => {
    let unit: { id: string; code: string };
    beforeAll(async () => (unit = await createUnit(t)));
    const row = (over: Body = {}): Body => fields({ unitCode: unit.code, ...over });

    it('creates rows in any order, resolving supervisors defined in later rows', async () => {
      const [top, mid, low, low2] = [pnsNip(), pnsNip(), pnsNip(), pppkNumber()];
      const rows = [
        row({ nip: low, name: 'Staf', supervisorNip: mid }),
        row({ nip: low2, name: 'Staf PPPK', employmentType: 'PPPK', rank: 'V', gender: 'FEMALE', supervisorNip: mid }),
        row({ nip: mid, name: 'Kepala Bidang', jobType: 'ADMINISTRATOR', rank: 'IV/a', supervisorNip: top }),
        row({ nip: top, name: 'Kepala Dinas', jobType: 'JPT_PRATAMA', rank: 'IV/c' }),
      ];
      const res = await importRows(rows);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 4, updated: 0, unchanged: 0, errors: [] });
      const [eTop, eMid, eLow, eLow2] = await Promise.all([top, mid, low, low2].map((n) => byNip(n)));
      expect(eTop.body).toMatchObject({ supervisorId: null, unitId: unit.id, rank: 'IV/c' });
      expect(eMid.body.supervisorId).toBe(eTop.body.id);
      expect(eLow.body.supervisorId).toBe(eMid.body.id);
      expect(eLow.body).toMatchObject({ gender: low[14] === '1' ? 'MALE' : 'FEMALE', serviceStart: `${low.slice(8, 12)}-${low.slice(12, 14)}-01` });
      expect(eLow2.body).toMatchObject({ supervisorId: eMid.body.id, gender: 'FEMALE', employmentType: 'PPPK' });

      const audit = await t.http().get('/audit-events').query({ entityId: eLow.body.id }).set(auth(t.adminToken));
      expect(audit.body.items).toContainEqual(expect.objectContaining({ action: 'employee.import-create' }));
    });

    it('re-importing the same rows changes nothing; a changed field counts as updated', async () => {
      const [boss, staff, other] = [pnsNip(), pnsNip(), pnsNip()];
      const rows = [row({ nip: staff, supervisorNip: boss }), row({ nip: boss, rank: 'IV/a' }), row({ nip: other })];
      expect((await importRows(rows)).body).toEqual({ created: 3, updated: 0, unchanged: 0, errors: [] });
      expect((await importRows(rows)).body).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });
      // Optional fields left out keep their value (the PNS service start derived at creation, the supervisor).
      const withoutSup = rows.map((r) => ({ ...r, supervisorNip: undefined }));
      expect((await importRows(withoutSup)).body).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });

      const changed = [row({ nip: staff, supervisorNip: boss, positionTitle: 'Analis SDM Aparatur' }), rows[1], rows[2]];
      expect((await importRows(changed)).body).toEqual({ created: 0, updated: 1, unchanged: 2, errors: [] });
      const read = await byNip(staff);
      expect(read.body).toMatchObject({ positionTitle: 'Analis SDM Aparatur', supervisorId: (await byNip(boss)).body.id });
      const audit = await t.http().get('/audit-events').query({ entityId: read.body.id, action: 'employee.import-update' }).set(auth(t.adminToken));
      expect(audit.body.total).toBe(1);

      // supervisorNip null clears the supervisor.
      const cleared = await importRows([row({ nip: staff, supervisorNip: null, positionTitle: 'Analis SDM Aparatur' })]);
      expect(cleared.body).toMatchObject({ updated: 1, errors: [] });
      expect((await byNip(staff)).body.supervisorId).toBeNull();
    });

    it('reports bad rows with index and NIP and writes the good ones', async () => {
      const good1 = pnsNip();
      const good2 = pnsNip();
      const [x, y, w, s, sub, unk, extra, bad3] = Array.from({ length: 8 }, () => pnsNip());
      const rows = [
        /* 0 */ row({ nip: good1, supervisorNip: good2 }),
        /* 1 */ row({ nip: '199002302015031001' }),
        /* 2 */ row({ nip: bad3, unitCode: uniqueCode('NOPE') }),
        /* 3 */ row({ nip: good2 }),
        /* 4 */ row({ nip: good2, name: 'Duplikat' }),
        /* 5 */ row({ nip: unk, supervisorNip: pnsNip() }),
        /* 6 */ row({ nip: x, supervisorNip: y }),
        /* 7 */ row({ nip: y, supervisorNip: x }),
        /* 8 */ row({ nip: sub, supervisorNip: s }),
        /* 9 */ row({ nip: s, rank: 'IX' }),
        /* 10 */ row({ nip: extra, golongan: 'III/a' }),
        /* 11 */ row({ nip: w, supervisorNip: x }),
      ];
      const res = await importRows(rows);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
      const errors = res.body.errors as { index: number; key: string; message: string }[];
      expect(errors.map((e) => e.index)).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
      for (const e of errors) expect(e.key).toBe(rows[e.index].nip);
      const msg = (i: number) => errors.find((e) => e.index === i)!.message;
      expect(msg(1)).toMatch(/nip/);
      expect(msg(2)).toMatch(/unitCode/);
      expect(msg(4)).toMatch(/nip.*row 3/);
      expect(msg(5)).toMatch(/supervisorNip/);
      expect(msg(6)).toMatch(/supervisorNip/);
      expect(msg(7)).toMatch(/supervisorNip/);
      expect(msg(8)).toMatch(/supervisorNip/);
      expect(msg(9)).toMatch(/rank/);
      expect(msg(10)).toMatch(/golongan/);
      expect(msg(11)).toMatch(/supervisorNip/);

      const [g1, g2] = await Promise.all([byNip(good1), byNip(good2)]);
      expect(g1.body.supervisorId).toBe(g2.body.id);
      expect(g2.body.name).not.toBe('Duplikat');
      for (const nip of [bad3, unk, x, y, sub, s, extra, w]) expectProblem(await byNip(nip), 404);
    });

    it('a row that closes a cycle with existing employees fails; breaking the old link in the same batch works', async () => {
      const [a, b] = [pnsNip(), pnsNip()];
      expect((await importRows([row({ nip: b, supervisorNip: a }), row({ nip: a })])).body).toMatchObject({ created: 2, errors: [] });
      const cycle = await importRows([row({ nip: a, supervisorNip: b })]);
      expect(cycle.body).toMatchObject({ created: 0, updated: 0, errors: [{ index: 0, key: a, message: expect.stringMatching(/supervisorNip/) }] });
      expect((await byNip(a)).body.supervisorId).toBeNull();
      const swap = await importRows([row({ nip: a, supervisorNip: b }), row({ nip: b, supervisorNip: null })]);
      expect(swap.body).toEqual({ created: 0, updated: 2, unchanged: 0, errors: [] });
      const [ra, rb] = await Promise.all([byNip(a), byNip(b)]);
      expect(ra.body.supervisorId).toBe(rb.body.id);
      expect(rb.body.supervisorId).toBeNull();
      // Self-supervision in a row.
      const self = await importRows([row({ nip: a, supervisorNip: a })]);
      expect(self.body.errors).toEqual([{ index: 0, key: a, message: expect.stringMatching(/supervisorNip/) }]);
    });

    it('refuses new rows in an inactive unit, and moving an existing employee into one', async () => {
      const closed = await createUnit(t);
      const existing = pnsNip();
      expect((await importRows([row({ nip: existing })])).body.created).toBe(1);
      expect((await t.http().patch(`/units/${closed.id}`).set(auth(t.adminToken)).send({ active: false })).status).toBe(200);
      const fresh = pnsNip();
      const res = await importRows([row({ nip: fresh, unitCode: closed.code }), row({ nip: existing, unitCode: closed.code })]);
      expect(res.body).toMatchObject({ created: 0, updated: 0 });
      expect(res.body.errors.map((e: Body) => [e.index, e.key])).toEqual([
        [0, fresh],
        [1, existing],
      ]);
      expect((await byNip(existing)).body.unitId).toBe(unit.id);
    });

    it('atomic=true with one bad row answers 400 import-rejected and writes none of the good rows', async () => {
      const [g1, g2] = [pnsNip(), pnsNip()];
      const rows = [row({ nip: g1, supervisorNip: g2 }), row({ nip: g2 }), row({ nip: pnsNip(), rank: 'IX' })];
      const res = await importRows(rows, { atomic: true });
      expectProblem(res, 400, 'import-rejected');
      expect(res.body.rowErrors).toEqual([{ index: 2, key: rows[2].nip, message: expect.stringMatching(/rank/) }]);
      expect(res.body.errors).toEqual([{ field: 'employees.2', message: expect.stringMatching(/rank/) }]);
      expectProblem(await byNip(g1), 404);
      expectProblem(await byNip(g2), 404);

      const ok = await importRows(rows.slice(0, 2), { atomic: true });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ created: 2, updated: 0, unchanged: 0, errors: [] });
    });

    it('refuses more than 5000 rows with 400, and accepts a 5000-row body', async () => {
      const nope = uniqueCode('NOPE');
      const rows = Array.from({ length: 5001 }, () => row({ unitCode: nope, name: 'I Gusti Ngurah Made Pegawai Negeri Sipil', positionTitle: 'Pengelola Layanan Operasional Perangkat Daerah' }));
      const tooMany = await importRows(rows);
      expectProblem(tooMany, 400, 'validation-failed');
      expect(fieldsOf(tooMany)).toEqual(['employees']);
      const max = await importRows(rows.slice(0, 5000));
      expect(max.status).toBe(200);
      expect(max.body).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
      expect(max.body.errors).toHaveLength(5000);
    });

    it('rejects a malformed body: missing employees, a non-array, a non-object row, a bad atomic flag', async () => {
      expectProblem(await t.http().post('/employees/import').set(auth(t.adminToken)).send({}), 400);
      expectProblem(await t.http().post('/employees/import').set(auth(t.adminToken)).send({ employees: 'x' }), 400);
      expectProblem(await importRows([row(), 42]), 400);
      expectProblem(await t.http().post('/employees/import?atomic=yes').set(auth(t.adminToken)).send({ employees: [] }), 400);
      expectProblem(await t.http().post('/employees/import?atomic=1').set(auth(t.adminToken)).send({ employees: [] }), 400);
      expectProblem(await t.http().post('/employees/import').set(auth(t.adminToken)).send({ employees: [], extra: 1 }), 400);
    });

    it('an HR operator gets rows outside their subtree as errors and the rest imported', async () => {
      const a = await createUnit(t);
      const b = await createUnit(t);
      const hr = (await userToken(t, { role: 'HR_OPERATOR', unitId: a.id })).token;
      const foreign = await createEmployee(t, { unitId: b.id });
      const [inside, outside] = [pnsNip(), pnsNip()];
      const res = await importRows(
        [
          row({ nip: inside, unitCode: a.code }),
          row({ nip: outside, unitCode: b.code }),
          row({ nip: foreign.nip, unitCode: a.code }), // taking over an employee of another subtree
        ],
        { token: hr },
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
      expect(res.body.errors).toEqual([
        { index: 1, key: outside, message: expect.stringMatching(/unitCode/) },
        { index: 2, key: foreign.nip, message: expect.stringMatching(/nip/) },
      ]);
      expect((await byNip(inside)).body.unitId).toBe(a.id);
      expectProblem(await byNip(outside), 404);
      expect((await byNip(foreign.nip)).body.unitId).toBe(b.id);
    });

    it('imports 2000 rows, subordinates before supervisors, in one request', async () => {
      const big = await createUnit(t);
      const nips = new Set<string>();
      while (nips.size < 2000) nips.add(pnsNip());
      const all = [...nips];
      // Row i is supervised by row floor((i - 1) / 10): a ten-wide tree, sent bottom-up.
      const rows = all.map((nip, i) => ({
        ...fields({ nip, name: `Pegawai ${i}` }),
        unitCode: big.code,
        ...(i > 0 ? { supervisorNip: all[Math.floor((i - 1) / 10)] } : {}),
      }));
      const res = await importRows([...rows].reverse());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 2000, updated: 0, unchanged: 0, errors: [] });
      const listed = await list({ withinUnitId: big.id, pageSize: 1 });
      expect(listed.body.total).toBe(2000);
      const [leaf, parent] = await Promise.all([byNip(all[1999]), byNip(all[199])]);
      expect(leaf.body.supervisorId).toBe(parent.body.id);
    });
  });
});
