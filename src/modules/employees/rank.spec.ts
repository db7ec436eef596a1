import { checkRank } from './rank';

describe('checkRank', () => {
  it.each([
    ['I/a', 'PNS'],
    ['III/d', 'PNS'],
    ['IV/e', 'PNS'],
    ['I', 'PPPK'],
    ['IX', 'PPPK'],
    ['XVII', 'PPPK'],
  ] as const)('accepts %s for %s', (rank, type) => expect(checkRank(rank, type)).toBeNull());

  it.each([
    ['III/e', 'PNS'], // only golongan IV has ruang e
    ['V/a', 'PNS'],
    ['iii/a', 'PNS'],
    ['IX', 'PNS'],
    ['III/a', 'PPPK'],
    ['XVIII', 'PPPK'],
    ['', 'PPPK'],
  ] as const)('rejects %s for %s', (rank, type) => expect(checkRank(rank, type)).toMatch(/is not a (PNS|PPPK) rank/));
});
