import { pgArray } from './pg-array';

describe('pgArray', () => {
  it('writes uuids, numerals, enum labels and nulls bare', () => {
    expect(pgArray(['0b1e7d2a-1111-4000-8000-000000000001', 'MEETS_EXPECTATION', null, 12.5, -0.25, 1e21, '99.9900'])).toBe(
      '{0b1e7d2a-1111-4000-8000-000000000001,MEETS_EXPECTATION,NULL,12.5,-0.25,1e+21,99.9900}',
    );
    expect(pgArray([])).toBe('{}');
  });

  it.each([[''], ['a,b'], ['a b'], ['"x"'], ['{x}'], ['a\\b'], ['null'], ['NULL'], ['x\u0000']])('refuses %j, which would need quoting', (v) => {
    expect(() => pgArray([v])).toThrow(RangeError);
  });

  it.each([[NaN], [Infinity], [-Infinity]])('refuses %p', (v) => {
    expect(() => pgArray([v])).toThrow(RangeError);
  });
});
