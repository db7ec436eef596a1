import { execFile } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { witaDate } from '../src/common/time/wita';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { insertIndicator, insertPeriod } from './planning-fixtures';

/**
 * pdf-parse (pdf.js) loads its worker with a dynamic import, which Jest's CommonJS runtime refuses: the text is
 * extracted by a plain Node process, the PDF on its stdin.
 */
const EXTRACT = `const { PDFParse } = require(${JSON.stringify(require.resolve('pdf-parse'))});
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  process.stdout.write((await parser.getText()).text);
  await parser.destroy();
});`;

const HEADINGS = [
  'I. PERIODE PENILAIAN',
  'II. PEGAWAI YANG DINILAI',
  'III. PEJABAT PENILAI KINERJA',
  'IV. ATASAN PEJABAT PENILAI KINERJA',
  'V. CAPAIAN KINERJA ORGANISASI',
  'VI. HASIL KERJA',
  'VII. PERILAKU KERJA',
  'VIII. PREDIKAT KINERJA PEGAWAI',
];
const BEHAVIOUR = {
  BERORIENTASI_PELAYANAN: 'ABOVE_EXPECTATION',
  AKUNTABEL: 'MEETS_EXPECTATION',
  KOMPETEN: 'MEETS_EXPECTATION',
  HARMONIS: 'MEETS_EXPECTATION',
  LOYAL: 'MEETS_EXPECTATION',
  ADAPTIF: 'MEETS_EXPECTATION',
  KOLABORATIF: 'BELOW_EXPECTATION',
};

/** A PDF body as a Buffer (supertest buffers only text and JSON); a problem as its JSON. */
const binary = (response: Response, done: (err: Error | null, body: unknown) => void) => {
  const res = response as unknown as IncomingMessage; // in Node, superagent hands the parser the raw message
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    done(null, /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(body.toString('utf8')) : body);
  });
};

async function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', EXTRACT], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(new Error(`pdf-parse: ${err.message}`)) : resolve(stdout),
    );
    child.stdin!.end(pdf);
  });
}

/** The text between a section heading and the next (or the end). */
function section(text: string, heading: string): string {
  const at = text.indexOf(heading);
  const i = HEADINGS.indexOf(heading);
  const end = i + 1 < HEADINGS.length ? text.indexOf(HEADINGS[i + 1]) : text.length;
  return text.slice(at + heading.length, end);
}

