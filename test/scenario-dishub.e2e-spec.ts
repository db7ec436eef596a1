import { randomInt } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { createTestApp, TestApp } from './app';
import { auth, expectProblem, pnsNip, uniqueCode, userToken } from './factories';

/**
 * The planning issue's story, end to end through the public API: at Dinas Perhubungan a pelaksana is
 * appraised on average public-transport waiting time (LOWER_IS_BETTER, target 15 minutes) and on
 * schedules published (HIGHER_IS_BETTER), through PLANNING → OPEN → EVALUATION → CLOSED and an objection.
 */
describe('scenario: a pelaksana at Dinas Perhubungan (e2e)', () => {
  // One story told in steps: each step starts where the one before left off, so the first failing step is the one to read.
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = auth(t.adminToken);
  });
  afterAll(() => t.close());

  const http = () => t.http();
  const sfx = uniqueCode('X');
  const code = (c: string) => `${c}-${sfx}`;
  const as = (u: { token: string }) => auth(u.token);
  // A monthly period in a far year, so parallel or repeated runs never collide.
  const year = randomInt(2100, 9000);
  const [kadisNip, kabidNip, staffNip] = [pnsNip(), pnsNip(), pnsNip()];
  const ratings = {
    BERORIENTASI_PELAYANAN: 'ABOVE_EXPECTATION', AKUNTABEL: 'MEETS_EXPECTATION', KOMPETEN: 'MEETS_EXPECTATION', HARMONIS: 'MEETS_EXPECTATION',
    LOYAL: 'MEETS_EXPECTATION', ADAPTIF: 'BELOW_EXPECTATION', KOLABORATIF: 'MEETS_EXPECTATION',
  };
  let kadis: string, kabid: string, staff: string;
  let staffUser: { token: string }, kabidUser: { token: string }, kadisUser: { token: string };
  let dishub: { id: string };
  let waiting: Response, schedules: Response;
  let pid: string;
  let appraisal: { id: string };
  let aUrl: string;
  let tWait: Response, tSched: Response;
  let w1: { targetId: string; value: number; occurredOn: string; evidenceUrl: string };
  let first: Response, w2: Response, s1: Response, s2: Response;

  const transition = (to: string, extra: object = {}) => http().post(`/periods/${pid}/transitions`).set(admin).send({ to, ...extra });
  const submit = (body: object, key?: string) => {
    const req = http().post('/achievements').set(as(staffUser));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  it('1. HR imports the organisation, children before parents, and its employees', async () => {
    const units = await http()
      .post('/units/import')
      .set(admin)
      .send({
        units: [
          { code: code('DISHUB-ANGKUTAN'), name: 'Bidang Angkutan', kind: 'BIDANG', parentCode: code('DISHUB') },
          { code: code('DISHUB'), name: 'Dinas Perhubungan', kind: 'DINAS', parentCode: code('PEMKOT'), publicService: true },
          { code: code('PEMKOT'), name: 'Pemerintah Kota Denpasar', kind: 'OTHER' },
        ],
      });
    expect(units.body).toMatchObject({ created: 3, errors: [] });
    const row = (nip: string, name: string, jobType: string, rank: string, unit: string, supervisorNip?: string) => ({
      nip, name, employmentType: 'PNS', rank, rankSince: '2022-04-01', jobType, positionTitle: name, unitCode: code(unit), supervisorNip,
    });
    const employees = await http()
      .post('/employees/import')
      .set(admin)
      .send({
        employees: [
          row(staffNip, 'Pelaksana Angkutan', 'PELAKSANA', 'II/c', 'DISHUB-ANGKUTAN', kabidNip),
          row(kabidNip, 'Kepala Bidang Angkutan', 'ADMINISTRATOR', 'III/d', 'DISHUB-ANGKUTAN', kadisNip),
          row(kadisNip, 'Kepala Dinas Perhubungan', 'JPT_PRATAMA', 'IV/c', 'DISHUB'),
        ],
      });
    expect(employees.body).toMatchObject({ created: 3, errors: [] });
    const idOf = async (nip: string) => (await http().get(`/employees/by-nip/${nip}`).set(admin)).body.id as string;
    [kadis, kabid, staff] = [await idOf(kadisNip), await idOf(kabidNip), await idOf(staffNip)];
    staffUser = await userToken(t, { role: 'EMPLOYEE', employeeId: staff });
    kabidUser = await userToken(t, { role: 'EMPLOYEE', employeeId: kabid });
    kadisUser = await userToken(t, { role: 'EMPLOYEE', employeeId: kadis });
    dishub = (await http().get(`/units?q=${code('DISHUB')}&pageSize=10`).set(admin)).body.items.find((u: { code: string }) => u.code === code('DISHUB'));
  });

  it('2. HR fills the indicator catalogue, opens a PLANNING period and generates its appraisals', async () => {
    waiting = await http().post('/indicators').set(admin).send({
      code: code('WAIT'), name: 'Rata-rata waktu tunggu angkutan umum', unitOfMeasure: 'menit', aspect: 'TIME',
      direction: 'LOWER_IS_BETTER', aggregation: 'AVERAGE', jobTypes: ['PELAKSANA'],
    });
    schedules = await http().post('/indicators').set(admin).send({
      code: code('SCHED'), name: 'Jadwal angkutan yang dipublikasikan', unitOfMeasure: 'dokumen', aspect: 'QUANTITY',
      direction: 'HIGHER_IS_BETTER', aggregation: 'SUM', jobTypes: [],
    });
    expect([waiting.status, schedules.status]).toEqual([201, 201]);

    const period = await http().post('/periods').set(admin).send({ code: `${year}-11`, type: 'MONTHLY', startDate: `${year}-11-01`, endDate: `${year}-11-30` });
    expect(period.body).toMatchObject({ status: 'PLANNING' });
    pid = period.body.id as string;

    const generated = await http().post(`/periods/${pid}/appraisals/generate`).set(admin).send({ withinUnitId: dishub.id });
    expect(generated.body).toEqual({ created: 3, existing: 0 });
    const mine = await http().get(`/appraisals?periodId=${pid}`).set(as(staffUser));
    expect(mine.body.total).toBe(1);
    appraisal = mine.body.items[0];
    expect(appraisal).toMatchObject({ employeeId: staff, assessorId: kabid, reviewerId: kadis, status: 'DRAFT' });
    aUrl = `/appraisals/${appraisal.id}`;
  });

  it('3. planning: the pelaksana proposes targets; the assessor agrees once the weights reach 100', async () => {
    tWait = await http().post(`${aUrl}/targets`).set(as(staffUser)).send({ indicatorId: waiting.body.id, target: 15, weight: 60 });
    tSched = await http().post(`${aUrl}/targets`).set(as(staffUser)).send({ indicatorId: schedules.body.id, target: 12, weight: 30 });
    expect([tWait.status, tSched.status]).toEqual([201, 201]);
    expectProblem(await http().post(`${aUrl}/agree`).set(as(kabidUser)), 409, 'weights-not-100');
    const etag = (await http().get(aUrl).set(admin)).headers.etag;
    await http().patch(`${aUrl}/targets/${tSched.body.id}`).set(as(staffUser)).send({ weight: 40 });
    expectProblem(await http().patch(aUrl).set(admin).set('If-Match', etag).send({ reviewerId: kadis }), 412, 'etag-mismatch');
    expectProblem(await http().post(`${aUrl}/agree`).set(as(staffUser)), 403);
    expect((await http().post(`${aUrl}/agree`).set(as(kabidUser))).body.status).toBe('AGREED');
  });

  it('4. achievements wait for the period to open, then are taken once per idempotency key and within the period', async () => {
    w1 = { targetId: tWait.body.id, value: 14, occurredOn: `${year}-11-07`, evidenceUrl: 'https://dishub.denpasarkota.go.id/laporan/w1.pdf' };
    expectProblem(await submit(w1), 409);
    expect((await transition('OPEN')).status).toBe(200);
    expectProblem(await transition('PLANNING'), 409, 'invalid-transition');

    first = await submit(w1, `${sfx}-w1`);
    const replay = await submit(w1, `${sfx}-w1`);
    expect(first.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    w2 = await submit({ targetId: tWait.body.id, value: 17, occurredOn: `${year}-11-20` });
    s1 = await submit({ targetId: tSched.body.id, value: 6, occurredOn: `${year}-11-10` });
    s2 = await submit({ targetId: tSched.body.id, value: 5, occurredOn: `${year}-11-25` });
    const outside = await submit({ targetId: tSched.body.id, value: 1, occurredOn: `${year}-12-01` });
    expectProblem(outside, 400);
    expect(outside.body.errors[0].field).toBe('occurredOn');
    const count = await t.app.get(DataSource).query<{ n: number }[]>('SELECT count(*)::int AS n FROM achievements WHERE appraisal_id = $1', [appraisal.id]);
    expect(count[0].n).toBe(4);
  });

  it('5. the assessor, and only the assessor, verifies or rejects them', async () => {
    expectProblem(await http().post(`/achievements/${first.body.id}/verify`).set(as(staffUser)), 403);
    for (const a of [first, s1, s2]) expect((await http().post(`/achievements/${a.body.id}/verify`).set(as(kabidUser))).body.status).toBe('VERIFIED');
    const rejected = await http().post(`/achievements/${w2.body.id}/reject`).set(as(kabidUser)).send({ reason: 'Bukti dukung tidak sesuai' });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'Bukti dukung tidak sesuai' });
    expectProblem(await http().delete(`/achievements/${first.body.id}`).set(as(staffUser)), 409, 'achievement-verified');
  });

  it('6. the reviewer sees the appraisal; someone from another unit sees none of it', async () => {
    expect((await http().get(aUrl).set(as(kadisUser))).status).toBe(200);
    const outsiderEmployee = await http().post('/employees').set(admin).send({
      nip: pnsNip(), name: 'Pegawai Lain', employmentType: 'PNS', rank: 'II/a', rankSince: '2022-01-01', jobType: 'PELAKSANA',
      positionTitle: 'Staf', unitCode: code('PEMKOT'),
    });
    const outsider = await userToken(t, { role: 'EMPLOYEE', employeeId: outsiderEmployee.body.id });
    expectProblem(await http().get(aUrl).set(as(outsider)), 404);
    expectProblem(await http().post('/achievements').set(as(outsider)).send({ ...w1, value: 1 }), 404);
  });

  it('7. evaluation: the assessor rates behaviour', async () => {
    expect((await transition('EVALUATION')).status).toBe(200);
    expect((await http().put(`${aUrl}/behaviour`).set(as(kabidUser)).send({ ratings })).body.status).toBe('ASSESSED');
  });

  it("8. the close refuses while the two heads' appraisals are DRAFT, listing them; an admin forces it and it finalises", async () => {
    const refused = await transition('CLOSED');
    expectProblem(refused, 409, 'appraisals-not-assessed');
    expect(refused.body.appraisalIds).toHaveLength(2);
    expect(refused.body.appraisalIds).not.toContain(appraisal.id);
    const hr = await userToken(t, { role: 'HR_OPERATOR', unitId: dishub.id });
    expectProblem(await http().post(`/periods/${pid}/transitions`).set(as(hr)).send({ to: 'CLOSED', force: true }), 403);
    expect((await transition('CLOSED', { force: true })).body.status).toBe('CLOSED');
    const finalized = (await http().get(aUrl).set(admin)).body;
    expect(finalized).toMatchObject({ status: 'FINALIZED', finalizedAt: expect.any(String) });
    expectProblem(await submit({ targetId: tSched.body.id, value: 1, occurredOn: `${year}-11-28` }), 409);
  });

  it('9. the close computed and froze the score', async () => {
    // Waiting time: only the verified 14 counts (AVERAGE) against 15, LOWER_IS_BETTER: 100·(2 − 14/15) = 106.67;
    // schedules: 6 + 5 = 11 (SUM) of 12: 91.67.
    // resultScore = (60·106.667 + 40·91.667)/100 = 100.67 (MEETS); behaviour (120 + 5·100 + 60)/7 = 97.14 (MEETS);
    // final = 0.7·100.667 + 0.3·97.143 = 99.61; MEETS/MEETS → BAIK (SIASN 2).
    const frozen = await http().get(`${aUrl}/score`).set(as(staffUser));
    expect(frozen.body).toMatchObject({
      resultScore: 100.67, behaviourScore: 97.14, finalScore: 99.61, resultRating: 'MEETS_EXPECTATION',
      behaviourRating: 'MEETS_EXPECTATION', predicate: 'BAIK', predicateCode: 2, freshness: 'FRESH',
    });
    expect(frozen.body.targets.map((x: { capaian: number }) => x.capaian)).toEqual([106.67, 91.67]);
  });

  it('10. an objection the kepala dinas accepts recalculates the finalised score, and the trail is audited', async () => {
    const objection = await http().post(`${aUrl}/objection`).set(as(staffUser)).send({ reason: 'Aspek ADAPTIF dinilai tanpa catatan' });
    expect(objection.status).toBe(201);
    const decided = await http().post(`${aUrl}/objection/resolve`).set(as(kadisUser)).send({
      decision: 'ACCEPTED', note: 'Catatan kinerja menunjukkan adaptasi jadwal baru', behaviourRatings: { ...ratings, ADAPTIF: 'MEETS_EXPECTATION' },
    });
    expect(decided.body).toMatchObject({ status: 'ACCEPTED' });
    expect((await http().get(aUrl).set(admin)).body.behaviour.ratings.ADAPTIF).toBe('MEETS_EXPECTATION');
    // The accepted objection is the one thing that recalculates a finalised appraisal: (120 + 6·100)/7 = 102.86.
    expect((await http().get(`${aUrl}/score`).set(admin)).body.freshness).toBe('STALE');
    await t.app.get(RecalculationService).processMarks([appraisal.id]);
    expect((await http().get(`${aUrl}/score`).set(admin)).body).toMatchObject({ behaviourScore: 102.86, finalScore: 101.32, freshness: 'FRESH' });
    const audit = await http().get(`/audit-events?entityId=${appraisal.id}&pageSize=200`).set(admin);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['appraisal.generate', 'appraisal.agree', 'appraisal.behaviour', 'appraisal.objection-applied']));
  });
});
