import { BEHAVIOUR_ASPECTS } from '../scoring/types';
import { etagOfView, IF_NONE_MATCH_PATTERN, noneMatchHolds } from './documents.service';
import {
  ASPECT_LABELS,
  buildEvaluationDocument,
  Content,
  EvaluationView,
  indonesianDate,
  indonesianNumber,
  PREDICATE_LABELS,
  RATING_LABELS,
  SECTION_HEADINGS,
} from './evaluation-document';
import { PDF_POOL_LIMITS, PdfRenderer } from './pdf-renderer';

const person = (name: string, nip: string, rank: string) => ({ name, nip, rank, positionTitle: `Jabatan ${name}`, unitName: `Unit ${name}` });

const VIEW: EvaluationView = {
  period: { code: '2026-Q4', type: 'QUARTERLY', startDate: '2026-10-01', endDate: '2026-12-31' },
  employee: person('Ni Luh Ayu', '199001012015022001', 'III/a'),
  assessor: person('I Made Wirawan', '198001012005011002', 'III/d'),
  reviewer: person('Ida Bagus Oka', '197001011995031003', 'IV/b'),
  organisation: { unitName: 'Dinas Perhubungan', predicate: 'ISTIMEWA' },
  targets: [
    { indicatorCode: 'IKI-WAKTU', indicatorName: 'Waktu tunggu layanan', unitOfMeasure: 'menit', target: 15, realisation: 12.5, capaian: 116.67 },
    { indicatorCode: 'IKI-DOK', indicatorName: null, unitOfMeasure: null, target: 1200, realisation: null, capaian: 0 },
  ],
  resultRating: 'ABOVE_EXPECTATION',
  resultRatingSource: 'OVERRIDE',
  aspects: BEHAVIOUR_ASPECTS.map((aspect, i) => ({ aspect, rating: i === 0 ? 'ABOVE_EXPECTATION' : i === 6 ? 'BELOW_EXPECTATION' : 'MEETS_EXPECTATION' })),
  behaviourRating: 'MEETS_EXPECTATION',
  predicate: 'BAIK',
  issuedAt: '2026-11-29T17:30:00.000Z',
  signedOn: '2026-11-30',
};

/** Every printed string of the content, in print order. */
function texts(c: Content | undefined): string[] {
  if (c === undefined) return [];
  if (typeof c === 'string') return [c];
  if (Array.isArray(c)) return c.flatMap(texts);
  const o = c as Record<string, unknown>;
  const table = o.table as { body: Content[][] } | undefined;
  return [
    ...texts(o.text as Content | undefined),
    ...texts(o.stack as Content | undefined),
    ...texts(o.columns as Content | undefined),
    ...(table ? table.body.flatMap((row) => row.flatMap(texts)) : []),
  ];
}

/** The strings between a heading and the next one. */
function section(all: string[], heading: string): string[] {
  const at = all.indexOf(heading);
  const next = all.findIndex((s, i) => i > at && (SECTION_HEADINGS as readonly string[]).includes(s));
  return all.slice(at + 1, next === -1 ? undefined : next);
}

