import { PERIOD_STATUSES, PeriodStatus } from './entities/period.entity';

/** The one status a period may move to next: PLANNING → OPEN → EVALUATION → CLOSED, forward only; null once CLOSED. */
export function nextStatus(current: PeriodStatus): PeriodStatus | null {
  const i = PERIOD_STATUSES.indexOf(current);
  return i >= 0 && i < PERIOD_STATUSES.length - 1 ? PERIOD_STATUSES[i + 1] : null;
}
