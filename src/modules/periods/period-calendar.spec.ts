import { PeriodType } from './entities/period.entity';
import { checkPeriodCalendar, isCalendarDate, periodSpan } from './period-calendar';

describe('period calendar', () => {
  describe('periodSpan: the dates a code stands for', () => {
    it.each<[PeriodType, string, string, string]>([
      ['MONTHLY', '2026-01', '2026-01-01', '2026-01-31'],
      ['MONTHLY', '2026-11', '2026-11-01', '2026-11-30'],
      ['MONTHLY', '2026-12', '2026-12-01', '2026-12-31'],
      ['MONTHLY', '2026-02', '2026-02-01', '2026-02-28'],
      ['MONTHLY', '2028-02', '2028-02-01', '2028-02-29'], // leap year
      ['MONTHLY', '2100-02', '2100-02-01', '2100-02-28'], // divisible by 100: not a leap year
      ['MONTHLY', '2000-02', '2000-02-01', '2000-02-29'], // divisible by 400: a leap year
      ['MONTHLY', '2026-04', '2026-04-01', '2026-04-30'],
      ['QUARTERLY', '2026-Q1', '2026-01-01', '2026-03-31'],
      ['QUARTERLY', '2026-Q2', '2026-04-01', '2026-06-30'],
      ['QUARTERLY', '2026-Q3', '2026-07-01', '2026-09-30'],
      ['QUARTERLY', '2026-Q4', '2026-10-01', '2026-12-31'],
      ['ANNUAL', '2026', '2026-01-01', '2026-12-31'],
      ['ANNUAL', '9999', '9999-01-01', '9999-12-31'],
    ])('%s %s → %s..%s', (type, code, startDate, endDate) => {
      expect(periodSpan(type, code)).toEqual({ startDate, endDate });
    });

    it.each<[PeriodType, string]>([
      ['MONTHLY', '2026-13'],
      ['MONTHLY', '2026-00'],
      ['MONTHLY', '2026-1'],
      ['MONTHLY', '2026-Q1'],
      ['MONTHLY', '2026'],
      ['MONTHLY', '0999-01'],
      ['QUARTERLY', '2026-Q0'],
      ['QUARTERLY', '2026-Q5'],
      ['QUARTERLY', '2026-q1'],
      ['QUARTERLY', '2026-03'],
      ['ANNUAL', '26'],
      ['ANNUAL', '2026-01'],
      ['ANNUAL', '02026'],
      ['ANNUAL', ''],
    ])('%s refuses the code %j', (type, code) => {
      expect(periodSpan(type, code)).toBeNull();
    });
  });

  describe('isCalendarDate', () => {
    it.each([
      ['2026-02-28', true],
      ['2028-02-29', true],
      ['2026-02-29', false],
      ['2026-04-31', false],
      ['2026-13-01', false],
      ['2026-00-10', false],
      ['2026-01-00', false],
      ['2026-1-01', false],
      ['2026/01/01', false],
      ['2026-01-01T00:00:00Z', false],
    ])('%s → %s', (s, ok) => expect(isCalendarDate(s)).toBe(ok));
  });

  describe('checkPeriodCalendar: code and dates must agree', () => {
    const fields = (p: Parameters<typeof checkPeriodCalendar>[0]) => checkPeriodCalendar(p).map((e) => e.field);

    it.each<[string, PeriodType, string, string, string, string[]]>([
      ['an exact month', 'MONTHLY', '2026-11', '2026-11-01', '2026-11-30', []],
      ['an exact quarter', 'QUARTERLY', '2026-Q4', '2026-10-01', '2026-12-31', []],
      ['an exact year', 'ANNUAL', '2026', '2026-01-01', '2026-12-31', []],
      ['a month ending a day early', 'MONTHLY', '2026-11', '2026-11-01', '2026-11-29', ['endDate']],
      ['a month ending a day late', 'MONTHLY', '2026-11', '2026-11-01', '2026-12-01', ['endDate']],
      ['a month starting late', 'MONTHLY', '2026-11', '2026-11-02', '2026-11-30', ['startDate']],
      ['the dates of another month', 'MONTHLY', '2026-11', '2026-10-01', '2026-10-31', ['startDate', 'endDate']],
      ['February in a leap year without its 29th', 'MONTHLY', '2028-02', '2028-02-01', '2028-02-28', ['endDate']],
      ['a quarter given a month', 'QUARTERLY', '2026-Q1', '2026-01-01', '2026-01-31', ['endDate']],
      ['a year given a quarter', 'ANNUAL', '2026', '2026-01-01', '2026-03-31', ['endDate']],
      ['a year of the wrong year', 'ANNUAL', '2026', '2027-01-01', '2027-12-31', ['startDate', 'endDate']],
      ['a quarterly code for a monthly period', 'MONTHLY', '2026-Q4', '2026-10-01', '2026-12-31', ['code']],
      ['a monthly code for an annual period', 'ANNUAL', '2026-01', '2026-01-01', '2026-01-31', ['code']],
      ['a month 13', 'MONTHLY', '2026-13', '2026-12-01', '2026-12-31', ['code']],
      ['end before start', 'MONTHLY', '2026-11', '2026-11-30', '2026-11-01', ['endDate', 'startDate', 'endDate']],
      ['an impossible date', 'MONTHLY', '2026-02', '2026-02-01', '2026-02-30', ['endDate']],
    ])('%s → %j', (_, type, code, startDate, endDate, expected) => {
      expect(fields({ type, code, startDate, endDate })).toEqual(expected);
    });

    it('says which dates the code needs', () => {
      expect(checkPeriodCalendar({ type: 'MONTHLY', code: '2026-11', startDate: '2026-11-01', endDate: '2026-11-29' })).toEqual([
        { field: 'endDate', message: 'must be 2026-11-30, the last day of 2026-11' },
      ]);
      expect(checkPeriodCalendar({ type: 'QUARTERLY', code: '2026-11', startDate: '2026-11-01', endDate: '2026-11-30' })).toEqual([
        { field: 'code', message: 'must be YYYY-Qn for a QUARTERLY period, e.g. 2026-Q4' },
      ]);
    });
  });
});
