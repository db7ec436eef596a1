/**
 * The per-period policy: the scoring keys of spec §5 and the process keys of §11; every value here is a default
 * an admin may change until CLOSED.
 */
export interface ScoringPolicy {
  capaianCap: number;
  aboveThreshold: number;
  meetsThreshold: number;
  resultWeight: number;
  behaviourWeight: number;
  minEmployeeResponses: number;
  employeeFeedbackWeight: number;
  minUnitResponses: number;
  unitFeedbackWeight: number;
  enforceDistribution: boolean;
  /** §5.4: a unit head's result rating comes from the unit's organisation predicate. */
  headRatingFromOrganisation: boolean;
  /** §11: verifying, rejecting, behaviour, override and agreeing targets need a trained assessor. */
  requireTrainedAssessor: boolean;
  /** §11: acknowledged performance dialogues each appraisal should have. */
  minDialogues: number;
}

export const DEFAULT_SCORING_POLICY: Readonly<ScoringPolicy> = Object.freeze({
  capaianCap: 120,
  aboveThreshold: 110,
  meetsThreshold: 90,
  resultWeight: 0.7,
  behaviourWeight: 0.3,
  minEmployeeResponses: 10,
  employeeFeedbackWeight: 0.5,
  minUnitResponses: 30,
  unitFeedbackWeight: 0.25,
  enforceDistribution: false,
  headRatingFromOrganisation: true,
  requireTrainedAssessor: false,
  minDialogues: 1,
});

export const POLICY_KEYS = Object.keys(DEFAULT_SCORING_POLICY) as readonly (keyof ScoringPolicy)[];

/**
 * The keys of §5 that move every score of the period, in their stored order: they enter every score's input digest,
 * and a change to one of them marks the period's scores for recalculation. `headRatingFromOrganisation` moves only
 * unit heads' scores, so it enters only their digests and marks only them; the process keys of §11 decide who may
 * act, never a number.
 */
export const SCORING_KEYS = [
  'capaianCap',
  'aboveThreshold',
  'meetsThreshold',
  'resultWeight',
  'behaviourWeight',
  'minEmployeeResponses',
  'employeeFeedbackWeight',
  'minUnitResponses',
  'unitFeedbackWeight',
  'enforceDistribution',
] as const satisfies readonly (keyof ScoringPolicy)[];

/** The policy as it enters an input digest: the period-wide keys, and for a unit head under the rule its key too. */
export const digestPolicyJson = (p: Readonly<ScoringPolicy>, head: boolean): string =>
  JSON.stringify(Object.fromEntries([...SCORING_KEYS, ...(head ? (['headRatingFromOrganisation'] as const) : [])].map((k) => [k, p[k]])));

export const sameScoring = (a: Readonly<ScoringPolicy>, b: Readonly<ScoringPolicy>) => SCORING_KEYS.every((k) => a[k] === b[k]);

export const sameHeadRule = (a: Readonly<ScoringPolicy>, b: Readonly<ScoringPolicy>) => a.headRatingFromOrganisation === b.headRatingFromOrganisation;

/** The keys `patch` sets over the complete `base`; keys it leaves out keep their value. */
export function withPolicyChanges(base: Readonly<ScoringPolicy>, patch: Partial<ScoringPolicy>): ScoringPolicy {
  const merged: ScoringPolicy = { ...base };
  for (const k of POLICY_KEYS) {
    const v = patch[k];
    if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
  }
  return merged;
}

/** A period's complete policy: its stored keys over the defaults, so a key added after it was stored reads as its default. */
export function policyOf(period: { policy: Partial<ScoringPolicy> }): ScoringPolicy {
  return withPolicyChanges(DEFAULT_SCORING_POLICY, period.policy);
}

export const samePolicy = (a: Readonly<ScoringPolicy>, b: Readonly<ScoringPolicy>) => POLICY_KEYS.every((k) => a[k] === b[k]);

/** Rules across keys; single-key ranges are checked by the DTO. Returns field errors, empty when valid. */
export function checkScoringPolicy(p: ScoringPolicy): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (Math.abs(p.resultWeight + p.behaviourWeight - 1) > 1e-9) {
    errors.push({ field: 'behaviourWeight', message: `resultWeight + behaviourWeight must be 1 (is ${p.resultWeight + p.behaviourWeight})` });
  }
  if (!(p.aboveThreshold > p.meetsThreshold)) {
    errors.push({ field: 'aboveThreshold', message: `must be greater than meetsThreshold (${p.meetsThreshold})` });
  }
  if (!(p.capaianCap >= p.aboveThreshold)) {
    errors.push({ field: 'capaianCap', message: `must be at least aboveThreshold (${p.aboveThreshold}), or nobody could be rated above expectation` });
  }
  return errors;
}
