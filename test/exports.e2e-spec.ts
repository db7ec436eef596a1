import { Logger } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { randomInt } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, userToken } from './factories';
import { insertIndicator, insertPeriod } from './planning-fixtures';
import { until } from './processes';
import { insertScore, insertScoreWithPredicate } from './score-fixtures';

type Predicate = 'SANGAT_BAIK' | 'BAIK' | 'BUTUH_PERBAIKAN' | 'KURANG' | 'SANGAT_KURANG';

const ANNUAL_COLUMNS = [
  'pnsDinilaiNip',
  'tahun',
  'hasilKinerjaNilai',
  'perilakuKerjaNilai',
  'kuadranKinerjaNilai',
  'penilaiNipNrp',
  'penilaiNama',
  'penilaiGolongan',
  'penilaiGolonganId',
  'penilaiJabatanNama',
  'penilaiUnorNama',
  'statusPenilai',
];
const PERIODIC_COLUMNS = [...ANNUAL_COLUMNS, 'bulanMulaiPenilaian', 'bulanSelesaiPenilaian', 'tahunMulaiPenilaian', 'tahunSelesaiPenilaian'];
const CODE = { ABOVE_EXPECTATION: 1, MEETS_EXPECTATION: 2, BELOW_EXPECTATION: 3 } as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MEETS = Object.fromEntries(
  ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'].map((a) => [a, 'MEETS_EXPECTATION']),
);

