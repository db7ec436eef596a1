/** Doubles carry 15–17 significant digits; snapping to 15 first removes the binary noise (1.005 is 1.00499999…). */
const SIGNIFICANT_DIGITS = 15;

/**
 * Rounds half away from zero to `decimals` places, in decimal: 1.005 → 1.01, -1.645 → -1.65 (2 places).
 * Never returns -0. Throws on NaN and ±Infinity: no statistic may be reported as either.
 */
export function roundTo(x: number, decimals: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`roundTo: ${x} is not a finite number`);
  const abs = Math.abs(x);
  if (abs >= 1e15) return x;
  const [mantissa, exponent = '0'] = abs.toPrecision(SIGNIFICANT_DIGITS).split('e');
  const units = Math.round(Number(`${mantissa}e${Number(exponent) + decimals}`)); // non-negative: .5 goes up
  const rounded = Math.sign(x) * Number(`${units}e-${decimals}`);
  return rounded === 0 ? 0 : rounded;
}

/**
 * `count / total` rounded half up to `decimals` places with integer arithmetic only (exact: 2/3 → 0.6667,
 * 1/8 → 0.125); 0 when `total` is 0. For non-negative integer counts.
 */
export function roundedShare(count: number, total: number, decimals = 4): number {
  if (total === 0) return 0;
  const scale = 10 ** decimals;
  return Math.floor((2 * count * scale + total) / (2 * total)) / scale;
}
