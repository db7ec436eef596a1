import { IKM_CATEGORY_BOUNDS, IKM_ELEMENTS, ikmCategory, ikmOfSums, zeroElementSums, type IkmCategory, type IkmElement } from './ikm';

type IkmAnswers = Record<IkmElement, number>;

/** One respondent's answers U1…U9, written as a 9-digit string such as '444433333'. */
const r = (digits: string): IkmAnswers => {
  if (!/^[1-4]{9}$/.test(digits)) throw new Error(`bad fixture ${digits}`);
  return Object.fromEntries(IKM_ELEMENTS.map((e, i) => [e, Number(digits[i])])) as IkmAnswers;
};
const times = (n: number, digits: string): IkmAnswers[] => Array.from({ length: n }, () => r(digits));
/** The index of whole responses, through the per-element sums the SQL aggregates give. */
const ikmOf = (answers: IkmAnswers[]) =>
  ikmOfSums(
    answers.reduce((sums, a) => Object.fromEntries(IKM_ELEMENTS.map((e) => [e, sums[e] + a[e]])) as IkmAnswers, zeroElementSums()),
    answers.length,
  );
const nrrList = (...values: number[]) => Object.fromEntries(IKM_ELEMENTS.map((e, i) => [e, values[i]]));

describe('ikmOfSums', () => {
  it('is null without answers', () => {
    expect(ikmOf([])).toBeNull();
  });

  it.each<[string, IkmAnswers[], number[], number, IkmCategory, string]>([
    // every NRR 4 → mean 4 → 4 × 25 = 100
    ['one respondent, all 4s', [r('444444444')], [4, 4, 4, 4, 4, 4, 4, 4, 4], 100, 'A', 'Sangat Baik'],
    // every NRR 3 → 3 × 25 = 75 (C is 65.00–76.60)
    ['ten respondents, all 3s', times(10, '333333333'), [3, 3, 3, 3, 3, 3, 3, 3, 3], 75, 'C', 'Kurang Baik'],
    ['all 2s', times(3, '222222222'), [2, 2, 2, 2, 2, 2, 2, 2, 2], 50, 'D', 'Tidak Baik'],
    ['all 1s: the floor of the scale', times(2, '111111111'), [1, 1, 1, 1, 1, 1, 1, 1, 1], 25, 'D', 'Tidak Baik'],
    // Mixed set, four respondents:
    //        U1 U2 U3 U4 U5 U6 U7 U8 U9   sum
    //   R1    4  4  4  4  4  4  4  4  4    36
    //   R2    3  3  3  3  3  3  3  3  3    27
    //   R3    4  3  4  3  4  3  4  3  4    32
    //   R4    2  3  4  1  3  4  3  2  3    25
    //   NRR  13/4 13/4 15/4 11/4 14/4 14/4 14/4 12/4 14/4
    //      = 3.25 3.25 3.75 2.75 3.50 3.50 3.50 3.00 3.50   Σ = 30 (= 120 / 4)
    //   IKM = 30 / 9 × 25 = 83.333… → 83.33, B (76.61–88.30) "Baik"
    [
      'mixed set of four',
      [r('444444444'), r('333333333'), r('434343434'), r('234134323')],
      [3.25, 3.25, 3.75, 2.75, 3.5, 3.5, 3.5, 3, 3.5],
      250 / 3,
      'B',
      'Baik',
    ],
    // Four respondents all 3s and one all 1s: every NRR = (4·3 + 1)/5 = 2.6; IKM = 2.6 × 25 = 65.00 exactly,
    // the lowest C.
    ['lower bound of C reached exactly', [...times(4, '333333333'), r('111111111')], [2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6], 65, 'C', 'Kurang Baik'],
    // 19 respondents 444443333 (sum 32) and 5 respondents 444433333 (sum 31): total 19·32 + 5·31 = 763.
    // NRR U1–U4 = 4, U5 = (19·4 + 5·3)/24 = 91/24 = 3.791666…, U6–U9 = 3; Σ NRR = 763/24.
    // IKM = 25 · 763 / (9 · 24) = 19075/216 = 88.310185… → 88.31 → A (lowest A).
    [
      'just inside A',
      [...times(19, '444443333'), ...times(5, '444433333')],
      [4, 4, 4, 4, 91 / 24, 3, 3, 3, 3],
      19075 / 216,
      'A',
      'Sangat Baik',
    ],
    // Same with one respondent moved from 32 to 31: total 762; IKM = 25 · 762 / 216 = 19050/216 = 88.19444… → B.
    [
      'one answer lower: B',
      [...times(18, '444443333'), ...times(6, '444433333')],
      [4, 4, 4, 4, 90 / 24, 3, 3, 3, 3],
      19050 / 216,
      'B',
      'Baik',
    ],
  ])('%s', (_, answers, nrr, ikm, category, label) => {
    const result = ikmOf(answers);
    expect(result).not.toBeNull();
    expect(result!.responses).toBe(answers.length);
    const expectedNrr = nrrList(...nrr);
    for (const e of IKM_ELEMENTS) expect(result!.nrr[e]).toBeCloseTo(expectedNrr[e], 12);
    expect(result!.ikm).toBeCloseTo(ikm, 12);
    expect(result!.category).toBe(category);
    expect(result!.label).toBe(label);
  });

  it('gives exact round figures where the arithmetic allows', () => {
    expect(ikmOf(times(10, '333333333'))!.ikm).toBe(75);
    expect(ikmOf([r('444444444')])!.ikm).toBe(100);
    expect(ikmOf([...times(4, '333333333'), r('111111111')])!.ikm).toBe(65);
  });

  it('does not depend on the order of the answers', () => {
    const answers = [r('444444444'), r('333333333'), r('434343434'), r('234134323')];
    expect(ikmOf([...answers].reverse())).toEqual(ikmOf(answers));
  });

});

describe('ikmCategory', () => {
  // Classified on the value rounded half away from zero to 2 decimals, so the gaps between the bounds
  // (88.30|88.31, 76.60|76.61, 64.99|65.00) are closed by rounding.
  it.each<[number, IkmCategory]>([
    [100, 'A'],
    [88.31, 'A'],
    [88.305, 'A'], // → 88.31
    [88.3049, 'B'], // → 88.30
    [88.3, 'B'],
    [83.333, 'B'],
    [76.61, 'B'],
    [76.605, 'B'], // → 76.61
    [76.6049, 'C'], // → 76.60
    [76.6, 'C'],
    [75, 'C'],
    [65, 'C'],
    [64.995, 'C'], // → 65.00
    [64.9949, 'D'], // → 64.99
    [64.99, 'D'],
    [50, 'D'],
    [25, 'D'],
    [24.995, 'D'], // → 25.00, the floor of the scale
  ])('%p → %s', (ikm, category) => {
    expect(ikmCategory(ikm)).toBe(category);
  });

  it('labels the categories as §4 names them', () => {
    expect(Object.fromEntries(Object.entries(IKM_CATEGORY_BOUNDS).map(([c, b]) => [c, b.label]))).toEqual({
      A: 'Sangat Baik',
      B: 'Baik',
      C: 'Kurang Baik',
      D: 'Tidak Baik',
    });
  });

  it.each([24.99, 100.01, 0, NaN])('refuses %p, outside the 25–100 scale', (ikm) => {
    expect(() => ikmCategory(ikm)).toThrow(RangeError);
  });
});
