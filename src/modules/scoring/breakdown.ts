import type { AspectBreakdown, BehaviourAspect, Rating, ResultRatingSource, ScoreResult, TargetBreakdown } from './types';

/** A score's breakdown as the API shows it: what the figures were computed from, and the rating's source. */
export interface ScoreBreakdown {
  targets: TargetBreakdown[];
  aspects: AspectBreakdown[];
  computedResultRating: Rating;
  resultRatingOverridden: boolean;
  resultRatingSource: ResultRatingSource;
}

type StoredTarget = [targetId: string, indicatorCode: string, weight: number, target: number, realisation: number | null, capaian: number];
type StoredAspect = [
  aspect: BehaviourAspect,
  rating: Rating,
  assessorValue: number,
  publicValue: number | null,
  publicSource: AspectBreakdown['publicSource'],
  value: number,
];

/**
 * The breakdown as `appraisal_scores.breakdown` holds it: each target and aspect a positional array, and
 * resultRatingOverridden left out (it is resultRatingSource OVERRIDE). Less than half the bytes of the objects, which a
 * batch writes for every score; `breakdownOf` gives the API's shape back.
 */
export interface StoredBreakdown {
  t: StoredTarget[];
  a: StoredAspect[];
  /** computedResultRating */
  c: Rating;
  /** resultRatingSource */
  s: ResultRatingSource;
}

export const storedBreakdownOf = (s: ScoreResult): StoredBreakdown => ({
  t: s.targets.map((t) => [t.targetId, t.indicatorCode, t.weight, t.target, t.realisation, t.capaian]),
  a: s.aspects.map((a) => [a.aspect, a.rating, a.assessorValue, a.publicValue, a.publicSource, a.value]),
  c: s.computedResultRating,
  s: s.resultRatingSource,
});

/**
 * The API's shape of a stored breakdown; one in the older object shape as it is (written by an old instance still running
 * after the migration; the old code cannot read the new shape, so the README asks to stop old instances first).
 */
export function breakdownOf(b: StoredBreakdown | ScoreBreakdown): ScoreBreakdown {
  if ('targets' in b) return b;
  return {
    targets: b.t.map(([targetId, indicatorCode, weight, target, realisation, capaian]) => ({ targetId, indicatorCode, weight, target, realisation, capaian })),
    aspects: b.a.map(([aspect, rating, assessorValue, publicValue, publicSource, value]) => ({ aspect, rating, assessorValue, publicValue, publicSource, value })),
    computedResultRating: b.c,
    resultRatingOverridden: b.s === 'OVERRIDE',
    resultRatingSource: b.s,
  };
}
