import type { IndicatorAggregation } from '../../indicators/entities/indicator.entity';
import { aggregate } from './aggregate';
import type { AchievementInput } from './types';

const row = (value: number, occurredOn: string, submittedAt = `${occurredOn}T09:00:00.000Z`): AchievementInput => ({
  value,
  occurredOn,
  submittedAt,
});

// Four achievements of one target, deliberately not in date order.
const ROWS: AchievementInput[] = [
  row(14, '2026-11-03'),
  row(18, '2026-11-20'),
  row(11, '2026-11-10'),
  row(17, '2026-11-14'),
];

describe('aggregate', () => {
  it.each<[string, IndicatorAggregation, AchievementInput[], number]>([
    ['SUM → 60: 14 + 18 + 11 + 17', 'SUM', ROWS, 60],
    ['AVERAGE → 15: 60 / 4', 'AVERAGE', ROWS, 15],
    ['MAX → 18', 'MAX', ROWS, 18],
    ['MIN → 11', 'MIN', ROWS, 11],
    ['LATEST → 18: occurredOn 2026-11-20 is the latest, whatever the input order', 'LATEST', ROWS, 18],
    ['AVERAGE → 5 / 3: full precision, not rounded', 'AVERAGE', [row(1, '2026-11-01'), row(2, '2026-11-02'), row(2, '2026-11-03')], 5 / 3],
    ['SUM → 0.1 + 0.2: full precision, not rounded', 'SUM', [row(0.1, '2026-11-01'), row(0.2, '2026-11-02')], 0.1 + 0.2],
    ['SUM → 0: zeros are a realisation of 0, not null', 'SUM', [row(0, '2026-11-01'), row(0, '2026-11-02')], 0],
    ['MIN → 0', 'MIN', [row(0, '2026-11-01'), row(5, '2026-11-02')], 0],
  ])('%s', (_, kind, rows, expected) => {
    expect(aggregate(kind, rows)).toBe(expected);
  });

  it.each<IndicatorAggregation>(['SUM', 'AVERAGE', 'LATEST', 'MAX', 'MIN'])('%s of no rows is null', (kind) => {
    expect(aggregate(kind, [])).toBeNull();
  });

  it.each<IndicatorAggregation>(['SUM', 'AVERAGE', 'LATEST', 'MAX', 'MIN'])('%s of one row is its value', (kind) => {
    expect(aggregate(kind, [row(7.5, '2026-11-05')])).toBe(7.5);
  });

  describe('LATEST', () => {
    it.each<[string, AchievementInput[], number]>([
      [
        'a later occurredOn wins over a later submission',
        [row(1, '2026-11-20', '2026-11-20T01:00:00Z'), row(2, '2026-11-19', '2026-11-29T01:00:00Z')],
        1,
      ],
      [
        'same occurredOn: the later submission wins (given first)',
        [row(1, '2026-11-20', '2026-11-21T10:00:00Z'), row(2, '2026-11-20', '2026-11-21T09:00:00Z')],
        1,
      ],
      [
        'same occurredOn: the later submission wins (given last)',
        [row(2, '2026-11-20', '2026-11-21T09:00:00Z'), row(1, '2026-11-20', '2026-11-21T10:00:00Z')],
        1,
      ],
      [
        'submissions compare as instants, not text: 17:30+08:00 (09:30Z) is later than 09:15Z',
        [row(1, '2026-11-20', '2026-11-21T17:30:00+08:00'), row(2, '2026-11-20', '2026-11-21T09:15:00Z')],
        1,
      ],
      [
        'a submission one millisecond later wins',
        [row(1, '2026-11-20', '2026-11-21T09:00:00.001Z'), row(2, '2026-11-20', '2026-11-21T09:00:00.000Z')],
        1,
      ],
      [
        'identical date and submission: the last row given',
        [row(1, '2026-11-20', '2026-11-21T09:00:00Z'), row(2, '2026-11-20', '2026-11-21T09:00:00Z')],
        2,
      ],
      [
        'a smaller latest value is still the latest',
        [row(100, '2026-11-01'), row(3, '2026-11-30'), row(50, '2026-11-15')],
        3,
      ],
    ])('%s', (_, rows, expected) => {
      expect(aggregate('LATEST', rows)).toBe(expected);
    });

    it('refuses an unparseable submittedAt when it is needed for a tie', () => {
      expect(() => aggregate('LATEST', [row(1, '2026-11-20', 'yesterday'), row(2, '2026-11-20', 'today')])).toThrow(RangeError);
    });
  });

  it('refuses a non-finite value', () => {
    expect(() => aggregate('SUM', [row(NaN, '2026-11-01')])).toThrow(RangeError);
  });
});
