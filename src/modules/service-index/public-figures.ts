import { PeriodType } from '../periods/entities/period.entity';

/**
 * Which public service-index figures may be published without letting any combination of them isolate fewer than
 * `min` responses (spec §8, anonymity of public figures).
 *
 * Feedback is cut into cells: one unit's own responses in one slot, a stretch of days that no period boundary
 * cuts. A public figure (unit subtree U, period P) is the union of the cells of U and its descendants in the
 * slots of P. Sums and differences of published figures (of counts, and of count × NRR) can only ever resolve
 * unions of atoms, the groups of cells that lie in exactly the same published figures. So the published set is
 * safe when every atom lying in some published figure holds 0 or at least `min` responses. This is sufficient,
 * not necessary: it may withhold a figure that no combination could actually exploit.
 *
 * Periods overlap (month, quarter, year), so the decision is taken for the whole island of periods connected by
 * overlaps (a calendar year), the same whichever figure is asked: every (unit, period) in a fixed order, units
 * nearer the root first (then by code) and for each unit coarser periods first (then by start date and code);
 * each figure is added when it has at least `min` responses and adding it leaves every atom at 0 or at least `min`.
 * Units first, because the other way round one small unit's annual figure withholds every monthly and quarterly
 * figure of all its ancestors, the whole city's included.
 */

export interface IslandPeriod {
  id: string;
  code: string;
  type: PeriodType;
  startDate: string;
  endDate: string;
}

/** Responses of one unit's own feedback in one slot; `path` is the unit codes from the root down to the unit. */
export interface Cell {
  path: readonly string[];
  /** First day of the slot (YYYY-MM-DD). */
  from: string;
  responses: number;
}

const DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const pad = (n: number) => String(n).padStart(2, '0');
// Not toISOString: the day after 9999-12-31 is 10000-01-01, which PostgreSQL takes and toISOString writes "+010000-…".
const dateOf = (day: number) => {
  const d = new Date(day * DAY);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/** Slot bounds of the island: every first day and every day after a last day, sorted; slot k is [bounds[k-1], bounds[k]). */
export function slotBounds(periods: readonly IslandPeriod[]): string[] {
  const days = new Set(periods.flatMap((p) => [dayNumber(p.startDate), dayNumber(p.endDate) + 1]));
  return [...days].sort((a, b) => a - b).map(dateOf);
}

/** Does the figure of unit `unitCode` (its subtree) in `period` contain the cell? No period cuts a slot, so its first day decides. */
export const inFigure = (cell: Cell, unitCode: string, period: Pick<IslandPeriod, 'startDate' | 'endDate'>): boolean =>
  period.startDate <= cell.from && cell.from <= period.endDate && cell.path.includes(unitCode);

export const figureKey = (unitCode: string, periodId: string) => `${unitCode}@${periodId}`;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const COARSER_FIRST: Record<PeriodType, number> = { ANNUAL: 0, QUARTERLY: 1, MONTHLY: 2 };

/** The keys (`figureKey`) of the figures of the island that are published. */
export function publishedFigures(periods: readonly IslandPeriod[], cells: readonly Cell[], min: number): Set<string> {
  const small = (n: number) => n > 0 && n < min;
  const ordered = [...periods].sort(
    (a, b) => COARSER_FIRST[a.type] - COARSER_FIRST[b.type] || cmp(a.startDate, b.startDate) || cmp(a.code, b.code),
  );
  // Every unit with a response below it, nearer the root first, and the cells of its subtree.
  const depth = new Map<string, number>();
  const subtreeCells = new Map<string, number[]>();
  for (const [i, c] of cells.entries()) {
    c.path.forEach((code, d) => {
      depth.set(code, d);
      if (!subtreeCells.has(code)) subtreeCells.set(code, []);
      subtreeCells.get(code)!.push(i);
    });
  }
  const units = [...depth.keys()].sort((a, b) => depth.get(a)! - depth.get(b)! || cmp(a, b));

  // atomOf[i]: the atom of cell i; atom 0 holds the cells in no published figure. total[a]: responses of atom a.
  const atomOf = new Array<number>(cells.length).fill(0);
  const total = [cells.reduce((s, c) => s + c.responses, 0)];
  const published = new Set<string>();
  for (const unit of units) {
    for (const period of ordered) {
      const members = subtreeCells.get(unit)!.filter((i) => inFigure(cells[i], unit, period));
      const inside = new Map<number, number>();
      for (const i of members) inside.set(atomOf[i], (inside.get(atomOf[i]) ?? 0) + cells[i].responses);
      const responses = [...inside.values()].reduce((s, n) => s + n, 0);
      // The figure splits each atom it touches into the part inside it and the part outside (atom 0's stays unpublished).
      const safe = responses >= min && [...inside].every(([a, n]) => !small(n) && (a === 0 || !small(total[a] - n)));
      if (!safe) continue;
      const split = new Map<number, number>();
      for (const [a, n] of inside) {
        split.set(a, total.length);
        total.push(n);
        total[a] -= n;
      }
      for (const i of members) atomOf[i] = split.get(atomOf[i])!;
      published.add(figureKey(unit, period.id));
    }
  }
  return published;
}
