import { DEFAULT_SCORING_POLICY, type ScoringPolicy } from './policy';
import { BEHAVIOUR_ASPECTS, type BehaviourRatings, type Rating } from './types';
import { ASPECT_VALUES } from './ratings';
import { computeScore } from './score';
import type { AspectBreakdown, PublicFeedbackInput, ScoreInput, ScoreResult, TargetScoreInput } from './types';

/*
 * Scenario tables: each scenario gives the inputs, the policy (defaults unless said otherwise) and the whole
 * expected ScoreResult, with the arithmetic done by hand in the comments. Defaults: cap 120, ABOVE ≥ 110,
 * MEETS ≥ 90, final = 0.7·result + 0.3·behaviour, employee feedback from 10 responses (α 0.5), unit feedback
 * from 30 responses (α 0.25). Stored numbers are rounded half away from zero to 2 decimals; ratings come from
 * the rounded numbers.
 */

const ABOVE: Rating = 'ABOVE_EXPECTATION';
const MEETS: Rating = 'MEETS_EXPECTATION';
const BELOW: Rating = 'BELOW_EXPECTATION';

const higher = (id: string, target: number, weight: number, realisation: number | null): TargetScoreInput => ({
  targetId: id,
  indicatorCode: id,
  weight,
  target,
  direction: 'HIGHER_IS_BETTER',
  aggregation: 'SUM',
  realisation,
});
const lower = (id: string, target: number, weight: number, realisation: number | null): TargetScoreInput => ({
  ...higher(id, target, weight, realisation),
  direction: 'LOWER_IS_BETTER',
  aggregation: 'AVERAGE',
});

/** The DISHUB example: waiting time (minutes, lower is better) and schedules published (higher is better). */
const DISHUB = [lower('DISHUB-WAIT', 15, 60, 14), higher('DISHUB-SCHED', 12, 40, 11)];
// WAIT:  100·(2 − 14/15) = 100·16/15 = 106.666… → 106.67
// SCHED: 100·11/12               =  91.666… →  91.67
// resultScore = (60·106.666… + 40·91.666…)/100 = (6400 + 3666.666…)/100 = 100.666… → 100.67 (MEETS)
const DISHUB_CAPAIAN = [106.67, 91.67];

const behaviour = (service: Rating, others: Rating = service): BehaviourRatings =>
  Object.fromEntries(BEHAVIOUR_ASPECTS.map((a) => [a, a === 'BERORIENTASI_PELAYANAN' ? service : others])) as BehaviourRatings;

const feedback = (employee: [number, number | null], unit: [number, number | null] | null = null): PublicFeedbackInput => ({
  employee: { responses: employee[0], ikm: employee[1] },
  unit: unit && { responses: unit[0], ikm: unit[1] },
});
const NO_FEEDBACK = feedback([0, null]);

/** Expected aspects: the six non-service aspects at their assessor value, the service aspect as given. */
const aspects = (
  service: Rating,
  others: Rating,
  blend: { publicValue: number; publicSource: 'EMPLOYEE' | 'UNIT'; value: number } | null = null,
): AspectBreakdown[] =>
  BEHAVIOUR_ASPECTS.map((aspect) => {
    const rating = aspect === 'BERORIENTASI_PELAYANAN' ? service : others;
    const assessorValue = ASPECT_VALUES[rating];
    if (aspect === 'BERORIENTASI_PELAYANAN' && blend) return { aspect, rating, assessorValue, ...blend };
    return { aspect, rating, assessorValue, publicValue: null, publicSource: null, value: assessorValue };
  });

/** Expected target breakdown from the inputs and the hand-computed capaian. */
const breakdown = (targets: TargetScoreInput[], capaian: number[]) =>
  targets.map((t, i) => ({ targetId: t.targetId, indicatorCode: t.indicatorCode, weight: t.weight, target: t.target, realisation: t.realisation, capaian: capaian[i] }));

const NO_BEHAVIOUR = { behaviourScore: null, finalScore: null, behaviourRating: null, predicate: null, predicateCode: null, aspects: [] };

