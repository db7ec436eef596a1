import { bknGolonganId, checkRank } from './rank';

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

describe('bknGolonganId', () => {
  it.each([
    ['I/a', 11],
    ['I/d', 14],
    ['II/a', 21],
    ['II/c', 23],
    ['III/a', 31],
    ['III/d', 34],
    ['IV/a', 41],
    ['IV/e', 45],
  ])('maps %s to %i', (rank, id) => expect(bknGolonganId(rank)).toBe(id));

  it.each(['III/e', 'IX', 'XVII', 'iii/a', ''])('has no id for %p', (rank) => expect(bknGolonganId(rank)).toBeNull());
});
