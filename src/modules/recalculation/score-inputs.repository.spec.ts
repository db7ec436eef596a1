import { idRange } from './score-inputs.repository';

describe('idRange', () => {
  it('answers the lowest and highest id in PostgreSQL uuid order (lower-case text order), whatever the order and case given', () => {
    expect(idRange(['B0000000-0000-4000-8000-000000000000', '0a000000-0000-4000-8000-000000000000', 'ff000000-0000-4000-8000-000000000001', 'ff000000-0000-4000-8000-000000000000'])).toEqual([
      '0a000000-0000-4000-8000-000000000000',
      'ff000000-0000-4000-8000-000000000001',
    ]);
  });

  it('gives one id as both ends, and no ids a range matching nothing more than ANY of none does', () => {
    expect(idRange(['c0000000-0000-4000-8000-000000000000'])).toEqual(['c0000000-0000-4000-8000-000000000000', 'c0000000-0000-4000-8000-000000000000']);
    expect(idRange([])).toEqual(['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000']);
  });
});
