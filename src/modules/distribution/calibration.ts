/**
 * Assessor calibration (spec §5): how far an assessor's mean behaviourScore lies from the assessors of the
 * period, in population standard deviations. Pure: no Nest, no I/O.
 */

/** An assessor needs this many appraisees with a score in the period to be compared. */
export const MIN_APPRAISEES = 5;

/** |z| from which an assessor is flagged (on z rounded to 2 decimals, the value the API shows). */
export const FLAG_Z = 1.5;

export const CALIBRATION_FLAGS = ['LENIENT', 'STRICT'] as const;
export type CalibrationFlag = (typeof CALIBRATION_FLAGS)[number];

export interface Spread {
  count: number;
  /** Arithmetic mean; null without values. */
  mean: number | null;
  /** Population standard deviation (divides by n, not n − 1); null without values. */
  sd: number | null;
}

export function spread(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) return { count: 0, mean: null, sd: null };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  // Equal values have no spread, whatever float noise the mean carries.
  if (values.every((v) => v === values[0])) return { count: n, mean: values[0], sd: 0 };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return { count: n, mean, sd: Math.sqrt(variance) };
}

/**
 * The z-score of each value against the mean and population standard deviation of `reference` (by default
 * the non-null values themselves), at full precision. null for a null value, and for every value when the
 * reference has fewer than 2 values or no spread (sd = 0).
 */
export function zScores(values: readonly (number | null)[], reference?: readonly number[]): (number | null)[] {
  const ref = spread(reference ?? values.filter((v): v is number => v !== null));
  if (ref.count < 2 || !ref.sd || ref.mean === null) return values.map(() => null);
  const { mean, sd } = ref;
  return values.map((v) => (v === null ? null : (v - mean) / sd));
}

/** LENIENT when z ≥ 1.5, STRICT when z ≤ −1.5, else null. Pass z as shown (rounded), so flag and number agree. */
export function calibrationFlag(z: number | null): CalibrationFlag | null {
  if (z === null) return null;
  if (z >= FLAG_Z) return 'LENIENT';
  if (z <= -FLAG_Z) return 'STRICT';
  return null;
}
