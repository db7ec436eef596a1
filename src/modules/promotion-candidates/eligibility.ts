import { round2 } from '../scoring/rounding';
import { PREDICATES, Predicate } from '../scoring/types';
import type { Potential } from '../employees/entities/employee.entity';

/** SANGAT_BAIK > BAIK > BUTUH_PERBAIKAN > KURANG > SANGAT_KURANG (spec §7). */
export const predicateRank = (p: Predicate) => PREDICATES.length - PREDICATES.indexOf(p);

export interface WindowPeriod {
  id: string;
  code: string;
}

export interface CandidateFacts {
  nip: string;
  status: string;
  rankSince: string; // YYYY-MM-DD
  potential: Potential | null;
  /** Finalised results in the window periods, by period id. */
  results: Map<string, { predicate: Predicate | null; finalScore: number | null }>;
  /** Dates of MODERATE or HEAVY penalties. */
  seriousPenalties: string[];
}

export interface EligibilityParams {
  window: number;
  minPredicate: Predicate;
  minYearsInRank: number;
  penaltyYears: number;
  asOf: string; // YYYY-MM-DD
}

export const REASON_CODES = [
  'NOT_ACTIVE',
  'NOT_ENOUGH_CLOSED_PERIODS',
  'MISSING_FINALIZED_APPRAISAL',
  'PREDICATE_BELOW_MINIMUM',
  'RANK_TOO_RECENT',
  'RECENT_PENALTY',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  code: ReasonCode;
  message: string;
}

export interface Evaluation {
  eligible: boolean;
  reasons: Reason[];
  periods: { code: string; predicate: Predicate | null; finalScore: number | null }[];
  meanFinalScore: number | null;
  sangatBaikCount: number;
  latestFinalScore: number | null;
  talentBox: number | null;
}

/** `date` moved by whole years, clamped to the month's end (29 Feb → 28 Feb). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${y + years}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Nine-box (PermenPAN-RB 3/2020): performance from the latest predicate, potential from the employee. */
export function talentBox(latest: Predicate | null, potential: Potential | null): number | null {
  if (!potential) return null;
  const performance = latest === 'SANGAT_BAIK' ? 2 : latest === 'BAIK' ? 1 : 0; // BELOW, MEETS, ABOVE
  const boxes: Record<Potential, [number, number, number]> = { HIGH: [4, 7, 9], MEDIUM: [2, 5, 8], LOW: [1, 3, 6] };
  return boxes[potential][performance];
}

/**
 * Every check of spec §7, each failing one giving a reason. `window` holds the last CLOSED periods of the
 * type, newest first.
 */
export function evaluate(f: CandidateFacts, window: WindowPeriod[], p: EligibilityParams): Evaluation {
  const reasons: Reason[] = [];
  if (f.status !== 'ACTIVE') reasons.push({ code: 'NOT_ACTIVE', message: `the employee is ${f.status}` });
  if (window.length < p.window) {
    reasons.push({ code: 'NOT_ENOUGH_CLOSED_PERIODS', message: `only ${window.length} closed period(s) of the type, ${p.window} needed` });
  }
  const periods = window.map((w) => {
    const r = f.results.get(w.id);
    return { code: w.code, predicate: r?.predicate ?? null, finalScore: r?.finalScore ?? null, present: !!r };
  });
  for (const x of periods) {
    if (!x.present) reasons.push({ code: 'MISSING_FINALIZED_APPRAISAL', message: `no finalised appraisal in ${x.code}` });
    else if (!x.predicate || predicateRank(x.predicate) < predicateRank(p.minPredicate)) {
      reasons.push({ code: 'PREDICATE_BELOW_MINIMUM', message: `${x.code}: ${x.predicate ?? 'no predicate'} is below ${p.minPredicate}` });
    }
  }
  const rankDue = addYears(f.rankSince, p.minYearsInRank);
  if (rankDue > p.asOf) {
    reasons.push({ code: 'RANK_TOO_RECENT', message: `in rank since ${f.rankSince}; ${p.minYearsInRank} years are reached on ${rankDue}` });
  }
  const penaltyFrom = addYears(p.asOf, -p.penaltyYears);
  const recent = f.seriousPenalties.filter((d) => d > penaltyFrom && d <= p.asOf).sort();
  if (recent.length) {
    reasons.push({ code: 'RECENT_PENALTY', message: `a moderate or heavy penalty on ${recent[recent.length - 1]}, within ${p.penaltyYears} years` });
  }
  const scores = periods.map((x) => x.finalScore).filter((s): s is number => s !== null);
  return {
    eligible: reasons.length === 0,
    reasons,
    periods: periods.map(({ code, predicate, finalScore }) => ({ code, predicate, finalScore })),
    meanFinalScore: scores.length ? round2(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
    sangatBaikCount: periods.filter((x) => x.predicate === 'SANGAT_BAIK').length,
    latestFinalScore: periods[0]?.finalScore ?? null,
    talentBox: talentBox(periods[0]?.predicate ?? null, f.potential),
  };
}

/** Mean final score, then SANGAT_BAIK count, then the latest final score (higher first), then NIP. */
export function compareCandidates(a: Evaluation & { nip: string }, b: Evaluation & { nip: string }): number {
  const desc = (x: number | null, y: number | null) => (y ?? -Infinity) - (x ?? -Infinity);
  return (
    desc(a.meanFinalScore, b.meanFinalScore) ||
    b.sangatBaikCount - a.sangatBaikCount ||
    desc(a.latestFinalScore, b.latestFinalScore) ||
    (a.nip < b.nip ? -1 : a.nip > b.nip ? 1 : 0)
  );
}
