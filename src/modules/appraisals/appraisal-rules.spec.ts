import { appraisalAcceptsResults, objectionWindowOpen, periodAcceptsResults, weightsComplete, weightTotal } from './appraisal-rules';

describe('appraisal rules', () => {
  const day = 24 * 60 * 60 * 1000;
  const finalized = new Date('2026-12-31T16:00:00Z');

  it.each([
    [0, true],
    [13 * day, true],
    [14 * day, true],
    [14 * day + 1000, false],
    [30 * day, false],
  ])('objection %d ms after finalisation: open %s', (after, open) => {
    expect(objectionWindowOpen(finalized, new Date(finalized.getTime() + after))).toBe(open);
  });

  it.each([
    [[60, 40], 100, true],
    [[33.33, 33.33, 33.34], 100, true],
    [[0.1, 0.2, 99.7], 100, true],
    [[50, 40], 90, false],
    [[60, 40.01], 100.01, false],
    [[], 0, false],
  ])('weights %j total %d, complete %s', (weights, total, complete) => {
    expect(weightTotal(weights)).toBe(total);
    expect(weightsComplete(weights)).toBe(complete);
  });

  it.each([
    ['PLANNING', false],
    ['OPEN', true],
    ['EVALUATION', true],
    ['CLOSED', false],
  ] as const)('period %s accepts results: %s', (s, ok) => expect(periodAcceptsResults(s)).toBe(ok));

  it.each([
    ['DRAFT', false],
    ['AGREED', true],
    ['ASSESSED', true],
    ['FINALIZED', false],
  ] as const)('appraisal %s accepts results: %s', (s, ok) => expect(appraisalAcceptsResults(s)).toBe(ok));
});
