import type { ScoringPolicy } from './policy';
import { aspectBreakdown, behaviourScoreOf } from './behaviour';
import { capaian } from './capaian';
import { PREDICATE_CODES, predicateOf, ratingOf, resultRatingOf } from './ratings';
import { round2 } from './rounding';
import type { AspectBreakdown, ScoreInput, ScoreResult, TargetBreakdown } from './types';

/**
 * The score of one appraisal (spec §5). Everything is computed at full precision; every stored number
 * (resultScore, behaviourScore, finalScore, each target's capaian, each aspect's value and publicValue) is
 * rounded half away from zero to 2 decimals at the end, and the ratings are taken from the rounded scores
 * (§5.7). In particular:
 * - resultScore = Σ(weight·capaian)/Σweight over the unrounded capaian; 0 with no target or Σweight = 0;
 * - behaviourScore = mean of the unrounded aspect values;
 * - finalScore = resultWeight·resultScore + behaviourWeight·behaviourScore over the unrounded scores, so it
 *   may differ by 0.01 from the same formula applied to the rounded figures;
 * - resultRating is, by resultRatingSource: ORGANISATION, a unit head's rating from the organisation predicate
 *   while the policy's headRatingFromOrganisation holds (an override is then ignored); OVERRIDE, the assessor's
 *   override, even one equal to the computed rating; else COMPUTED. The predicate uses it;
 * - without a behaviour assessment behaviourScore, behaviourRating, finalScore, predicate and predicateCode
 *   are null and aspects is empty.
 */
export function computeScore(input: ScoreInput, policy: ScoringPolicy): ScoreResult {
  let weighted = 0;
  let totalWeight = 0;
  const targets = input.targets.map((t): TargetBreakdown => {
    if (!(Number.isFinite(t.weight) && t.weight >= 0)) {
      throw new RangeError(`computeScore: target ${t.targetId} has weight ${t.weight}; expected a non-negative number`);
    }
    const c = capaian(t.realisation, t.target, t.direction, policy.capaianCap);
    weighted += t.weight * c;
    totalWeight += t.weight;
    return {
      targetId: t.targetId,
      indicatorCode: t.indicatorCode,
      weight: t.weight,
      target: t.target,
      realisation: t.realisation,
      capaian: round2(c),
    };
  });
  const resultScore = totalWeight > 0 ? weighted / totalWeight : 0;
  const computedResultRating = ratingOf(round2(resultScore), policy);
  const { rating: resultRating, source: resultRatingSource } = resultRatingOf(
    computedResultRating,
    input.resultRatingOverride ?? null,
    input.headPredicate,
    policy,
  );
  const resultRatingOverridden = resultRatingSource === 'OVERRIDE';

  if (input.behaviour === null) {
    return {
      resultScore: round2(resultScore),
      behaviourScore: null,
      finalScore: null,
      resultRating,
      resultRatingSource,
      computedResultRating,
      resultRatingOverridden,
      behaviourRating: null,
      predicate: null,
      predicateCode: null,
      targets,
      aspects: [],
    };
  }

  const aspects = aspectBreakdown(input.behaviour, input.publicFeedback, policy);
  const behaviourScore = behaviourScoreOf(aspects);
  const behaviourRating = ratingOf(round2(behaviourScore), policy);
  const predicate = predicateOf(resultRating, behaviourRating);
  return {
    resultScore: round2(resultScore),
    behaviourScore: round2(behaviourScore),
    finalScore: round2(policy.resultWeight * resultScore + policy.behaviourWeight * behaviourScore),
    resultRating,
    resultRatingSource,
    computedResultRating,
    resultRatingOverridden,
    behaviourRating,
    predicate,
    predicateCode: PREDICATE_CODES[predicate],
    targets,
    aspects: aspects.map(
      (a): AspectBreakdown => ({ ...a, publicValue: a.publicValue === null ? null : round2(a.publicValue), value: round2(a.value) }),
    ),
  };
}
