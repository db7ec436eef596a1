import type { ScoringPolicy } from './policy';
import { BEHAVIOUR_ASPECTS, type BehaviourAspect, type BehaviourRatings } from './types';
import { ASPECT_VALUES } from './ratings';
import type { AspectBreakdown, PublicFeedbackInput } from './types';

/** The one aspect citizen feedback informs (spec §5.3). */
export const SERVICE_ASPECT: BehaviourAspect = 'BERORIENTASI_PELAYANAN';

/** Public value of an IKM (25–100) on the score scale: 1.2 × IKM, so IKM 100 is worth the cap of 120. */
export const PUBLIC_VALUE_FACTOR = 1.2;

export type FeedbackPolicy = Pick<
  ScoringPolicy,
  'minEmployeeResponses' | 'employeeFeedbackWeight' | 'minUnitResponses' | 'unitFeedbackWeight'
>;

/**
 * The seven behaviour aspects in BEHAVIOUR_ASPECTS order (spec §5.3), at FULL precision: `value` and
 * `publicValue` are not rounded here (`computeScore` rounds them when it stores the score).
 *
 * Every aspect is worth its assessor rating (ASPECT_VALUES). BERORIENTASI_PELAYANAN alone is blended with
 * citizen feedback, value = (1 − α)·assessorValue + α·publicValue, publicValue = 1.2 × IKM, taking the first
 * source that qualifies:
 * 1. the employee's own IKM, when responses ≥ minEmployeeResponses and the IKM is known; α = employeeFeedbackWeight;
 * 2. the unit's IKM (the nearest publicService unit, chosen by the caller), when responses ≥ minUnitResponses
 *    and the IKM is known; α = unitFeedbackWeight;
 * 3. otherwise the assessor's value alone (publicValue and publicSource null).
 */
export function aspectBreakdown(ratings: BehaviourRatings, publicFeedback: PublicFeedbackInput, policy: FeedbackPolicy): AspectBreakdown[] {
  const source = publicSourceOf(publicFeedback, policy);
  return BEHAVIOUR_ASPECTS.map((aspect): AspectBreakdown => {
    const rating = ratings[aspect];
    const assessorValue = ASPECT_VALUES[rating];
    if (aspect !== SERVICE_ASPECT || source === null) {
      return { aspect, rating, assessorValue, publicValue: null, publicSource: null, value: assessorValue };
    }
    const publicValue = PUBLIC_VALUE_FACTOR * source.ikm;
    const value = (1 - source.alpha) * assessorValue + source.alpha * publicValue;
    return { aspect, rating, assessorValue, publicValue, publicSource: source.kind, value };
  });
}

/** behaviourScore = mean of the aspect values (spec §5.3), full precision. */
export function behaviourScoreOf(aspects: readonly Pick<AspectBreakdown, 'value'>[]): number {
  if (aspects.length === 0) throw new RangeError('behaviourScoreOf: no aspects');
  return aspects.reduce((total, a) => total + a.value, 0) / aspects.length;
}

interface PublicSource {
  kind: 'EMPLOYEE' | 'UNIT';
  ikm: number;
  alpha: number;
}

function publicSourceOf({ employee, unit }: PublicFeedbackInput, policy: FeedbackPolicy): PublicSource | null {
  if (employee.ikm !== null && employee.responses >= policy.minEmployeeResponses) {
    return { kind: 'EMPLOYEE', ikm: employee.ikm, alpha: policy.employeeFeedbackWeight };
  }
  if (unit !== null && unit.ikm !== null && unit.responses >= policy.minUnitResponses) {
    return { kind: 'UNIT', ikm: unit.ikm, alpha: policy.unitFeedbackWeight };
  }
  return null;
}
