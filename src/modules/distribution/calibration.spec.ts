import { calibrationFlag, spread, zScores } from './calibration';
import { roundTo } from './numbers';

const rounded = (zs: (number | null)[]) => zs.map((z) => (z === null ? null : roundTo(z, 2)));

describe('assessor calibration', () => {
  describe('zScores', () => {
    it.each<[string, (number | null)[], (number | null)[]]>([
      // μ = 105; deviations −9, −5, −1, 15; variance (81 + 25 + 1 + 225) / 4 = 83; σ = √83 ≈ 9.1104
      ['one lenient assessor among four', [96, 100, 104, 120], [-0.99, -0.55, -0.11, 1.65]],
      // μ = 105; σ = √((3·25 + 225) / 4) = √75 ≈ 8.6603; 15 / σ = √3
      ['three alike and one apart: the outlier is at √3', [100, 100, 100, 120], [-0.58, -0.58, -0.58, 1.73]],
      ['one strict assessor among four', [80, 100, 100, 100], [-1.73, 0.58, 0.58, 0.58]],
      // With n values no population z-score exceeds √(n − 1): three assessors never reach 1.5.
      ['three assessors: at most √2', [100, 100, 150], [-0.71, -0.71, 1.41]],
      ['population, not sample, standard deviation', [1, 3], [-1, 1]],
      ['an assessor without a mean gets no z and does not count', [null, 1, 3], [null, -1, 1]],
      ['one assessor: no z', [110], [null]],
      ['one assessor with a mean and one without: no z', [110, null], [null, null]],
      ['no spread: no z', [100, 100, 100], [null, null, null]],
      ['no spread despite float noise in the mean', [0.1, 0.1, 0.1], [null, null, null]],
      ['nobody', [], []],
    ])('%s: %j → %j', (_, values, expected) => {
      expect(rounded(zScores(values))).toEqual(expected);
    });

    it('measures values against another reference when given one', () => {
      // The reference (mean 105, σ √83) is every qualifying assessor of the period; the values are those in view.
      expect(rounded(zScores([120, null, 96], [96, 100, 104, 120]))).toEqual([1.65, null, -0.99]);
      expect(zScores([120], [100])).toEqual([null]);
      expect(zScores([120], [100, 100])).toEqual([null]);
    });

    it('keeps full precision (rounding is for display)', () => {
      expect(zScores([96, 100, 104, 120])[3]).toBeCloseTo(15 / Math.sqrt(83), 12);
    });
  });

  describe('spread', () => {
    it.each<[number[], { count: number; mean: number | null; sd: number | null }]>([
      [[], { count: 0, mean: null, sd: null }],
      [[7], { count: 1, mean: 7, sd: 0 }],
      [[2, 4, 4, 4, 5, 5, 7, 9], { count: 8, mean: 5, sd: 2 }],
    ])('%j → %j', (values, expected) => {
      expect(spread(values)).toEqual(expected);
    });
  });

  describe('calibrationFlag', () => {
    it.each<[number | null, string | null]>([
      [1.73, 'LENIENT'],
      [1.5, 'LENIENT'],
      [1.49, null],
      [0, null],
      [-1.49, null],
      [-1.5, 'STRICT'],
      [-2.1, 'STRICT'],
      [null, null],
    ])('z %s → %s', (z, flag) => {
      expect(calibrationFlag(z)).toBe(flag);
    });

    it('is taken from the rounded z, so a shown 1.50 is flagged', () => {
      expect(calibrationFlag(roundTo(1.4951, 2))).toBe('LENIENT');
      expect(calibrationFlag(roundTo(1.4949, 2))).toBeNull();
    });
  });
});
