import { ORGANISATION_PREDICATES, OrganisationPredicate } from './entities/organisation-predicate.entity';
import { checkCurve, CurveRuleCode, emptyCounts, PredicateCounts, predicateShares, scoredTotal } from './curve';

/** Counts with the given predicates; every other predicate 0. */
const c = (partial: Partial<PredicateCounts>): PredicateCounts => ({ ...emptyCounts(), ...partial });
const failing = (org: OrganisationPredicate | null, counts: PredicateCounts): CurveRuleCode[] => checkCurve(org, counts).map((f) => f.rule);

describe('distribution curve', () => {
  describe('checkCurve: each rule passes on its boundary and fails just past it', () => {
    it.each<[string, OrganisationPredicate, Partial<PredicateCounts>, CurveRuleCode[]]>([
      // ISTIMEWA — SANGAT_BAIK ≤ 70%
      ['ISTIMEWA, SANGAT_BAIK exactly 70% (7 of 10)', 'ISTIMEWA', { SANGAT_BAIK: 7, BAIK: 3 }, []],
      ['ISTIMEWA, SANGAT_BAIK 70 of 100', 'ISTIMEWA', { SANGAT_BAIK: 70, BAIK: 30 }, []],
      ['ISTIMEWA, SANGAT_BAIK 71 of 100', 'ISTIMEWA', { SANGAT_BAIK: 71, BAIK: 29 }, ['SANGAT_BAIK_AT_MOST_70']],
      ['ISTIMEWA, SANGAT_BAIK 8 of 10', 'ISTIMEWA', { SANGAT_BAIK: 8, BAIK: 2 }, ['SANGAT_BAIK_AT_MOST_70']],
      ['ISTIMEWA, nothing but SANGAT_BAIK', 'ISTIMEWA', { SANGAT_BAIK: 3 }, ['SANGAT_BAIK_AT_MOST_70']],
      ['ISTIMEWA, unscored appraisals do not dilute the share', 'ISTIMEWA', { SANGAT_BAIK: 8, BAIK: 2, unscored: 50 }, ['SANGAT_BAIK_AT_MOST_70']],

      // BAIK — BAIK ≤ 70%
      ['BAIK, BAIK exactly 70% (7 of 10)', 'BAIK', { BAIK: 7, BUTUH_PERBAIKAN: 3 }, []],
      ['BAIK, BAIK 71 of 100', 'BAIK', { BAIK: 71, SANGAT_BAIK: 28, KURANG: 1 }, ['BAIK_AT_MOST_70']],
      ['BAIK, BAIK 8 of 10', 'BAIK', { BAIK: 8, KURANG: 2 }, ['BAIK_AT_MOST_70']],
      // BAIK — at least one BUTUH_PERBAIKAN or KURANG, from 5 appraisals with a predicate
      ['BAIK, 5 appraisals with one BUTUH_PERBAIKAN', 'BAIK', { SANGAT_BAIK: 2, BAIK: 2, BUTUH_PERBAIKAN: 1 }, []],
      ['BAIK, 5 appraisals with one KURANG', 'BAIK', { SANGAT_BAIK: 2, BAIK: 2, KURANG: 1 }, []],
      ['BAIK, 5 appraisals with neither', 'BAIK', { SANGAT_BAIK: 2, BAIK: 3 }, ['BUTUH_PERBAIKAN_OR_KURANG_AT_LEAST_ONE']],
      ['BAIK, SANGAT_KURANG does not count as BUTUH_PERBAIKAN or KURANG', 'BAIK', { SANGAT_BAIK: 2, BAIK: 2, SANGAT_KURANG: 1 }, [
        'BUTUH_PERBAIKAN_OR_KURANG_AT_LEAST_ONE',
      ]],
      ['BAIK, 4 appraisals with neither: the rule does not apply yet', 'BAIK', { SANGAT_BAIK: 2, BAIK: 2 }, []],
      ['BAIK, 4 with a predicate and 3 unscored: still does not apply', 'BAIK', { SANGAT_BAIK: 2, BAIK: 2, unscored: 3 }, []],
      ['BAIK, both rules broken', 'BAIK', { BAIK: 10 }, ['BAIK_AT_MOST_70', 'BUTUH_PERBAIKAN_OR_KURANG_AT_LEAST_ONE']],

      // BUTUH_PERBAIKAN — BUTUH_PERBAIKAN ≥ 60%, SANGAT_BAIK ≤ 10%
      ['BUTUH_PERBAIKAN, exactly 60% and 10%', 'BUTUH_PERBAIKAN', { BUTUH_PERBAIKAN: 6, SANGAT_BAIK: 1, BAIK: 3 }, []],
      ['BUTUH_PERBAIKAN, 60 of 100 and 10 of 100', 'BUTUH_PERBAIKAN', { BUTUH_PERBAIKAN: 60, SANGAT_BAIK: 10, BAIK: 30 }, []],
      ['BUTUH_PERBAIKAN, BUTUH_PERBAIKAN 59 of 100', 'BUTUH_PERBAIKAN', { BUTUH_PERBAIKAN: 59, BAIK: 41 }, ['BUTUH_PERBAIKAN_AT_LEAST_60']],
      ['BUTUH_PERBAIKAN, SANGAT_BAIK 11 of 100', 'BUTUH_PERBAIKAN', { BUTUH_PERBAIKAN: 60, SANGAT_BAIK: 11, BAIK: 29 }, ['SANGAT_BAIK_AT_MOST_10']],
      ['BUTUH_PERBAIKAN, both broken', 'BUTUH_PERBAIKAN', { BUTUH_PERBAIKAN: 5, SANGAT_BAIK: 5 }, ['BUTUH_PERBAIKAN_AT_LEAST_60', 'SANGAT_BAIK_AT_MOST_10']],

      // KURANG — KURANG ≥ 60%, BUTUH_PERBAIKAN ≥ 10%, SANGAT_BAIK ≤ 10%
      ['KURANG, exactly 60%, 10% and 10%', 'KURANG', { KURANG: 6, BUTUH_PERBAIKAN: 1, SANGAT_BAIK: 1, BAIK: 2 }, []],
      ['KURANG, KURANG 59 of 100', 'KURANG', { KURANG: 59, BUTUH_PERBAIKAN: 10, BAIK: 31 }, ['KURANG_AT_LEAST_60']],
      ['KURANG, BUTUH_PERBAIKAN 9 of 100', 'KURANG', { KURANG: 60, BUTUH_PERBAIKAN: 9, BAIK: 31 }, ['BUTUH_PERBAIKAN_AT_LEAST_10']],
      ['KURANG, BUTUH_PERBAIKAN 10 of 100', 'KURANG', { KURANG: 60, BUTUH_PERBAIKAN: 10, BAIK: 30 }, []],
      ['KURANG, SANGAT_BAIK 11 of 100', 'KURANG', { KURANG: 60, BUTUH_PERBAIKAN: 10, SANGAT_BAIK: 11, BAIK: 19 }, ['SANGAT_BAIK_AT_MOST_10']],
      ['KURANG, all three broken', 'KURANG', { SANGAT_BAIK: 5, BAIK: 5 }, ['KURANG_AT_LEAST_60', 'BUTUH_PERBAIKAN_AT_LEAST_10', 'SANGAT_BAIK_AT_MOST_10']],

      // SANGAT_KURANG — SANGAT_KURANG ≥ 60%, KURANG + BUTUH_PERBAIKAN ≥ 10%, no SANGAT_BAIK
      ['SANGAT_KURANG, exactly 60% and 10% (KURANG)', 'SANGAT_KURANG', { SANGAT_KURANG: 6, KURANG: 1, BAIK: 3 }, []],
      ['SANGAT_KURANG, exactly 60% and 10% (BUTUH_PERBAIKAN)', 'SANGAT_KURANG', { SANGAT_KURANG: 6, BUTUH_PERBAIKAN: 1, BAIK: 3 }, []],
      ['SANGAT_KURANG, 5 + 5 of 100 together make 10%', 'SANGAT_KURANG', { SANGAT_KURANG: 60, KURANG: 5, BUTUH_PERBAIKAN: 5, BAIK: 30 }, []],
      ['SANGAT_KURANG, SANGAT_KURANG 59 of 100', 'SANGAT_KURANG', { SANGAT_KURANG: 59, KURANG: 10, BAIK: 31 }, ['SANGAT_KURANG_AT_LEAST_60']],
      ['SANGAT_KURANG, KURANG + BUTUH_PERBAIKAN 9 of 100', 'SANGAT_KURANG', { SANGAT_KURANG: 60, KURANG: 5, BUTUH_PERBAIKAN: 4, BAIK: 31 }, [
        'KURANG_OR_BUTUH_PERBAIKAN_AT_LEAST_10',
      ]],
      ['SANGAT_KURANG, one SANGAT_BAIK of 100', 'SANGAT_KURANG', { SANGAT_KURANG: 60, KURANG: 10, SANGAT_BAIK: 1, BAIK: 29 }, ['NO_SANGAT_BAIK']],
      ['SANGAT_KURANG, all three broken', 'SANGAT_KURANG', { SANGAT_BAIK: 10 }, [
        'SANGAT_KURANG_AT_LEAST_60',
        'KURANG_OR_BUTUH_PERBAIKAN_AT_LEAST_10',
        'NO_SANGAT_BAIK',
      ]],
    ])('%s → %j', (_, org, counts, expected) => {
      expect(failing(org, c(counts))).toEqual(expected);
    });

    it('applies no rule without an organisation predicate', () => {
      expect(checkCurve(null, c({ SANGAT_BAIK: 10 }))).toEqual([]);
    });

    it.each(ORGANISATION_PREDICATES)('fails no rule of %s when no appraisal has a predicate', (org) => {
      expect(checkCurve(org, c({ unscored: 7 }))).toEqual([]);
      expect(checkCurve(org, c({}))).toEqual([]);
    });

    it('compares exactly where float shares would not', () => {
      // KURANG 1 + BUTUH_PERBAIKAN 5 of 60 is exactly 10%, but 1/60 + 5/60 is 0.09999999999999999 in floats.
      expect(1 / 60 + 5 / 60).toBeLessThan(0.1);
      expect(checkCurve('SANGAT_KURANG', c({ SANGAT_KURANG: 36, KURANG: 1, BUTUH_PERBAIKAN: 5, BAIK: 18 }))).toEqual([]);
      // 7001 of 10001 shows as a share of 0.7 (4 decimals) yet is above 70%.
      expect(checkCurve('ISTIMEWA', c({ SANGAT_BAIK: 7001, BAIK: 3000 })).map((f) => f.rule)).toEqual(['SANGAT_BAIK_AT_MOST_70']);
    });
  });

  describe('failure descriptions', () => {
    it('describes a share above its maximum', () => {
      expect(checkCurve('ISTIMEWA', c({ SANGAT_BAIK: 8, BAIK: 2 }))).toEqual([
        {
          rule: 'SANGAT_BAIK_AT_MOST_70',
          expected: '≤ 70%',
          actual: '80% (8 of 10)',
          message: 'SANGAT_BAIK is 80% (8 of 10) of the appraisals with a predicate; an ISTIMEWA unit allows at most 70%',
        },
      ]);
    });

    it('describes a share below its minimum, with a sum of predicates and 2-decimal percents', () => {
      expect(checkCurve('SANGAT_KURANG', c({ SANGAT_KURANG: 2, BAIK: 1 }))).toEqual([
        {
          rule: 'KURANG_OR_BUTUH_PERBAIKAN_AT_LEAST_10',
          expected: '≥ 10%',
          actual: '0% (0 of 3)',
          message: 'KURANG + BUTUH_PERBAIKAN is 0% (0 of 3) of the appraisals with a predicate; a SANGAT_KURANG unit needs at least 10%',
        },
      ]);
      expect(checkCurve('KURANG', c({ KURANG: 1, BUTUH_PERBAIKAN: 2 }))[0]).toMatchObject({ expected: '≥ 60%', actual: '33.33% (1 of 3)' });
    });

    it('describes the count rules', () => {
      expect(checkCurve('BAIK', c({ SANGAT_BAIK: 2, BAIK: 3 }))).toEqual([
        {
          rule: 'BUTUH_PERBAIKAN_OR_KURANG_AT_LEAST_ONE',
          expected: '≥ 1 appraisal',
          actual: '0 appraisals',
          message: 'BUTUH_PERBAIKAN + KURANG: 0 appraisals; a BAIK unit with 5 or more appraisals with a predicate needs at least 1 BUTUH_PERBAIKAN or KURANG',
        },
      ]);
      expect(checkCurve('SANGAT_KURANG', c({ SANGAT_KURANG: 60, KURANG: 10, SANGAT_BAIK: 1, BAIK: 29 }))).toEqual([
        { rule: 'NO_SANGAT_BAIK', expected: 'none', actual: '1 appraisal', message: 'SANGAT_BAIK: 1 appraisal; a SANGAT_KURANG unit allows none' },
      ]);
    });
  });

  describe('shares', () => {
    it('are taken over the appraisals with a predicate and rounded to 4 decimals', () => {
      const counts = c({ SANGAT_BAIK: 1, BAIK: 2, unscored: 5 });
      expect(scoredTotal(counts)).toBe(3);
      expect(predicateShares(counts)).toEqual({ SANGAT_BAIK: 0.3333, BAIK: 0.6667, BUTUH_PERBAIKAN: 0, KURANG: 0, SANGAT_KURANG: 0 });
    });

    it('are 0 when no appraisal has a predicate', () => {
      expect(predicateShares(c({ unscored: 4 }))).toEqual({ SANGAT_BAIK: 0, BAIK: 0, BUTUH_PERBAIKAN: 0, KURANG: 0, SANGAT_KURANG: 0 });
    });
  });
});
