import { randomInt } from 'node:crypto';
import { createCapaianClient, Schemas } from '../clients/typescript';
import { createTestApp, TestApp } from './app';
import { pnsNip, uniqueCode } from './factories';
import { until } from './processes';
import { TEST_ADMIN } from './test-env';

/**
 * The typed 2xx body (`data`) of an openapi-fetch answer, with the expected status; when the API answers a problem
 * instead (`error`, typed from the document), the test fails showing it.
 */
async function ok<R extends { data?: unknown; error?: unknown; response: Response }>(call: Promise<R>, status = 200): Promise<NonNullable<R['data']>> {
  const { data, error, response } = await call;
  if (data == null) throw new Error(`${response.status} ${JSON.stringify(error)}`);
  expect(response.status).toBe(status);
  return data;
}

/**
 * A whole appraisal cycle as an integrator would run it: only through the client generated from openapi.yaml
 * (clients/typescript), against the real app listening on a loopback port. Compiled under `tsc --strict` by the
 * typecheck, so reading a field the document does not have fails CI.
 */
describe('typed client: a whole appraisal cycle through clients/typescript (e2e)', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
  });
  afterAll(() => t.close());

  it('imports, plans, submits by API key, verifies, assesses, scores, closes and lists the candidate', async () => {
    const anonymous = createCapaianClient(baseUrl);
    const login = await ok(anonymous.POST('/auth/login', { body: TEST_ADMIN }));
    expect(login.tokenType).toBe('Bearer');
    const admin = createCapaianClient(baseUrl, { bearer: login.accessToken });
    const code = uniqueCode('TC');

    // Organisation and people: the appraisee, their supervisor (the assessor) and the head above (the reviewer).
    const units = await ok(
      admin.POST('/units/import', {
        // A boolean in the document, serialised by the client as atomic=true.
        params: { query: { atomic: true } },
        body: {
          units: [
            { code: `${code}-BID`, name: 'Bidang Pelayanan', kind: 'BIDANG', parentCode: code },
            { code, name: 'Dinas Kependudukan', kind: 'DINAS' },
          ],
        },
      }),
    );
    expect(units).toEqual({ created: 2, updated: 0, unchanged: 0, errors: [] });
    const [headNip, assessorNip, staffNip] = [pnsNip(), pnsNip(), pnsNip()];
    const row = (nip: string, name: string, jobType: Schemas['EmployeeImportRow']['jobType'], supervisorNip?: string): Schemas['EmployeeImportRow'] => ({
      nip, name, employmentType: 'PNS', rank: 'III/b', rankSince: '2010-04-01', jobType, positionTitle: name, unitCode: `${code}-BID`, supervisorNip,
    });
    const employees = await ok(
      admin.POST('/employees/import', {
        body: {
          employees: [
            row(staffNip, 'Pelaksana Pelayanan', 'PELAKSANA', assessorNip),
            row(assessorNip, 'Kepala Bidang Pelayanan', 'ADMINISTRATOR', headNip),
            row(headNip, 'Kepala Dinas', 'JPT_PRATAMA'),
          ],
        },
      }),
    );
    expect(employees).toMatchObject({ created: 3, errors: [] });
    const byNip = (nip: string) => ok(admin.GET('/employees/by-nip/{nip}', { params: { path: { nip } } }));
    const [staff, assessor, head] = [await byNip(staffNip), await byNip(assessorNip), await byNip(headNip)];
    expect([staff.supervisorId, assessor.supervisorId, head.supervisorId]).toEqual([assessor.id, head.id, null]);

    // The assessor signs in as a user linked to their employee record; a machine client gets an API key.
    const password = 'correct-horse-battery';
    const user = await ok(admin.POST('/users', { body: { username: code.toLowerCase(), password, role: 'EMPLOYEE', employeeId: assessor.id } }), 201);
    expect(user).toMatchObject({ role: 'EMPLOYEE', employeeId: assessor.id, unitId: null });
    const assessorLogin = await ok(anonymous.POST('/auth/login', { body: { username: user.username, password } }));
    const asAssessor = createCapaianClient(baseUrl, { bearer: assessorLogin.accessToken });
    const me = await ok(asAssessor.GET('/auth/me'));
    expect(me).toMatchObject({ kind: 'user', employeeId: assessor.id });
    // `kind` tells a user from an API key, for the compiler too: `role` exists only once narrowed.
    expect(me.kind === 'user' && me.role).toBe('EMPLOYEE');
    const key = await ok(admin.POST('/api-keys', { body: { name: `${code} e-kinerja`, scopes: ['achievements:write'] } }), 201);
    expect(key).toMatchObject({ status: 'ACTIVE', scopes: ['achievements:write'], revokedAt: null });
    const machine = createCapaianClient(baseUrl, { apiKey: key.key });
    const machineMe = await ok(machine.GET('/auth/me'));
    expect(machineMe.kind === 'api-key' && machineMe.scopes).toEqual(['achievements:write']);

    // An annual period in a far year (retried on a clash with another file's), still PLANNING.
    let period: Schemas['PeriodDto'] | undefined;
    let year = 0;
    for (let attempt = 0; !period && attempt < 10; attempt++) {
      // Years of its own: periods and indicators walk years below 9000 without retrying, public-anonymity 9000-9905.
      year = randomInt(9910, 10000);
      const created = await admin.POST('/periods', { body: { code: `${year}`, type: 'ANNUAL', startDate: `${year}-01-01`, endDate: `${year}-12-31` } });
      if (created.error) expect(created.error.status).toBe(409);
      period = created.data;
    }
    if (!period) throw new Error('no free year for the period');
    expect(period.status).toBe('PLANNING');
    const periodPath = { params: { path: { id: period.id } } };

    // Two indicators: documents issued (SUM, higher is better) and service time in minutes (AVERAGE, lower is better).
    const documents = await ok(
      admin.POST('/indicators', {
        body: { code: `${code}-DOC`, name: 'Dokumen kependudukan terbit', unitOfMeasure: 'dokumen', aspect: 'QUANTITY', direction: 'HIGHER_IS_BETTER', aggregation: 'SUM' },
      }),
      201,
    );
    const minutes = await ok(
      admin.POST('/indicators', {
        body: { code: `${code}-MIN`, name: 'Waktu layanan rata-rata', unitOfMeasure: 'menit', aspect: 'TIME', direction: 'LOWER_IS_BETTER', aggregation: 'AVERAGE' },
      }),
      201,
    );
    expect(documents.jobTypes).toEqual([]);

    // The appraisal takes its assessor and reviewer from the supervisors.
    const appraisal = await ok(admin.POST('/appraisals', { body: { employeeId: staff.id, periodId: period.id } }), 201);
    expect(appraisal).toMatchObject({ status: 'DRAFT', assessorId: assessor.id, reviewerId: head.id, behaviour: null, resultRatingOverride: null });
    const appraisalPath = { params: { path: { id: appraisal.id } } };

    // Targets weighing 60 + 40, agreed by the assessor.
    const tDocs = await ok(admin.POST('/appraisals/{id}/targets', { ...appraisalPath, body: { indicatorId: documents.id, target: 10, weight: 60 } }), 201);
    const tMins = await ok(admin.POST('/appraisals/{id}/targets', { ...appraisalPath, body: { indicatorId: minutes.id, target: 15, weight: 40 } }), 201);
    const targets = await ok(admin.GET('/appraisals/{id}/targets', appraisalPath));
    expect(targets.map((x) => x.weight).reduce((a, b) => a + b, 0)).toBe(100);
    expect((await ok(asAssessor.POST('/appraisals/{id}/agree', appraisalPath))).status).toBe('AGREED');
    expect((await ok(admin.POST('/periods/{id}/transitions', { ...periodPath, body: { to: 'OPEN' } }))).status).toBe('OPEN');

    // Achievements submitted by the API key; the key may not verify them (no scope); the assessor does, never the submitter (four eyes).
    const submit = (targetId: string, value: number, occurredOn: string) =>
      ok(machine.POST('/achievements', { body: { targetId, value, occurredOn, evidenceUrl: `https://disdukcapil.denpasarkota.go.id/${code}/${value}.pdf` } }), 201);
    const achievements = [
      await submit(tDocs.id, 4, `${year}-03-14`),
      await submit(tDocs.id, 6, `${year}-07-02`),
      await submit(tMins.id, 12, `${year}-09-30`),
    ];
    expect(achievements.map((a) => a.status)).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
    const refused = await machine.POST('/achievements/{id}/verify', { params: { path: { id: achievements[0].id } } });
    expect(refused.data).toBeUndefined();
    expect(refused.error).toMatchObject({ status: 403, code: 'missing-scope' });
    expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    for (const a of achievements) {
      const verified = await ok(asAssessor.POST('/achievements/{id}/verify', { params: { path: { id: a.id } } }));
      expect(verified).toMatchObject({ status: 'VERIFIED', decidedBy: user.id, rejectionReason: null });
    }

    // Evaluation: behaviour by the assessor.
    expect((await ok(admin.POST('/periods/{id}/transitions', { ...periodPath, body: { to: 'EVALUATION' } }))).status).toBe('EVALUATION');
    const ratings: Schemas['BehaviourRatingsDto'] = {
      BERORIENTASI_PELAYANAN: 'ABOVE_EXPECTATION', AKUNTABEL: 'MEETS_EXPECTATION', KOMPETEN: 'MEETS_EXPECTATION', HARMONIS: 'MEETS_EXPECTATION',
      LOYAL: 'MEETS_EXPECTATION', ADAPTIF: 'MEETS_EXPECTATION', KOLABORATIF: 'MEETS_EXPECTATION',
    };
    const assessed = await ok(asAssessor.PUT('/appraisals/{id}/behaviour', { ...appraisalPath, body: { ratings } }));
    expect(assessed.status).toBe('ASSESSED');
    expect(assessed.behaviour?.ratings).toEqual(ratings);

    // A recalculation run, polled until it completes; the score is then FRESH.
    const run = await ok(admin.POST('/periods/{id}/recalculate', periodPath), 202);
    expect(run).toMatchObject({ periodId: period.id, trigger: 'MANUAL' });
    await until(async () => (await ok(admin.GET('/recalculations/{id}', { params: { path: { id: run.id } } }))).status === 'COMPLETED', 20_000, 'the recalculation');
    // Documents 4 + 6 of 10: capaian 100; minutes 12 against 15, lower is better: 100·(2 − 12/15) = 120.
    // result (60·100 + 40·120)/100 = 108 (MEETS); behaviour (120 + 6·100)/7 = 102.86 (MEETS);
    // final 0.7·108 + 0.3·102.857 = 106.46; MEETS/MEETS → BAIK (2).
    const expected = {
      resultScore: 108, behaviourScore: 102.86, finalScore: 106.46, resultRating: 'MEETS_EXPECTATION', behaviourRating: 'MEETS_EXPECTATION',
      predicate: 'BAIK', predicateCode: 2, freshness: 'FRESH',
    } satisfies Partial<Schemas['ScoreDto']>;
    const score = await ok(asAssessor.GET('/appraisals/{id}/score', appraisalPath));
    expect(score).toMatchObject(expected);
    expect(score.targets.map((x) => [x.targetId, x.realisation, x.capaian])).toEqual([
      [tDocs.id, 10, 100],
      [tMins.id, 12, 120],
    ]);

    // Closing finalises the appraisal and freezes the same score.
    const closed = await ok(admin.POST('/periods/{id}/transitions', { ...periodPath, body: { to: 'CLOSED' } }));
    expect(closed.status).toBe('CLOSED');
    expect(closed.closedAt).toEqual(expect.any(String));
    expect(await ok(admin.GET('/appraisals/{id}', appraisalPath))).toMatchObject({ status: 'FINALIZED', finalizedAt: expect.any(String) });
    expect(await ok(admin.GET('/appraisals/{id}/score', appraisalPath))).toMatchObject(expected);

    // The appraisee is a promotion candidate over this one closed annual period.
    const candidates = await ok(
      admin.GET('/promotion-candidates', {
        params: { query: { periodType: 'ANNUAL', window: 1, withinUnitId: staff.unitId, asOf: `${year}-12-31`, includeIneligible: true } },
      }),
    );
    expect(candidates.total).toBe(3);
    const [first, ...others] = candidates.items;
    expect(first).toEqual({
      rank: 1,
      employee: { id: staff.id, nip: staffNip, name: 'Pelaksana Pelayanan', unitId: staff.unitId, jobType: 'PELAKSANA', rank: 'III/b', rankSince: '2010-04-01', potential: null },
      meanFinalScore: 106.46,
      periods: [{ code: `${year}`, predicate: 'BAIK', finalScore: 106.46 }],
      talentBox: null,
      eligible: true,
      reasons: [],
    });
    // The supervisors have no appraisal in the period: listed as ineligible, with the reason.
    expect(others.map((c) => [c.employee.id, c.eligible, c.rank])).toEqual(expect.arrayContaining([[assessor.id, false, null], [head.id, false, null]]));
    expect(others.flatMap((c) => c.reasons.map((r) => r.code))).toEqual(['MISSING_FINALIZED_APPRAISAL', 'MISSING_FINALIZED_APPRAISAL']);
  });
});
