import { EmploymentType } from './entities/employee.entity';

const PNS_RANKS = [
  ...['I', 'II', 'III'].flatMap((g) => ['a', 'b', 'c', 'd'].map((r) => `${g}/${r}`)),
  ...['a', 'b', 'c', 'd', 'e'].map((r) => `IV/${r}`),
];
const PPPK_RANKS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII'];

/** Golongan/pangkat: "I/a" … "IV/e" for PNS (PP 99/2000), "I" … "XVII" for PPPK (Perpres 98/2020). */
export function checkRank(rank: string, type: EmploymentType): string | null {
  const allowed = type === 'PNS' ? PNS_RANKS : PPPK_RANKS;
  return allowed.includes(rank)
    ? null
    : type === 'PNS'
      ? `${rank} is not a PNS rank (I/a … IV/e)`
      : `${rank} is not a PPPK rank (I … XVII)`;
}

const RUANG = ['a', 'b', 'c', 'd', 'e'];
const GOLONGAN = ['I', 'II', 'III', 'IV'];

/**
 * BKN's id of a PNS golongan as SIASN takes it (`penilaiGolonganId`): the golongan digit, then the ruang
 * (I/a = 11 … I/d = 14, III/d = 34, IV/e = 45). Null for anything else, PPPK ranks included: SIASN's PNS ids do
 * not cover them.
 */
export function bknGolonganId(rank: string): number | null {
  if (!PNS_RANKS.includes(rank)) return null;
  const [golongan, ruang] = rank.split('/');
  return (GOLONGAN.indexOf(golongan) + 1) * 10 + RUANG.indexOf(ruang) + 1;
}