describe('evaluation document (pure builder)', () => {
  const all = texts(buildEvaluationDocument(VIEW).content);

  it('prints the sections in the order of the annex', () => {
    expect(SECTION_HEADINGS.map((h) => all.indexOf(h))).toEqual([...SECTION_HEADINGS.map((h) => all.indexOf(h))].sort((a, b) => a - b));
    expect(SECTION_HEADINGS.every((h) => all.includes(h))).toBe(true);
  });

  it('puts each person, with golongan and unit, in their own section', () => {
    expect(section(all, 'I. PERIODE PENILAIAN')).toEqual(expect.arrayContaining(['2026-Q4', 'Triwulanan', '1 Oktober 2026 s.d. 31 Desember 2026']));
    for (const [heading, p] of [
      ['II. PEGAWAI YANG DINILAI', VIEW.employee],
      ['III. PEJABAT PENILAI KINERJA', VIEW.assessor!],
      ['IV. ATASAN PEJABAT PENILAI KINERJA', VIEW.reviewer!],
    ] as const) {
      expect(section(all, heading)).toEqual(['Nama', ':', p.name, 'NIP', ':', p.nip, 'Pangkat/Golongan', ':', p.rank, 'Jabatan', ':', p.positionTitle, 'Unit Kerja', ':', p.unitName]);
    }
    expect(section(all, 'V. CAPAIAN KINERJA ORGANISASI')).toEqual(['Predikat Kinerja Organisasi', ':', 'Istimewa', 'Unit Kerja', ':', 'Dinas Perhubungan']);
  });

  it('prints the targets in Indonesian notation and the result rating with its source', () => {
    expect(section(all, 'VI. HASIL KERJA')).toEqual([
      'No', 'Indikator Kinerja Individu', 'Target', 'Realisasi', 'Capaian (%)',
      '1', 'IKI-WAKTU', 'Waktu tunggu layanan', '15 menit', '12,5 menit', '116,67',
      '2', 'IKI-DOK', '1.200', '-', '0',
      'Rating Hasil Kerja: ', 'Di Atas Ekspektasi', ' (ditetapkan oleh pejabat penilai kinerja)',
    ]);
  });

  it('prints the seven BerAKHLAK aspects with their ratings, the behaviour rating and the predicate', () => {
    const behaviour = section(all, 'VII. PERILAKU KERJA');
    expect(behaviour.slice(3, 24)).toEqual([
      '1', 'Berorientasi Pelayanan', 'Di Atas Ekspektasi',
      '2', 'Akuntabel', 'Sesuai Ekspektasi',
      '3', 'Kompeten', 'Sesuai Ekspektasi',
      '4', 'Harmonis', 'Sesuai Ekspektasi',
      '5', 'Loyal', 'Sesuai Ekspektasi',
      '6', 'Adaptif', 'Sesuai Ekspektasi',
      '7', 'Kolaboratif', 'Di Bawah Ekspektasi',
    ]);
    expect(behaviour.slice(24)).toEqual(['Rating Perilaku Kerja: ', 'Sesuai Ekspektasi']);
    expect(section(all, 'VIII. PREDIKAT KINERJA PEGAWAI').slice(0, 2)).toEqual(['Predikat Kinerja: ', 'Baik']);
  });

  it('signs in Denpasar on the WITA date, the appraisee and the pejabat penilai with their NIPs', () => {
    const end = section(all, 'VIII. PREDIKAT KINERJA PEGAWAI').slice(2).filter((s) => s.trim());
    expect(end).toEqual([
      'Pegawai yang Dinilai', 'Ni Luh Ayu', 'NIP. 199001012015022001',
      'Denpasar, 30 November 2026', 'Pejabat Penilai Kinerja', 'I Made Wirawan', 'NIP. 198001012005011002',
    ]);
  });

  it('says what is missing when behaviour was not assessed and nobody was named', () => {
    const v: EvaluationView = { ...VIEW, assessor: null, organisation: null, aspects: [], behaviourRating: null, predicate: null };
    const t = texts(buildEvaluationDocument(v).content);
    expect(section(t, 'III. PEJABAT PENILAI KINERJA')).toEqual(['Tidak ada (belum ditetapkan)']);
    expect(section(t, 'V. CAPAIAN KINERJA ORGANISASI')).toEqual(['Predikat Kinerja Organisasi', ':', 'Belum ditetapkan']);
    expect(section(t, 'VII. PERILAKU KERJA').filter((s) => s === 'Belum dinilai')).toHaveLength(8);
    expect(section(t, 'VIII. PREDIKAT KINERJA PEGAWAI')[1]).toBe('Belum dapat ditetapkan (perilaku kerja belum dinilai)');
  });

  it('labels every enum value in Indonesian', () => {
    expect(RATING_LABELS).toEqual({ ABOVE_EXPECTATION: 'Di Atas Ekspektasi', MEETS_EXPECTATION: 'Sesuai Ekspektasi', BELOW_EXPECTATION: 'Di Bawah Ekspektasi' });
    expect(Object.values(PREDICATE_LABELS)).toEqual(['Sangat Baik', 'Baik', 'Butuh Perbaikan', 'Kurang/Misconduct', 'Sangat Kurang']);
    expect(Object.keys(ASPECT_LABELS)).toEqual([...BEHAVIOUR_ASPECTS]);
    expect(indonesianDate('2027-01-05')).toBe('5 Januari 2027');
    expect(indonesianNumber(1234.5)).toBe('1.234,5');
  });

  it('stamps the PDF with the issue instant, so the same view renders the same bytes, in any thread', async () => {
    const doc = buildEvaluationDocument(VIEW);
    expect(doc.info.creationDate.toISOString()).toBe(VIEW.issuedAt);
    const renderer = new PdfRenderer({ ...PDF_POOL_LIMITS, maxThreads: 2 });
    try {
      const [a, b] = await Promise.all([renderer.renderPdf(buildEvaluationDocument(VIEW)), renderer.renderPdf(buildEvaluationDocument(VIEW))]);
      expect(a.subarray(0, 5).toString()).toBe('%PDF-');
      expect(a.equals(b)).toBe(true);
      const other = await renderer.renderPdf(buildEvaluationDocument({ ...VIEW, predicate: 'SANGAT_BAIK' }));
      expect(other.equals(a)).toBe(false);
    } finally {
      await renderer.onApplicationShutdown();
    }
  });

  it('derives a strong ETag from the view and matches If-None-Match weakly', () => {
    const etag = etagOfView(VIEW);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(etagOfView({ ...VIEW })).toBe(etag);
    expect(etagOfView({ ...VIEW, issuedAt: '2026-11-29T17:30:00.001Z' })).not.toBe(etag);
    expect(noneMatchHolds(`"x", W/${etag}`, etag)).toBe(true);
    expect(noneMatchHolds('*', etag)).toBe(true);
    expect(noneMatchHolds('"x"', etag)).toBe(false);
    expect(noneMatchHolds(undefined, etag)).toBe(false);
  });

  it('takes If-None-Match as RFC 9110 writes it, and nothing else', () => {
    for (const ok of ['*', '"abc"', 'W/"abc"', '"a", W/"b"', '"a",W/"b" , ""']) expect(IF_NONE_MATCH_PATTERN.test(ok)).toBe(true);
    for (const bad of ['abc', 'a b "c"', '"a" "b"', '"kunci-é"', '"a",', 'W/abc', '**']) expect(IF_NONE_MATCH_PATTERN.test(bad)).toBe(false);
  });
});
