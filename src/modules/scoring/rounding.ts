/**
 * Significant digits a value is first snapped to before rounding. Doubles carry 15–17 significant digits;
 * the last one or two are noise after a few operations (1.005 is stored as 1.00499999999999989…,
 * 100·(0.1 + 0.2) is 30.000000000000004). Snapping to 15 digits removes that noise, so a value within
 * about 5e-15 (relative) of a half is treated as that half.
 */
const SIGNIFICANT_DIGITS = 15;

/** From this magnitude on a double has no hundredths left to round (2^53 / 100 ≈ 9e13). */
const NOTHING_TO_ROUND = 1e15;

/** Below this, `x * 100` keeps whole numbers exact (2^52), so its fraction is exact too. */
const FAST_LIMIT = 2 ** 52;

/**
 * Rounds half away from zero to 2 decimals (spec §5.7), the way a person would on paper:
 * 1.005 → 1.01, -1.005 → -1.01, 2.675 → 2.68, 109.995 → 110.
 *
 * Far from a half, the double at hand decides: the decimal snap of `round2ByDecimal` moves a value by at most
 * 5e-15 of itself, so it cannot carry `x * 100` across a half that is further away than 1e-13 of it. Near a half
 * (and for huge values) `round2ByDecimal` decides. Same results, without formatting a string for nearly every value
 * (a tenth of a batch recalculation's JavaScript). Never returns -0. Throws on NaN and ±Infinity.
 */
export function round2(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`round2: ${x} is not a finite number`);
  const scaled = Math.abs(x) * 100;
  if (scaled < FAST_LIMIT) {
    const whole = Math.floor(scaled);
    const fraction = scaled - whole;
    if (Math.abs(fraction - 0.5) > 1e-13 * (scaled + 1)) {
      const rounded = Math.sign(x) * ((fraction > 0.5 ? whole + 1 : whole) / 100);
      return rounded === 0 ? 0 : rounded;
    }
  }
  return round2ByDecimal(x);
}

/**
 * round2 in decimal: the value is written with 15 significant digits, shifted two places by editing the exponent of
 * that decimal string (not by multiplying by 100, which reintroduces binary error), rounded, and shifted back.
 * Exported for the spec that holds round2 to it.
 */
export function round2ByDecimal(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`round2: ${x} is not a finite number`);
  const abs = Math.abs(x);
  if (abs >= NOTHING_TO_ROUND) return x;
  const [mantissa, exponent = '0'] = abs.toPrecision(SIGNIFICANT_DIGITS).split('e');
  const hundredths = Math.round(Number(`${mantissa}e${Number(exponent) + 2}`)); // non-negative: .5 goes up
  const rounded = Math.sign(x) * Number(`${hundredths}e-2`);
  return rounded === 0 ? 0 : rounded;
}
