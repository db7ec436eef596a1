import { DEFAULT_SCORING_POLICY } from './policy';
import { BEHAVIOUR_ASPECTS, type BehaviourRatings, type Rating } from './types';
import { aspectBreakdown, behaviourScoreOf, type FeedbackPolicy } from './behaviour';
import type { PublicFeedbackInput } from './types';

const ratings = (service: Rating, others: Rating = 'MEETS_EXPECTATION'): BehaviourRatings =>
  Object.fromEntries(BEHAVIOUR_ASPECTS.map((a) => [a, a === 'BERORIENTASI_PELAYANAN' ? service : others])) as BehaviourRatings;

const feedback = (
  employee: [responses: number, ikm: number | null],
  unit: [responses: number, ikm: number | null] | null,
): PublicFeedbackInput => ({
  employee: { responses: employee[0], ikm: employee[1] },
  unit: unit && { responses: unit[0], ikm: unit[1] },
});

const NONE = feedback([0, null], null);

describe('aspectBreakdown', () => {
  it('lists the seven aspects in order with their assessor values', () => {
    const r: BehaviourRatings = {
      BERORIENTASI_PELAYANAN: 'ABOVE_EXPECTATION',
      AKUNTABEL: 'MEETS_EXPECTATION',
      KOMPETEN: 'BELOW_EXPECTATION',
      HARMONIS: 'ABOVE_EXPECTATION',
      LOYAL: 'MEETS_EXPECTATION',
      ADAPTIF: 'BELOW_EXPECTATION',
      KOLABORATIF: 'MEETS_EXPECTATION',
    };
    const aspects = aspectBreakdown(r, NONE, DEFAULT_SCORING_POLICY);
    expect(aspects.map((a) => [a.aspect, a.rating, a.assessorValue, a.value])).toEqual([
      ['BERORIENTASI_PELAYANAN', 'ABOVE_EXPECTATION', 120, 120],
      ['AKUNTABEL', 'MEETS_EXPECTATION', 100, 100],
      ['KOMPETEN', 'BELOW_EXPECTATION', 60, 60],
      ['HARMONIS', 'ABOVE_EXPECTATION', 120, 120],
      ['LOYAL', 'MEETS_EXPECTATION', 100, 100],
      ['ADAPTIF', 'BELOW_EXPECTATION', 60, 60],
      ['KOLABORATIF', 'MEETS_EXPECTATION', 100, 100],
    ]);
    expect(aspects.every((a) => a.publicValue === null && a.publicSource === null)).toBe(true);
    // (120 + 100 + 60 + 120 + 100 + 60 + 100) / 7 = 660 / 7 = 94.2857…
    expect(behaviourScoreOf(aspects)).toBeCloseTo(660 / 7, 12);
  });

  // Only BERORIENTASI_PELAYANAN is blended: value = (1 − α)·assessor + α·1.2·IKM.
  // [label, service rating, feedback, policy, publicSource, publicValue, service value, behaviourScore]
  // Other six aspects are MEETS (100 each, 600 together) unless said otherwise.
  it.each<[string, Rating, PublicFeedbackInput, FeedbackPolicy, 'EMPLOYEE' | 'UNIT' | null, number | null, number, number]>([
    // employee: 10 responses ≥ 10, IKM 75 → public 90; 0.5·100 + 0.5·90 = 95; score (95 + 600)/7 = 99.2857…
    ['employee with exactly 10 responses', 'MEETS_EXPECTATION', feedback([10, 75], null), DEFAULT_SCORING_POLICY, 'EMPLOYEE', 90, 95, 695 / 7],
    // employee IKM 250/3 = 83.333… → public 100; 0.5·120 + 0.5·100 = 110; score 710/7 = 101.4285…
    ['employee IKM 83.33…, assessor ABOVE', 'ABOVE_EXPECTATION', feedback([12, 250 / 3], null), DEFAULT_SCORING_POLICY, 'EMPLOYEE', 100, 110, 710 / 7],
    // employee IKM 100 → public 120; 0.5·60 + 0.5·120 = 90; score 690/7 = 98.5714…
    ['employee IKM 100 lifts a BELOW', 'BELOW_EXPECTATION', feedback([40, 100], [500, 50]), DEFAULT_SCORING_POLICY, 'EMPLOYEE', 120, 90, 690 / 7],
    // employee 9 < 10 → unit 30 ≥ 30, IKM 75 → public 90, α 0.25: 0.75·100 + 0.25·90 = 97.5; score 697.5/7 = 99.6428…
    ['employee 9 responses falls back to the unit with 30', 'MEETS_EXPECTATION', feedback([9, 100], [30, 75]), DEFAULT_SCORING_POLICY, 'UNIT', 90, 97.5, 697.5 / 7],
    // unit IKM 25 → public 30; 0.75·120 + 0.25·30 = 97.5
    ['unit IKM 25 pulls an ABOVE down', 'ABOVE_EXPECTATION', feedback([0, null], [31, 25]), DEFAULT_SCORING_POLICY, 'UNIT', 30, 97.5, 697.5 / 7],
    // employee has 10 responses but no IKM (inconsistent input) → unit
    ['employee IKM missing falls back to the unit', 'MEETS_EXPECTATION', feedback([10, null], [30, 75]), DEFAULT_SCORING_POLICY, 'UNIT', 90, 97.5, 697.5 / 7],
    // unit 29 < 30 → assessor only
    ['employee 9, unit 29: assessor alone', 'MEETS_EXPECTATION', feedback([9, 100], [29, 25]), DEFAULT_SCORING_POLICY, null, null, 100, 100],
    ['employee 9, no publicService unit: assessor alone', 'MEETS_EXPECTATION', feedback([9, 100], null), DEFAULT_SCORING_POLICY, null, null, 100, 100],
    ['unit with responses but no IKM: assessor alone', 'BELOW_EXPECTATION', feedback([0, null], [30, null]), DEFAULT_SCORING_POLICY, null, null, 60, 660 / 7],
    ['no feedback at all', 'ABOVE_EXPECTATION', NONE, DEFAULT_SCORING_POLICY, null, null, 120, 720 / 7],
    // policy minEmployeeResponses 5, α 0.3: employee 5, IKM 100 → public 120; 0.7·60 + 0.3·120 = 42 + 36 = 78
    [
      'policy: 5 employee responses suffice, α 0.3',
      'BELOW_EXPECTATION',
      feedback([5, 100], null),
      { ...DEFAULT_SCORING_POLICY, minEmployeeResponses: 5, employeeFeedbackWeight: 0.3 },
      'EMPLOYEE',
      120,
      78,
      678 / 7,
    ],
    // policy minUnitResponses 50, α 1: unit 49 → assessor; shows the threshold comes from the policy
    [
      'policy: unit needs 50, has 49',
      'MEETS_EXPECTATION',
      feedback([0, null], [49, 25]),
      { ...DEFAULT_SCORING_POLICY, minUnitResponses: 50, unitFeedbackWeight: 1 },
      null,
      null,
      100,
      100,
    ],
    // policy α 1 for the unit: value = public = 1.2·50 = 60
    [
      'policy: unit weight 1 replaces the assessor',
      'ABOVE_EXPECTATION',
      feedback([0, null], [50, 50]),
      { ...DEFAULT_SCORING_POLICY, minUnitResponses: 50, unitFeedbackWeight: 1 },
      'UNIT',
      60,
      60,
      660 / 7,
    ],
    // policy α 0 for the employee: the public value is shown but does not move the aspect
    [
      'policy: employee weight 0',
      'MEETS_EXPECTATION',
      feedback([10, 50], null),
      { ...DEFAULT_SCORING_POLICY, employeeFeedbackWeight: 0 },
      'EMPLOYEE',
      60,
      100,
      100,
    ],
  ])('%s', (_, serviceRating, fb, policy, publicSource, publicValue, value, score) => {
    const aspects = aspectBreakdown(ratings(serviceRating), fb, policy);
    const [service, ...others] = aspects;
    expect(service.aspect).toBe('BERORIENTASI_PELAYANAN');
    expect(service.rating).toBe(serviceRating);
    expect(service.publicSource).toBe(publicSource);
    if (publicValue === null) expect(service.publicValue).toBeNull();
    else expect(service.publicValue).toBeCloseTo(publicValue, 12);
    expect(service.value).toBeCloseTo(value, 12);
    expect(others.map((a) => [a.value, a.publicValue, a.publicSource])).toEqual(Array(6).fill([100, null, null]));
    expect(behaviourScoreOf(aspects)).toBeCloseTo(score, 12);
  });

  it('keeps full precision (rounding happens in computeScore)', () => {
    // unit IKM 80.1234 → public 96.14808; 0.75·100 + 0.25·96.14808 = 99.03702
    const [service] = aspectBreakdown(ratings('MEETS_EXPECTATION'), feedback([0, null], [30, 80.1234]), DEFAULT_SCORING_POLICY);
    expect(service.publicValue).toBeCloseTo(96.14808, 12);
    expect(service.value).toBeCloseTo(99.03702, 12);
  });
});

describe('behaviourScoreOf', () => {
  it('refuses an empty list', () => {
    expect(() => behaviourScoreOf([])).toThrow(RangeError);
  });
});
