import type { IndicatorAggregation } from '../../indicators/entities/indicator.entity';
import type { AchievementInput } from './types';

/**
 * Combines the VERIFIED achievements of one target in one period into its realisation (spec §3), at full
 * precision. Null when there is no row: the target then scores 0 (§5.1), which differs from a realisation of 0
 * for a LOWER_IS_BETTER indicator.
 *
 * LATEST takes the row with the latest `occurredOn`; among rows on that date, the later `submittedAt`; rows
 * equal in both (which the database cannot produce for one submitter) resolve to the last one given.
 */
export function aggregate(kind: IndicatorAggregation, rows: readonly AchievementInput[]): number | null {
  if (rows.length === 0) return null;
  for (const row of rows) {
    if (!Number.isFinite(row.value)) throw new RangeError(`aggregate: achievement value ${row.value} is not a finite number`);
  }
  switch (kind) {
    case 'SUM':
      return sum(rows);
    case 'AVERAGE':
      return sum(rows) / rows.length;
    case 'MAX':
      return rows.reduce((max, row) => Math.max(max, row.value), -Infinity);
    case 'MIN':
      return rows.reduce((min, row) => Math.min(min, row.value), Infinity);
    case 'LATEST':
      return rows.reduce((latest, row) => (isLaterOrSame(row, latest) ? row : latest)).value;
  }
}

function sum(rows: readonly AchievementInput[]): number {
  return rows.reduce((total, row) => total + row.value, 0);
}

function isLaterOrSame(a: AchievementInput, b: AchievementInput): boolean {
  // YYYY-MM-DD compares correctly as text; timestamps may carry different offsets, so compare instants.
  if (a.occurredOn !== b.occurredOn) return a.occurredOn > b.occurredOn;
  return instant(a.submittedAt) >= instant(b.submittedAt);
}

function instant(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`aggregate: submittedAt "${iso}" is not a timestamp`);
  return ms;
}
