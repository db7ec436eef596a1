import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EMPLOYEE_INDEX_COUNTS, FEEDBACK_SUMS, FeedbackSums, MAX_UNIT_DEPTH, UNIT_INDEX_COUNTS } from '../feedback-index/feedback-index.sql';
import { Predicate, PREDICATES } from '../scoring/types';
import { Cell, IslandPeriod } from './public-figures';

/** The sums of one unit's own feedback in one slot of an island (see public-figures.ts). */
export type FeedbackCell = FeedbackSums & Cell;

export const RESPONDENT_FIELDS = ['gender', 'ageGroup', 'education', 'occupation'] as const;
export type RespondentField = (typeof RESPONDENT_FIELDS)[number];

export type UnitSummaryRow = { unitCode: string; unitName: string; appraisals: number; withoutPredicate: number } & Record<Predicate, number>;

const PREDICATE_COUNTS = [
  ...PREDICATES.map((p) => `count(*) FILTER (WHERE s.predicate = '${p}')::int AS "${p}"`),
  `count(*) FILTER (WHERE s.predicate IS NULL)::int AS "withoutPredicate"`,
].join(', ');

/**
 * The responses an index counts, `f`, for the period `$2`: the unit index takes feedback about the unit `$1` or a
 * descendant, the employee index feedback naming the employee `$1`, each in the statuses it counts (spec §4).
 */
const COUNTED = {
  unit: `FROM periods p
         JOIN public_feedback f ON f.submitted_on BETWEEN p.start_date AND p.end_date
        WHERE p.id = $2
          AND ${UNIT_INDEX_COUNTS}
          AND f.unit_id IN (SELECT s.id FROM unit_subtree($1) AS s(id))`,
  employee: `FROM periods p
         JOIN public_feedback f ON f.submitted_on BETWEEN p.start_date AND p.end_date
        WHERE p.id = $2
          AND ${EMPLOYEE_INDEX_COUNTS}
          AND f.employee_id = $1`,
};

@Injectable()
export class ServiceIndexRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Per-element sums and count of the responses an index counts (COUNTED). */
  async sums(index: keyof typeof COUNTED, id: string, periodId: string): Promise<FeedbackSums> {
    const [row] = await this.dataSource.query<FeedbackSums[]>(`SELECT ${FEEDBACK_SUMS} ${COUNTED[index]}`, [id, periodId]);
    return row;
  }

  /** Counts per respondent-profile field and value over the responses the unit index counts; UNKNOWN where left out. */
  async unitRespondents(unitId: string, periodId: string): Promise<{ field: RespondentField; value: string; count: number }[]> {
    return this.dataSource.query(
      `SELECT k.field, coalesce(r.respondent ->> k.field, 'UNKNOWN') AS value, count(*)::int AS count
         FROM (SELECT f.respondent ${COUNTED.unit}) r
        CROSS JOIN unnest($3::text[]) AS k(field)
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [unitId, periodId, RESPONDENT_FIELDS],
    );
  }

  /** The periods connected to `periodId` by overlapping dates, itself included: the island the public figures are decided on. */
  periodIsland(periodId: string): Promise<IslandPeriod[]> {
    return this.dataSource.query<IslandPeriod[]>(
      `WITH RECURSIVE island(id) AS (
         SELECT id FROM periods WHERE id = $1
         UNION
         SELECT q.id
           FROM island i
           JOIN periods p ON p.id = i.id
           JOIN periods q ON q.start_date <= p.end_date AND p.start_date <= q.end_date
       )
       SELECT p.id, p.code, p.type, p.start_date::text AS "startDate", p.end_date::text AS "endDate"
         FROM periods p JOIN island USING (id)`,
      [periodId],
    );
  }

  /**
   * Per-element sums and count of the feedback a unit index counts, per unit (its own, not its subtree's) and slot
   * between the slot bounds `bounds` (sorted dates; slot k is [bounds[k-1], bounds[k])), with the unit's path of
   * codes from the root. One index range scan per unit (LATERAL): without a unit the planner would read the
   * whole unit index, every year of it.
   */
  feedbackCells(bounds: string[]): Promise<FeedbackCell[]> {
    return this.dataSource.query<FeedbackCell[]>(
      `WITH RECURSIVE cells AS (
         SELECT u.id AS unit_id, c.*
           FROM units u
          CROSS JOIN LATERAL (
            SELECT ($1::date[])[width_bucket(f.submitted_on, $1::date[])]::text AS "from", ${FEEDBACK_SUMS}
              FROM public_feedback f
             WHERE f.unit_id = u.id AND ${UNIT_INDEX_COUNTS}
               AND f.submitted_on >= ($1::date[])[1] AND f.submitted_on < ($1::date[])[cardinality($1::date[])]
             GROUP BY 1
          ) c
       ), up(unit_id, id, depth) AS (
         SELECT DISTINCT unit_id, unit_id, 0 FROM cells
         UNION ALL
         SELECT up.unit_id, u.parent_id, up.depth + 1
           FROM up JOIN units u ON u.id = up.id
          WHERE u.parent_id IS NOT NULL AND up.depth < ${MAX_UNIT_DEPTH}
       ), paths AS (
         SELECT up.unit_id, array_agg(u.code ORDER BY up.depth DESC) AS path
           FROM up JOIN units u ON u.id = up.id
          GROUP BY up.unit_id
       )
       SELECT p.path, c.*
         FROM cells c JOIN paths p USING (unit_id)`,
      [bounds],
    );
  }

  /**
   * Predicate counts of the period's FINALIZED appraisals grouped by each appraisal's own unit (never by
   * subtree), only for units with at least `minAppraisals`, by unit code.
   */
  unitSummaries(periodId: string, minAppraisals: number): Promise<UnitSummaryRow[]> {
    return this.dataSource.query<UnitSummaryRow[]>(
      `SELECT u.code AS "unitCode", u.name AS "unitName", count(*)::int AS appraisals, ${PREDICATE_COUNTS}
         FROM appraisals a
         JOIN units u ON u.id = a.unit_id
         LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id
        WHERE a.period_id = $1 AND a.status = 'FINALIZED'
        GROUP BY u.id
       HAVING count(*) >= $2
        ORDER BY u.code`,
      [periodId, minAppraisals],
    );
  }
}
