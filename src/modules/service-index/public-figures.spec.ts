import { Cell, inFigure, IslandPeriod, publishedFigures, slotBounds } from './public-figures';

const MIN = 10;

const month = (m: number): IslandPeriod => {
  const mm = String(m).padStart(2, '0');
  const last = new Date(Date.UTC(2026, m, 0)).getUTCDate();
  return { id: `m${m}`, code: `2026-${mm}`, type: 'MONTHLY', startDate: `2026-${mm}-01`, endDate: `2026-${mm}-${last}` };
};
const quarter = (q: number): IslandPeriod => ({
  id: `q${q}`,
  code: `2026-Q${q}`,
  type: 'QUARTERLY',
  startDate: month(3 * q - 2).startDate,
  endDate: month(3 * q).endDate,
});
const YEAR: IslandPeriod = { id: 'y', code: '2026', type: 'ANNUAL', startDate: '2026-01-01', endDate: '2026-12-31' };
const MONTHS = Array.from({ length: 12 }, (_, i) => month(i + 1));
const QUARTERS = [1, 2, 3, 4].map(quarter);

/** `responses` of the unit at `path` (codes from the root, joined by /) in month `m`. */
const cell = (path: string, m: number, responses: number): Cell => ({ path: path.split('/'), from: month(m).startDate, responses });
const decide = (periods: IslandPeriod[], cells: Cell[]) => [...publishedFigures(periods, cells, MIN)].sort();

/**
 * An attacker independent of the atom argument: every sum and difference (coefficients -1, 0, 1) of the published
 * figures; whenever one weighs every cell 0 or 1 it isolates that group of cells, which must hold 0 or ≥ MIN.
 */
function smallestIsolatedGroup(periods: IslandPeriod[], cells: Cell[], published: Set<string>): number | null {
  const figures = [...published].map((key) => {
    const [unit, periodId] = key.split('@');
    const period = periods.find((p) => p.id === periodId)!;
    return cells.map((c) => (inFigure(c, unit, period) ? 1 : 0));
  });
  let smallest: number | null = null;
  const weights = new Array<number>(figures.length).fill(-1);
  for (let combo = 0; combo < 3 ** figures.length; combo++) {
    for (let k = 0, n = combo; k < figures.length; k++, n = Math.floor(n / 3)) weights[k] = (n % 3) - 1;
    const w = cells.map((_, i) => figures.reduce((s, f, k) => s + weights[k] * f[i], 0));
    if (!w.every((x) => x === 0 || x === 1)) continue;
    const group = cells.reduce((s, c, i) => s + w[i] * c.responses, 0);
    if (group > 0 && group < MIN && (smallest === null || group < smallest)) smallest = group;
  }
  return smallest;
}

