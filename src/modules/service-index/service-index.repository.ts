import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IKM_ELEMENTS, IkmElement } from '../appraisals/scoring/ikm';
import { Predicate, PREDICATES } from '../appraisals/scoring/types';

/** Per-element sums of the answers and the number of responses, as `ikmOfSums` takes them. */
export type FeedbackSums = Record<IkmElement, number> & { responses: number };

export const RESPONDENT_FIELDS = ['gender', 'ageGroup', 'education', 'occupation'] as const;
export type RespondentField = (typeof RESPONDENT_FIELDS)[number];

export type UnitSummaryRow = { unitCode: string; unitName: string; appraisals: number; withoutPredicate: number } & Record<Predicate, number>;

// int is safe: a sum is at most 4 × count(*).
const SUMS = [`count(*)::int AS responses`, ...IKM_ELEMENTS.map((e, i) => `coalesce(sum(f.u${i + 1}), 0)::int AS "${e}"`)].join(', ');

const PREDICATE_COUNTS = [
  ...PREDICATES.map((p) => `count(*) FILTER (WHERE s.predicate = '${p}')::int AS "${p}"`),
  `count(*) FILTER (WHERE s.predicate IS NULL)::int AS "withoutPredicate"`,
].join(', ');

@Injectable()
export class ServiceIndexRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * PUBLISHED + VERIFIED feedback of the unit and its descendants dated within the period. The status test is
   * written exactly as the partial index's predicate so the planner can use ix_public_feedback_unit_on.
   */
  async unitSums(unitId: string, periodId: string): Promise<FeedbackSums> {
    const [row] = await this.dataSource.query<FeedbackSums[]>(
      `SELECT ${SUMS}
         FROM periods p
         JOIN public_feedback f ON f.submitted_on BETWEEN p.start_date AND p.end_date
        WHERE p.id = $2
          AND f.status IN ('PUBLISHED', 'VERIFIED')
          AND f.unit_id IN (SELECT s.id FROM unit_subtree($1) AS s(id))`,
      [unitId, periodId],
    );
    return row;
  }

  /** Counts per respondent-profile field and value over the same responses as `unitSums`; UNKNOWN where left out. */
  unitRespondents(unitId: string, periodId: string): Promise<{ field: RespondentField; value: string; count: number }[]> {
    return this.dataSource.query(
      `SELECT k.field, coalesce(f.respondent ->> k.field, 'UNKNOWN') AS value, count(*)::int AS count
         FROM periods p
         JOIN public_feedback f ON f.submitted_on BETWEEN p.start_date AND p.end_date
        CROSS JOIN unnest($3::text[]) AS k(field)
        WHERE p.id = $2
          AND f.status IN ('PUBLISHED', 'VERIFIED')
          AND f.unit_id IN (SELECT s.id FROM unit_subtree($1) AS s(id))
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [unitId, periodId, RESPONDENT_FIELDS],
    );
  }

  /** VERIFIED feedback naming the employee, dated within the period (ix_public_feedback_employee_on). */
  async employeeSums(employeeId: string, periodId: string): Promise<FeedbackSums> {
    const [row] = await this.dataSource.query<FeedbackSums[]>(
      `SELECT ${SUMS}
         FROM periods p
         JOIN public_feedback f ON f.submitted_on BETWEEN p.start_date AND p.end_date
        WHERE p.id = $2
          AND f.status = 'VERIFIED'
          AND f.employee_id = $1`,
      [employeeId, periodId],
    );
    return row;
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
