import type { PeriodType } from '../periods/entities/period.entity';
import {
  BEHAVIOUR_ASPECTS,
  BehaviourAspect,
  OrganisationPredicate,
  Predicate,
  Rating,
  ResultRatingSource,
} from '../scoring/types';

/**
 * The Dokumen Evaluasi Kinerja Pegawai (PermenPAN-RB 6/2022 annex; spec §10 "Documents") as a pdfmake document
 * definition: pure, from the appraisal's view to what pdfmake prints. The Indonesian labels of the enums live here.
 */

export const RATING_LABELS: Record<Rating, string> = {
  ABOVE_EXPECTATION: 'Di Atas Ekspektasi',
  MEETS_EXPECTATION: 'Sesuai Ekspektasi',
  BELOW_EXPECTATION: 'Di Bawah Ekspektasi',
};

/** The predikat kinerja pegawai as the annex names them (KURANG is "Kurang/Misconduct" there). */
export const PREDICATE_LABELS: Record<Predicate, string> = {
  SANGAT_BAIK: 'Sangat Baik',
  BAIK: 'Baik',
  BUTUH_PERBAIKAN: 'Butuh Perbaikan',
  KURANG: 'Kurang/Misconduct',
  SANGAT_KURANG: 'Sangat Kurang',
};

export const ORGANISATION_PREDICATE_LABELS: Record<OrganisationPredicate, string> = {
  ISTIMEWA: 'Istimewa',
  BAIK: 'Baik',
  BUTUH_PERBAIKAN: 'Butuh Perbaikan',
  KURANG: 'Kurang',
  SANGAT_KURANG: 'Sangat Kurang',
};

export const ASPECT_LABELS: Record<BehaviourAspect, string> = {
  BERORIENTASI_PELAYANAN: 'Berorientasi Pelayanan',
  AKUNTABEL: 'Akuntabel',
  KOMPETEN: 'Kompeten',
  HARMONIS: 'Harmonis',
  LOYAL: 'Loyal',
  ADAPTIF: 'Adaptif',
  KOLABORATIF: 'Kolaboratif',
};

export const PERIOD_TYPE_LABELS: Record<PeriodType, string> = {
  MONTHLY: 'Bulanan',
  QUARTERLY: 'Triwulanan',
  ANNUAL: 'Tahunan',
};

const RATING_SOURCE_NOTES: Record<ResultRatingSource, string | null> = {
  COMPUTED: null,
  OVERRIDE: 'ditetapkan oleh pejabat penilai kinerja',
  ORGANISATION: 'mengikuti predikat kinerja organisasi',
};

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** A calendar date (YYYY-MM-DD) in Indonesian: "30 November 2026". */
export function indonesianDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

const NUMBER = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });
/** A number in Indonesian notation: decimal comma, dot for thousands ("1.234,5"). */
export const indonesianNumber = (n: number): string => NUMBER.format(n);

/** The headings of the document's sections, in print order. */
export const SECTION_HEADINGS = [
  'I. PERIODE PENILAIAN',
  'II. PEGAWAI YANG DINILAI',
  'III. PEJABAT PENILAI KINERJA',
  'IV. ATASAN PEJABAT PENILAI KINERJA',
  'V. CAPAIAN KINERJA ORGANISASI',
  'VI. HASIL KERJA',
  'VII. PERILAKU KERJA',
  'VIII. PREDIKAT KINERJA PEGAWAI',
] as const;

export interface PersonView {
  name: string;
  nip: string;
  /** Golongan, e.g. "III/d" (PNS) or "IX" (PPPK). */
  rank: string;
  positionTitle: string;
  unitName: string;
}

export interface TargetView {
  indicatorCode: string;
  /** Null when the target row is gone (the breakdown keeps the code). */
  indicatorName: string | null;
  unitOfMeasure: string | null;
  target: number;
  realisation: number | null;
  capaian: number;
}

