import { round2, round2ByDecimal } from './rounding';

describe('round2', () => {
  it.each<[string, number, number]>([
    // binary floating error on exact decimal halves
    ['1.005 (stored as 1.00499999…)', 1.005, 1.01],
    ['-1.005', -1.005, -1.01],
    ['2.675 (stored as 2.67499999…)', 2.675, 2.68],
    ['-2.675', -2.675, -2.68],
    ['1.045', 1.045, 1.05],
    ['8.575', 8.575, 8.58],
    ['1.255', 1.255, 1.26],
    // the rating thresholds of §5.4
    ['109.995 → the ABOVE threshold', 109.995, 110],
    ['89.995 → the MEETS threshold', 89.995, 90],
    ['109.996', 109.996, 110],
    ['109.994', 109.994, 109.99],
    ['109.9949999', 109.9949999, 109.99],
    ['-109.995', -109.995, -110],
    // halves reached by arithmetic
    ['100·219.99/200 (= 109.995)', (100 * 219.99) / 200, 110],
    ['769.965/7 (= 109.995)', 769.965 / 7, 110],
    ['0.1 + 0.2 (= 0.30000000000000004)', 0.1 + 0.2, 0.3],
    ['1.115', 1.115, 1.12],
    ['0.005', 0.005, 0.01],
    ['-0.005', -0.005, -0.01],
    ['0.0049', 0.0049, 0],
    // ordinary values
    ['100.666… (DISHUB resultScore)', 30200 / 300, 100.67],
    ['106.666…', 320 / 3, 106.67],
    ['91.666…', 275 / 3, 91.67],
    ['83.333…', 250 / 3, 83.33],
    ['99.2857…', 695 / 7, 99.29],
    ['an integer', 120, 120],
    ['two decimals already', 76.61, 76.61],
    ['one decimal', 97.5, 97.5],
    ['zero', 0, 0],
    ['tiny positive (exponent notation)', 1e-7, 0],
    ['tiny negative gives +0, not -0', -1e-7, 0],
    ['a large value', 123456789.125, 123456789.13],
    ['beyond hundredths resolution is returned as is', 1e16, 1e16],
  ])('%s', (_, x, expected) => {
    expect(round2(x)).toBe(expected);
  });

  it('agrees with integer arithmetic on every 3-decimal value from -200.000 to 200.000', () => {
    // n thousandths written as a decimal literal, e.g. 1005 → "1.005"; the exact answer rounds n/10 half away from zero.
    const mismatches: string[] = [];
    for (let n = 0; n <= 200_000; n++) {
      const literal = `${Math.trunc(n / 1000)}.${String(n % 1000).padStart(3, '0')}`;
      const hundredths = Math.trunc(n / 10) + (n % 10 >= 5 ? 1 : 0);
      const expected = Number(`${hundredths}e-2`);
      if (round2(Number(literal)) !== expected) mismatches.push(`${literal} → ${round2(Number(literal))}`);
      if (n > 0 && round2(-Number(literal)) !== -expected) mismatches.push(`-${literal} → ${round2(-Number(literal))}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('never returns -0', () => {
    expect(Object.is(round2(-0), 0)).toBe(true);
    expect(Object.is(round2(-0.001), 0)).toBe(true);
  });

  it('is idempotent', () => {
    for (const x of [1.005, 2.675, 109.995, 30200 / 300, -1.005]) expect(round2(round2(x))).toBe(round2(x));
  });

  it.each([NaN, Infinity, -Infinity])('refuses %p', (x) => {
    expect(() => round2(x)).toThrow(RangeError);
  });
});

describe('round2 against round2ByDecimal', () => {
  // A seeded generator (mulberry32): the same values on every run.
  let seed = 20261130;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('gives the same result for a million values: decimals, halves reached by arithmetic, doubles of every size', () => {
    const mismatches: string[] = [];
    const check = (x: number) => {
      if (!Object.is(round2(x), round2ByDecimal(x))) mismatches.push(`${x}: ${round2(x)} vs ${round2ByDecimal(x)}`);
    };
    for (let i = 0; i < 250_000; i++) {
      const decimals = 1 + Math.floor(random() * 6);
      check(Number((random() * 400 - 200).toFixed(decimals))); // written decimals, as realisations and targets are
      check((Math.floor(random() * 40_000) * Math.floor(random() * 200 + 1)) / Math.floor(random() * 700 + 1)); // weighted means
      check((Math.round(random() * 2_000_000) + 0.5) / 10_000 * (random() < 0.5 ? -1 : 1)); // exact halves of hundredths
      check(random() * 10 ** Math.floor(random() * 20 - 5)); // doubles from 1e-5 to 1e15
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});
