import { breakdownOf, storedBreakdownOf } from './breakdown';
import { DEFAULT_SCORING_POLICY } from './policy';
import { computeScore } from './score';
import { BEHAVIOUR_ASPECTS, type BehaviourRatings, type ScoreInput } from './types';

const ratings = Object.fromEntries(BEHAVIOUR_ASPECTS.map((a, i) => [a, i % 2 ? 'ABOVE_EXPECTATION' : 'MEETS_EXPECTATION'])) as BehaviourRatings;
const input = (over: Partial<ScoreInput> = {}): ScoreInput => ({
  targets: [
    { targetId: '6f1c1a4e-0000-4000-8000-000000000001', indicatorCode: 'IKI-WAKTU', weight: 60, target: 15, direction: 'LOWER_IS_BETTER', aggregation: 'AVERAGE', realisation: 14.123 },
    { targetId: '6f1c1a4e-0000-4000-8000-000000000002', indicatorCode: 'IKI-JADWAL', weight: 40, target: 12, direction: 'HIGHER_IS_BETTER', aggregation: 'SUM', realisation: null },
  ],
  behaviour: ratings,
  resultRatingOverride: null,
  publicFeedback: { employee: { responses: 12, ikm: 81.25 }, unit: null },
  ...over,
});

describe('the stored breakdown', () => {
  it.each([
    ['computed, with citizen feedback on the service aspect', input()],
    ['overridden', input({ resultRatingOverride: 'ABOVE_EXPECTATION' })],
    ['a unit head rated by the organisation', input({ headPredicate: 'BUTUH_PERBAIKAN' })],
    ['without a behaviour assessment', input({ behaviour: null })],
  ])('gives back exactly the breakdown the score had: %s', (_, i) => {
    const s = computeScore(i, DEFAULT_SCORING_POLICY);
    const stored = storedBreakdownOf(s);
    expect(breakdownOf(JSON.parse(JSON.stringify(stored)))).toEqual({
      targets: s.targets,
      aspects: s.aspects,
      computedResultRating: s.computedResultRating,
      resultRatingOverridden: s.resultRatingOverridden,
      resultRatingSource: s.resultRatingSource,
    });
  });

  it('is positional and under half the bytes of the objects', () => {
    const s = computeScore(input(), DEFAULT_SCORING_POLICY);
    const stored = storedBreakdownOf(s);
    expect(stored.t[1]).toEqual(['6f1c1a4e-0000-4000-8000-000000000002', 'IKI-JADWAL', 40, 12, null, 0]);
    expect(stored.a[0]).toEqual(['BERORIENTASI_PELAYANAN', 'MEETS_EXPECTATION', 100, 97.5, 'EMPLOYEE', 98.75]);
    expect(stored).toMatchObject({ c: s.computedResultRating, s: 'COMPUTED' });
    expect(JSON.stringify(stored).length * 2).toBeLessThan(JSON.stringify(breakdownOf(stored)).length);
  });

  it('reads a breakdown in the older object shape as it is (a row an instance not yet upgraded wrote)', () => {
    const s = computeScore(input(), DEFAULT_SCORING_POLICY);
    const old = breakdownOf(storedBreakdownOf(s));
    expect(breakdownOf(JSON.parse(JSON.stringify(old)))).toEqual(old);
  });
});