describe('public figures (spec §8, anonymity)', () => {
  it('slot bounds: every first day and every day after a last day, so no period cuts a slot', () => {
    expect(slotBounds([YEAR, QUARTERS[0], MONTHS[1]])).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2027-01-01']);
    expect(slotBounds([MONTHS[11]])).toEqual(['2026-12-01', '2027-01-01']);
    expect(slotBounds([{ ...YEAR, startDate: '9999-01-01', endDate: '9999-12-31' }])).toEqual(['9999-01-01', '10000-01-01']);
  });

  it.each<[string, IslandPeriod[], Cell[], string[]]>([
    ['a unit alone with plenty: published', [MONTHS[0]], [cell('A', 1, 30)], ['A@m1']],
    ['9 responses: withheld', [MONTHS[0]], [cell('A', 1, 9)], []],
    ['exactly 10: published', [MONTHS[0]], [cell('A', 1, 10)], ['A@m1']],
    // Parent 11 = child 10 + 1 own: publishing both gives the parent's own response away; the parent comes first.
    ['parent 11 over a child of 10: only the parent', [MONTHS[0]], [cell('P', 1, 1), cell('P/C', 1, 10)], ['P@m1']],
    ['parent 20 over a child of 10: both', [MONTHS[0]], [cell('P', 1, 10), cell('P/C', 1, 10)], ['C@m1', 'P@m1']],
    ['a parent with no response of its own: both, they are the same responses', [MONTHS[0]], [cell('P/C', 1, 12)], ['C@m1', 'P@m1']],
    [
      'own responses 10, 5, 10 down a chain: grandparent and parent; the child would leave the parent\'s own 5 alone',
      [MONTHS[0]],
      [cell('G', 1, 10), cell('G/P', 1, 5), cell('G/P/C', 1, 10)],
      ['G@m1', 'P@m1'],
    ],
    ['siblings of 10 and 3 under a parent of 13: the parent, not the sibling of 10', [MONTHS[0]], [cell('P/A', 1, 10), cell('P/B', 1, 3)], ['P@m1']],
    // A quarter of months 10, 10, 3: the quarter and one month; a second month would leave the third's 3 alone.
    [
      'a quarter of months 10, 10, 3: the quarter and its first month',
      [QUARTERS[0], ...MONTHS.slice(0, 3)],
      [cell('A', 1, 10), cell('A', 2, 10), cell('A', 3, 3)],
      ['A@m1', 'A@q1'],
    ],
    [
      'a quarter of months 10, 10, 10: all four',
      [QUARTERS[0], ...MONTHS.slice(0, 3)],
      [cell('A', 1, 10), cell('A', 2, 10), cell('A', 3, 10)],
      ['A@m1', 'A@m2', 'A@m3', 'A@q1'],
    ],
    [
      'a year of quarters 10, 10, 10, 5: the year and two quarters',
      [YEAR, ...QUARTERS],
      [cell('A', 1, 10), cell('A', 4, 10), cell('A', 7, 10), cell('A', 10, 5)],
      ['A@q1', 'A@q2', 'A@y'],
    ],
    [
      'two trees do not interfere',
      [QUARTERS[0], ...MONTHS.slice(0, 3)],
      [cell('A', 1, 10), cell('A', 2, 10), cell('A', 3, 3), cell('B', 1, 12), cell('B', 2, 12), cell('B', 3, 12)],
      ['A@m1', 'A@q1', 'B@m1', 'B@m2', 'B@m3', 'B@q1'],
    ],
  ])('%s', (_, periods, cells, expected) => {
    expect(decide(periods, cells)).toEqual(expected);
    expect(smallestIsolatedGroup(periods, cells, publishedFigures(periods, cells, MIN))).toBeNull();
  });

  it('decides the same whatever the order of its input', () => {
    const periods = [YEAR, ...QUARTERS, ...MONTHS];
    const cells = [cell('P', 1, 4), cell('P/A', 1, 10), cell('P/A', 2, 10), cell('P/B', 3, 3), cell('P/B', 5, 14), cell('P/A', 12, 9)];
    const expected = decide(periods, cells);
    expect(decide([...periods].reverse(), [...cells].reverse())).toEqual(expected);
  });

  it('no sum or difference of what it publishes isolates 1 to 9 responses, in 300 random worlds', () => {
    // A parent with two children over a quarter and its months: 8 figures, so every combination can be tried.
    let seed = 42;
    const random = (n: number) => ((seed = (seed * 16807) % 2147483647), seed % n); // Park-Miller, reproducible
    const periods = [QUARTERS[0], ...MONTHS.slice(0, 3)];
    let published = 0;
    for (let world = 0; world < 300; world++) {
      const cells = ['P', 'P/A', 'P/B'].flatMap((path) => [1, 2, 3].map((m) => cell(path, m, [0, 1, 3, 5, 9, 10, 12, 20][random(8)])));
      const set = publishedFigures(periods, cells, MIN);
      published += set.size;
      expect(smallestIsolatedGroup(periods, cells, set)).toBeNull();
    }
    expect(published).toBeGreaterThan(300); // it does publish
  });
});
