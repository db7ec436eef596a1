/** The per-period scoring policy of spec §5; every number here is a default an admin may change until CLOSED. */
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
});

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
