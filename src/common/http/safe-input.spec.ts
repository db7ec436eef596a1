import { MAX_JSON_DEPTH, unsafeInput } from './safe-input';

const nested = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

describe('unsafeInput', () => {
  it.each<[string, unknown, { field: string; message: RegExp } | undefined]>([
    ['a plain body', { name: 'Dinas', rows: [{ code: 'X' }] }, undefined],
    ['no body', undefined, undefined],
    ['NUL in a nested string', { rows: [{ code: 'X' }, { code: 'a\u0000' }] }, { field: 'rows.1.code', message: /NUL/ }],
    ['NUL in a key', { 'a\u0000b': 1 }, { field: 'a\\u0000b', message: /not a known field/ }],
    ['__proto__', JSON.parse('{"x":{"__proto__":{"admin":true}}}'), { field: 'x.__proto__', message: /not a known field/ }],
    ['constructor', { constructor: { prototype: {} } }, { field: 'constructor', message: /not a known field/ }],
    ['prototype', { a: [{ prototype: 1 }] }, { field: 'a.0.prototype', message: /not a known field/ }],
    ['nesting at the bound', nested(MAX_JSON_DEPTH), undefined],
    ['nesting beyond the bound', nested(MAX_JSON_DEPTH + 1), { field: Array(MAX_JSON_DEPTH).fill('a').join('.'), message: /deeper than 32/ }],
    ['100,000 levels, without overflowing the stack', nested(100_000), { field: Array(MAX_JSON_DEPTH).fill('a').join('.'), message: /deeper/ }],
  ])('%s', (_, value, expected) => {
    const found = unsafeInput(value);
    if (!expected) expect(found).toBeUndefined();
    else expect(found).toEqual({ field: expected.field, message: expect.stringMatching(expected.message) });
  });
});
