import type { IndicatorDirection } from './types';

/**
 * Capaian (achievement percentage) of one target, spec §5.1, at full precision (rounding happens when the
 * score is stored):
 * - HIGHER_IS_BETTER: 100·r/t;
 * - LOWER_IS_BETTER: 100·(2 − r/t) (PermenPAN-RB 8/2021 "kondisi khusus", e.g. waiting time), so r = t gives
 *   100, r = 0 gives 200 and r ≥ 2t gives 0 or less;
 * clamped to [0, cap]. A target without a verified achievement (realisation null) scores 0 in both
 * directions.
 *
 * Throws when `target` is not a positive finite number (the API refuses such targets, §3) or the
 * realisation is not finite, rather than letting NaN or Infinity into a stored score.
 */
export function capaian(realisation: number | null, target: number, direction: IndicatorDirection, cap: number): number {
  if (!(Number.isFinite(target) && target > 0)) throw new RangeError(`capaian: target ${target} must be a positive number`);
  if (!(Number.isFinite(cap) && cap >= 0)) throw new RangeError(`capaian: cap ${cap} must be a non-negative number`);
  if (realisation === null) return 0;
  if (!Number.isFinite(realisation)) throw new RangeError(`capaian: realisation ${realisation} is not a finite number`);
  let raw: number;
  switch (direction) {
    case 'HIGHER_IS_BETTER':
      raw = (100 * realisation) / target;
      break;
    case 'LOWER_IS_BETTER':
      raw = 100 * (2 - realisation / target);
      break;
  }
  return Math.min(cap, Math.max(0, raw));
}
