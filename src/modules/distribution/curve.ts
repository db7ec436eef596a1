import type { OrganisationPredicate } from './entities/organisation-predicate.entity';
import { PREDICATES, type Predicate } from '../scoring/types';
import { roundedShare } from './numbers';

/**
 * Distribution curve (kurva distribusi, PermenPAN-RB 6/2022; spec §5): how the employee predicates of a unit
 * subtree may be spread given the unit's organisation predicate. Pure: no Nest, no I/O.
 *
 * Shares are taken over the appraisals that have a predicate (`total`); appraisals without one (not scored,
 * or behaviour not assessed) are counted apart as `unscored` and take part in no rule. Every comparison is
 * exact integer arithmetic (count·100 ≤ 70·total), never a float share.
 */

/** Appraisals per employee predicate, and those without a predicate. */
export type PredicateCounts = Record<Predicate, number> & { unscored: number };

export const CURVE_RULE_CODES = [
  'SANGAT_BAIK_AT_MOST_70',
  'BAIK_AT_MOST_70',
  'BUTUH_PERBAIKAN_OR_KURANG_AT_LEAST_ONE',
  'BUTUH_PERBAIKAN_AT_LEAST_60',
  'SANGAT_BAIK_AT_MOST_10',
  'KURANG_AT_LEAST_60',
  'BUTUH_PERBAIKAN_AT_LEAST_10',
  'SANGAT_KURANG_AT_LEAST_60',
  'KURANG_OR_BUTUH_PERBAIKAN_AT_LEAST_10',
  'NO_SANGAT_BAIK',
] as const;
export type CurveRuleCode = (typeof CURVE_RULE_CODES)[number];

type Bound =
  | { kind: 'share-at-most' | 'share-at-least'; percent: number }
  | { kind: 'count-at-least' | 'count-at-most'; count: number };

export interface CurveRule {
  code: CurveRuleCode;
  /** The predicates whose appraisals are added up. */
  predicates: readonly Predicate[];
  bound: Bound;
  /** The rule applies only from this many appraisals with a predicate. */
  appliesFrom?: number;
}

/** The BAIK rule "at least one BUTUH_PERBAIKAN or KURANG" applies to units with this many appraisals with a predicate. */
export const MIN_APPRAISALS_FOR_LOW_PREDICATE = 5;

export const CURVES: Readonly<Record<OrganisationPredicate, readonly CurveRule[]>> = {
  ISTIMEWA: [{ code: 'SANGAT_BAIK_AT_MOST_70', predicates: ['SANGAT_BAIK'], bound: { kind: 'share-at-most', percent: 70 } }],
  BAIK: [
    { code: 'BAIK_AT_MOST_70', predicates: ['BAIK'], bound: { kind: 'share-at-most', percent: 70 } },
    {
      code: 'BUTUH_PERBAIKAN_OR_KURANG_AT_LEAST_ONE',
      predicates: ['BUTUH_PERBAIKAN', 'KURANG'],
      bound: { kind: 'count-at-least', count: 1 },
      appliesFrom: MIN_APPRAISALS_FOR_LOW_PREDICATE,
    },
  ],
  BUTUH_PERBAIKAN: [
    { code: 'BUTUH_PERBAIKAN_AT_LEAST_60', predicates: ['BUTUH_PERBAIKAN'], bound: { kind: 'share-at-least', percent: 60 } },
    { code: 'SANGAT_BAIK_AT_MOST_10', predicates: ['SANGAT_BAIK'], bound: { kind: 'share-at-most', percent: 10 } },
  ],
  KURANG: [
    { code: 'KURANG_AT_LEAST_60', predicates: ['KURANG'], bound: { kind: 'share-at-least', percent: 60 } },
    { code: 'BUTUH_PERBAIKAN_AT_LEAST_10', predicates: ['BUTUH_PERBAIKAN'], bound: { kind: 'share-at-least', percent: 10 } },
    { code: 'SANGAT_BAIK_AT_MOST_10', predicates: ['SANGAT_BAIK'], bound: { kind: 'share-at-most', percent: 10 } },
  ],
  SANGAT_KURANG: [
    { code: 'SANGAT_KURANG_AT_LEAST_60', predicates: ['SANGAT_KURANG'], bound: { kind: 'share-at-least', percent: 60 } },
    {
      code: 'KURANG_OR_BUTUH_PERBAIKAN_AT_LEAST_10',
      predicates: ['KURANG', 'BUTUH_PERBAIKAN'],
      bound: { kind: 'share-at-least', percent: 10 },
    },
    { code: 'NO_SANGAT_BAIK', predicates: ['SANGAT_BAIK'], bound: { kind: 'count-at-most', count: 0 } },
  ],
};

