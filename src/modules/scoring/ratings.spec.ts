import { DEFAULT_SCORING_POLICY } from './policy';
import { RATINGS, type Rating } from './types';
import { ASPECT_VALUES, PREDICATE_CODES, predicateOf, ratingOf } from './ratings';
import { PREDICATES, type Predicate, type PredicateCode } from './types';

describe('ratingOf', () => {
  describe('default thresholds (110 / 90)', () => {
    it.each<[number, Rating]>([
      [120, 'ABOVE_EXPECTATION'],
      [110, 'ABOVE_EXPECTATION'],
      [110.01, 'ABOVE_EXPECTATION'],
      [109.996, 'ABOVE_EXPECTATION'], // rounds to 110.00
      [109.995, 'ABOVE_EXPECTATION'], // an exact half rounds away from zero to 110.00
      [109.9949, 'MEETS_EXPECTATION'], // rounds to 109.99
      [109.99, 'MEETS_EXPECTATION'],
      [100, 'MEETS_EXPECTATION'],
      [90, 'MEETS_EXPECTATION'],
      [89.995, 'MEETS_EXPECTATION'], // rounds to 90.00
      [89.9949, 'BELOW_EXPECTATION'], // rounds to 89.99
      [89.99, 'BELOW_EXPECTATION'],
      [60, 'BELOW_EXPECTATION'],
      [0, 'BELOW_EXPECTATION'],
    ])('%p → %s', (score, expected) => {
      expect(ratingOf(score, DEFAULT_SCORING_POLICY)).toBe(expected);
    });
  });

  describe('policy thresholds 105 / 95', () => {
    const policy = { aboveThreshold: 105, meetsThreshold: 95 };
    it.each<[number, Rating]>([
      [105, 'ABOVE_EXPECTATION'],
      [104.995, 'ABOVE_EXPECTATION'],
      [104.99, 'MEETS_EXPECTATION'],
      [100, 'MEETS_EXPECTATION'],
      [95, 'MEETS_EXPECTATION'],
      [94.99, 'BELOW_EXPECTATION'],
      [90, 'BELOW_EXPECTATION'],
    ])('%p → %s', (score, expected) => {
      expect(ratingOf(score, policy)).toBe(expected);
    });
  });
});

describe('ASPECT_VALUES', () => {
  it.each<[Rating, number]>([
    ['ABOVE_EXPECTATION', 120],
    ['MEETS_EXPECTATION', 100],
    ['BELOW_EXPECTATION', 60],
  ])('%s = %p', (rating, value) => {
    expect(ASPECT_VALUES[rating]).toBe(value);
  });

  it('covers every rating', () => {
    expect(Object.keys(ASPECT_VALUES).sort()).toEqual([...RATINGS].sort());
  });
});

describe('predicateOf (§5.6 quadrant)', () => {
  // result ↓ / behaviour →   BELOW               MEETS                ABOVE
  // ABOVE                    KURANG (4)          BAIK (2)             SANGAT_BAIK (1)
  // MEETS                    KURANG (4)          BAIK (2)             BAIK (2)
  // BELOW                    SANGAT_KURANG (5)   BUTUH_PERBAIKAN (3)  BUTUH_PERBAIKAN (3)
  it.each<[Rating, Rating, Predicate, PredicateCode]>([
    ['ABOVE_EXPECTATION', 'BELOW_EXPECTATION', 'KURANG', 4],
    ['ABOVE_EXPECTATION', 'MEETS_EXPECTATION', 'BAIK', 2],
    ['ABOVE_EXPECTATION', 'ABOVE_EXPECTATION', 'SANGAT_BAIK', 1],
    ['MEETS_EXPECTATION', 'BELOW_EXPECTATION', 'KURANG', 4],
    ['MEETS_EXPECTATION', 'MEETS_EXPECTATION', 'BAIK', 2],
    ['MEETS_EXPECTATION', 'ABOVE_EXPECTATION', 'BAIK', 2],
    ['BELOW_EXPECTATION', 'BELOW_EXPECTATION', 'SANGAT_KURANG', 5],
    ['BELOW_EXPECTATION', 'MEETS_EXPECTATION', 'BUTUH_PERBAIKAN', 3],
    ['BELOW_EXPECTATION', 'ABOVE_EXPECTATION', 'BUTUH_PERBAIKAN', 3],
  ])('result %s, behaviour %s → %s (%p)', (result, behaviour, predicate, code) => {
    expect(predicateOf(result, behaviour)).toBe(predicate);
    expect(PREDICATE_CODES[predicate]).toBe(code);
  });
});

describe('PREDICATE_CODES', () => {
  it('numbers the predicates 1–5 from SANGAT_BAIK to SANGAT_KURANG', () => {
    expect(PREDICATES.map((p) => PREDICATE_CODES[p])).toEqual([1, 2, 3, 4, 5]);
  });
});