describe('GET /appraisals/{id}/documents/evaluation.pdf (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  /**
   * A dinas D with the organisation predicate ISTIMEWA in the period and a bidang U below it without one; in U the
   * reviewer ← assessor ← appraisee chain and a colleague. The ASSESSED appraisal has two targets: 8 of 10 (capaian
   * 80, weight 60) and 5 of 4 (125, capped at 120, weight 40): result 96, MEETS; behaviour (120 + 5·100 + 60)/7 =
   * 97.14, MEETS; predicate BAIK.
   */
  async function world() {
    const dinas = await createUnit(t, { name: `Dinas Perhubungan ${uniqueCode('D')}` });
    const bidang = await createUnit(t, { name: `Bidang Lalu Lintas ${uniqueCode('B')}`, kind: 'BIDANG', parentId: dinas.id });
    const reviewer = await createEmployee(t, { unitId: dinas.id, name: 'Ida Bagus Oka Wiratama', rank: 'IV/b', jobType: 'JPT_PRATAMA', positionTitle: 'Kepala Dinas Perhubungan' });
    const assessor = await createEmployee(t, { unitId: bidang.id, name: 'I Made Wirawan Putra', rank: 'III/d', jobType: 'ADMINISTRATOR', positionTitle: 'Kepala Bidang Lalu Lintas', supervisorId: reviewer.id });
    const employee = await createEmployee(t, { unitId: bidang.id, name: 'Ni Luh Ayu Sukmawati', rank: 'III/a', positionTitle: 'Pengelola Data Lalu Lintas', supervisorId: assessor.id });
    const colleague = await createEmployee(t, { unitId: bidang.id, name: 'Kadek Rekan Sebelah', supervisorId: assessor.id });
    const period = await insertPeriod(t, { status: 'EVALUATION', start: '2031-04-01', end: '2031-04-30' });
    await db.query(`INSERT INTO organisation_predicates (period_id, unit_id, predicate) VALUES ($1, $2, 'ISTIMEWA')`, [period.id, dinas.id]);
    const indicators = [await insertIndicator(t), await insertIndicator(t)];
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, reviewer_id, status, agreed_at, behaviour_ratings, assessed_at)
       VALUES ($1, $2, $3, $4, $5, 'ASSESSED', now(), $6, now()) RETURNING id`,
      [employee.id, period.id, bidang.id, assessor.id, reviewer.id, JSON.stringify(BEHAVIOUR)],
    );
    const targetIds: string[] = [];
    for (const [i, [target, weight, value]] of [[10, 60, 8], [4, 40, 5]].entries()) {
      const [row] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, $3, $4) RETURNING id`,
        [a.id, indicators[i].id, target, weight],
      );
      await db.query(
        `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, $3, $4, 'VERIFIED', $5)`,
        [row.id, a.id, value, period.startDate, employee.id],
      );
      targetIds.push(row.id);
    }
    await t.app.get(RecalculationService).recalculatePeriod(period.id);
    return { dinas, bidang, reviewer, assessor, employee, colleague, period, indicators, appraisalId: a.id, targetIds };
  }

  const get = (id: string, headers: Record<string, string> = auth(t.adminToken)) =>
    t.http().get(`/appraisals/${id}/documents/evaluation.pdf`).set(headers).buffer(true).parse(binary);

  it('prints the annex sections in order, each with its people, targets, aspects and ratings', async () => {
    const w = await world();
    const score = await t.http().get(`/appraisals/${w.appraisalId}/score`).set(auth(t.adminToken));
    expect(score.body).toMatchObject({ resultScore: 96, behaviourScore: 97.14, predicate: 'BAIK', freshness: 'FRESH' });

    const res = await get(w.appraisalId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="evaluasi-kinerja-${w.employee.nip}-${w.period.code}.pdf"`);
    expect(res.headers['cache-control']).toBe('private');
    expect(res.headers.etag).toBeUndefined(); // not FINALIZED: dated today, no validator
    const text = await pdfText(res.body as Buffer);

    const at = HEADINGS.map((h) => text.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    expect(text.indexOf('DOKUMEN EVALUASI KINERJA PEGAWAI')).toBeLessThan(at[0]);

    const periodPart = section(text, HEADINGS[0]);
    expect(periodPart).toContain(w.period.code);
    expect(periodPart).toContain('1 April 2031 s.d. 30 April 2031');
    const people: [string, { nip: string }, string, string, string, string][] = [
      [HEADINGS[1], w.employee, 'Ni Luh Ayu Sukmawati', 'III/a', 'Pengelola Data Lalu Lintas', 'Bidang Lalu Lintas'],
      [HEADINGS[2], w.assessor, 'I Made Wirawan Putra', 'III/d', 'Kepala Bidang Lalu Lintas', 'Bidang Lalu Lintas'],
      [HEADINGS[3], w.reviewer, 'Ida Bagus Oka Wiratama', 'IV/b', 'Kepala Dinas Perhubungan', 'Dinas Perhubungan'],
    ];
    for (const [heading, e, name, rank, position, unit] of people) {
      const part = section(text, heading);
      for (const value of [name, e.nip, rank, position, unit]) expect(part).toContain(value);
      for (const [, o] of people.filter(([h]) => h !== heading)) expect(part).not.toContain(o.nip);
    }
    // The bidang has no predicate: its parent's is printed, with the parent's name.
    const organisation = section(text, HEADINGS[4]);
    expect(organisation).toMatch(/Predikat Kinerja Organisasi\s*:\s*Istimewa/);
    expect(organisation).toContain('Dinas Perhubungan');

    const results = section(text, HEADINGS[5]);
    const rows = w.indicators.map((i) => results.indexOf(i.code));
    expect(rows[0]).toBeGreaterThan(-1);
    expect(rows[1]).toBeGreaterThan(rows[0]);
    expect(results.slice(rows[0], rows[1])).toMatch(/10 dokumen\s+8 dokumen\s+80\b/);
    expect(results.slice(rows[1])).toMatch(/4 dokumen\s+5 dokumen\s+120\b/);
    expect(results).toContain(`Indicator ${w.indicators[0].code}`);
    expect(results).toMatch(/Rating Hasil Kerja: Sesuai Ekspektasi/);

    const behaviour = section(text, HEADINGS[6]);
    const aspects = [
      ['Berorientasi Pelayanan', 'Di Atas Ekspektasi'],
      ['Akuntabel', 'Sesuai Ekspektasi'],
      ['Kompeten', 'Sesuai Ekspektasi'],
      ['Harmonis', 'Sesuai Ekspektasi'],
      ['Loyal', 'Sesuai Ekspektasi'],
      ['Adaptif', 'Sesuai Ekspektasi'],
      ['Kolaboratif', 'Di Bawah Ekspektasi'],
    ];
    let from = 0;
    for (const [i, [aspect, rating]] of aspects.entries()) {
      const m = new RegExp(`${i + 1}\\s+${aspect}\\s+${rating}`).exec(behaviour.slice(from));
      expect([aspect, m && rating]).toEqual([aspect, rating]);
      from += m!.index + m![0].length;
    }
    expect(behaviour.slice(from)).toMatch(/Rating Perilaku Kerja: Sesuai Ekspektasi/);

    const end = section(text, HEADINGS[7]);
    expect(end).toMatch(/Predikat Kinerja: Baik/);
    expect(end).toContain(`Denpasar, ${witaDateIndonesian(witaDate())}`);
    expect(end).toContain('Pejabat Penilai Kinerja');
    expect(end).toContain(`NIP. ${w.assessor.nip}`);
    expect(end).toContain(`NIP. ${w.employee.nip}`);
  });

  it('answers someone else\'s appraisal 404 as the score does, and an API key with scores:read 200', async () => {
    const w = await world();
    const colleague = await userToken(t, { role: 'EMPLOYEE', employeeId: w.colleague.id });
    expectProblem(await get(w.appraisalId, auth(colleague.token)), 404, 'not-found');
    expectProblem(await t.http().get(`/appraisals/${w.appraisalId}/score`).set(auth(colleague.token)), 404, 'not-found');
    const self = await userToken(t, { role: 'EMPLOYEE', employeeId: w.employee.id });
    expect((await get(w.appraisalId, auth(self.token))).status).toBe(200);
    const key = await apiKey(t, ['scores:read']);
    expect((await get(w.appraisalId, { 'X-API-Key': key.key })).status).toBe(200);
    expectProblem(await get('00000000-0000-4000-8000-000000000000'), 404, 'not-found');
  });

  it('is readable by an HR operator whose subtree holds the appraisal\'s unit, and 404 as a missing appraisal to one of a unit beside it', async () => {
    const w = await world();
    const beside = await createUnit(t, { kind: 'BIDANG', parentId: w.dinas.id });
    const inScope = await userToken(t, { role: 'HR_OPERATOR', unitId: w.dinas.id });
    const outside = await userToken(t, { role: 'HR_OPERATOR', unitId: beside.id });

    const res = await get(w.appraisalId, auth(inScope.token));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect((res.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const hidden = await get(w.appraisalId, auth(outside.token));
    expectProblem(hidden, 404, 'not-found');
    const missing = await get('00000000-0000-4000-8000-000000000000', auth(outside.token));
    expectProblem(missing, 404, 'not-found');
    // Only the ids (in detail and instance) may tell the two apart.
    const pick = (b: Record<string, unknown>) => ({ status: b.status, code: b.code, title: b.title, type: b.type });
    expect(pick(hidden.body)).toEqual(pick(missing.body));
    expect((hidden.body.detail as string).replace(w.appraisalId, '<id>')).toBe(
      (missing.body.detail as string).replace('00000000-0000-4000-8000-000000000000', '<id>'),
    );
  });

  it('answers 409 score-stale while a recalculation is pending, and 404 no-score before any score, as the score read does', async () => {
    const w = await world();
    const self = await userToken(t, { role: 'EMPLOYEE', employeeId: w.employee.id });
    const submitted = await t
      .http()
      .post('/achievements')
      .set(auth(self.token))
      .send({ targetId: w.targetIds[0], value: 2, occurredOn: w.period.startDate });
    expect(submitted.status).toBe(201);
    expect((await t.http().get(`/appraisals/${w.appraisalId}/score`).set(auth(t.adminToken))).body.freshness).toBe('STALE');
    expectProblem(await get(w.appraisalId), 409, 'score-stale');

    await db.query('DELETE FROM appraisal_scores WHERE appraisal_id = $1', [w.appraisalId]);
    expectProblem(await get(w.appraisalId), 404, 'no-score');
    expectProblem(await t.http().get(`/appraisals/${w.appraisalId}/score`).set(auth(t.adminToken)), 404, 'no-score');
  });

  it('gives a FINALIZED appraisal the same bytes, dated at finalisation, with a strong ETag and 304 on If-None-Match', async () => {
    const w = await world();
    const closed = await t.http().post(`/periods/${w.period.id}/transitions`).set(auth(t.adminToken)).send({ to: 'CLOSED' });
    expect(closed.body.status).toBe('CLOSED');
    // A finalisation on another day than today shows the printed date is the finalisation's, in WITA.
    await db.query(`UPDATE appraisals SET finalized_at = '2031-05-02T17:30:00Z' WHERE id = $1`, [w.appraisalId]);

    const first = await get(w.appraisalId);
    expect(first.status).toBe(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('private');
    const text = await pdfText(first.body as Buffer);
    expect(section(text, HEADINGS[7])).toContain('Denpasar, 3 Mei 2031');

    const again = await get(w.appraisalId);
    expect(again.headers.etag).toBe(etag);
    expect((again.body as Buffer).equals(first.body as Buffer)).toBe(true);

    const notModified = await get(w.appraisalId, { ...auth(t.adminToken), 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe(etag);
    expect((notModified.body as Buffer).length).toBe(0);
    expect((await get(w.appraisalId, { ...auth(t.adminToken), 'If-None-Match': '"something-else"' })).status).toBe(200);
    // The validator opens no door: access is checked before it, so an outsider holding it gets the 404 of a stranger.
    const colleague = await userToken(t, { role: 'EMPLOYEE', employeeId: w.colleague.id });
    expectProblem(await get(w.appraisalId, { ...auth(colleague.token), 'If-None-Match': etag }), 404, 'not-found');

    // What the document prints changes (a name): so does the ETag.
    await db.query(`UPDATE employees SET name = 'Ni Luh Ayu Sukmawati Dewi' WHERE id = $1`, [w.employee.id]);
    const renamed = await get(w.appraisalId, { ...auth(t.adminToken), 'If-None-Match': etag });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.etag).not.toBe(etag);
  });
});

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
function witaDateIndonesian(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
