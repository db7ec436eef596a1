import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, employeeBody, employeeImportRow, expectProblem, userToken } from './factories';

type Headers = Record<string, string>;

/**
 * An appraisal takes its assessor and reviewer from the supervisor graph, so an employee-record editor who is an
 * employee could otherwise choose whom they assess (make themselves someone's supervisor) or who reviews them (change
 * their supervisor's supervisor). Spec §8 rules 1, 3 and 4.
 */
describe('separation of duties: choosing assessors and reviewers through employee records (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const supervisorOf = async (id: string) =>
    (await db.query<{ supervisor_id: string | null }[]>('SELECT supervisor_id FROM employees WHERE id = $1', [id]))[0].supervisor_id;

  /** boss → head → me and colleague; `friend` is a peer of head, `peer` one of boss. The caller is linked to `me`. */
  async function office() {
    const parent = await createUnit(t);
    const unit = await createUnit(t, { parentId: parent.id });
    const boss = await createEmployee(t, { unitId: parent.id, jobType: 'ADMINISTRATOR', rank: 'IV/a' });
    const head = await createEmployee(t, { unitId: unit.id, supervisorId: boss.id, jobType: 'PENGAWAS', rank: 'III/d' });
    const friend = await createEmployee(t, { unitId: unit.id, supervisorId: boss.id, jobType: 'PENGAWAS', rank: 'III/d' });
    const peer = await createEmployee(t, { unitId: parent.id, jobType: 'ADMINISTRATOR', rank: 'IV/a' });
    const me = await createEmployee(t, { unitId: unit.id, supervisorId: head.id });
    const colleague = await createEmployee(t, { unitId: unit.id, supervisorId: head.id });
    return { parent, unit, boss, head, friend, peer, me, colleague };
  }

  describe.each(['ADMIN', 'HR_OPERATOR'] as const)('an %s linked to an employee', (role) => {
    let o: Awaited<ReturnType<typeof office>>;
    let caller: Headers;
    beforeAll(async () => {
      o = await office();
      caller = auth((await userToken(t, { role, employeeId: o.me.id, ...(role === 'HR_OPERATOR' ? { unitId: o.parent.id } : {}) })).token);
    });

    it.each<[string, (x: Awaited<ReturnType<typeof office>>) => [string, object]]>([
      ['makes themselves a colleague\'s supervisor (by id)', (x) => [x.colleague.id, { supervisorId: x.me.id }]],
      ['makes themselves a colleague\'s supervisor (by NIP)', (x) => [x.colleague.id, { supervisorNip: x.me.nip }]],
      ['gives their supervisor a friend as supervisor (their reviewer)', (x) => [x.head.id, { supervisorId: x.friend.id }]],
      ['gives someone two levels above them a supervisor', (x) => [x.boss.id, { supervisorId: x.peer.id }]],
    ])('is refused (403 own-record) when it %s, and nothing changes', async (_, change) => {
      const [id, body] = change(o);
      const before = await supervisorOf(id);
      expectProblem(await t.http().patch(`/employees/${id}`).set(caller).send(body), 403, 'own-record');
      expect(await supervisorOf(id)).toBe(before);
    });

    it('is refused (403 own-record) creating an employee they would supervise', async () => {
      const body = { ...employeeBody(), unitId: o.unit.id, supervisorId: o.me.id };
      expectProblem(await t.http().post('/employees').set(caller).send(body), 403, 'own-record');
      expect(await db.query('SELECT 1 FROM employees WHERE nip = $1', [body.nip])).toEqual([]);
    });

    it('still moves a colleague under someone else, which chooses neither whom they assess nor who reviews them', async () => {
      const res = await t.http().patch(`/employees/${o.colleague.id}`).set(caller).send({ supervisorId: o.friend.id });
      expect(res.status).toBe(200);
      expect(await supervisorOf(o.colleague.id)).toBe(o.friend.id);
      await t.http().patch(`/employees/${o.colleague.id}`).set(caller).send({ supervisorId: o.head.id }).expect(200);
    });

    it('fails the same changes as row errors of an import, writing the other rows', async () => {
      const read = async (id: string) => (await t.http().get(`/employees/${id}`).set(auth(t.adminToken))).body as Record<string, unknown>;
      const row = employeeImportRow;
      const [colleague, head, friend] = [await read(o.colleague.id), await read(o.head.id), await read(o.friend.id)];
      const fresh = { ...employeeBody(), unitCode: o.unit.code, supervisorNip: o.me.nip };
      const res = await t
        .http()
        .post('/employees/import')
        .set(caller)
        .send({ employees: [row(colleague, o.unit.code, o.me.nip), row(head, o.unit.code, o.friend.nip), fresh, row(friend, o.unit.code, o.head.nip)] });
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([0, 1, 2].map((index) => ({ index, key: expect.any(String), message: expect.stringMatching(/^own-record: /) })));
      expect(res.body).toMatchObject({ created: 0, updated: 1 });
      expect([await supervisorOf(o.colleague.id), await supervisorOf(o.head.id), await supervisorOf(o.friend.id)]).toEqual([o.head.id, o.boss.id, o.head.id]);
      await t.http().patch(`/employees/${o.friend.id}`).set(auth(t.adminToken)).send({ supervisorId: o.boss.id }).expect(200);
    });
  });

  it('lets an admin who is no employee make the change the linked caller may not', async () => {
    const o = await office();
    const res = await t.http().patch(`/employees/${o.colleague.id}`).set(auth(t.adminToken)).send({ supervisorId: o.me.id });
    expect(res.status).toBe(200);
    expect(await supervisorOf(o.colleague.id)).toBe(o.me.id);
  });
});
