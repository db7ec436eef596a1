import { ancestorsOf, createsCycle, findCycle, parentsFirst } from './tree';

const graph = (edges: Record<string, string | null>) => (id: string) => edges[id];

describe('tree rules', () => {
  // kota ← dishub ← bidang-lalin ← uptd-terminal ; setda
  const org = graph({ kota: null, dishub: 'kota', lalin: 'dishub', terminal: 'lalin', setda: 'kota' });

  it.each([
    ['self as parent', 'dishub', 'dishub', true],
    ['a child as parent', 'dishub', 'lalin', true],
    ['a grandchild as parent', 'dishub', 'terminal', true],
    ['the root under its descendant', 'kota', 'terminal', true],
    ['a sibling as parent', 'dishub', 'setda', false],
    ['an ancestor as parent', 'terminal', 'kota', false],
    ['no parent', 'dishub', null, false],
    ['a node not yet in the tree', 'new', 'terminal', false],
  ] as const)('%s: %s under %s → cycle %s', (_, child, parent, expected) => {
    expect(createsCycle(child, parent, org)).toBe(expected);
  });

  it('reports the path of a cycle through the start node', () => {
    expect(findCycle('a', graph({ a: 'b', b: 'c', c: 'a' }))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('does not blame a node for a cycle above it', () => {
    expect(findCycle('x', graph({ x: 'a', a: 'b', b: 'a' }))).toBeNull();
  });

  it('lists the ancestors of a node, nearest first, with or without the node itself', () => {
    expect([...ancestorsOf('terminal', org, { includeSelf: false })]).toEqual(['lalin', 'dishub', 'kota']);
    expect([...ancestorsOf('terminal', org, { includeSelf: true })]).toEqual(['terminal', 'lalin', 'dishub', 'kota']);
    expect([...ancestorsOf('kota', org, { includeSelf: false })]).toEqual([]);
    expect([...ancestorsOf(null, org, { includeSelf: true })]).toEqual([]);
  });

  it('stops listing ancestors at a loop, through the node or above it', () => {
    const loop = graph({ a: 'b', b: 'c', c: 'a' });
    expect([...ancestorsOf('a', loop, { includeSelf: false })]).toEqual(['b', 'c']);
    expect([...ancestorsOf('a', loop, { includeSelf: true })]).toEqual(['a', 'b', 'c']);
    expect([...ancestorsOf('x', graph({ x: 'a', a: 'b', b: 'a' }), { includeSelf: false })]).toEqual(['a', 'b']);
  });

  it('orders parents before children whatever the input order', () => {
    const parent = graph({ c: 'b', b: 'a', a: null, d: 'outside' });
    const order = parentsFirst(['c', 'd', 'b', 'a'], parent);
    expect(order.indexOf('a')).toBeLessThan(order.indexOf('b'));
    expect(order.indexOf('b')).toBeLessThan(order.indexOf('c'));
    expect(order).toHaveLength(4);
  });
});