/** Everything the document prints: the ETag of a finalised appraisal's document is derived from it. */
export interface EvaluationView {
  period: { code: string; type: PeriodType; startDate: string; endDate: string };
  employee: PersonView;
  assessor: PersonView | null;
  reviewer: PersonView | null;
  /** The organisation predicate of the appraisal's unit, or of its nearest ancestor with one, and that unit. */
  organisation: { unitName: string; predicate: OrganisationPredicate } | null;
  targets: TargetView[];
  resultRating: Rating;
  resultRatingSource: ResultRatingSource;
  /** Empty when behaviour was not assessed. */
  aspects: { aspect: BehaviourAspect; rating: Rating }[];
  behaviourRating: Rating | null;
  predicate: Predicate | null;
  /** The finalisation instant of a FINALIZED appraisal, else the moment of issue: the PDF's creation date. */
  issuedAt: string;
  /** The WITA date of `issuedAt`, printed beside "Denpasar". */
  signedOn: string;
}

/** The subset of pdfmake's document definition this builder produces. */
export type Content = string | Content[] | { [key: string]: unknown };
export interface DocDefinition {
  pageSize: 'A4';
  pageMargins: [number, number, number, number];
  info: { title: string; author: string; subject: string; creator: string; creationDate: Date };
  defaultStyle: { font: 'Roboto'; fontSize: number };
  styles: Record<string, Record<string, unknown>>;
  content: Content[];
  /**
   * The text under every page, `{currentPage}` and `{pageCount}` filled in by the renderer: a template rather than
   * pdfmake's footer function, so the definition stays plain data that can be sent to the rendering thread.
   */
  pageFooter: { text: string; alignment: 'center'; fontSize: number };
}

const NONE = '-';
const NOT_ASSESSED = 'Belum dinilai';

const keepTogether = (...stack: Content[]): Content => ({ stack, unbreakable: true });

const heading = (text: (typeof SECTION_HEADINGS)[number]): Content => ({ text, style: 'heading' });

/** Label : value lines without borders. */
const fields = (rows: [string, string][]): Content => ({
  table: { widths: [150, 8, '*'], body: rows.map(([label, value]) => [label, ':', value]) },
  layout: 'noBorders',
});

const person = (p: PersonView | null): Content =>
  p
    ? fields([
        ['Nama', p.name],
        ['NIP', p.nip],
        ['Pangkat/Golongan', p.rank],
        ['Jabatan', p.positionTitle],
        ['Unit Kerja', p.unitName],
      ])
    : { text: 'Tidak ada (belum ditetapkan)', italics: true };

const withUnit = (n: number | null, unitOfMeasure: string | null) =>
  n === null ? NONE : unitOfMeasure ? `${indonesianNumber(n)} ${unitOfMeasure}` : indonesianNumber(n);

const tableHeader = (cells: string[]) => cells.map((text) => ({ text, style: 'tableHeader' }));

function targetsTable(targets: TargetView[]): Content {
  if (!targets.length) return { text: 'Tidak ada rencana hasil kerja', italics: true };
  return {
    table: {
      headerRows: 1,
      widths: [20, '*', 70, 70, 55],
      body: [
        tableHeader(['No', 'Indikator Kinerja Individu', 'Target', 'Realisasi', 'Capaian (%)']),
        ...targets.map((t, i) => [
          String(i + 1),
          { stack: [{ text: t.indicatorCode, bold: true }, ...(t.indicatorName ? [t.indicatorName] : [])] },
          withUnit(t.target, t.unitOfMeasure),
          withUnit(t.realisation, t.unitOfMeasure),
          { text: indonesianNumber(t.capaian), alignment: 'right' },
        ]),
      ],
    },
  };
}

function aspectsTable(aspects: EvaluationView['aspects']): Content {
  const ratingOf = new Map(aspects.map((a) => [a.aspect, a.rating]));
  return {
    table: {
      headerRows: 1,
      widths: [20, '*', 150],
      body: [
        tableHeader(['No', 'Aspek Perilaku Kerja (BerAKHLAK)', 'Rating']),
        ...BEHAVIOUR_ASPECTS.map((aspect, i) => {
          const rating = ratingOf.get(aspect);
          return [String(i + 1), ASPECT_LABELS[aspect], rating ? RATING_LABELS[rating] : NOT_ASSESSED];
        }),
      ],
    },
  };
}

