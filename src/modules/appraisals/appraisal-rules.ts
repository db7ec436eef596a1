import type { PeriodStatus } from '../periods/entities/period.entity';
import { OBJECTION_WINDOW_DAYS } from '../recalculation/recalculation-marks';
import type { AppraisalStatus } from './entities/appraisal.entity';

export { OBJECTION_WINDOW_DAYS };

/** PP 30/2019 art. 59: an objection is filed within OBJECTION_WINDOW_DAYS after the appraisal is finalised. */
export function objectionWindowOpen(finalizedAt: Date, now: Date): boolean {
  return now.getTime() <= finalizedAt.getTime() + OBJECTION_WINDOW_DAYS * 24 * 60 * 60 * 1000;
}

/** Weights are stored with two decimals; compare in hundredths so 33.33 + 33.33 + 33.34 is exactly 100. */
export function weightTotal(weights: number[]): number {
  return weights.reduce((sum, w) => sum + Math.round(w * 100), 0) / 100;
}

export const weightsComplete = (weights: number[]) => weights.length > 0 && weightTotal(weights) === 100;

/** Achievements, verification and behaviour are recorded while the period runs or is being evaluated. */
export const periodAcceptsResults = (s: PeriodStatus) => s === 'OPEN' || s === 'EVALUATION';

/** Appraisals that block closing a period, unless an admin forces it (they are then finalised unassessed). */
export const UNASSESSED_APPRAISAL_STATUSES: readonly AppraisalStatus[] = ['DRAFT', 'AGREED'];

/** After agreement and before finalisation, results and behaviour may be recorded. */
export const appraisalAcceptsResults = (s: AppraisalStatus) => s === 'AGREED' || s === 'ASSESSED';
