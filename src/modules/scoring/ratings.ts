import type { ScoringPolicy } from './policy';
import type { OrganisationPredicate, Rating, ResultRatingSource } from './types';
import { round2 } from './rounding';
import type { Predicate, PredicateCode } from './types';

/**
 * Rating of a result or behaviour score (spec §5.4): ≥ aboveThreshold ABOVE_EXPECTATION, ≥ meetsThreshold
 * MEETS_EXPECTATION, else BELOW_EXPECTATION. The score is rounded with `round2` first, because ratings are
 * taken from the stored (rounded) values (§5.7): 109.995 is ABOVE under the default threshold of 110.
 */
export function ratingOf(score: number, policy: Pick<ScoringPolicy, 'aboveThreshold' | 'meetsThreshold'>): Rating {
  const rounded = round2(score);
  if (rounded >= policy.aboveThreshold) return 'ABOVE_EXPECTATION';
  if (rounded >= policy.meetsThreshold) return 'MEETS_EXPECTATION';
  return 'BELOW_EXPECTATION';
}

/** Value of an assessor's behaviour rating on the score scale (spec §5.3). */
export const ASPECT_VALUES: Readonly<Record<Rating, number>> = Object.freeze({
  ABOVE_EXPECTATION: 120,
  MEETS_EXPECTATION: 100,
  BELOW_EXPECTATION: 60,
});

/** SIASN kuadran code of each predicate (PermenPAN-RB 6/2022). */
export const PREDICATE_CODES: Readonly<Record<Predicate, PredicateCode>> = Object.freeze({
  SANGAT_BAIK: 1,
  BAIK: 2,
  BUTUH_PERBAIKAN: 3,
  KURANG: 4,
  SANGAT_KURANG: 5,
});

/** The quadrant of spec §5.6, indexed [result rating][behaviour rating]. */
const QUADRANT: Readonly<Record<Rating, Readonly<Record<Rating, Predicate>>>> = Object.freeze({
  ABOVE_EXPECTATION: { BELOW_EXPECTATION: 'KURANG', MEETS_EXPECTATION: 'BAIK', ABOVE_EXPECTATION: 'SANGAT_BAIK' },
  MEETS_EXPECTATION: { BELOW_EXPECTATION: 'KURANG', MEETS_EXPECTATION: 'BAIK', ABOVE_EXPECTATION: 'BAIK' },
  BELOW_EXPECTATION: { BELOW_EXPECTATION: 'SANGAT_KURANG', MEETS_EXPECTATION: 'BUTUH_PERBAIKAN', ABOVE_EXPECTATION: 'BUTUH_PERBAIKAN' },
});

/** Predikat kinerja from the result rating (the override when there is one) and the behaviour rating (§5.6). */
export function predicateOf(resultRating: Rating, behaviourRating: Rating): Predicate {
  return QUADRANT[resultRating][behaviourRating];
}

/** The result rating a unit head takes from their unit's organisation predicate (spec §5.4, PermenPAN-RB 6/2022). */
export const ORGANISATION_RESULT_RATINGS: Readonly<Record<OrganisationPredicate, Rating>> = Object.freeze({
  ISTIMEWA: 'ABOVE_EXPECTATION',
  BAIK: 'MEETS_EXPECTATION',
  BUTUH_PERBAIKAN: 'BELOW_EXPECTATION',
  KURANG: 'BELOW_EXPECTATION',
  SANGAT_KURANG: 'BELOW_EXPECTATION',
});

/** The head rule applies: the appraisee heads the unit, the unit has a predicate, and the policy takes it. */
export const ratingFromOrganisation = (headPredicate: OrganisationPredicate | null | undefined, policy: Pick<ScoringPolicy, 'headRatingFromOrganisation'>) =>
  !!headPredicate && policy.headRatingFromOrganisation;

/** Spec §5.4: a unit head's rating comes from the organisation while the rule applies; else an override; else the numbers. */
export function resultRatingOf(
  computed: Rating,
  override: Rating | null,
  headPredicate: OrganisationPredicate | null | undefined,
  policy: Pick<ScoringPolicy, 'headRatingFromOrganisation'>,
): { rating: Rating; source: ResultRatingSource } {
  if (headPredicate && ratingFromOrganisation(headPredicate, policy)) return { rating: ORGANISATION_RESULT_RATINGS[headPredicate], source: 'ORGANISATION' };
  if (override !== null) return { rating: override, source: 'OVERRIDE' };
  return { rating: computed, source: 'COMPUTED' };
}
