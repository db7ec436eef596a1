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
