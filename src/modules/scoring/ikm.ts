import { round2 } from './rounding';

/** The nine SKM elements (PermenPAN-RB 14/2017), U1 persyaratan … U9 sarana dan prasarana (spec §4). */
export const IKM_ELEMENTS = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8', 'U9'] as const;
export type IkmElement = (typeof IKM_ELEMENTS)[number];

export const IKM_CATEGORIES = ['A', 'B', 'C', 'D'] as const;
export type IkmCategory = (typeof IKM_CATEGORIES)[number];
export type IkmLabel = 'Sangat Baik' | 'Baik' | 'Kurang Baik' | 'Tidak Baik';

/** Category bounds of spec §4 (inclusive, on the value rounded to 2 decimals) with their labels. */
export const IKM_CATEGORY_BOUNDS: Readonly<Record<IkmCategory, { min: number; max: number; label: IkmLabel }>> = Object.freeze({
  A: { min: 88.31, max: 100, label: 'Sangat Baik' },
  B: { min: 76.61, max: 88.3, label: 'Baik' },
  C: { min: 65, max: 76.6, label: 'Kurang Baik' },
  D: { min: 25, max: 64.99, label: 'Tidak Baik' },
});

export interface IkmResult {
  responses: number;
  /** Nilai rata-rata per element: the mean of its answers (1–4), full precision. */
  nrr: Record<IkmElement, number>;
  /** Mean of the nine NRR × 25 (25–100), full precision; show it as `round2(ikm)`, which is what `category` classifies. */
  ikm: number;
  category: IkmCategory;
  label: IkmLabel;
}

/** Per-element sums of no answer at all, to add answers or sums to. */
export const zeroElementSums = (): Record<IkmElement, number> => Object.fromEntries(IKM_ELEMENTS.map((e) => [e, 0])) as Record<IkmElement, number>;

/**
 * Service index (spec §4) from per-element sums of the answers (1–4) over `responses` responses, as an SQL
 * aggregate gives them (`sum(u1)`, …, `count(*)`): NRR of element i = mean of its answers; IKM = mean of the
 * nine NRR × 25. Null when there is no response. Uses the exact mean (1/9), not the regulation's rounded
 * weight 0.111, so all 4s give exactly 100; computed as 25·(sum of all answers)/(9·responses), with a single
 * division, so e.g. all 3s give exactly 75.
 */
export function ikmOfSums(sums: Readonly<Record<IkmElement, number>>, responses: number): IkmResult | null {
  if (responses === 0) return null;
  const nrr = Object.fromEntries(IKM_ELEMENTS.map((e) => [e, sums[e] / responses])) as Record<IkmElement, number>;
  const ikm = ikmOfTotal(IKM_ELEMENTS.reduce((t, e) => t + sums[e], 0), responses);
  const category = ikmCategory(ikm);
  return { responses, nrr, ikm, category, label: IKM_CATEGORY_BOUNDS[category].label };
}

/** IKM from the sum of all nine answers of every response: 25·total / (9·responses). */
export function ikmOfTotal(total: number, responses: number): number {
  return (25 * total) / (IKM_ELEMENTS.length * responses);
}

/**
 * Category of an IKM (spec §4): A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99. The bounds have
 * gaps of 0.01, so the value is classified after rounding half away from zero to 2 decimals, the precision
 * it is published with: 88.305 → 88.31 → A, 88.3049 → 88.30 → B, 64.995 → 65.00 → C. The published IKM and
 * its category therefore always agree. Throws outside 25–100, which no valid answers can produce.
 */
export function ikmCategory(ikm: number): IkmCategory {
  const rounded = round2(ikm);
  if (rounded < 25 || rounded > 100) throw new RangeError(`ikmCategory: ${ikm} is outside the IKM range 25–100`);
  if (rounded >= IKM_CATEGORY_BOUNDS.A.min) return 'A';
  if (rounded >= IKM_CATEGORY_BOUNDS.B.min) return 'B';
  if (rounded >= IKM_CATEGORY_BOUNDS.C.min) return 'C';
  return 'D';
}
