import { DEFAULT_SCORING_POLICY } from './policy';
import { ORGANISATION_PREDICATES, RATINGS, type OrganisationPredicate, type Rating, type ResultRatingSource } from './types';
import { ASPECT_VALUES, ORGANISATION_RESULT_RATINGS, PREDICATE_CODES, predicateOf, ratingFromOrganisation, ratingOf, resultRatingOf } from './ratings';
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

describe('resultRatingOf: unit heads rated by their organisation (spec §5.4)', () => {
  const ON = { headRatingFromOrganisation: true };
  const OFF = { headRatingFromOrganisation: false };
  // [predicate, rule, computed, override, rating, source]
  const cases: [OrganisationPredicate, boolean, Rating, Rating | null, Rating, ResultRatingSource][] = [
    ['ISTIMEWA', true, 'BELOW_EXPECTATION', null, 'ABOVE_EXPECTATION', 'ORGANISATION'],
    ['BAIK', true, 'ABOVE_EXPECTATION', null, 'MEETS_EXPECTATION', 'ORGANISATION'],
    ['BUTUH_PERBAIKAN', true, 'ABOVE_EXPECTATION', null, 'BELOW_EXPECTATION', 'ORGANISATION'],
    ['KURANG', true, 'MEETS_EXPECTATION', null, 'BELOW_EXPECTATION', 'ORGANISATION'],
    ['SANGAT_KURANG', true, 'ABOVE_EXPECTATION', null, 'BELOW_EXPECTATION', 'ORGANISATION'],
    ['ISTIMEWA', false, 'BELOW_EXPECTATION', null, 'BELOW_EXPECTATION', 'COMPUTED'],
    ['BAIK', false, 'ABOVE_EXPECTATION', null, 'ABOVE_EXPECTATION', 'COMPUTED'],
    ['BUTUH_PERBAIKAN', false, 'ABOVE_EXPECTATION', null, 'ABOVE_EXPECTATION', 'COMPUTED'],
    ['KURANG', false, 'MEETS_EXPECTATION', null, 'MEETS_EXPECTATION', 'COMPUTED'],
    ['SANGAT_KURANG', false, 'ABOVE_EXPECTATION', null, 'ABOVE_EXPECTATION', 'COMPUTED'],
    // An override stored before the rule applied is ignored while it applies, and counts again without it.
    ['KURANG', true, 'ABOVE_EXPECTATION', 'ABOVE_EXPECTATION', 'BELOW_EXPECTATION', 'ORGANISATION'],
    ['KURANG', false, 'MEETS_EXPECTATION', 'ABOVE_EXPECTATION', 'ABOVE_EXPECTATION', 'OVERRIDE'],
  ];
  it.each(cases)('%s, rule %s, computed %s, override %s → %s from %s', (predicate, rule, computed, override, rating, source) => {
    expect(resultRatingOf(computed, override, predicate, rule ? ON : OFF)).toEqual({ rating, source });
    expect(ratingFromOrganisation(predicate, rule ? ON : OFF)).toBe(rule);
  });

  it('rates staff, and a head whose unit has no predicate, from the numbers or the override', () => {
    for (const predicate of [null, undefined]) {
      expect(resultRatingOf('MEETS_EXPECTATION', null, predicate, ON)).toEqual({ rating: 'MEETS_EXPECTATION', source: 'COMPUTED' });
      expect(resultRatingOf('MEETS_EXPECTATION', 'BELOW_EXPECTATION', predicate, ON)).toEqual({ rating: 'BELOW_EXPECTATION', source: 'OVERRIDE' });
      expect(ratingFromOrganisation(predicate, ON)).toBe(false);
    }
  });

  it('maps every organisation predicate', () => {
    expect(Object.keys(ORGANISATION_RESULT_RATINGS).sort()).toEqual([...ORGANISATION_PREDICATES].sort());
  });
});
