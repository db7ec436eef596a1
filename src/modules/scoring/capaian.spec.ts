import type { IndicatorDirection } from './types';
import { capaian } from './capaian';
import { round2 } from './rounding';

describe('capaian', () => {
  // [label, realisation, target, direction, cap, expected at full precision (compared to 10 digits)]
  it.each<[string, number | null, number, IndicatorDirection, number, number]>([
    // HIGHER_IS_BETTER: 100·r/t
    ['HIGHER on target', 12, 12, 'HIGHER_IS_BETTER', 120, 100],
    ['HIGHER DISHUB schedules 11/12 = 91.666…', 11, 12, 'HIGHER_IS_BETTER', 120, 275 / 3],
    ['HIGHER 10% above', 110, 100, 'HIGHER_IS_BETTER', 120, 110],
    ['HIGHER exactly at the cap', 6, 5, 'HIGHER_IS_BETTER', 120, 120],
    ['HIGHER far above target is capped', 50, 10, 'HIGHER_IS_BETTER', 120, 120],
    ['HIGHER realisation 0', 0, 10, 'HIGHER_IS_BETTER', 120, 0],
    ['HIGHER fractional target 0.5, r 0.45', 0.45, 0.5, 'HIGHER_IS_BETTER', 120, 90],
    // LOWER_IS_BETTER: 100·(2 − r/t)
    ['LOWER on target', 15, 15, 'LOWER_IS_BETTER', 120, 100],
    ['LOWER DISHUB waiting time 14 vs 15: 100·(2 − 14/15) = 100·16/15 = 106.666…', 14, 15, 'LOWER_IS_BETTER', 120, 320 / 3],
    ['LOWER 20% worse: 100·(2 − 1.2) = 80', 18, 15, 'LOWER_IS_BETTER', 120, 80],
    ['LOWER 20% better: 100·(2 − 0.8) = 120', 12, 15, 'LOWER_IS_BETTER', 120, 120],
    ['LOWER realisation 0 would be 200, capped', 0, 15, 'LOWER_IS_BETTER', 120, 120],
    ['LOWER r = 2t gives exactly 0', 30, 15, 'LOWER_IS_BETTER', 120, 0],
    ['LOWER r = 3t would be −100, clamped to 0', 45, 15, 'LOWER_IS_BETTER', 120, 0],
    ['LOWER r = 1.99t: 100·0.01 = 1', 29.85, 15, 'LOWER_IS_BETTER', 120, 1],
    // no verified achievement → 0 in both directions (not 200 → 120 for LOWER)
    ['HIGHER without achievement', null, 12, 'HIGHER_IS_BETTER', 120, 0],
    ['LOWER without achievement', null, 15, 'LOWER_IS_BETTER', 120, 0],
    // other caps from the policy
    ['HIGHER 130% under a cap of 150', 13, 10, 'HIGHER_IS_BETTER', 150, 130],
    ['HIGHER 130% under a cap of 110', 13, 10, 'HIGHER_IS_BETTER', 110, 110],
    ['LOWER r = 0 under a cap of 250 is 200', 0, 15, 'LOWER_IS_BETTER', 250, 200],
  ])('%s', (_, r, t, direction, cap, expected) => {
    expect(capaian(r, t, direction, cap)).toBeCloseTo(expected, 10);
  });

  it('is not rounded (rounding happens when the score is stored)', () => {
    const c = capaian(14, 15, 'LOWER_IS_BETTER', 120);
    expect(c).not.toBe(106.67);
    expect(round2(c)).toBe(106.67);
  });

  it.each([0, -1, NaN, Infinity])('refuses target %p', (t) => {
    expect(() => capaian(1, t, 'HIGHER_IS_BETTER', 120)).toThrow(RangeError);
  });

  it.each([NaN, Infinity])('refuses realisation %p', (r) => {
    expect(() => capaian(r, 10, 'HIGHER_IS_BETTER', 120)).toThrow(RangeError);
  });
});