/** supertest: the body as bytes, for the workbook (superagent buffers only text and JSON). */
const binary = (response: Response, done: (err: Error | null, body: Buffer) => void) => {
  const res = response as unknown as IncomingMessage; // in Node, superagent hands the parser the raw message
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('period exports: SIASN rows and the results workbook (e2e, spec §10)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());
  const admin = () => auth(t.adminToken);

  /**
   * A dinas D with a bidang B below it and a unit X beside it; the assessor heads B (III/d, in B), the PPPK assessor
   * works in X. Appraisals are inserted by SQL in a period of the given type and scored by the fixtures.
   */
  async function world(type: 'MONTHLY' | 'QUARTERLY' | 'ANNUAL' = 'MONTHLY') {
    const D = await createUnit(t);
    const B = await createUnit(t, { parentId: D.id, kind: 'BIDANG', name: `Bidang Lalu Lintas ${D.code}` });
    const X = await createUnit(t, { name: `Dinas Lain ${D.code}` });
    const assessor = await createEmployee(t, { unitId: B.id, jobType: 'ADMINISTRATOR', rank: 'III/d', name: 'I Made Penilai', positionTitle: 'Kepala Bidang Lalu Lintas' });
    const pppkAssessor = await createEmployee(t, {
      unitId: X.id,
      employmentType: 'PPPK',
      nip: `${Date.now()}`.slice(-9).padStart(9, '1') + '123456789',
      rank: 'IX',
      name: 'Ni Kadek PPPK',
      positionTitle: 'Penata Kelola',
    });
    const dates = {
      MONTHLY: { start: '2031-05-01', end: '2031-05-31' },
      QUARTERLY: { start: '2031-04-01', end: '2031-06-30' },
      ANNUAL: { start: '2031-01-01', end: '2031-12-31' },
    }[type];
    const period = await insertPeriod(t, { status: 'OPEN', type, ...dates });
    return { D, B, X, assessor, pppkAssessor, period };
  }

  async function appraisal(
    periodId: string,
    unitId: string,
    opts: { status?: string; assessorId?: string | null; predicate?: Predicate; unassessed?: boolean } = {},
  ): Promise<{ id: string; nip: string; name: string }> {
    const e = await createEmployee(t, { unitId });
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status, finalized_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [e.id, periodId, unitId, opts.assessorId ?? null, opts.status ?? 'FINALIZED', (opts.status ?? 'FINALIZED') === 'FINALIZED' ? new Date() : null],
    );
    if (opts.predicate) await insertScoreWithPredicate(t, a.id, opts.predicate);
    else if (opts.unassessed) await insertScore(t, a.id, { result: 100, behaviour: null });
    return { id: a.id, nip: e.nip, name: e.name as string };
  }

  const close = (periodId: string) => db.query(`UPDATE periods SET status = 'CLOSED', closed_at = now() WHERE id = $1`, [periodId]);
  const siasn = (periodId: string, format?: string, headers: Record<string, string> = admin()) =>
    t.http().get(`/periods/${periodId}/exports/siasn`).query(format ? { format } : {}).set(headers);
  const workbook = async (periodId: string, headers: Record<string, string> = admin()) => {
    const res = await t.http().get(`/periods/${periodId}/exports/results.xlsx`).set(headers).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    return { res, book };
  };
  const sheetRows = (book: ExcelJS.Workbook, name: string) => {
    const rows: unknown[][] = [];
    // Empty cells come back as holes, trailing ones not at all: read every row as wide as the header, null where empty.
    book.getWorksheet(name)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows.map((r) => Array.from({ length: rows[0].length }, (_, i) => r[i] ?? null));
  };
  type Score = Record<'resultRating' | 'behaviourRating' | 'predicate' | 'freshness', string> & Record<'resultScore' | 'behaviourScore' | 'finalScore' | 'predicateCode', number>;
  const score = async (appraisalId: string) => (await t.http().get(`/appraisals/${appraisalId}/score`).set(admin())).body as Score;

  describe('SIASN', () => {
    it('answers one row per FINALIZED appraisal with a predicate, with the scores and codes of the appraisal (MONTHLY, JSON)', async () => {
      const w = await world('MONTHLY');
      const sb = await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id, predicate: 'SANGAT_BAIK' });
      const kurang = await appraisal(w.period.id, w.D.id, { assessorId: w.assessor.id, predicate: 'KURANG' });
      const pppk = await appraisal(w.period.id, w.X.id, { assessorId: w.pppkAssessor.id, predicate: 'BUTUH_PERBAIKAN' });
      const noAssessor = await appraisal(w.period.id, w.X.id, { assessorId: null, predicate: 'BAIK' });
      await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id, unassessed: true }); // finalised without a predicate
      await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id }); // finalised without any score
      await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id, status: 'ASSESSED', predicate: 'BAIK' }); // not finalised
      await close(w.period.id);

      const res = await siasn(w.period.id);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="siasn-kinerja-${w.period.code}.json"`);

      const penilai = {
        penilaiNipNrp: w.assessor.nip,
        penilaiNama: 'I Made Penilai',
        penilaiGolongan: 'III/d',
        penilaiGolonganId: 34,
        penilaiJabatanNama: 'Kepala Bidang Lalu Lintas',
        penilaiUnorNama: `Bidang Lalu Lintas ${w.D.code}`,
      };
      const months = { bulanMulaiPenilaian: 5, bulanSelesaiPenilaian: 5, tahunMulaiPenilaian: 2031, tahunSelesaiPenilaian: 2031 };
      const expected = [
        { nip: sb.nip, hasil: 1, perilaku: 1, kuadran: 1, penilai },
        { nip: kurang.nip, hasil: 2, perilaku: 3, kuadran: 4, penilai },
        {
          nip: pppk.nip,
          hasil: 3,
          perilaku: 1,
          kuadran: 3,
          penilai: {
            penilaiNipNrp: w.pppkAssessor.nip,
            penilaiNama: 'Ni Kadek PPPK',
            penilaiGolongan: 'IX',
            penilaiGolonganId: null,
            penilaiJabatanNama: 'Penata Kelola',
            penilaiUnorNama: `Dinas Lain ${w.D.code}`,
          },
        },
        {
          nip: noAssessor.nip,
          hasil: 2,
          perilaku: 2,
          kuadran: 2,
          penilai: { penilaiNipNrp: null, penilaiNama: null, penilaiGolongan: null, penilaiGolonganId: null, penilaiJabatanNama: null, penilaiUnorNama: null },
        },
      ]
        .sort((a, b) => a.nip.localeCompare(b.nip))
        .map((r) => ({
          pnsDinilaiNip: r.nip,
          tahun: 2031,
          hasilKinerjaNilai: r.hasil,
          perilakuKerjaNilai: r.perilaku,
          kuadranKinerjaNilai: r.kuadran,
          ...r.penilai,
          statusPenilai: 'ASN',
          ...months,
        }));
      expect(res.body).toEqual(expected);
      for (const row of res.body as Record<string, unknown>[]) expect(Object.keys(row)).toEqual(PERIODIC_COLUMNS);
    });

    it('answers the rows of a period closed through the API with the codes GET /appraisals/{id}/score gives (QUARTERLY)', async () => {
      const w = await world('QUARTERLY');
      await db.query(`UPDATE periods SET status = 'EVALUATION' WHERE id = $1`, [w.period.id]);
      const indicator = await insertIndicator(t);
      const ids: string[] = [];
      for (const value of [12, 10, 5]) {
        const e = await createEmployee(t, { unitId: w.B.id, supervisorId: w.assessor.id });
        const [a] = await db.query<{ id: string }[]>(
          `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status, behaviour_ratings, assessed_at)
           VALUES ($1, $2, $3, $4, 'ASSESSED', $5, now()) RETURNING id`,
          [e.id, w.period.id, w.B.id, w.assessor.id, JSON.stringify(MEETS)],
        );
        const [target] = await db.query<{ id: string }[]>(
          `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100) RETURNING id`,
          [a.id, indicator.id],
        );
        await db.query(
          `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, $3, $4, 'VERIFIED', $5)`,
          [target.id, a.id, value, w.period.startDate, e.id],
        );
        ids.push(a.id);
      }
      expectProblem(await siasn(w.period.id), 409, 'period-not-closed');
      const closed = await t.http().post(`/periods/${w.period.id}/transitions`).set(admin()).send({ to: 'CLOSED' });
      expect(closed.body.status).toBe('CLOSED');

      const res = await siasn(w.period.id);
      expect(res.status).toBe(200);
      const byNip = new Map((res.body as Record<string, unknown>[]).map((r) => [r.pnsDinilaiNip, r]));
      expect(byNip.size).toBe(3);
      for (const id of ids) {
        const [{ nip }] = await db.query<{ nip: string }[]>('SELECT e.nip FROM appraisals a JOIN employees e ON e.id = a.employee_id WHERE a.id = $1', [id]);
        const s = await score(id);
        expect(byNip.get(nip)).toMatchObject({
          hasilKinerjaNilai: CODE[s.resultRating as keyof typeof CODE],
          perilakuKerjaNilai: CODE[s.behaviourRating as keyof typeof CODE],
          kuadranKinerjaNilai: s.predicateCode,
          bulanMulaiPenilaian: 4,
          bulanSelesaiPenilaian: 6,
          tahunMulaiPenilaian: 2031,
          tahunSelesaiPenilaian: 2031,
        });
      }
      // 120 → ABOVE result with MEETS behaviour: BAIK (2); 100: BAIK; 50 → BELOW: BUTUH_PERBAIKAN (3)
      expect([...byNip.values()].map((r) => r.kuadranKinerjaNilai).sort()).toEqual([2, 2, 3]);
    });

    it('answers the annual layout as CSV: RFC 4180, header row, CRLF, the same values as the JSON', async () => {
      const w = await world('ANNUAL');
      const a = await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id, predicate: 'BAIK' });
      // A comma and a quote in a field: quoted and doubled.
      await db.query(`UPDATE employees SET name = 'Gede "Ajik", S.T.' WHERE id = $1`, [w.assessor.id]);
      await appraisal(w.period.id, w.D.id, { assessorId: w.assessor.id, predicate: 'SANGAT_KURANG' });
      await close(w.period.id);

      const json = await siasn(w.period.id, 'json');
      for (const row of json.body as Record<string, unknown>[]) expect(Object.keys(row)).toEqual(ANNUAL_COLUMNS);
      const res = await siasn(w.period.id, 'csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="siasn-kinerja-${w.period.code}.csv"`);
      const lines = res.text.split('\r\n');
      expect(lines[0]).toBe(ANNUAL_COLUMNS.join(','));
      expect(lines).toHaveLength(4); // header, two rows, and the empty string after the last CRLF
      expect(res.text.replace(/\r\n/g, '')).not.toContain('\n');
      expect(res.text).toContain(',"Gede ""Ajik"", S.T.",');
      const parsed: Record<string, string>[] = parse(res.text, { columns: true });
      const asText = (json.body as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v as string | number)])));
      expect(parsed).toEqual(asText);
      expect(parsed.find((r) => r.pnsDinilaiNip === a.nip)).toMatchObject({ tahun: '2031', kuadranKinerjaNilai: '2', penilaiGolonganId: '34' });
    });

    it('answers an empty array, and a CSV of the header alone, when no appraisal qualifies', async () => {
      const w = await world('ANNUAL');
      await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id, unassessed: true });
      await close(w.period.id);
      expect((await siasn(w.period.id)).body).toEqual([]);
      expect((await siasn(w.period.id, 'csv')).text).toBe(`${ANNUAL_COLUMNS.join(',')}\r\n`);
    });

    it('gives an HR operator the rows of their subtree only, and refuses employees and keys without scores:read', async () => {
      const w = await world('MONTHLY');
      const inD = await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id, predicate: 'BAIK' });
      const inX = await appraisal(w.period.id, w.X.id, { assessorId: w.assessor.id, predicate: 'BAIK' });
      await close(w.period.id);
      const nips = async (headers: Record<string, string>) => {
        const res = await siasn(w.period.id, 'json', headers);
        expect(res.status).toBe(200);
        return (res.body as { pnsDinilaiNip: string }[]).map((r) => r.pnsDinilaiNip);
      };
      const hrD = await userToken(t, { role: 'HR_OPERATOR', unitId: w.D.id });
      const hrX = await userToken(t, { role: 'HR_OPERATOR', unitId: w.X.id });
      const hrElsewhere = await userToken(t, { role: 'HR_OPERATOR', unitId: (await createUnit(t)).id });
      expect(await nips(auth(hrD.token))).toEqual([inD.nip]);
      expect(await nips(auth(hrX.token))).toEqual([inX.nip]);
      expect(await nips(auth(hrElsewhere.token))).toEqual([]);
      const csv = await siasn(w.period.id, 'csv', auth(hrElsewhere.token));
      expect(csv.text).toBe(`${PERIODIC_COLUMNS.join(',')}\r\n`);
      expect(await nips({ 'X-API-Key': (await apiKey(t, ['scores:read'])).key })).toEqual([inD.nip, inX.nip].sort());

      const employee = await userToken(t, { role: 'EMPLOYEE', employeeId: w.assessor.id });
      expectProblem(await siasn(w.period.id, 'json', auth(employee.token)), 403, 'role-not-allowed');
      expectProblem(await siasn(w.period.id, 'json', { 'X-API-Key': (await apiKey(t, ['appraisals:read'])).key }), 403, 'missing-scope');
      expectProblem(await siasn(w.period.id, 'json', {}), 401);
    });

    it('answers 409 score-stale while a FINALIZED appraisal in view waits for a recalculation (an accepted objection), and exports once it is fresh', async () => {
      const w = await world('MONTHLY');
      const a = await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id, predicate: 'BAIK' });
      const other = await appraisal(w.period.id, w.X.id, { predicate: 'KURANG' });
      await close(w.period.id);
      await db.query(`INSERT INTO score_recalculation_marks (appraisal_id, version, marked_at, reason) VALUES ($1, 1, now(), 'objection.resolved')`, [a.id]);
      const stale = await siasn(w.period.id, 'json');
      expectProblem(stale, 409, 'score-stale');
      expect(stale.body.detail).toContain('1 appraisal(s)');
      // An HR operator whose subtree does not hold the stale appraisal exports theirs.
      const hrX = await userToken(t, { role: 'HR_OPERATOR', unitId: w.X.id });
      const theirs = await siasn(w.period.id, 'json', auth(hrX.token));
      expect(theirs.status).toBe(200);
      expect(theirs.body.map((r: { pnsDinilaiNip: string }) => r.pnsDinilaiNip)).toEqual([other.nip]);
      await db.query('DELETE FROM score_recalculation_marks WHERE appraisal_id = $1', [a.id]);
      expect((await siasn(w.period.id, 'json')).status).toBe(200);
    });

    it('answers 409 before the period is CLOSED, 404 for an unknown period and 400 for an unknown format, as problem+json', async () => {
      const w = await world('MONTHLY');
      await appraisal(w.period.id, w.B.id, { assessorId: w.assessor.id, predicate: 'BAIK' });
      for (const status of ['PLANNING', 'OPEN', 'EVALUATION']) {
        await db.query('UPDATE periods SET status = $2 WHERE id = $1', [w.period.id, status]);
        const res = await siasn(w.period.id, 'csv');
        expectProblem(res, 409, 'period-not-closed');
        expect(res.body.periodStatus).toBe(status);
      }
      expectProblem(await siasn('00000000-0000-4000-8000-000000000000'), 404, 'not-found');
      const bad = await siasn(w.period.id, 'xml');
      expectProblem(bad, 400, 'validation-failed');
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
      expectProblem(await siasn('not-a-uuid'), 400);
    });
  });

  /** A CLOSED period with `n` FINALIZED appraisals scored BAIK, written set-based. */
  async function bigPeriod(n: number) {
    const w = await world('ANNUAL');
    await db.query(
      `WITH e AS (
         INSERT INTO employees (nip, name, employment_type, rank, rank_since, job_type, position_title, unit_id, supervisor_id)
         SELECT (990000000000000000 + $5::bigint * 100000 + g)::text, 'Pegawai ' || md5(g::text) || md5((-g)::text), 'PNS', 'II/c', '2020-01-01',
                'PELAKSANA', 'Pengadministrasi', $2, $3
           FROM generate_series(1, $4) g
         RETURNING id
       ), a AS (
         INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status, finalized_at)
         SELECT e.id, $1, $2, $3, 'FINALIZED', now() FROM e RETURNING id
       )
       INSERT INTO appraisal_scores (appraisal_id, result_score, behaviour_score, final_score, result_rating, behaviour_rating, predicate, predicate_code, breakdown, computed_at)
       SELECT a.id, 100, 100, 100, 'MEETS_EXPECTATION', 'MEETS_EXPECTATION', 'BAIK', 2, '{}', now() FROM a`,
      [w.period.id, w.B.id, w.assessor.id, n, randomInt(9 * 10 ** 10)], // a block of NIPs of its own for every call
    );
    await close(w.period.id);
    return w;
  }

  /** Export rows still being read: a query of ours on a connection that is not idle. */
  const openCursors = async () =>
    (
      await db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' AND query LIKE '%FROM appraisals a%ORDER BY e.nip%'`,
      )
    )[0].n;

  /**
   * A download over a socket of its own whose client takes the first chunk and then reads nothing: the server meets
   * backpressure. `rest()` reads on: the body, and whether the response came whole.
   */
  async function stalledDownload(app: TestApp, path: string) {
    const server = app.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const req = get({ host: '127.0.0.1', port, path, headers: auth(app.adminToken) });
    req.on('error', () => undefined); // the hang-up, ours or the server's
    const chunks: Buffer[] = [];
    const res = await new Promise<IncomingMessage>((resolve) =>
      req.on('response', (r) => r.once('data', (chunk: Buffer) => (r.pause(), chunks.push(chunk), resolve(r)))),
    );
    res.on('error', () => undefined);
    expect(res.statusCode).toBe(200);
    const rest = () =>
      new Promise<{ body: Buffer; complete: boolean }>((resolve) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('close', () => resolve({ body: Buffer.concat(chunks), complete: res.complete }));
        res.resume();
      });
    return { req, res, rest };
  }

  describe('streaming', () => {
    it('streams a large export whole, and closes the cursor when the client goes away mid-file', async () => {
      // Large enough that neither file fits in the loopback socket buffers (names of random text resist the zip).
      const w = await bigPeriod(40_000);
      const full = await siasn(w.period.id, 'csv');
      expect(full.text.split('\r\n')).toHaveLength(40_002);
      await until(async () => (await openCursors()) === 0, 5_000, 'the cursor of the whole export to close');

      for (const path of [`/periods/${w.period.id}/exports/siasn?format=csv`, `/periods/${w.period.id}/exports/results.xlsx`]) {
        const { req } = await stalledDownload(t, path);
        // The client reads no further: the server waits on backpressure with the cursor open.
        expect(await openCursors()).toBe(1);
        req.destroy();
        await until(async () => (await openCursors()) === 0, 10_000, `the cursor of ${path} to close`);
      }
      // Every connection is back in the pool: the next exports run as before.
      expect((await siasn(w.period.id, 'json')).body).toHaveLength(40_000);
    }, 60_000);

    it('reads the two sheets of the workbook in one snapshot: a score committed while the download waits is in neither', async () => {
      const w = await bigPeriod(40_000);
      const { rest } = await stalledDownload(t, `/periods/${w.period.id}/exports/results.xlsx`);
      expect(await openCursors()).toBe(1); // mid-Hasil
      // Committed on another connection while the cursor waits for the client: it would change B's distribution.
      const late = await appraisal(w.period.id, w.B.id, { status: 'ASSESSED', predicate: 'SANGAT_BAIK' });
      expect(await openCursors()).toBe(1); // still mid-Hasil: Distribusi is read after this commit
      const { body, complete } = await rest();
      expect(complete).toBe(true);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(body as unknown as ArrayBuffer);

      const hasil = sheetRows(book, 'Hasil').slice(1);
      expect(hasil).toHaveLength(40_000);
      expect(hasil.map((r) => r[0])).not.toContain(late.nip);
      const inB = hasil.filter((r) => r[2] === w.B.code);
      const count = (p: Predicate) => inB.filter((r) => r[10] === p).length;
      const b = sheetRows(book, 'Distribusi').find((r) => r[0] === w.B.code)!;
      // total, then the count of each predicate and the unscored: what the Hasil rows of B (a leaf unit) add up to.
      expect(b.slice(3, 10)).toEqual([inB.length, count('SANGAT_BAIK'), count('BAIK'), count('BUTUH_PERBAIKAN'), count('KURANG'), count('SANGAT_KURANG'), 0]);
      expect(b.slice(3, 6)).toEqual([40_000, 0, 40_000]);
      // Read now, the distribution has the late score.
      const now = (await t.http().get(`/periods/${w.period.id}/distribution`).query({ unitId: w.B.id }).set(admin())).body;
      expect(now.counts.SANGAT_BAIK).toBe(1);
    }, 60_000);
  });

  describe('results.xlsx', () => {
    it('lists every appraisal in scope with its scores and freshness, and the distribution of every unit', async () => {
      const w = await world('MONTHLY');
      await db.query('UPDATE periods SET status = $2 WHERE id = $1', [w.period.id, 'EVALUATION']);
      const [sb, baik, stale, draft, inX] = [
        await appraisal(w.period.id, w.B.id, { status: 'ASSESSED', assessorId: w.assessor.id, predicate: 'SANGAT_BAIK' }),
        await appraisal(w.period.id, w.B.id, { status: 'ASSESSED', assessorId: w.assessor.id, predicate: 'BAIK' }),
        await appraisal(w.period.id, w.D.id, { status: 'ASSESSED', assessorId: w.assessor.id, predicate: 'KURANG' }),
        await appraisal(w.period.id, w.D.id, { status: 'DRAFT' }),
        await appraisal(w.period.id, w.X.id, { status: 'ASSESSED', predicate: 'BAIK' }),
      ];
      await db.query(`INSERT INTO score_recalculation_marks (appraisal_id, version, marked_at, reason) VALUES ($1, 1, now(), 'achievement.created')`, [stale.id]);
      await db.query(`INSERT INTO organisation_predicates (period_id, unit_id, predicate) VALUES ($1, $2, 'ISTIMEWA')`, [w.period.id, w.B.id]);

      // Every unit, zeros included; an inactive one only while it has appraisals of the period or a predicate.
      const empty = await createUnit(t, { parentId: w.D.id, kind: 'BIDANG', name: `Bidang Kosong ${w.D.code}` });
      const gone = await createUnit(t, { parentId: w.D.id, kind: 'BIDANG' });
      await db.query('UPDATE units SET active = false WHERE id = $1', [gone.id]);

      const hrD = await userToken(t, { role: 'HR_OPERATOR', unitId: w.D.id });
      const { res, book } = await workbook(w.period.id, auth(hrD.token));
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="hasil-kinerja-${w.period.code}.xlsx"`);

      const rows = sheetRows(book, 'Hasil');
      expect(rows[0]).toEqual([
        'nip',
        'name',
        'unitCode',
        'unitName',
        'status',
        'resultScore',
        'behaviourScore',
        'finalScore',
        'resultRating',
        'behaviourRating',
        'predicate',
        'predicateCode',
        'freshness',
      ]);
      const expected = await Promise.all(
        [sb, baik, stale].map(async (a) => {
          const s = await score(a.id);
          const unit = a === stale ? w.D : w.B;
          const [{ name }] = await db.query<{ name: string }[]>('SELECT name FROM units WHERE id = $1', [unit.id]);
          return [a.nip, a.name, unit.code, name, 'ASSESSED', s.resultScore, s.behaviourScore, s.finalScore, s.resultRating, s.behaviourRating, s.predicate, s.predicateCode, s.freshness];
        }),
      );
      expect(expected.map((r) => r[12])).toEqual(['FRESH', 'FRESH', 'STALE']);
      const [{ name: dName }] = await db.query<{ name: string }[]>('SELECT name FROM units WHERE id = $1', [w.D.id]);
      // The DRAFT has no score: its score cells are empty (ExcelJS reads them back as absent).
      const draftRow = [draft.nip, draft.name, w.D.code, dName, 'DRAFT'];
      const body = rows.slice(1);
      expect(body).toEqual(
        [...expected, [...draftRow, ...Array(7).fill(null), 'FRESH']].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      expect(body.map((r) => r[0])).not.toContain(inX.nip);
      expect(typeof body[0][0]).toBe('string'); // the NIP stays text

      const dist = sheetRows(book, 'Distribusi');
      expect(dist[0]).toEqual([
        'unitCode',
        'unitName',
        'organisationPredicate',
        'total',
        'SANGAT_BAIK',
        'BAIK',
        'BUTUH_PERBAIKAN',
        'KURANG',
        'SANGAT_KURANG',
        'unscored',
        'shareSANGAT_BAIK',
        'shareBAIK',
        'shareBUTUH_PERBAIKAN',
        'shareKURANG',
        'shareSANGAT_KURANG',
        'failures',
      ]);
      expect(dist.slice(1).map((r) => r[0])).toEqual([w.B.code, w.D.code, empty.code].sort());
      expect(dist.find((r) => r[0] === empty.code)!.slice(1, 10)).toEqual([`Bidang Kosong ${w.D.code}`, null, 0, 0, 0, 0, 0, 0, 0]);
      for (const unit of [w.B, w.D, empty]) {
        const d = (await t.http().get(`/periods/${w.period.id}/distribution`).query({ unitId: unit.id }).set(admin())).body;
        const row = dist.find((r) => r[0] === unit.code)!;
        expect(row.slice(2)).toEqual([
          d.organisationPredicate,
          d.total,
          d.counts.SANGAT_BAIK,
          d.counts.BAIK,
          d.counts.BUTUH_PERBAIKAN,
          d.counts.KURANG,
          d.counts.SANGAT_KURANG,
          d.counts.unscored,
          d.shares.SANGAT_BAIK,
          d.shares.BAIK,
          d.shares.BUTUH_PERBAIKAN,
          d.shares.KURANG,
          d.shares.SANGAT_KURANG,
          d.failures.map((f: { rule: string }) => f.rule).join(', ') || null,
        ]);
      }
      // B: 1 SANGAT_BAIK of 2 under ISTIMEWA is within 70%; D: 4 appraisals, 3 with a predicate.
      expect(dist.find((r) => r[0] === w.D.code)!.slice(3, 10)).toEqual([3, 1, 1, 0, 1, 0, 1]);
    });

    it('gives admins every unit, a DRAFT-only period included, and refuses employees', async () => {
      const w = await world('ANNUAL');
      await db.query(`UPDATE periods SET status = 'PLANNING' WHERE id = $1`, [w.period.id]);
      const a = await appraisal(w.period.id, w.X.id, { status: 'DRAFT' });
      const { book } = await workbook(w.period.id);
      expect(sheetRows(book, 'Hasil').slice(1).map((r) => r[0])).toEqual([a.nip]);
      const dist = sheetRows(book, 'Distribusi').slice(1);
      const [{ active }] = await db.query<{ active: number }[]>('SELECT count(*)::int AS active FROM units WHERE active');
      expect(dist.length).toBeGreaterThanOrEqual(active); // every active unit of the database, other files' too
      const byCode = new Map(dist.map((r) => [r[0], r.slice(0, 5)]));
      expect(byCode.get(w.X.code)).toEqual([w.X.code, `Dinas Lain ${w.D.code}`, null, 0, 0]); // the DRAFT has no score
      expect(byCode.get(w.B.code)).toEqual([w.B.code, `Bidang Lalu Lintas ${w.D.code}`, null, 0, 0]);

      const employee = await userToken(t, { role: 'EMPLOYEE', employeeId: w.assessor.id });
      expectProblem(await t.http().get(`/periods/${w.period.id}/exports/results.xlsx`).set(auth(employee.token)), 403, 'role-not-allowed');
      expectProblem(await t.http().get('/periods/00000000-0000-4000-8000-000000000000/exports/results.xlsx').set(admin()), 404, 'not-found');
    });
  });

  // Last on purpose: passport keeps one global 'jwt' strategy bound to the most recently created app, so after this app
  // is closed the main app can no longer verify bearer tokens.
  describe('with EXPORT_IDLE_TIMEOUT_MS=3000 and EXPORT_CONCURRENCY=1', () => {
    let short: TestApp;
    let w: Awaited<ReturnType<typeof bigPeriod>>;
    beforeAll(async () => {
      short = await createTestApp({ EXPORT_IDLE_TIMEOUT_MS: '3000', EXPORT_CONCURRENCY: '1' });
      // About 10 MB in either format: more than the loopback socket buffers take from a client that reads nothing
      // (some 4 MB here), so the server truly waits on backpressure (40 000 rows' workbook would fit whole).
      w = await bigPeriod(100_000);
    }, 120_000);
    afterAll(() => short.close());
    afterEach(() => jest.restoreAllMocks());
    const csvOnShort = () => short.http().get(`/periods/${w.period.id}/exports/siasn`).query({ format: 'csv' }).set(auth(short.adminToken));

    it('ends a download whose client stopped reading: the response is cut off, the cursor closed, the connection and the slot given back', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      for (const path of [`/periods/${w.period.id}/exports/siasn?format=csv`, `/periods/${w.period.id}/exports/results.xlsx`]) {
        const { rest } = await stalledDownload(short, path);
        // The client keeps its socket open and reads no further: the server waits on backpressure with the cursor open…
        expect(await openCursors()).toBe(1);
        // …until EXPORT_IDLE_TIMEOUT_MS passes without a read: the cursor is closed, its transaction ended and its
        // connection idle in the pool again…
        await until(async () => (await openCursors()) === 0, 10_000, `the cursor of ${path} to close`);
        // …and the response was cut off: a client reading on finds the file incomplete (a paused socket sees the close only then).
        expect((await rest()).complete).toBe(false);
      }
      expect(warn.mock.calls.filter(([, message]) => message === 'download ended: the client stopped reading')).toEqual([
        [{ periodId: w.period.id, timeoutMs: 3000 }, 'download ended: the client stopped reading'],
        [{ periodId: w.period.id, timeoutMs: 3000 }, 'download ended: the client stopped reading'],
      ]);
      // The one slot is free again.
      expect((await csvOnShort()).text.split('\r\n')).toHaveLength(100_002);
    }, 90_000);

    it('gives the one slot back when a download is refused before its first byte (404, 409), so the next one runs', async () => {
      const admin = auth(short.adminToken);
      expectProblem(await short.http().get('/periods/00000000-0000-4000-8000-000000000000/exports/siasn').query({ format: 'csv' }).set(admin), 404);
      const open = await insertPeriod(short);
      expectProblem(await short.http().get(`/periods/${open.id}/exports/siasn`).query({ format: 'csv' }).set(admin), 409, 'period-not-closed');
      expect((await short.http().get(`/periods/${open.id}/exports/results.xlsx`).set(admin)).status).toBe(200);
      expect((await csvOnShort()).status).toBe(200);
    });

    it('answers 503 exports-busy with Retry-After, before any byte, while EXPORT_CONCURRENCY downloads run, and serves again once one ends', async () => {
      const { req } = await stalledDownload(short, `/periods/${w.period.id}/exports/results.xlsx`);
      for (const path of ['siasn?format=csv', 'results.xlsx']) {
        const busy = await short.http().get(`/periods/${w.period.id}/exports/${path}`).set(auth(short.adminToken));
        expectProblem(busy, 503, 'exports-busy');
        expect(busy.headers['retry-after']).toBe('5');
        expect(busy.body.retryAfter).toBe(5);
      }
      // Refused before any query: only the stalled download's cursor is open.
      expect(await openCursors()).toBe(1);
      req.destroy();
      await until(async () => (await csvOnShort()).status === 200, 10_000, 'the slot to be given back');
    }, 60_000);
  });

  // After the app above, for the same reason; an idle timeout far beyond the test, so that only the cap can end it.
  describe('with EXPORT_MAX_DURATION_MS=2000, EXPORT_IDLE_TIMEOUT_MS=600000 and EXPORT_CONCURRENCY=1', () => {
    let capped: TestApp;
    let w: Awaited<ReturnType<typeof bigPeriod>>;
    beforeAll(async () => {
      capped = await createTestApp({ EXPORT_MAX_DURATION_MS: '2000', EXPORT_IDLE_TIMEOUT_MS: '600000', EXPORT_CONCURRENCY: '1' });
      // About 10 MB: a client taking a chunk every 200 ms needs far longer than the cap to read it.
      w = await bigPeriod(100_000);
    }, 120_000);
    afterAll(() => capped.close());
    afterEach(() => jest.restoreAllMocks());

    it('ends a download that runs longer than the cap however steadily its client reads: the cursor closed, the connection and the slot given back', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const { req, res, rest } = await stalledDownload(capped, `/periods/${w.period.id}/exports/siasn?format=csv`);
      // The client keeps reading, a chunk every 200 ms: never idle.
      let read = 0;
      const reading = setInterval(() => (read += (res.read() as Buffer | null)?.length ?? 0), 200);
      try {
        expect(await openCursors()).toBe(1);
        await until(async () => (await openCursors()) === 0, 10_000, 'the cursor of the capped download to close');
        expect(read).toBeGreaterThan(0);
      } catch (e) {
        req.destroy(); // uncapped, the download would keep the app from closing
        throw e;
      } finally {
        clearInterval(reading);
      }
      expect((await rest()).complete).toBe(false);
      expect(warn.mock.calls.filter(([, message]) => message === 'download ended: it ran longer than EXPORT_MAX_DURATION_MS')).toEqual([
        [{ periodId: w.period.id, maxDurationMs: 2000 }, 'download ended: it ran longer than EXPORT_MAX_DURATION_MS'],
      ]);
      // The one slot is free again: an unknown period is looked up (404), not refused as busy (503).
      const unknown = await capped.http().get('/periods/00000000-0000-4000-8000-000000000000/exports/results.xlsx').set(auth(capped.adminToken));
      expectProblem(unknown, 404, 'not-found');
    }, 90_000);
  });
});
