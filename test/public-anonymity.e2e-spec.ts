import { randomInt } from 'node:crypto';
import { createTestApp, TestApp } from './app';
import { createUnit } from './factories';
import { all, Answers, insertFeedback } from './feedback-fixtures';
import { insertPeriod } from './planning-fixtures';

const MIN = 10;

type Unit = { id: string; code: string; path: string[] };
type Period = { id: string; startDate: string; endDate: string };
/** What the test knows and the attacker does not: `responses` of the unit's own feedback on day `on`. */
type Truth = { unit: Unit; on: string; responses: number };
type Figure = { unit: Unit; period: Period; body: Record<string, unknown> };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The attacker's view of spec §8: every public figure of `units` × `periods` over HTTP, then what combinations
 * of the published ones can isolate, computed from the truth the test planted.
 */
describe('anonymity of public figures (e2e, spec §8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The generic attacker reads about a hundred figures; the per-address limit is not the subject here.
    t = await createTestApp({ PUBLIC_THROTTLE_LIMIT: '1000000' });
  });
  afterAll(() => t.close());

  // Years no other spec uses (their fixtures take 2100–8999), one per scenario, so no foreign period overlaps.
  let nextYear = randomInt(9000, 9900);
  const calendarYear = async () => {
    const year = nextYear++;
    const period = (startDate: string, endDate: string, type: string) => insertPeriod(t, { start: startDate, end: endDate, type });
    const months = [];
    for (let m = 1; m <= 12; m++) months.push(await period(`${year}-${pad(m)}-01`, `${year}-${pad(m)}-${lastDay(year, m)}`, 'MONTHLY'));
    const quarters = [];
    for (let q = 1; q <= 4; q++) quarters.push(await period(months[3 * q - 3].startDate, months[3 * q - 1].endDate, 'QUARTERLY'));
    const annual = await period(`${year}-01-01`, `${year}-12-31`, 'ANNUAL');
    return { year, months, quarters, annual, all: [annual, ...quarters, ...months] };
  };

  const unitUnder = async (parent?: Unit): Promise<Unit> => {
    const u = await createUnit(t, parent ? { parentId: parent.id, kind: 'UPTD' } : {});
    return { ...u, path: [...(parent?.path ?? []), u.code] };
  };

  const truth: Truth[] = [];
  /** `count` responses about `unit` on `on`, PUBLISHED or VERIFIED (both count). */
  const plant = async (unit: Unit, on: string, count: number, answers: Answers = all(4)) => {
    if (!count) return;
    await insertFeedback(t, { unitId: unit.id, status: count % 2 ? 'VERIFIED' : 'PUBLISHED', submittedOn: on, answers, count });
    truth.push({ unit, on, responses: count });
  };

  const read = async (unit: Unit, period: Period): Promise<Figure> => {
    const res = await t.http().get('/public/service-index').query({ unitCode: unit.code, periodId: period.id });
    expect(res.status).toBe(200);
    return { unit, period, body: res.body as Record<string, unknown> };
  };
  const readAll = async (units: Unit[], periods: Period[]) => {
    const figures: Figure[] = [];
    for (const p of periods) for (const u of units) figures.push(await read(u, p));
    return figures;
  };

  const contains = (f: Figure, c: Truth) => c.unit.path.includes(f.unit.code) && f.period.startDate <= c.on && c.on <= f.period.endDate;
  const actual = (f: Figure) => truth.filter((c) => contains(f, c)).reduce((s, c) => s + c.responses, 0);

  /** Every published figure shows the true count; a withheld one shows none. */
  function expectHonest(figures: Figure[]) {
    for (const f of figures) {
      if (f.body.published) expect(f.body.responses).toBe(actual(f));
      else expect(f.body).not.toHaveProperty('responses');
    }
  }

  /**
   * Sums and differences (coefficients -1, 0, 1) of the published figures that weigh every planted response 0 or 1
   * isolate that group; returns the sizes of those groups below MIN (empty when none).
   */
  function isolatedBySubtraction(figures: Figure[]): number[] {
    const published = figures.filter((f) => f.body.published);
    const member = published.map((f) => truth.map((c) => (contains(f, c) ? 1 : 0)));
    const found = new Set<number>();
    for (let combo = 0; combo < 3 ** published.length; combo++) {
      const k = published.map((_, i) => (Math.floor(combo / 3 ** i) % 3) - 1);
      const w = truth.map((_, j) => member.reduce((s, m, i) => s + k[i] * m[j], 0));
      if (!w.every((x) => x === 0 || x === 1)) continue;
      const group = truth.reduce((s, c, j) => s + w[j] * c.responses, 0);
      if (group > 0 && group < MIN) found.add(group);
    }
    return [...found].sort();
  }

  /**
   * Any linear combination of published figures can only resolve unions of atoms: the planted responses lying in
   * exactly the same published figures. Returns the sizes of the atoms below MIN (empty when none).
   */
  function smallAtoms(figures: Figure[]): number[] {
    const published = figures.filter((f) => f.body.published);
    const atoms = new Map<string, number>();
    for (const c of truth) {
      const signature = published.map((f) => (contains(f, c) ? 1 : 0)).join('');
      if (signature.includes('1')) atoms.set(signature, (atoms.get(signature) ?? 0) + c.responses);
    }
    return [...atoms.values()].filter((n) => n < MIN).sort();
  }

  it('a parent of 11 over a child of 10: at most one is published, whichever is asked first', async () => {
    const { months } = await calendarYear();
    const parent = await unitUnder();
    const child = await unitUnder(parent);
    await plant(child, months[4].startDate, 10, all(4));
    await plant(parent, months[4].endDate, 1, all(1)); // the one citizen a subtraction would expose
    const childFirst = await read(child, months[4]);
    const parentNext = await read(parent, months[4]);
    expect([childFirst.body.published, parentNext.body.published].filter(Boolean)).toHaveLength(1);
    // The parent, nearer the root, is the one published, with its true figures.
    expect(parentNext.body).toMatchObject({ published: true, responses: 11 });
    expect(childFirst.body).toEqual({ unitCode: child.code, unitName: `Unit ${child.code}`, periodId: months[4].id, periodCode: expect.any(String), published: false });
    expect(isolatedBySubtraction([childFirst, parentNext])).toEqual([]);
  });

  it('a quarter of months 10, 10 and 3: no month subtracted from the quarter leaves the 3', async () => {
    const { months, quarters } = await calendarYear();
    const unit = await unitUnder();
    await plant(unit, months[6].startDate, 10);
    await plant(unit, months[7].startDate, 10);
    await plant(unit, months[8].endDate, 3, all(1));
    const figures = await readAll([unit], [quarters[2], months[6], months[7], months[8]]);
    expectHonest(figures);
    expect(figures[0].body).toMatchObject({ published: true, responses: 23 });
    expect(isolatedBySubtraction(figures)).toEqual([]);
    expect(smallAtoms(figures)).toEqual([]);
  });

  it('a year of quarters 10, 10, 10 and 5: no quarters subtracted from the year leave the 5', async () => {
    const { quarters, annual } = await calendarYear();
    const unit = await unitUnder();
    for (const q of quarters.slice(0, 3)) await plant(unit, q.startDate, 10);
    await plant(unit, quarters[3].endDate, 5, all(2));
    const figures = await readAll([unit], [annual, ...quarters]);
    expectHonest(figures);
    expect(figures[0].body).toMatchObject({ published: true, responses: 35 });
    expect(isolatedBySubtraction(figures)).toEqual([]);
    expect(smallAtoms(figures)).toEqual([]);
  });

  it('a generic attacker reading every figure of a small world and year isolates no group of 1 to 9', async () => {
    const year = await calendarYear();
    const root = await unitUnder();
    const a = await unitUnder(root);
    const b = await unitUnder(root);
    const a1 = await unitUnder(a);
    const units = [root, a, b, a1];
    // Own responses per month: mostly enough, with small groups in places where naive publishing would give them away.
    const perMonth: [Unit, number[]][] = [
      [root, [1, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 1]],
      [a, [10, 12, 3, 10, 10, 10, 0, 5, 10, 11, 10, 2]],
      [b, [0, 3, 0, 12, 1, 0, 10, 10, 0, 4, 0, 0]],
      [a1, [12, 10, 10, 10, 2, 10, 10, 10, 10, 10, 14, 10]],
    ];
    for (const [unit, counts] of perMonth) {
      for (const [m, count] of counts.entries()) await plant(unit, year.months[m].startDate.replace(/01$/, pad(1 + (m % 28))), count, all(1 + (m % 4)));
    }
    const figures = await readAll(units, year.all);
    expectHonest(figures);
    expect(smallAtoms(figures)).toEqual([]);
    const published = (u: Unit) => year.all.filter((p) => figures.find((f) => f.unit === u && f.period === p)!.body.published).length;
    // It still publishes: the whole world in all 17 periods (units nearer the root come first), each unit somewhere.
    expect(published(root)).toBe(17);
    for (const u of units) expect(published(u)).toBeGreaterThan(0);
  });

  it('a unit with plenty of responses and no small neighbour is published in every period, with its figures', async () => {
    const { months, quarters, annual } = await calendarYear();
    const unit = await unitUnder();
    const MIXED: Answers = [4, 3, 2, 1, 4, 3, 2, 1, 4];
    for (const m of months.slice(0, 3)) await plant(unit, m.startDate, 12, MIXED);
    const figures = await readAll([unit], [annual, quarters[0], ...months.slice(0, 3)]);
    for (const f of figures) {
      // Mean of the nine NRR = 24/9; × 25 = 66.67, C.
      expect(f.body).toMatchObject({ published: true, responses: actual(f), ikm: 66.67, category: 'C', nrr: { U1: 4, U4: 1, U9: 4 } });
    }
    expect(figures.map((f) => f.body.responses)).toEqual([36, 36, 12, 12, 12]);
  });

  it('answers published: false, with no figures, for a year without feedback next to a published one', async () => {
    const busy = nextYear++;
    const quiet = nextYear++;
    const annual = (year: number) => insertPeriod(t, { start: `${year}-01-01`, end: `${year}-12-31`, type: 'ANNUAL' });
    const [busyYear, quietYear] = [await annual(busy), await annual(quiet)];
    const unit = await unitUnder();
    await plant(unit, `${busy}-06-15`, 12);
    expect((await read(unit, busyYear)).body).toMatchObject({ published: true, responses: 12 });
    expect((await read(unit, quietYear)).body).toEqual({ unitCode: unit.code, unitName: `Unit ${unit.code}`, periodId: quietYear.id, periodCode: quietYear.code, published: false });
  });
});