export interface CurveFailure {
  rule: CurveRuleCode;
  /** What the rule needs, e.g. "≤ 70%", "≥ 1 appraisal", "none". */
  expected: string;
  /** What the unit has, e.g. "80% (8 of 10)", "0 appraisals". */
  actual: string;
  message: string;
}

/** Appraisals with a predicate: the denominator of every share. */
export const scoredTotal = (c: PredicateCounts): number => PREDICATES.reduce((sum, p) => sum + c[p], 0);

/** Each predicate's share of the appraisals with a predicate, rounded to 4 decimals (0 when there is none). */
export function predicateShares(c: PredicateCounts): Record<Predicate, number> {
  const total = scoredTotal(c);
  return Object.fromEntries(PREDICATES.map((p) => [p, roundedShare(c[p], total)])) as Record<Predicate, number>;
}

export const emptyCounts = (): PredicateCounts => ({ SANGAT_BAIK: 0, BAIK: 0, BUTUH_PERBAIKAN: 0, KURANG: 0, SANGAT_KURANG: 0, unscored: 0 });

/**
 * The rules of the curve of `organisationPredicate` that `counts` break, in the order of the spec; [] when
 * every rule holds or no organisation predicate is set. With no appraisal that has a predicate, no share rule
 * can fail (0 of 0 is within every bound).
 */
export function checkCurve(organisationPredicate: OrganisationPredicate | null, counts: PredicateCounts): CurveFailure[] {
  if (!organisationPredicate) return [];
  const total = scoredTotal(counts);
  const failures: CurveFailure[] = [];
  for (const rule of CURVES[organisationPredicate]) {
    if (rule.appliesFrom !== undefined && total < rule.appliesFrom) continue;
    const n = rule.predicates.reduce((sum, p) => sum + counts[p], 0);
    if (!holds(rule.bound, n, total)) failures.push(describe(organisationPredicate, rule, n, total));
  }
  return failures;
}

function holds(bound: Bound, n: number, total: number): boolean {
  switch (bound.kind) {
    case 'share-at-most':
      return n * 100 <= bound.percent * total;
    case 'share-at-least':
      return n * 100 >= bound.percent * total;
    case 'count-at-least':
      return n >= bound.count;
    case 'count-at-most':
      return n <= bound.count;
  }
}

/** `n / total` as a percent with up to 2 decimals, from the exact integer share: 2 of 3 → 66.67. */
const percent = (n: number, total: number) => (total === 0 ? 0 : Math.floor((2 * n * 10000 + total) / (2 * total)) / 100);
const appraisals = (n: number) => `${n} appraisal${n === 1 ? '' : 's'}`;
const article = (org: OrganisationPredicate) => (org === 'ISTIMEWA' ? 'an' : 'a');

function describe(org: OrganisationPredicate, rule: CurveRule, n: number, total: number): CurveFailure {
  const what = rule.predicates.join(' + ');
  const unit = `${article(org)} ${org} unit`;
  const b = rule.bound;
  switch (b.kind) {
    case 'share-at-most':
    case 'share-at-least': {
      const atMost = b.kind === 'share-at-most';
      const actual = `${percent(n, total)}% (${n} of ${total})`;
      return {
        rule: rule.code,
        expected: `${atMost ? '≤' : '≥'} ${b.percent}%`,
        actual,
        message: `${what} is ${actual} of the appraisals with a predicate; ${unit} ${atMost ? 'allows at most' : 'needs at least'} ${b.percent}%`,
      };
    }
    case 'count-at-least':
      return {
        rule: rule.code,
        expected: `≥ ${appraisals(b.count)}`,
        actual: appraisals(n),
        message:
          `${what}: ${appraisals(n)}; ${unit} with ${rule.appliesFrom ?? 0} or more appraisals with a predicate needs at least ` +
          `${b.count} ${rule.predicates.join(' or ')}`,
      };
    case 'count-at-most':
      return {
        rule: rule.code,
        expected: b.count === 0 ? 'none' : `≤ ${appraisals(b.count)}`,
        actual: appraisals(n),
        message: `${what}: ${appraisals(n)}; ${unit} allows ${b.count === 0 ? 'none' : `at most ${b.count}`}`,
      };
  }
}
