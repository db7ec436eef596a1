import { checkScoringPolicy, DEFAULT_SCORING_POLICY, ScoringPolicy } from './policy';

describe('checkScoringPolicy', () => {
  const fields = (patch: Partial<ScoringPolicy>) => checkScoringPolicy({ ...DEFAULT_SCORING_POLICY, ...patch }).map((e) => e.field);

  it('accepts the defaults', () => {
    expect(checkScoringPolicy({ ...DEFAULT_SCORING_POLICY })).toEqual([]);
  });

  it.each<[string, Partial<ScoringPolicy>, string[]]>([
    ['other weights summing to 1', { resultWeight: 0.6, behaviourWeight: 0.4 }, []],
    ['weights summing to 1 with float noise', { resultWeight: 0.1 + 0.2, behaviourWeight: 0.7 }, []],
    ['all weight on results', { resultWeight: 1, behaviourWeight: 0 }, []],
    ['weights summing to more than 1', { resultWeight: 0.8 }, ['behaviourWeight']],
    ['weights summing to less than 1', { behaviourWeight: 0.2 }, ['behaviourWeight']],
    ['thresholds in order', { aboveThreshold: 105, meetsThreshold: 95 }, []],
    ['equal thresholds', { aboveThreshold: 90, meetsThreshold: 90 }, ['aboveThreshold']],
    ['thresholds reversed', { aboveThreshold: 90, meetsThreshold: 110 }, ['aboveThreshold']],
    ['a cap equal to aboveThreshold', { capaianCap: 110 }, []],
    ['a cap below aboveThreshold', { capaianCap: 100, aboveThreshold: 105 }, ['capaianCap']],
    ['a higher cap', { capaianCap: 150 }, []],
    ['everything wrong at once', { resultWeight: 0.5, aboveThreshold: 80, capaianCap: 70 }, ['behaviourWeight', 'aboveThreshold', 'capaianCap']],
  ])('%s → %j', (_, patch, expected) => {
    expect(fields(patch)).toEqual(expected);
  });

  it('explains the weight sum', () => {
    expect(checkScoringPolicy({ ...DEFAULT_SCORING_POLICY, resultWeight: 0.8 })[0].message).toMatch(/must be 1/);
  });
});
