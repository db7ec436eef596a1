import { checkScoringPolicy, DEFAULT_SCORING_POLICY, POLICY_KEYS, policyOf, digestPolicyJson, sameHeadRule, sameScoring, SCORING_KEYS, ScoringPolicy } from './policy';

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

describe('scoring and process keys', () => {
  it('digests, for staff, exactly the JSON the period-wide keys had before unit heads and §11, so no stored digest goes stale', () => {
    const before =
      '{"capaianCap":120,"aboveThreshold":110,"meetsThreshold":90,"resultWeight":0.7,"behaviourWeight":0.3,"minEmployeeResponses":10,' +
      '"employeeFeedbackWeight":0.5,"minUnitResponses":30,"unitFeedbackWeight":0.25,"enforceDistribution":false';
    const policy = { ...DEFAULT_SCORING_POLICY, requireTrainedAssessor: true, minDialogues: 4 };
    expect(digestPolicyJson(policy, false)).toBe(`${before}}`);
    expect(digestPolicyJson({ ...policy, headRatingFromOrganisation: false }, false)).toBe(`${before}}`);
    // A unit head's digest also holds the head rule, so switching it changes only heads' digests.
    expect(digestPolicyJson(policy, true)).toBe(`${before},"headRatingFromOrganisation":true}`);
    expect(digestPolicyJson({ ...policy, headRatingFromOrganisation: false }, true)).toBe(`${before},"headRatingFromOrganisation":false}`);
  });

  it('tells a change of a scoring key from a change of process keys only', () => {
    expect(sameScoring(DEFAULT_SCORING_POLICY, { ...DEFAULT_SCORING_POLICY, requireTrainedAssessor: true, minDialogues: 0 })).toBe(true);
    expect(sameScoring(DEFAULT_SCORING_POLICY, { ...DEFAULT_SCORING_POLICY, capaianCap: 121 })).toBe(false);
    expect(sameHeadRule(DEFAULT_SCORING_POLICY, { ...DEFAULT_SCORING_POLICY, headRatingFromOrganisation: false })).toBe(false);
    expect(sameScoring(DEFAULT_SCORING_POLICY, { ...DEFAULT_SCORING_POLICY, headRatingFromOrganisation: false })).toBe(true);
    expect(POLICY_KEYS.filter((k) => !(SCORING_KEYS as readonly string[]).includes(k))).toEqual(['headRatingFromOrganisation', 'requireTrainedAssessor', 'minDialogues']);
  });

  it('reads a period stored before the head and §11 keys with their defaults', () => {
    const { requireTrainedAssessor: _r, minDialogues: _m, headRatingFromOrganisation: _h, ...stored } = DEFAULT_SCORING_POLICY;
    expect(policyOf({ policy: stored })).toEqual({ ...stored, headRatingFromOrganisation: true, requireTrainedAssessor: false, minDialogues: 1 });
  });
});
