import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ANSWER_TOTAL, EMPLOYEE_INDEX_COUNTS, nearestServiceUnits, subtrees, UNIT_INDEX_COUNTS } from '../feedback-index/feedback-index.sql';
import { pgArray } from '../../database/pg-array';
import { storedBreakdownOf } from '../scoring/breakdown';
import { ScoringPolicy } from '../scoring/policy';
import { NOT_FROZEN } from './recalculation-marks';
import { BehaviourRatings, IndicatorAggregation, IndicatorDirection, OrganisationPredicate, Rating, ScoreResult } from '../scoring/types';
import { HEAD_PREDICATE } from './unit-heads.sql';
import { recordScoreChanges } from '../webhook-outbox/domain-events';
import { SUBSCRIBED } from '../webhook-outbox/outbox';

export interface TargetRow {
  appraisal_id: string;
  target_id: string;
  indicator_code: string;
  weight: string;
  target: string;
  direction: IndicatorDirection;
  aggregation: IndicatorAggregation;
  realisation: string | null;
}

export interface AppraisalRow {
  id: string;
  period_id: string;
  behaviour_ratings: BehaviourRatings | null;
  result_rating_override: Rating | null;
  /** The organisation predicate of the appraisal's unit when the appraisee heads it (spec §5.4), else null. */
  head_predicate: OrganisationPredicate | null;
  /** Of the stored score, if any. */
  input_digest: string | null;
}

export interface FeedbackRow {
  appraisal_id: string;
  employee_responses: string;
  employee_total: string | null;
  service_unit_id: string | null;
  unit_responses: string | null;
  unit_total: string | null;
}

export interface ComputedScore {
  appraisalId: string;
  score: ScoreResult;
  digest: string;
}

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The smallest and largest of the ids, as the lower-case text PostgreSQL prints (its uuid order is that text's order).
 * Every query of a chunk adds `id BETWEEN lo AND hi` to its `id = ANY(ids)`: it filters nothing, but a batch chunk
 * is a run of consecutive ids (keyset), so the planner sees a narrow range of the index instead of a share of the
 * whole table, and probes the index for the chunk's rows rather than scanning the table once per chunk (which made
 * the batch quadratic in the size of the period). For scattered ids (marked appraisals) the range is the whole table
 * and the plan is the one the ids alone give.
 */
