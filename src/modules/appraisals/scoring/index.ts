/** Pure scoring functions of spec §3–§5: no Nest, no I/O. */
export * from './types';
export { round2 } from './rounding';
export { aggregate } from './aggregate';
export { capaian } from './capaian';
export { ASPECT_VALUES, PREDICATE_CODES, predicateOf, ratingOf } from './ratings';
export * from './ikm';
export { aspectBreakdown, behaviourScoreOf, PUBLIC_VALUE_FACTOR, SERVICE_ASPECT, type FeedbackPolicy } from './behaviour';
export { computeScore } from './score';
