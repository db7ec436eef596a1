import type { IndicatorAggregation, IndicatorDirection } from '../../indicators/entities/indicator.entity';
import type { ScoringPolicy } from '../../periods/scoring-policy';
import type { BehaviourAspect, BehaviourRatings, Rating } from '../entities/appraisal.entity';

export const PREDICATES = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const;
export type Predicate = (typeof PREDICATES)[number];
/** SIASN kuadran code of a predicate (PermenPAN-RB 6/2022). */
export type PredicateCode = 1 | 2 | 3 | 4 | 5;

/** One verified achievement, as the aggregation of §3 needs it. */
export interface AchievementInput {
  value: number;
  occurredOn: string; // YYYY-MM-DD
  submittedAt: string; // ISO timestamp; breaks LATEST ties
}

export interface TargetScoreInput {
  targetId: string;
  indicatorCode: string;
  weight: number;
  target: number;
  direction: IndicatorDirection;
  aggregation: IndicatorAggregation;
  /** Combined VERIFIED achievements (see `aggregate`), or null when there is none. */
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
  /** The computed rating, or the assessor's override when there is one. */
  resultRating: Rating;
  /** The rating the numbers give, kept even when overridden, for transparency. */
  computedResultRating: Rating;
  resultRatingOverridden: boolean;
  behaviourRating: Rating | null;
  predicate: Predicate | null;
  predicateCode: PredicateCode | null;
  targets: TargetBreakdown[];
  aspects: AspectBreakdown[];
}

export type { ScoringPolicy };
