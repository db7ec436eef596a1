import { FieldError } from '../../common/errors/app-error';
import { PeriodType } from './entities/period.entity';

/** The code of each period type: "2026-11", "2026-Q4", "2026" (spec §3). */
export const PERIOD_CODE_FORMATS: Record<PeriodType, { pattern: RegExp; example: string; shape: string }> = {
  MONTHLY: { pattern: /^([1-9]\d{3})-(0[1-9]|1[0-2])$/, example: '2026-11', shape: 'YYYY-MM' },
  QUARTERLY: { pattern: /^([1-9]\d{3})-Q([1-4])$/, example: '2026-Q4', shape: 'YYYY-Qn' },
  ANNUAL: { pattern: /^([1-9]\d{3})$/, example: '2026', shape: 'YYYY' },
};

export interface DateSpan {
  startDate: string;
  endDate: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const ymd = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** The calendar span a period code stands for, or null when the code does not have its type's format. */
export function periodSpan(type: PeriodType, code: string): DateSpan | null {
  const match = PERIOD_CODE_FORMATS[type].pattern.exec(code);
  if (!match) return null;
  const year = Number(match[1]);
  let first: number;
  let last: number;
  switch (type) {
    case 'MONTHLY':
      first = last = Number(match[2]);
      break;
    case 'QUARTERLY':
      last = Number(match[2]) * 3;
      first = last - 2;
      break;
    case 'ANNUAL':
      first = 1;
      last = 12;
      break;
  }
  return { startDate: ymd(year, first, 1), endDate: ymd(year, last, lastDayOf(year, last)) };
}

/** Is `s` a real calendar date written YYYY-MM-DD? */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= lastDayOf(y, mo);
}

/**
 * A period's code must have its type's format and its dates must be exactly the code's calendar span
 * (2026-11 ⇒ 2026-11-01..2026-11-30). Returns the field errors, empty when the period is consistent.
 */
export function checkPeriodCalendar(p: { type: PeriodType; code: string; startDate: string; endDate: string }): FieldError[] {
  const errors: FieldError[] = [];
  const datesValid = isCalendarDate(p.startDate) && isCalendarDate(p.endDate);
  if (!isCalendarDate(p.startDate)) errors.push({ field: 'startDate', message: 'must be a calendar date YYYY-MM-DD' });
  if (!isCalendarDate(p.endDate)) errors.push({ field: 'endDate', message: 'must be a calendar date YYYY-MM-DD' });
  if (datesValid && p.endDate < p.startDate) {
    errors.push({ field: 'endDate', message: `must not be before startDate (${p.startDate})` });
  }
  const format = PERIOD_CODE_FORMATS[p.type];
  const span = periodSpan(p.type, p.code);
  if (!span) {
    errors.push({ field: 'code', message: `must be ${format.shape} for a ${p.type} period, e.g. ${format.example}` });
    return errors;
  }
  if (isCalendarDate(p.startDate) && p.startDate !== span.startDate) {
    errors.push({ field: 'startDate', message: `must be ${span.startDate}, the first day of ${p.code}` });
  }
  if (isCalendarDate(p.endDate) && p.endDate !== span.endDate) {
    errors.push({ field: 'endDate', message: `must be ${span.endDate}, the last day of ${p.code}` });
  }
  return errors;
}
