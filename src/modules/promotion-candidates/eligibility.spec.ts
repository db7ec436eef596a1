import type { Predicate } from '../scoring/types';
import type { Potential } from '../employees/entities/employee.entity';
import {
  addYears,
  CandidateFacts,
  compareCandidates,
  EligibilityParams,
  evaluate,
  Evaluation,
  predicateRank,
  ReasonCode,
  talentBox,
  WindowPeriod,
} from './eligibility';

/** Two closed annual periods, newest first. */
const WINDOW: WindowPeriod[] = [
  { id: 'p2025', code: '2025' },
  { id: 'p2024', code: '2024' },
];

const PARAMS: EligibilityParams = { window: 2, minPredicate: 'BAIK', minYearsInRank: 4, penaltyYears: 2, asOf: '2026-03-01' };

/** A candidate that passes every check with PARAMS and WINDOW. */
function base(overrides: Partial<CandidateFacts> = {}): CandidateFacts {
  return {
    nip: '198501012010011001',
    status: 'ACTIVE',
    rankSince: '2020-04-01',
    potential: 'MEDIUM',
    results: new Map([
      ['p2025', { predicate: 'SANGAT_BAIK', finalScore: 112.5 }],
      ['p2024', { predicate: 'BAIK', finalScore: 101 }],
    ]),
    seriousPenalties: [],
    ...overrides,
  };
}

const results = (...rows: [string, Predicate | null, number | null][]) =>
  new Map(rows.map(([id, predicate, finalScore]) => [id, { predicate, finalScore }]));

const codes = (e: Evaluation) => e.reasons.map((r) => r.code);

