import type { ScoringPolicy } from './policy';

/** The vocabulary of spec §3 and §5; the entities and DTOs take their enums from here. */
export const RATINGS = ['ABOVE_EXPECTATION', 'MEETS_EXPECTATION', 'BELOW_EXPECTATION'] as const;
export type Rating = (typeof RATINGS)[number];
/** BerAKHLAK core values (SE MenPAN-RB 20/2021), rated by the assessor. */
export const BEHAVIOUR_ASPECTS = [
  'BERORIENTASI_PELAYANAN',
  'AKUNTABEL',
  'KOMPETEN',
  'HARMONIS',
  'LOYAL',
  'ADAPTIF',
  'KOLABORATIF',
] as const;
export type BehaviourAspect = (typeof BEHAVIOUR_ASPECTS)[number];
export type BehaviourRatings = Record<BehaviourAspect, Rating>;
export const INDICATOR_DIRECTIONS = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];
export const INDICATOR_AGGREGATIONS = ['SUM', 'AVERAGE', 'LATEST', 'MAX', 'MIN'] as const;
export type IndicatorAggregation = (typeof INDICATOR_AGGREGATIONS)[number];

export const PREDICATES = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const;
export type Predicate = (typeof PREDICATES)[number];
/** SIASN kuadran code of a predicate (PermenPAN-RB 6/2022). */
export type PredicateCode = 1 | 2 | 3 | 4 | 5;

/** Predikat kinerja organisasi of a unit in a period (spec §5): its distribution curve, and its head's result rating. */
export const ORGANISATION_PREDICATES = ['ISTIMEWA', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const;
export type OrganisationPredicate = (typeof ORGANISATION_PREDICATES)[number];

/** Where a score's result rating comes from (spec §5.4). */
export const RESULT_RATING_SOURCES = ['COMPUTED', 'OVERRIDE', 'ORGANISATION'] as const;
export type ResultRatingSource = (typeof RESULT_RATING_SOURCES)[number];

export interface TargetScoreInput {
  targetId: string;
  indicatorCode: string;
  weight: number;
  target: number;
  direction: IndicatorDirection;
  aggregation: IndicatorAggregation;
  /** The VERIFIED achievements combined by the indicator's aggregation (§3), or null when there is none. */
  realisation: number | null;
}

/** Citizen feedback behind the BERORIENTASI_PELAYANAN aspect (§5.3); IKM on the 25–100 scale. */
export interface PublicFeedbackInput {
  employee: { responses: number; ikm: number | null };
  /** The nearest publicService unit among the employee's unit and its ancestors, over its subtree; null if none. */
  unit: { responses: number; ikm: number | null } | null;
}

export interface ScoreInput {
  targets: TargetScoreInput[];
  behaviour: BehaviourRatings | null;
  resultRatingOverride: Rating | null;
  publicFeedback: PublicFeedbackInput;
  /**
   * The organisation predicate of the appraisal's unit for the period when the appraisee heads that unit (§5.4).
   * Absent otherwise, not null, so the input digest of everyone else is what it was before unit heads existed.
   */
  headPredicate?: OrganisationPredicate;
}

export interface TargetBreakdown {
  targetId: string;
  indicatorCode: string;
  weight: number;
  target: number;
  realisation: number | null;
  capaian: number; // rounded to 2 decimals
}

export interface AspectBreakdown {
  aspect: BehaviourAspect;
  rating: Rating;
  assessorValue: number;
  publicValue: number | null;
  publicSource: 'EMPLOYEE' | 'UNIT' | null;
  value: number; // rounded to 2 decimals
}

export interface ScoreResult {
  resultScore: number;
  behaviourScore: number | null;
  finalScore: number | null;
  /** The organisation's rating for a unit head under the policy, else the assessor's override, else the computed one. */
  resultRating: Rating;
  resultRatingSource: ResultRatingSource;
  /** The rating the numbers give, kept even when overridden, for transparency. */
  computedResultRating: Rating;
  /** The assessor's override is the result rating (source OVERRIDE). */
  resultRatingOverridden: boolean;
  behaviourRating: Rating | null;
  predicate: Predicate | null;
  predicateCode: PredicateCode | null;
  targets: TargetBreakdown[];
  aspects: AspectBreakdown[];
}

export type { ScoringPolicy };
