import { PERIOD_STATUSES, PeriodStatus } from './entities/period.entity';
import { nextStatus } from './period-transitions';

describe('period transitions', () => {
  it.each<[PeriodStatus, PeriodStatus | null]>([
    ['PLANNING', 'OPEN'],
    ['OPEN', 'EVALUATION'],
    ['EVALUATION', 'CLOSED'],
    ['CLOSED', null],
  ])('after %s comes %s', (from, to) => {
    expect(nextStatus(from)).toBe(to);
  });

  // Every pair: only one step forward is allowed; staying, skipping and going back are not.
  const allowed = new Set(['PLANNING>OPEN', 'OPEN>EVALUATION', 'EVALUATION>CLOSED']);
  it.each(PERIOD_STATUSES.flatMap((from) => PERIOD_STATUSES.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    expect(nextStatus(from) === to).toBe(allowed.has(`${from}>${to}`));
  });
});