describe('eligibility (spec §7)', () => {
  it('the base candidate passes everything', () => {
    const e = evaluate(base(), WINDOW, PARAMS);
    expect(e).toEqual({
      eligible: true,
      reasons: [],
      periods: [
        { code: '2025', predicate: 'SANGAT_BAIK', finalScore: 112.5 },
        { code: '2024', predicate: 'BAIK', finalScore: 101 },
      ],
      meanFinalScore: 106.75,
      sangatBaikCount: 1,
      latestFinalScore: 112.5,
      talentBox: 8,
    });
  });

  describe('each rule failing alone', () => {
    const cases: [string, Partial<CandidateFacts>, WindowPeriod[], Partial<EligibilityParams>, ReasonCode][] = [
      ['an INACTIVE employee', { status: 'INACTIVE' }, WINDOW, {}, 'NOT_ACTIVE'],
      ['a RETIRED employee', { status: 'RETIRED' }, WINDOW, {}, 'NOT_ACTIVE'],
      ['fewer closed periods than the window', {}, WINDOW.slice(0, 1), {}, 'NOT_ENOUGH_CLOSED_PERIODS'],
      ['no closed period at all', { results: new Map() }, [], {}, 'NOT_ENOUGH_CLOSED_PERIODS'],
      ['no finalised appraisal in one period', { results: results(['p2025', 'BAIK', 100]) }, WINDOW, {}, 'MISSING_FINALIZED_APPRAISAL'],
      ['a predicate below BAIK', { results: results(['p2025', 'SANGAT_BAIK', 115], ['p2024', 'BUTUH_PERBAIKAN', 95]) }, WINDOW, {}, 'PREDICATE_BELOW_MINIMUM'],
      ['a null predicate (behaviour not assessed)', { results: results(['p2025', null, null], ['p2024', 'BAIK', 100]) }, WINDOW, {}, 'PREDICATE_BELOW_MINIMUM'],
      ['a rank held under 4 years', { rankSince: '2022-03-02' }, WINDOW, {}, 'RANK_TOO_RECENT'],
      ['a MODERATE or HEAVY penalty within 2 years', { seriousPenalties: ['2025-06-15'] }, WINDOW, {}, 'RECENT_PENALTY'],
    ];
    it.each(cases)('%s', (_name, facts, window, params, code) => {
      const e = evaluate(base(facts), window, { ...PARAMS, ...params });
      expect(e.eligible).toBe(false);
      expect(codes(e)).toEqual([code]);
      expect(e.reasons[0].message).toEqual(expect.any(String));
      expect(e.reasons[0].message.length).toBeGreaterThan(0);
    });

    it('reports every failing check, not only the first', () => {
      const e = evaluate(
        base({ status: 'INACTIVE', rankSince: '2025-01-01', seriousPenalties: ['2026-01-01'], results: results(['p2025', 'KURANG', 80]) }),
        WINDOW,
        PARAMS,
      );
      expect(codes(e).sort()).toEqual(
        ['MISSING_FINALIZED_APPRAISAL', 'NOT_ACTIVE', 'PREDICATE_BELOW_MINIMUM', 'RANK_TOO_RECENT', 'RECENT_PENALTY'].sort(),
      );
    });

    it('a missing period in the window lists the period code and keeps the period with null values', () => {
      const e = evaluate(base({ results: results(['p2025', 'BAIK', 100]) }), WINDOW, PARAMS);
      expect(e.reasons).toEqual([{ code: 'MISSING_FINALIZED_APPRAISAL', message: expect.stringContaining('2024') }]);
      expect(e.periods).toEqual([
        { code: '2025', predicate: 'BAIK', finalScore: 100 },
        { code: '2024', predicate: null, finalScore: null },
      ]);
      expect(e.meanFinalScore).toBe(100);
    });

    it('results outside the window are ignored', () => {
      const e = evaluate(base({ results: results(['p2025', 'BAIK', 100], ['p2024', 'BAIK', 100], ['p2023', 'SANGAT_KURANG', 50]) }), WINDOW, PARAMS);
      expect(e.eligible).toBe(true);
      expect(e.meanFinalScore).toBe(100);
    });
  });

  describe('years in rank against asOf', () => {
    it.each<[string, string, boolean]>([
      ['exactly 4 years before asOf', '2022-03-01', true],
      ['one day later', '2022-03-02', false],
      ['one day earlier', '2022-02-28', true],
    ])('%s (rankSince %s)', (_name, rankSince, eligible) => {
      const e = evaluate(base({ rankSince }), WINDOW, PARAMS);
      expect(e.eligible).toBe(eligible);
      expect(codes(e)).toEqual(eligible ? [] : ['RANK_TOO_RECENT']);
    });

    it.each<[string, string, string, boolean]>([
      // 29 Feb + 4 years = 29 Feb again (2028 is a leap year)
      ['29 Feb 2024 + 4y reached on 29 Feb 2028', '2024-02-29', '2028-02-29', true],
      ['29 Feb 2024 not reached on 28 Feb 2028 when due on the 29th', '2024-02-29', '2028-02-28', false],
      // 29 Feb + 1 year (non-leap) clamps to 28 Feb
      ['29 Feb 2024 + 1y reached on 28 Feb 2025', '2024-02-29', '2025-02-28', true],
      ['29 Feb 2024 + 1y not reached on 27 Feb 2025', '2024-02-29', '2025-02-27', false],
    ])('%s', (_name, rankSince, asOf, eligible) => {
      const years = asOf.startsWith('2028') ? 4 : 1;
      const e = evaluate(base({ rankSince }), WINDOW, { ...PARAMS, minYearsInRank: years, asOf });
      expect(codes(e)).toEqual(eligible ? [] : ['RANK_TOO_RECENT']);
    });

    it('moving asOf across the boundary flips the rule', () => {
      const f = base({ rankSince: '2021-07-15' });
      expect(evaluate(f, WINDOW, { ...PARAMS, asOf: '2025-07-14' }).eligible).toBe(false);
      expect(evaluate(f, WINDOW, { ...PARAMS, asOf: '2025-07-15' }).eligible).toBe(true);
    });

    it('minYearsInRank 0 accepts a rank from asOf itself', () => {
      expect(evaluate(base({ rankSince: PARAMS.asOf }), WINDOW, { ...PARAMS, minYearsInRank: 0 }).eligible).toBe(true);
    });
  });

  describe('the penalty window (asOf − penaltyYears, asOf]', () => {
    it.each<[string, string[], boolean]>([
      ['exactly penaltyYears before asOf (outside)', ['2024-03-01'], true],
      ['one day later (inside)', ['2024-03-02'], false],
      ['on asOf itself (inside)', ['2026-03-01'], false],
      ['after asOf (ignored)', ['2026-03-02'], true],
      ['long ago', ['2010-01-01'], true],
      ['one old and one recent', ['2010-01-01', '2025-12-31'], false],
    ])('a penalty %s', (_name, seriousPenalties, eligible) => {
      const e = evaluate(base({ seriousPenalties }), WINDOW, PARAMS);
      expect(e.eligible).toBe(eligible);
      expect(codes(e)).toEqual(eligible ? [] : ['RECENT_PENALTY']);
    });

    it('names the latest penalty within the window', () => {
      const e = evaluate(base({ seriousPenalties: ['2025-12-31', '2024-06-01', '2026-05-01'] }), WINDOW, PARAMS);
      expect(e.reasons[0].message).toContain('2025-12-31');
    });

    it('penaltyYears 1 narrows the window', () => {
      expect(evaluate(base({ seriousPenalties: ['2024-06-01'] }), WINDOW, { ...PARAMS, penaltyYears: 1 }).eligible).toBe(true);
      expect(evaluate(base({ seriousPenalties: ['2025-03-02'] }), WINDOW, { ...PARAMS, penaltyYears: 1 }).eligible).toBe(false);
    });

    it('a 29 Feb asOf: the window starts on 28 Feb penaltyYears before (non-leap)', () => {
      const asOf = '2028-02-29';
      expect(evaluate(base({ seriousPenalties: ['2027-02-28'] }), WINDOW, { ...PARAMS, penaltyYears: 1, asOf }).eligible).toBe(true);
      expect(evaluate(base({ seriousPenalties: ['2027-03-01'] }), WINDOW, { ...PARAMS, penaltyYears: 1, asOf }).eligible).toBe(false);
    });
  });

  describe('minPredicate', () => {
    const facts = base({ results: results(['p2025', 'SANGAT_BAIK', 115], ['p2024', 'BAIK', 100]) });
    it('BAIK accepts BAIK and SANGAT_BAIK', () => {
      expect(evaluate(facts, WINDOW, { ...PARAMS, minPredicate: 'BAIK' }).eligible).toBe(true);
    });
    it('SANGAT_BAIK rejects the BAIK year only', () => {
      const e = evaluate(facts, WINDOW, { ...PARAMS, minPredicate: 'SANGAT_BAIK' });
      expect(e.reasons).toEqual([{ code: 'PREDICATE_BELOW_MINIMUM', message: expect.stringContaining('2024') }]);
    });
    it('SANGAT_BAIK accepts two SANGAT_BAIK years', () => {
      const all = base({ results: results(['p2025', 'SANGAT_BAIK', 115], ['p2024', 'SANGAT_BAIK', 112]) });
      expect(evaluate(all, WINDOW, { ...PARAMS, minPredicate: 'SANGAT_BAIK' }).eligible).toBe(true);
    });
    it('BUTUH_PERBAIKAN accepts BUTUH_PERBAIKAN but not KURANG', () => {
      const p = { ...PARAMS, minPredicate: 'BUTUH_PERBAIKAN' as const };
      expect(evaluate(base({ results: results(['p2025', 'BUTUH_PERBAIKAN', 90], ['p2024', 'BAIK', 100]) }), WINDOW, p).eligible).toBe(true);
      expect(codes(evaluate(base({ results: results(['p2025', 'KURANG', 90], ['p2024', 'BAIK', 100]) }), WINDOW, p))).toEqual([
        'PREDICATE_BELOW_MINIMUM',
      ]);
    });
    it('predicateRank orders SANGAT_BAIK > BAIK > BUTUH_PERBAIKAN > KURANG > SANGAT_KURANG', () => {
      const order: Predicate[] = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'];
      const ranks = order.map(predicateRank);
      expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
      expect(new Set(ranks).size).toBe(5);
    });
  });

  describe('talent box (PermenPAN-RB 3/2020 nine-box)', () => {
    const cells: [Potential, Predicate | null, number][] = [
      ['HIGH', 'SANGAT_KURANG', 4],
      ['HIGH', 'KURANG', 4],
      ['HIGH', 'BUTUH_PERBAIKAN', 4],
      ['HIGH', null, 4],
      ['HIGH', 'BAIK', 7],
      ['HIGH', 'SANGAT_BAIK', 9],
      ['MEDIUM', 'BUTUH_PERBAIKAN', 2],
      ['MEDIUM', null, 2],
      ['MEDIUM', 'BAIK', 5],
      ['MEDIUM', 'SANGAT_BAIK', 8],
      ['LOW', 'KURANG', 1],
      ['LOW', null, 1],
      ['LOW', 'BAIK', 3],
      ['LOW', 'SANGAT_BAIK', 6],
    ];
    it.each(cells)('%s potential, latest %s → box %i', (potential, latest, box) => {
      expect(talentBox(latest, potential)).toBe(box);
    });
    it('covers all nine boxes', () => {
      expect(new Set(cells.map(([, , b]) => b))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    });
    it.each<[Predicate | null]>([['SANGAT_BAIK'], ['BAIK'], [null]])('null potential → null (latest %s)', (latest) => {
      expect(talentBox(latest, null)).toBeNull();
    });
    it('evaluate takes the latest (newest-first) period predicate', () => {
      const f = base({ potential: 'HIGH', results: results(['p2025', 'BAIK', 100], ['p2024', 'SANGAT_BAIK', 115]) });
      expect(evaluate(f, WINDOW, PARAMS).talentBox).toBe(7);
      expect(evaluate(base({ potential: null }), WINDOW, PARAMS).talentBox).toBeNull();
      // A missing latest period counts as BELOW.
      const missing = base({ potential: 'LOW', results: results(['p2024', 'SANGAT_BAIK', 115]) });
      expect(evaluate(missing, WINDOW, PARAMS).talentBox).toBe(1);
    });
  });

  describe('ranking (compareCandidates)', () => {
    const cand = (nip: string, rows: [Predicate, number][]) => ({
      nip,
      ...evaluate(base({ nip, results: results(...rows.map(([p, s], i): [string, Predicate, number] => [WINDOW[i].id, p, s])) }), WINDOW, PARAMS),
    });

    it('mean finalScore, then SANGAT_BAIK count, then latest finalScore, then NIP ascending', () => {
      // A: highest mean.
      const a = cand('199000000000000009', [['BAIK', 110], ['BAIK', 110]]); // mean 110
      // B..E: mean 105 each.
      const b = cand('199000000000000008', [['SANGAT_BAIK', 105], ['SANGAT_BAIK', 105]]); // 2 SB
      const c = cand('199000000000000007', [['SANGAT_BAIK', 108], ['BAIK', 102]]); // 1 SB, latest 108
      const d2 = cand('199000000000000006', [['BAIK', 102], ['SANGAT_BAIK', 108]]); // 1 SB, latest 102, NIP …6
      const d1 = cand('199000000000000005', [['BAIK', 102], ['SANGAT_BAIK', 108]]); // identical, NIP …5
      const z = cand('199000000000000001', [['BAIK', 100], ['BAIK', 100]]); // mean 100
      for (const x of [b, c, d1, d2]) expect(x.meanFinalScore).toBe(105);
      const sorted = [z, d2, c, d1, a, b].sort(compareCandidates).map((x) => x.nip);
      expect(sorted).toEqual([a.nip, b.nip, c.nip, d1.nip, d2.nip, z.nip]);
      // Order of input does not matter.
      expect([b, d1, a, z, c, d2].sort(compareCandidates).map((x) => x.nip)).toEqual(sorted);
    });

    it('each tie-breaker decides alone', () => {
      const byMean = [cand('2', [['BAIK', 100], ['BAIK', 100]]), cand('1', [['BAIK', 101], ['BAIK', 100]])];
      expect(byMean.sort(compareCandidates).map((x) => x.nip)).toEqual(['1', '2']);
      const bySb = [cand('1', [['BAIK', 105], ['BAIK', 105]]), cand('2', [['SANGAT_BAIK', 105], ['BAIK', 105]])];
      expect(bySb.sort(compareCandidates).map((x) => x.nip)).toEqual(['2', '1']);
      const byLatest = [cand('1', [['BAIK', 100], ['BAIK', 110]]), cand('2', [['BAIK', 110], ['BAIK', 100]])];
      expect(byLatest.sort(compareCandidates).map((x) => x.nip)).toEqual(['2', '1']);
      const byNip = [cand('199000000000000002', [['BAIK', 100], ['BAIK', 100]]), cand('199000000000000001', [['BAIK', 100], ['BAIK', 100]])];
      expect(byNip.sort(compareCandidates).map((x) => x.nip)).toEqual(['199000000000000001', '199000000000000002']);
      expect(compareCandidates(byNip[0], byNip[0])).toBe(0);
    });

    it('a null mean ranks last', () => {
      const none = { nip: '0', ...evaluate(base({ results: new Map() }), WINDOW, PARAMS) };
      const some = cand('9', [['BAIK', 1], ['BAIK', 1]]);
      expect(none.meanFinalScore).toBeNull();
      expect([none, some].sort(compareCandidates).map((x) => x.nip)).toEqual(['9', '0']);
    });

    it('the mean is rounded to two decimals', () => {
      expect(cand('1', [['BAIK', 100.005], ['BAIK', 100]]).meanFinalScore).toBe(100);
      expect(cand('1', [['BAIK', 100.01], ['BAIK', 100]]).meanFinalScore).toBe(100.01);
      expect(cand('1', [['BAIK', 101], ['BAIK', 100.5]]).meanFinalScore).toBe(100.75);
    });
  });

  describe('addYears', () => {
    it.each<[string, number, string]>([
      ['2022-03-01', 4, '2026-03-01'],
      ['2024-02-29', 4, '2028-02-29'],
      ['2024-02-29', 1, '2025-02-28'],
      ['2024-02-29', -1, '2023-02-28'],
      ['2026-03-01', -2, '2024-03-01'],
      ['2026-12-31', 0, '2026-12-31'],
    ])('%s + %i years = %s', (date, years, expected) => {
      expect(addYears(date, years)).toBe(expected);
    });
  });
});
