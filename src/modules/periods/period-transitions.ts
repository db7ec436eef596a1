import { AppraisalStatus } from '../appraisals/entities/appraisal.entity';
import { PERIOD_STATUSES, PeriodStatus } from './entities/period.entity';

/** The one status a period may move to next: PLANNING → OPEN → EVALUATION → CLOSED, forward only; null once CLOSED. */
export function nextStatus(current: PeriodStatus): PeriodStatus | null {
  const i = PERIOD_STATUSES.indexOf(current);
  return i >= 0 && i < PERIOD_STATUSES.length - 1 ? PERIOD_STATUSES[i + 1] : null;
}

export const canTransition = (from: PeriodStatus, to: PeriodStatus): boolean => nextStatus(from) === to;

/** Appraisals that block closing a period, unless an admin forces it (they are then finalised unassessed). */
export const UNASSESSED_APPRAISAL_STATUSES: readonly AppraisalStatus[] = ['DRAFT', 'AGREED'];
