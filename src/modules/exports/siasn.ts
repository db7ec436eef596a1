import { bknGolonganId } from '../employees/rank';
import type { PeriodType } from '../periods/entities/period.entity';
import type { PredicateCode, Rating } from '../scoring/types';

/**
 * The rows of SIASN's performance endpoints (spec §10), in their field names. Pure: the repository reads the
 * source rows, this decides what SIASN receives.
 */

export const SIASN_FORMATS = ['json', 'csv'] as const;
export type SiasnFormat = (typeof SIASN_FORMATS)[number];

/** `hasilKinerjaNilai`, `perilakuKerjaNilai`: BKN's codes of a rating. */
export const SIASN_RATING: Readonly<Record<Rating, 1 | 2 | 3>> = { ABOVE_EXPECTATION: 1, MEETS_EXPECTATION: 2, BELOW_EXPECTATION: 3 };

export const SIASN_ANNUAL_COLUMNS = [
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
] as const;
/** The periodic-performance layout (MONTHLY, QUARTERLY periods) adds the months it covers. */
export const SIASN_PERIODIC_COLUMNS = [
  ...SIASN_ANNUAL_COLUMNS,
  'bulanMulaiPenilaian',
  'bulanSelesaiPenilaian',
  'tahunMulaiPenilaian',
  'tahunSelesaiPenilaian',
] as const;

export interface SiasnRow {
  pnsDinilaiNip: string;
  tahun: number;
  hasilKinerjaNilai: 1 | 2 | 3;
  perilakuKerjaNilai: 1 | 2 | 3;
  kuadranKinerjaNilai: PredicateCode;
  penilaiNipNrp: string | null;
  penilaiNama: string | null;
  penilaiGolongan: string | null;
  penilaiGolonganId: number | null;
  penilaiJabatanNama: string | null;
  penilaiUnorNama: string | null;
  statusPenilai: 'ASN';
  bulanMulaiPenilaian?: number;
  bulanSelesaiPenilaian?: number;
  tahunMulaiPenilaian?: number;
  tahunSelesaiPenilaian?: number;
}

/** A FINALIZED appraisal with a predicate, its score and its assessor (null fields: the appraisal has no assessor). */
export interface SiasnSource {
  nip: string;
  resultRating: Rating;
  behaviourRating: Rating;
  predicateCode: PredicateCode;
  assessorNip: string | null;
  assessorName: string | null;
  assessorRank: string | null;
  assessorPosition: string | null;
  assessorUnitName: string | null;
}

export interface SiasnPeriod {
  type: PeriodType;
  /** ISO dates, as the period stores them. */
  startDate: string;
  endDate: string;
}

export const siasnColumns = (type: PeriodType): readonly (keyof SiasnRow)[] => (type === 'ANNUAL' ? SIASN_ANNUAL_COLUMNS : SIASN_PERIODIC_COLUMNS);

const year = (date: string) => Number(date.slice(0, 4));
const month = (date: string) => Number(date.slice(5, 7));

/** One SIASN row; `tahun` is the year the period starts in. */
export function siasnRow(s: SiasnSource, period: SiasnPeriod): SiasnRow {
  const row: SiasnRow = {
    pnsDinilaiNip: s.nip,
    tahun: year(period.startDate),
    hasilKinerjaNilai: SIASN_RATING[s.resultRating],
    perilakuKerjaNilai: SIASN_RATING[s.behaviourRating],
    kuadranKinerjaNilai: s.predicateCode,
    penilaiNipNrp: s.assessorNip,
    penilaiNama: s.assessorName,
    penilaiGolongan: s.assessorRank,
    penilaiGolonganId: s.assessorRank === null ? null : bknGolonganId(s.assessorRank),
    penilaiJabatanNama: s.assessorPosition,
    penilaiUnorNama: s.assessorUnitName,
    statusPenilai: 'ASN',
  };
  if (period.type === 'ANNUAL') return row;
  return {
    ...row,
    bulanMulaiPenilaian: month(period.startDate),
    bulanSelesaiPenilaian: month(period.endDate),
    tahunMulaiPenilaian: year(period.startDate),
    tahunSelesaiPenilaian: year(period.endDate),
  };
}
