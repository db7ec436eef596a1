import { roundedShare, roundTo } from './numbers';

describe('numbers', () => {
  describe('roundTo: half away from zero, in decimal', () => {
    it.each<[number, number, number]>([
      [1.005, 2, 1.01], // 1.00499999999999989… as a double
      [-1.005, 2, -1.01],
      [2.675, 2, 2.68],
      [1.6464, 2, 1.65],
      [1.6449, 2, 1.64],
      [-1.645, 2, -1.65],
      [103.33333333333333, 2, 103.33],
      [0.66665, 4, 0.6667],
      [0.12345, 4, 0.1235],
      [-0.001, 2, 0], // never -0
      [42, 2, 42],
    ])('%s to %s places → %s', (x, d, expected) => {
      expect(Object.is(roundTo(x, d), expected)).toBe(true);
    });

    it('refuses NaN and infinities', () => {
      expect(() => roundTo(NaN, 2)).toThrow(RangeError);
      expect(() => roundTo(Infinity, 2)).toThrow(RangeError);
    });
  });

  describe('roundedShare: exact integer arithmetic', () => {
    it.each<[number, number, number]>([
      [0, 0, 0],
      [3, 0, 0],
      [0, 7, 0],
      [7, 10, 0.7],
      [2, 3, 0.6667],
      [1, 3, 0.3333],
      [1, 8, 0.125],
      [1, 16, 0.0625],
      [1, 32, 0.0313], // 0.03125: the half goes up
      [1, 20000, 0.0001], // 0.00005 → 0.0001
      [1, 20001, 0],
      [5, 5, 1],
    ])('%s of %s → %s', (count, total, expected) => {
      expect(roundedShare(count, total)).toBe(expected);
    });
  });
});