const summary = (label: string, value: string, note: string | null = null): Content => ({
  text: [{ text: `${label}: ` }, { text: value, bold: true }, ...(note ? [{ text: ` (${note})`, italics: true }] : [])],
  margin: [0, 6, 0, 0],
});

/** Left: the appraisee; right: the place and date, and the pejabat penilai kinerja (the annex's signature blocks). */
function signatures(v: EvaluationView): Content {
  const block = (lines: string[], who: PersonView | null): Content => ({
    stack: [...lines, { text: ' ', margin: [0, 0, 0, 36] }, { text: who?.name ?? NONE, bold: true, decoration: 'underline' }, `NIP. ${who?.nip ?? NONE}`],
    alignment: 'center',
  });
  return {
    columns: [block([' ', 'Pegawai yang Dinilai'], v.employee), block([`Denpasar, ${indonesianDate(v.signedOn)}`, 'Pejabat Penilai Kinerja'], v.assessor)],
    margin: [0, 16, 0, 0],
  };
}

export function buildEvaluationDocument(v: EvaluationView): DocDefinition {
  const predicate = v.predicate
    ? PREDICATE_LABELS[v.predicate]
    : 'Belum dapat ditetapkan (perilaku kerja belum dinilai)';
  return {
    pageSize: 'A4',
    pageMargins: [45, 36, 45, 40],
    info: {
      title: `Dokumen Evaluasi Kinerja Pegawai ${v.employee.nip} ${v.period.code}`,
      author: 'Pemerintah Kota Denpasar',
      subject: 'Evaluasi Kinerja Pegawai (PermenPAN-RB 6/2022)',
      creator: 'Capaian',
      creationDate: new Date(v.issuedAt),
    },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    styles: {
      title: { fontSize: 14, bold: true, alignment: 'center' },
      subtitle: { fontSize: 10, alignment: 'center', margin: [0, 2, 0, 12] },
      heading: { fontSize: 10, bold: true, margin: [0, 8, 0, 3] },
      tableHeader: { bold: true, fillColor: '#eeeeee' },
    },
    content: [
      { text: 'PEMERINTAH KOTA DENPASAR', style: 'subtitle', bold: true, margin: [0, 0, 0, 4] },
      { text: 'DOKUMEN EVALUASI KINERJA PEGAWAI', style: 'title' },
      { text: 'Lampiran Peraturan Menteri PANRB Nomor 6 Tahun 2022', style: 'subtitle' },
      heading('I. PERIODE PENILAIAN'),
      fields([
        ['Kode Periode', v.period.code],
        ['Jenis Periode', PERIOD_TYPE_LABELS[v.period.type]],
        ['Tanggal', `${indonesianDate(v.period.startDate)} s.d. ${indonesianDate(v.period.endDate)}`],
      ]),
      heading('II. PEGAWAI YANG DINILAI'),
      person(v.employee),
      heading('III. PEJABAT PENILAI KINERJA'),
      person(v.assessor),
      heading('IV. ATASAN PEJABAT PENILAI KINERJA'),
      person(v.reviewer),
      heading('V. CAPAIAN KINERJA ORGANISASI'),
      v.organisation
        ? fields([
            ['Predikat Kinerja Organisasi', ORGANISATION_PREDICATE_LABELS[v.organisation.predicate]],
            ['Unit Kerja', v.organisation.unitName],
          ])
        : fields([['Predikat Kinerja Organisasi', 'Belum ditetapkan']]),
      heading('VI. HASIL KERJA'),
      targetsTable(v.targets),
      summary('Rating Hasil Kerja', RATING_LABELS[v.resultRating], RATING_SOURCE_NOTES[v.resultRatingSource]),
      // A section split over two pages reads badly; the targets may be long and break with their header row.
      keepTogether(
        heading('VII. PERILAKU KERJA'),
        aspectsTable(v.aspects),
        summary('Rating Perilaku Kerja', v.behaviourRating ? RATING_LABELS[v.behaviourRating] : NOT_ASSESSED),
      ),
      keepTogether(heading('VIII. PREDIKAT KINERJA PEGAWAI'), summary('Predikat Kinerja', predicate), signatures(v)),
    ],
    pageFooter: { text: 'Halaman {currentPage} dari {pageCount}', alignment: 'center', fontSize: 8 },
  };
}