export function idRange(ids: string[]): [string, string] {
  if (!ids.length) return [NIL_UUID, NIL_UUID]; // `= ANY('{}')` matches nothing anyway
  let lo = ids[0].toLowerCase();
  let hi = lo;
  for (const id of ids) {
    const x = id.toLowerCase();
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** The chunk's appraisals `a`: ids $1, within their range $2–$3 (`idRange`); `chunkParams` gives the three. */
const CHUNK = (a: string) => `${a}.id = ANY($1::uuid[]) AND ${a}.id BETWEEN $2::uuid AND $3::uuid`;

const chunkParams = (ids: string[]) => [pgArray(ids), ...idRange(ids)];

/** What a `score.changed` event reports: a change of these is a change of the score. */
const FIGURES = (t: string) =>
  `(${t}.result_score, ${t}.behaviour_score, ${t}.final_score, ${t}.result_rating, ${t}.behaviour_rating, ${t}.predicate)`;

/** The stored numbers of a score row, for comparing a recomputation with what is there (json has no equality: as jsonb). */
const NUMBERS = (t: string) =>
  `(${t}.result_score, ${t}.behaviour_score, ${t}.final_score, ${t}.result_rating, ${t}.behaviour_rating, ${t}.predicate, ${t}.breakdown::jsonb)`;

/**
 * The SQL of the recalculation (spec §6): the source rows a score is computed from, set-based per chunk of
 * appraisals, and the one statement that writes the scores. Every method runs in the caller's transaction.
 */
@Injectable()
export class ScoreInputsRepository {
  /** Row locks in id order: one worker at a time per appraisal, without deadlocks between batches. */
  async lock(ids: string[], m: EntityManager): Promise<string[]> {
    const rows = await m.query<{ id: string }[]>(`SELECT a.id FROM appraisals a WHERE ${CHUNK('a')} ORDER BY a.id FOR NO KEY UPDATE`, chunkParams(ids));
    return rows.map((r) => r.id);
  }

  /**
   * Where the chunks of a batch end: every `size`-th id, in id order, of the period's appraisals that are not
   * FINALIZED. Chunk k is the ids after bound k-1 up to bound k, the last one every id after the last bound; so the
   * chunks are known up front and can run at once.
   */
  async chunkBounds(periodId: string, size: number, m: EntityManager): Promise<string[]> {
    const rows = await m.query<{ id: string }[]>(
      `SELECT id FROM (SELECT a.id, row_number() OVER (ORDER BY a.id) AS n FROM appraisals a WHERE a.period_id = $1 AND ${NOT_FROZEN('a')}) x
        WHERE n % $2 = 0 ORDER BY id`,
      [periodId, size],
    );
    return rows.map((r) => r.id);
  }

  /**
   * The ids of one chunk (`chunkBounds`), locked as `lock` does: the period's appraisals that are not FINALIZED, after
   * `after` and up to `upTo` (null: no end). An appraisal FINALIZED since `chunkBounds` is left out: the condition is
   * checked again on the locked row version.
   */
  async lockChunk(periodId: string, after: string, upTo: string | null, m: EntityManager): Promise<string[]> {
    const rows = await m.query<{ id: string }[]>(
      `SELECT a.id FROM appraisals a WHERE a.period_id = $1 AND ${NOT_FROZEN('a')} AND a.id > $2${upTo === null ? '' : ' AND a.id <= $3'}
        ORDER BY a.id FOR NO KEY UPDATE`,
      upTo === null ? [periodId, after] : [periodId, after, upTo],
    );
    return rows.map((r) => r.id);
  }

  /** This transaction's commit returns before its WAL is flushed (synchronous_commit off, for this transaction only). */
  async commitWithoutWaitingForDisk(m: EntityManager): Promise<void> {
    await m.query('SET LOCAL synchronous_commit TO OFF');
  }

  /** How many appraisals of the period a batch recomputes: those not FINALIZED. */
  async countToScore(periodId: string, m: EntityManager): Promise<number> {
    const [{ total }] = await m.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM appraisals a WHERE a.period_id = $1 AND ${NOT_FROZEN('a')}`,
      [periodId],
    );
    return total;
  }

  /**
   * Each target of the appraisals with its VERIFIED achievements combined (§3): the one home of the
   * aggregation rule. SUM, AVERAGE, MAX and MIN aggregate the chunk's achievements, read in the order of the covering
   * partial index ix_achievements_verified_by_appraisal (appraisal, target, ...), so grouped as they come; LATEST takes
   * the latest occurredOn, ties to the later submission, by one backward probe of that index per LATEST target (the
   * subquery is skipped for the others).
   *
   * The targets are reached through the chunk's appraisals (`CHUNK`), one probe of uq_appraisal_targets_indicator
   * per appraisal. Written as `t.appraisal_id = ANY(ids)`, a chunk of a big period was read by a sequential scan of
   * the whole of appraisal_targets, twice per chunk (once more for LATEST): the batch grew with the square of the
   * period.
   */
  targets(ids: string[], m: EntityManager): Promise<TargetRow[]> {
    return m.query<TargetRow[]>(
      `WITH verified AS (
         SELECT a.target_id, sum(a.value) AS s, avg(a.value) AS av, max(a.value) AS mx, min(a.value) AS mn
           FROM achievements a
          WHERE a.appraisal_id = ANY($1::uuid[]) AND a.status = 'VERIFIED'
          GROUP BY a.appraisal_id, a.target_id
       )
       SELECT t.appraisal_id, t.id AS target_id, i.code AS indicator_code, t.weight, t.target, i.direction, i.aggregation,
              CASE i.aggregation
                WHEN 'SUM' THEN v.s WHEN 'AVERAGE' THEN v.av WHEN 'MAX' THEN v.mx WHEN 'MIN' THEN v.mn
                ELSE l.value
              END AS realisation
         FROM appraisal_targets t
         JOIN appraisals ap ON ap.id = t.appraisal_id
         JOIN indicators i ON i.id = t.indicator_id
         LEFT JOIN verified v ON v.target_id = t.id
         LEFT JOIN LATERAL (
           SELECT a.value
             FROM achievements a
            WHERE i.aggregation = 'LATEST' AND a.appraisal_id = t.appraisal_id AND a.target_id = t.id AND a.status = 'VERIFIED'
            ORDER BY a.occurred_on DESC, a.created_at DESC, a.id DESC
            LIMIT 1
         ) l ON true
        WHERE ${CHUNK('ap')}
        ORDER BY t.appraisal_id, t.created_at, t.id`,
      chunkParams(ids),
    );
  }

  /** The chunk's appraisals with their stored digests; the range on the scores too, or each chunk reads all of them. */
  appraisals(ids: string[], m: EntityManager): Promise<AppraisalRow[]> {
    return m.query<AppraisalRow[]>(
      `SELECT a.id, a.period_id, a.behaviour_ratings, a.result_rating_override, ${HEAD_PREDICATE('a')} AS head_predicate, s.input_digest
         FROM appraisals a LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id AND s.appraisal_id BETWEEN $2::uuid AND $3::uuid
        WHERE ${CHUNK('a')}`,
      chunkParams(ids),
    );
  }

  /**
   * The citizen feedback behind the BERORIENTASI_PELAYANAN aspect (spec §4, §5.3) for a chunk of appraisals, in one
   * query: per appraisal, the responses and answer total of each index (pg returns bigints as text). The employee
   * index counts the appraisal employee's VERIFIED feedback; the unit index is that of the nearest publicService
   * unit among the appraisal's unit (its snapshot) and its ancestors, over that unit's whole subtree, with
   * PUBLISHED and VERIFIED feedback. Both take feedback submitted within the period's dates. The counted statuses,
   * the answer sums and both unit walks are those of the service index (feedback-index.sql.ts).
   *
   * The unit index is computed once per distinct (service unit, period) and the employee index once per distinct
   * (employee, period), through the partial indexes ix_public_feedback_unit_on and ix_public_feedback_employee_on.
   * The LATERAL subqueries force one index range scan per (subtree unit, period) and per (employee, period): the
   * planner cannot estimate the recursive subtree and otherwise merge-joins the whole unit index (a year of
   * feedback) for every chunk.
   */
  feedback(appraisalIds: string[], m: EntityManager): Promise<FeedbackRow[]> {
    return m.query<FeedbackRow[]>(
      `WITH RECURSIVE ap AS (
         SELECT a.id, a.employee_id, a.unit_id, a.period_id, p.start_date, p.end_date
           FROM appraisals a JOIN periods p ON p.id = a.period_id
          WHERE ${CHUNK('a')}
       ), ${nearestServiceUnits('SELECT unit_id FROM ap')},
       ${subtrees('SELECT DISTINCT service_unit_id FROM nearest')}, unit_periods AS (
         SELECT DISTINCT n.service_unit_id, ap.period_id, ap.start_date, ap.end_date
           FROM ap JOIN nearest n ON n.origin = ap.unit_id
       ), unit_index AS (
         SELECT upr.service_unit_id, upr.period_id, sum(x.responses) AS responses, sum(x.total) AS total
           FROM unit_periods upr
           JOIN subtree st ON st.root = upr.service_unit_id
           CROSS JOIN LATERAL (
             SELECT count(*) AS responses, sum(${ANSWER_TOTAL}) AS total
               FROM public_feedback f
              WHERE f.unit_id = st.id AND ${UNIT_INDEX_COUNTS}
                AND f.submitted_on BETWEEN upr.start_date AND upr.end_date
           ) x
          GROUP BY upr.service_unit_id, upr.period_id
       ), employee_periods AS (
         SELECT DISTINCT employee_id, period_id, start_date, end_date FROM ap
       ), employee_index AS (
         SELECT ep.employee_id, ep.period_id, x.responses, x.total
           FROM employee_periods ep
           CROSS JOIN LATERAL (
             SELECT count(*) AS responses, sum(${ANSWER_TOTAL}) AS total
               FROM public_feedback f
              WHERE f.employee_id = ep.employee_id AND ${EMPLOYEE_INDEX_COUNTS}
                AND f.submitted_on BETWEEN ep.start_date AND ep.end_date
           ) x
       )
       SELECT ap.id AS appraisal_id, coalesce(ei.responses, 0) AS employee_responses, ei.total AS employee_total,
              n.service_unit_id, coalesce(ui.responses, 0) AS unit_responses, ui.total AS unit_total
         FROM ap
         LEFT JOIN employee_index ei ON ei.employee_id = ap.employee_id AND ei.period_id = ap.period_id
         LEFT JOIN nearest n ON n.origin = ap.unit_id
         LEFT JOIN unit_index ui ON ui.service_unit_id = n.service_unit_id AND ui.period_id = ap.period_id`,
      chunkParams(appraisalIds),
    );
  }

  /** The stored policies of the periods, as they are; `policyOf` completes them. */
  policies(periodIds: string[], m: EntityManager): Promise<{ id: string; policy: Partial<ScoringPolicy> }[]> {
    return m.query('SELECT id, policy FROM periods WHERE id = ANY($1::uuid[])', [periodIds]);
  }

  /**
   * Upserts the scores. computed_at is when the numbers last changed: new inputs giving the same numbers only
   * refresh the digest, and a row whose digest and numbers are unchanged is not written at all. The columns arrive
   * as arrays and the breakdowns as one JSON array, whose elements go into the json column as they are: parsing
   * every row's JSON into jsonb (jsonb_to_recordset) took most of the write's time.
   *
   * A score whose figures (scores, ratings, predicate) are new or differ from the stored ones is a `score.changed`
   * event (spec §10), written with it; the statement builds the events' data only while someone subscribes.
   */
  async write(scores: ComputedScore[], now: Date, m: EntityManager): Promise<void> {
    if (!scores.length) return;
    const column = (f: (c: ComputedScore) => string | number | null) => pgArray(scores.map(f));
    const changed = await m.query<{ data: object }[]>(
      `WITH old AS (
         SELECT s.appraisal_id, ${FIGURES('s')} AS figures, s.predicate FROM appraisal_scores s WHERE s.appraisal_id = ANY($1::uuid[])
       ), up AS (
         INSERT INTO appraisal_scores (appraisal_id, result_score, behaviour_score, final_score, result_rating, behaviour_rating,
                                       predicate, predicate_code, input_digest, breakdown, computed_at)
         SELECT v.id, v.rs, v.bs, v.fs, v.rr, v.br, v.p, v.pc, v.d, b.value, $11
           FROM unnest($1::uuid[], $2::numeric[], $3::numeric[], $4::numeric[], $5::rating[], $6::rating[], $7::predicate[],
                       $8::smallint[], $9::char(64)[]) WITH ORDINALITY AS v(id, rs, bs, fs, rr, br, p, pc, d, n)
           JOIN json_array_elements($10::json) WITH ORDINALITY AS b ON b.ordinality = v.n
         ON CONFLICT (appraisal_id) DO UPDATE SET
           result_score = EXCLUDED.result_score, behaviour_score = EXCLUDED.behaviour_score, final_score = EXCLUDED.final_score,
           result_rating = EXCLUDED.result_rating, behaviour_rating = EXCLUDED.behaviour_rating, predicate = EXCLUDED.predicate,
           predicate_code = EXCLUDED.predicate_code, breakdown = EXCLUDED.breakdown, input_digest = EXCLUDED.input_digest,
           computed_at = CASE WHEN ${NUMBERS('appraisal_scores')} IS DISTINCT FROM ${NUMBERS('EXCLUDED')}
                              THEN EXCLUDED.computed_at ELSE appraisal_scores.computed_at END
         WHERE appraisal_scores.input_digest IS DISTINCT FROM EXCLUDED.input_digest
            OR ${NUMBERS('appraisal_scores')} IS DISTINCT FROM ${NUMBERS('EXCLUDED')}
         RETURNING appraisal_scores.appraisal_id, appraisal_scores.result_score, appraisal_scores.behaviour_score, appraisal_scores.final_score,
                   appraisal_scores.result_rating, appraisal_scores.behaviour_rating, appraisal_scores.predicate, appraisal_scores.predicate_code
       )
       SELECT jsonb_build_object('appraisalId', up.appraisal_id, 'employeeId', a.employee_id, 'employeeNip', e.nip,
                'periodId', a.period_id, 'periodCode', p.code, 'resultScore', up.result_score, 'behaviourScore', up.behaviour_score,
                'finalScore', up.final_score, 'resultRating', up.result_rating, 'behaviourRating', up.behaviour_rating,
                'predicate', up.predicate, 'predicateCode', up.predicate_code, 'previousPredicate', old.predicate) AS data
         FROM up
         LEFT JOIN old ON old.appraisal_id = up.appraisal_id
         JOIN appraisals a ON a.id = up.appraisal_id
         JOIN employees e ON e.id = a.employee_id
         JOIN periods p ON p.id = a.period_id
        WHERE ${SUBSCRIBED('score.changed')} AND old.figures IS DISTINCT FROM ${FIGURES('up')}
        ORDER BY up.appraisal_id`,
      [
        column((c) => c.appraisalId),
        column((c) => c.score.resultScore),
        column((c) => c.score.behaviourScore),
        column((c) => c.score.finalScore),
        column((c) => c.score.resultRating),
        column((c) => c.score.behaviourRating),
        column((c) => c.score.predicate),
        column((c) => c.score.predicateCode),
        column((c) => c.digest),
        JSON.stringify(scores.map((c) => storedBreakdownOf(c.score))),
        now,
      ],
    );
    await recordScoreChanges(
      m,
      changed.map((r) => r.data),
    );
  }

  /** An appraisal whose targets were all removed has no score. */
  async deleteScores(appraisalIds: string[], m: EntityManager): Promise<void> {
    if (appraisalIds.length) await m.query('DELETE FROM appraisal_scores WHERE appraisal_id = ANY($1::uuid[])', [pgArray(appraisalIds)]);
  }
}