interface Scenario {
  name: string;
  input: Partial<ScoreInput> & Pick<ScoreInput, 'targets'>;
  policy?: Partial<ScoringPolicy>;
  expected: ScoreResult;
}

const run = ({ input, policy }: Scenario) =>
  computeScore(
    { behaviour: null, resultRatingOverride: null, publicFeedback: NO_FEEDBACK, ...input },
    { ...DEFAULT_SCORING_POLICY, ...policy },
  );

describe('computeScore', () => {
  describe('results (§5.1, §5.2)', () => {
    it.each<Scenario>([
      {
        name: 'DISHUB without behaviour: 100.67, MEETS; behaviour fields null',
        input: { targets: DISHUB },
        expected: {
          resultScore: 100.67,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          ...NO_BEHAVIOUR,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
        },
      },
      {
        // behaviour all MEETS: 7 × 100 / 7 = 100 (MEETS)
        // final = 0.7·100.666… + 0.3·100 = 70.4666… + 30 = 100.4666… → 100.47; MEETS/MEETS → BAIK (2)
        name: 'DISHUB, behaviour all MEETS: BAIK',
        input: { targets: DISHUB, behaviour: behaviour(MEETS) },
        expected: {
          resultScore: 100.67,
          behaviourScore: 100,
          finalScore: 100.47,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS),
        },
      },
      {
        // realisation 50 vs 10: 100·50/10 = 500 → capped at 120; resultScore 120 (ABOVE)
        // behaviour all ABOVE: 120 (ABOVE); final = 0.7·120 + 0.3·120 = 120; ABOVE/ABOVE → SANGAT_BAIK (1)
        name: 'capped: realisation five times the target scores 120',
        input: { targets: [higher('DOCS', 10, 100, 50)], behaviour: behaviour(ABOVE) },
        expected: {
          resultScore: 120,
          behaviourScore: 120,
          finalScore: 120,
          resultRating: ABOVE,
          computedResultRating: ABOVE,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: ABOVE,
          predicate: 'SANGAT_BAIK',
          predicateCode: 1,
          targets: breakdown([higher('DOCS', 10, 100, 50)], [120]),
          aspects: aspects(ABOVE, ABOVE),
        },
      },
      {
        // WAIT-A: 100·(2 − 30/15) = 0; WAIT-B: 100·(2 − 45/15) = −100 → 0; resultScore 0 (BELOW)
        // behaviour all MEETS 100; final = 0 + 0.3·100 = 30; BELOW/MEETS → BUTUH_PERBAIKAN (3)
        name: 'LOWER_IS_BETTER with r = 2t and r = 3t scores 0',
        input: { targets: [lower('WAIT-A', 15, 50, 30), lower('WAIT-B', 15, 50, 45)], behaviour: behaviour(MEETS) },
        expected: {
          resultScore: 0,
          behaviourScore: 100,
          finalScore: 30,
          resultRating: BELOW,
          computedResultRating: BELOW,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BUTUH_PERBAIKAN',
          predicateCode: 3,
          targets: breakdown([lower('WAIT-A', 15, 50, 30), lower('WAIT-B', 15, 50, 45)], [0, 0]),
          aspects: aspects(MEETS, MEETS),
        },
      },
      {
        // SCHED: 100·12/12 = 100; WAIT has no verified achievement → 0 (not 100·(2 − 0) capped to 120)
        // resultScore = (50·100 + 50·0)/100 = 50 (BELOW); behaviour all BELOW 60 (BELOW)
        // final = 0.7·50 + 0.3·60 = 35 + 18 = 53; BELOW/BELOW → SANGAT_KURANG (5)
        name: 'a target without verified achievement scores 0, also LOWER_IS_BETTER',
        input: { targets: [higher('SCHED', 12, 50, 12), lower('WAIT', 15, 50, null)], behaviour: behaviour(BELOW) },
        expected: {
          resultScore: 50,
          behaviourScore: 60,
          finalScore: 53,
          resultRating: BELOW,
          computedResultRating: BELOW,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: BELOW,
          predicate: 'SANGAT_KURANG',
          predicateCode: 5,
          targets: breakdown([higher('SCHED', 12, 50, 12), lower('WAIT', 15, 50, null)], [100, 0]),
          aspects: aspects(BELOW, BELOW),
        },
      },
      {
        // Σweight = 0 → resultScore 0 (BELOW); no division by zero
        name: 'no targets: resultScore 0',
        input: { targets: [] },
        expected: { resultScore: 0, resultRating: BELOW, computedResultRating: BELOW, resultRatingOverridden: false, resultRatingSource: 'COMPUTED', ...NO_BEHAVIOUR, targets: [] },
      },
      {
        name: 'weights summing to 0: resultScore 0',
        input: { targets: [higher('A', 10, 0, 10)] },
        expected: {
          resultScore: 0,
          resultRating: BELOW,
          computedResultRating: BELOW,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          ...NO_BEHAVIOUR,
          targets: breakdown([higher('A', 10, 0, 10)], [100]),
        },
      },
      {
        // weights need not sum to 100 here: (1·100 + 3·80)/4 = 340/4 = 85 (BELOW)
        name: 'weights not summing to 100 are normalised',
        input: { targets: [higher('A', 10, 1, 10), higher('B', 10, 3, 8)] },
        expected: {
          resultScore: 85,
          resultRating: BELOW,
          computedResultRating: BELOW,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          ...NO_BEHAVIOUR,
          targets: breakdown([higher('A', 10, 1, 10), higher('B', 10, 3, 8)], [100, 80]),
        },
      },
    ])('$name', (scenario) => {
      expect(run(scenario)).toEqual(scenario.expected);
    });
  });

  describe('override (§5.4)', () => {
    it.each<Scenario>([
      {
        // computed MEETS (100.67); override ABOVE; behaviour all ABOVE 120
        // predicate from the override: ABOVE/ABOVE → SANGAT_BAIK (1) instead of MEETS/ABOVE → BAIK
        // final = 0.7·100.666… + 0.3·120 = 70.4666… + 36 = 106.4666… → 106.47 (numbers are not overridden)
        name: 'override ABOVE turns BAIK into SANGAT_BAIK',
        input: { targets: DISHUB, behaviour: behaviour(ABOVE), resultRatingOverride: ABOVE },
        expected: {
          resultScore: 100.67,
          behaviourScore: 120,
          finalScore: 106.47,
          resultRating: ABOVE,
          computedResultRating: MEETS,
          resultRatingOverridden: true, resultRatingSource: 'OVERRIDE',
          behaviourRating: ABOVE,
          predicate: 'SANGAT_BAIK',
          predicateCode: 1,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(ABOVE, ABOVE),
        },
      },
      {
        // computed MEETS; override BELOW; behaviour MEETS → BELOW/MEETS → BUTUH_PERBAIKAN (3) instead of BAIK
        // final = 100.4666… → 100.47 as without override
        name: 'override BELOW turns BAIK into BUTUH_PERBAIKAN',
        input: { targets: DISHUB, behaviour: behaviour(MEETS), resultRatingOverride: BELOW },
        expected: {
          resultScore: 100.67,
          behaviourScore: 100,
          finalScore: 100.47,
          resultRating: BELOW,
          computedResultRating: MEETS,
          resultRatingOverridden: true, resultRatingSource: 'OVERRIDE',
          behaviourRating: MEETS,
          predicate: 'BUTUH_PERBAIKAN',
          predicateCode: 3,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS),
        },
      },
      {
        // an override equal to the computed rating is still an override (it was set, with a reason)
        name: 'override equal to the computed rating is reported as overridden',
        input: { targets: DISHUB, behaviour: behaviour(MEETS), resultRatingOverride: MEETS },
        expected: {
          resultScore: 100.67,
          behaviourScore: 100,
          finalScore: 100.47,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: true, resultRatingSource: 'OVERRIDE',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS),
        },
      },
      {
        name: 'override without behaviour: rating replaced, predicate still null',
        input: { targets: DISHUB, resultRatingOverride: ABOVE },
        expected: {
          resultScore: 100.67,
          resultRating: ABOVE,
          computedResultRating: MEETS,
          resultRatingOverridden: true, resultRatingSource: 'OVERRIDE',
          ...NO_BEHAVIOUR,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
        },
      },
    ])('$name', (scenario) => {
      expect(run(scenario)).toEqual(scenario.expected);
    });
  });

  describe('public feedback blending into BERORIENTASI_PELAYANAN (§5.3)', () => {
    // All on the DISHUB targets (resultScore 100.666…, MEETS), other six aspects MEETS (600 together).
    it.each<Scenario>([
      {
        // employee 10 ≥ 10, IKM 75 → public 1.2·75 = 90; value = 0.5·100 + 0.5·90 = 95
        // behaviour = (95 + 600)/7 = 695/7 = 99.285714… → 99.29 (MEETS)
        // final = 0.7·100.666… + 0.3·99.285714… = 70.466667 + 29.785714 = 100.252381 → 100.25; BAIK (2)
        // (from the stored figures it would be 0.7·100.67 + 0.3·99.29 = 70.469 + 29.787 = 100.256 → 100.26:
        // finalScore is computed from the full-precision scores, §5.7)
        name: 'employee-level feedback with exactly 10 responses',
        input: { targets: DISHUB, behaviour: behaviour(MEETS), publicFeedback: feedback([10, 75], [200, 50]) },
        expected: {
          resultScore: 100.67,
          behaviourScore: 99.29,
          finalScore: 100.25,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS, { publicSource: 'EMPLOYEE', publicValue: 90, value: 95 }),
        },
      },
      {
        // employee 12, IKM 83.333… (the mixed survey of ikm.spec) → public 1.2·250/3 = 100
        // service ABOVE: value = 0.5·120 + 0.5·100 = 110; behaviour = 710/7 = 101.428571… → 101.43 (MEETS)
        // final = 70.466667 + 0.3·101.428571 = 70.466667 + 30.428571 = 100.895238 → 100.90
        name: 'employee-level feedback pulling an ABOVE towards the citizens’ view',
        input: { targets: DISHUB, behaviour: behaviour(ABOVE, MEETS), publicFeedback: feedback([12, 250 / 3]) },
        expected: {
          resultScore: 100.67,
          behaviourScore: 101.43,
          finalScore: 100.9,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(ABOVE, MEETS, { publicSource: 'EMPLOYEE', publicValue: 100, value: 110 }),
        },
      },
      {
        // employee 9 < 10 (their IKM 100 is ignored) → unit 30 ≥ 30, IKM 75 → public 90, α 0.25
        // value = 0.75·100 + 0.25·90 = 75 + 22.5 = 97.5; behaviour = 697.5/7 = 99.642857… → 99.64
        // final = 70.466667 + 0.3·99.642857 = 70.466667 + 29.892857 = 100.359524 → 100.36
        name: 'employee with 9 responses falls back to the unit with 30',
        input: { targets: DISHUB, behaviour: behaviour(MEETS), publicFeedback: feedback([9, 100], [30, 75]) },
        expected: {
          resultScore: 100.67,
          behaviourScore: 99.64,
          finalScore: 100.36,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS, { publicSource: 'UNIT', publicValue: 90, value: 97.5 }),
        },
      },
      {
        // unit IKM 19075/216 = 88.310185… (the "just inside A" survey) → public 1.2·88.310185 = 105.972222… → 105.97
        // value = 0.75·100 + 0.25·105.972222 = 75 + 26.493056 = 101.493056 → 101.49
        // behaviour = (101.493056 + 600)/7 = 701.493056/7 = 100.213294 → 100.21
        // final = 70.466667 + 0.3·100.213294 = 70.466667 + 30.063988 = 100.530655 → 100.53
        name: 'unit-level feedback with a repeating IKM: stored public value and value rounded',
        input: { targets: DISHUB, behaviour: behaviour(MEETS), publicFeedback: feedback([0, null], [31, 19075 / 216]) },
        expected: {
          resultScore: 100.67,
          behaviourScore: 100.21,
          finalScore: 100.53,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS, { publicSource: 'UNIT', publicValue: 105.97, value: 101.49 }),
        },
      },
      {
        // employee 9 < 10, unit 29 < 30 → the assessor's 100 alone; behaviour 100; final 100.4666… → 100.47
        name: 'employee 9 and unit 29: assessor value only',
        input: { targets: DISHUB, behaviour: behaviour(MEETS), publicFeedback: feedback([9, 100], [29, 25]) },
        expected: {
          resultScore: 100.67,
          behaviourScore: 100,
          finalScore: 100.47,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS),
        },
      },
      {
        // no publicService unit above the employee; employee 9 < 10 → assessor only
        name: 'employee 9 and no unit: assessor value only',
        input: { targets: DISHUB, behaviour: behaviour(MEETS), publicFeedback: feedback([9, 25], null) },
        expected: {
          resultScore: 100.67,
          behaviourScore: 100,
          finalScore: 100.47,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS),
        },
      },
    ])('$name', (scenario) => {
      expect(run(scenario)).toEqual(scenario.expected);
    });
  });

  describe('policy (§5: every number is a per-period default)', () => {
    // Targets: A 100·13/10 = 130, B 100·8/10 = 80, weights 50/50. Service aspect BELOW (60), others MEETS.
    // Employee feedback: 5 responses, IKM 100 → public 120.
    const targets = [higher('A', 10, 50, 13), higher('B', 10, 50, 8)];
    const input = { targets, behaviour: behaviour(BELOW, MEETS), publicFeedback: feedback([5, 100]) };

    it.each<Scenario>([
      {
        // cap 120: A 130 → 120; resultScore = (50·120 + 50·80)/100 = 100 (MEETS)
        // 5 < 10 employee responses, no unit → service 60; behaviour = 660/7 = 94.285714… → 94.29 (MEETS)
        // final = 0.7·100 + 0.3·94.285714 = 70 + 28.285714 = 98.285714 → 98.29; MEETS/MEETS → BAIK
        name: 'defaults',
        input,
        expected: {
          resultScore: 100,
          behaviourScore: 94.29,
          finalScore: 98.29,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(targets, [120, 80]),
          aspects: aspects(BELOW, MEETS),
        },
      },
      {
        // cap 150: A stays 130; resultScore = (6500 + 4000)/100 = 105 ≥ 105 → ABOVE
        // 5 ≥ 5 → public 120, α 0.3: value = 0.7·60 + 0.3·120 = 42 + 36 = 78
        // behaviour = (78 + 600)/7 = 678/7 = 96.857142… → 96.86 ≥ 95 → MEETS
        // final = 0.6·105 + 0.4·96.857142 = 63 + 38.742857 = 101.742857 → 101.74; ABOVE/MEETS → BAIK
        name: 'cap 150, thresholds 105/95, weights 0.6/0.4, 5 employee responses with α 0.3',
        input,
        policy: {
          capaianCap: 150,
          aboveThreshold: 105,
          meetsThreshold: 95,
          resultWeight: 0.6,
          behaviourWeight: 0.4,
          minEmployeeResponses: 5,
          employeeFeedbackWeight: 0.3,
        },
        expected: {
          resultScore: 105,
          behaviourScore: 96.86,
          finalScore: 101.74,
          resultRating: ABOVE,
          computedResultRating: ABOVE,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(targets, [130, 80]),
          aspects: aspects(BELOW, MEETS, { publicSource: 'EMPLOYEE', publicValue: 120, value: 78 }),
        },
      },
      {
        // cap 115 leaves DISHUB's 106.67 alone; resultScore 100.67 < 101 → BELOW
        // behaviour all ABOVE 120 ≥ 115 → ABOVE; BELOW/ABOVE → BUTUH_PERBAIKAN (3)
        // final = 1·100.666… + 0·120 = 100.67
        name: 'thresholds 115/101 and all weight on results',
        input: { targets: DISHUB, behaviour: behaviour(ABOVE) },
        policy: { capaianCap: 115, aboveThreshold: 115, meetsThreshold: 101, resultWeight: 1, behaviourWeight: 0 },
        expected: {
          resultScore: 100.67,
          behaviourScore: 120,
          finalScore: 100.67,
          resultRating: BELOW,
          computedResultRating: BELOW,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: ABOVE,
          predicate: 'BUTUH_PERBAIKAN',
          predicateCode: 3,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(ABOVE, ABOVE),
        },
      },
      {
        // unit needs 50 responses (has 40) → assessor only, although the default (30) would blend
        name: 'a higher minUnitResponses turns the unit blend off',
        input: { targets: DISHUB, behaviour: behaviour(MEETS), publicFeedback: feedback([0, null], [40, 25]) },
        policy: { minUnitResponses: 50 },
        expected: {
          resultScore: 100.67,
          behaviourScore: 100,
          finalScore: 100.47,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: MEETS,
          predicate: 'BAIK',
          predicateCode: 2,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(MEETS, MEETS),
        },
      },
    ])('$name', (scenario) => {
      expect(run(scenario)).toEqual(scenario.expected);
    });
  });

  describe('rounding boundaries (§5.7: ratings from the rounded values)', () => {
    it.each<Scenario>([
      {
        // A 100·109.99/100 = 109.99, B 100·110/100 = 110; resultScore = (109.99 + 110)/2 = 109.995 exactly
        // → rounds half away from zero to 110.00 → ABOVE (at full precision it would be MEETS)
        name: 'resultScore 109.995 from two targets → 110.00, ABOVE',
        input: { targets: [higher('A', 100, 1, 109.99), higher('B', 100, 1, 110)] },
        expected: {
          resultScore: 110,
          resultRating: ABOVE,
          computedResultRating: ABOVE,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          ...NO_BEHAVIOUR,
          targets: breakdown([higher('A', 100, 1, 109.99), higher('B', 100, 1, 110)], [109.99, 110]),
        },
      },
      {
        // 100·219.99/200 = 109.995 exactly: capaian and resultScore both stored as 110.00 → ABOVE
        name: 'a single capaian of 109.995 → 110.00, ABOVE',
        input: { targets: [higher('A', 200, 100, 219.99)] },
        expected: {
          resultScore: 110,
          resultRating: ABOVE,
          computedResultRating: ABOVE,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          ...NO_BEHAVIOUR,
          targets: breakdown([higher('A', 200, 100, 219.99)], [110]),
        },
      },
      {
        // 100·1099.96/1000 = 109.996 → 110.00 → ABOVE
        name: 'resultScore 109.996 → 110.00, ABOVE',
        input: { targets: [higher('A', 1000, 100, 1099.96)] },
        expected: {
          resultScore: 110,
          resultRating: ABOVE,
          computedResultRating: ABOVE,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          ...NO_BEHAVIOUR,
          targets: breakdown([higher('A', 1000, 100, 1099.96)], [110]),
        },
      },
      {
        // 100·10999.49/10000 = 109.9949 → 109.99 → MEETS
        name: 'resultScore 109.9949 → 109.99, MEETS',
        input: { targets: [higher('A', 10000, 100, 10999.49)] },
        expected: {
          resultScore: 109.99,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          ...NO_BEHAVIOUR,
          targets: breakdown([higher('A', 10000, 100, 10999.49)], [109.99]),
        },
      },
      {
        // LOWER: target 20, realisation 22.001: 22.001/20 = 1.10005; 100·(2 − 1.10005) = 89.995 → 90.00 → MEETS
        name: 'LOWER_IS_BETTER capaian 89.995 → 90.00, MEETS',
        input: { targets: [lower('WAIT', 20, 100, 22.001)] },
        expected: {
          resultScore: 90,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          ...NO_BEHAVIOUR,
          targets: breakdown([lower('WAIT', 20, 100, 22.001)], [90]),
        },
      },
      {
        // Result: 100·219.99/200 = 109.995 → ABOVE (as above).
        // Behaviour: six aspects ABOVE (6·120 = 720); service BELOW 60 with employee 10 responses, IKM 33.275:
        //   public = 1.2·33.275 = 39.93; value = 0.5·60 + 0.5·39.93 = 30 + 19.965 = 49.965 → stored 49.97
        //   behaviourScore = (720 + 49.965)/7 = 769.965/7 = 109.995 → 110.00 → ABOVE
        //   (from the stored aspect values it would be (720 + 49.97)/7 = 109.99571…; the mean uses full precision)
        // final = 0.7·109.995 + 0.3·109.995 = 109.995 → 110.00; ABOVE/ABOVE → SANGAT_BAIK (1)
        name: 'behaviourScore 109.995 → 110.00, ABOVE: SANGAT_BAIK thanks to rounding',
        input: {
          targets: [higher('A', 200, 100, 219.99)],
          behaviour: behaviour(BELOW, ABOVE),
          publicFeedback: feedback([10, 33.275]),
        },
        expected: {
          resultScore: 110,
          behaviourScore: 110,
          finalScore: 110,
          resultRating: ABOVE,
          computedResultRating: ABOVE,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: ABOVE,
          predicate: 'SANGAT_BAIK',
          predicateCode: 1,
          targets: breakdown([higher('A', 200, 100, 219.99)], [110]),
          aspects: aspects(BELOW, ABOVE, { publicSource: 'EMPLOYEE', publicValue: 39.93, value: 49.97 }),
        },
      },
      {
        // behaviour: four aspects MEETS (400), two BELOW (120), service BELOW with unit 30 responses, IKM 58.3:
        //   public = 1.2·58.3 = 69.96; value = 0.75·60 + 0.25·69.96 = 45 + 17.49 = 62.49
        //   behaviourScore = (400 + 120 + 62.49)/7 = 582.49/7 = 83.212857… → 83.21 (BELOW)
        // result: DISHUB 100.666… (MEETS) → MEETS/BELOW → KURANG (4)
        // final = 0.7·100.666… + 0.3·83.212857 = 70.466667 + 24.963857 = 95.430524 → 95.43
        name: 'behaviour BELOW with a result MEETS: KURANG',
        input: {
          targets: DISHUB,
          behaviour: { ...behaviour(BELOW, MEETS), KOMPETEN: BELOW, ADAPTIF: BELOW },
          publicFeedback: feedback([3, 90], [30, 58.3]),
        },
        expected: {
          resultScore: 100.67,
          behaviourScore: 83.21,
          finalScore: 95.43,
          resultRating: MEETS,
          computedResultRating: MEETS,
          resultRatingOverridden: false, resultRatingSource: 'COMPUTED',
          behaviourRating: BELOW,
          predicate: 'KURANG',
          predicateCode: 4,
          targets: breakdown(DISHUB, DISHUB_CAPAIAN),
          aspects: aspects(BELOW, MEETS, { publicSource: 'UNIT', publicValue: 69.96, value: 62.49 }).map((a) =>
            a.aspect === 'KOMPETEN' || a.aspect === 'ADAPTIF' ? { ...a, rating: BELOW, assessorValue: 60, value: 60 } : a,
          ),
        },
      },
    ])('$name', (scenario) => {
      expect(run(scenario)).toEqual(scenario.expected);
    });
  });

  it('does not mutate its input', () => {
    const input: ScoreInput = { targets: DISHUB, behaviour: behaviour(MEETS), resultRatingOverride: null, publicFeedback: feedback([10, 75]) };
    const copy = structuredClone(input);
    computeScore(input, DEFAULT_SCORING_POLICY);
    expect(input).toEqual(copy);
  });

  it.each([-1, NaN, Infinity])('refuses a weight of %p', (weight) => {
    expect(() => run({ name: '', input: { targets: [higher('A', 10, weight, 10)] }, expected: {} as ScoreResult })).toThrow(RangeError);
  });

  it('refuses a target of 0 (the API only accepts target > 0)', () => {
    expect(() => run({ name: '', input: { targets: [higher('A', 0, 100, 10)] }, expected: {} as ScoreResult })).toThrow(RangeError);
  });
});
