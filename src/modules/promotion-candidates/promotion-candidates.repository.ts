import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Predicate } from '../scoring/types';
import { JobType, Potential } from '../employees/entities/employee.entity';
import { PeriodType } from '../periods/entities/period.entity';
import { WindowPeriod } from './eligibility';

export interface CandidateRow {
  id: string;
  nip: string;
  name: string;
  unit_id: string;
  job_type: JobType;
  rank: string;
  rank_since: string;
  potential: Potential | null;
  status: string;
  results: { periodId: string; predicate: Predicate | null; finalScore: string | number | null }[];
  penalties: string[];
}

@Injectable()
export class PromotionCandidatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The last `size` CLOSED periods of the type that ended on or before `asOf`, newest first. */
  window(type: PeriodType, size: number, asOf: string): Promise<WindowPeriod[]> {
    return this.dataSource.query<WindowPeriod[]>(
      `SELECT id, code FROM periods WHERE type = $1 AND status = 'CLOSED' AND end_date <= $2 ORDER BY end_date DESC, code DESC LIMIT $3`,
      [type, asOf, size],
    );
  }

  /**
   * Every employee in scope with their finalised results in the window and their serious penalties up to
   * `asOf`: one statement of two grouped aggregates hash-joined to the employees.
   */
  candidates(f: {
    windowIds: string[];
    asOf: string;
    scopeRoot?: string;
    withinUnitId?: string | null;
    jobType?: JobType | null;
    activeOnly: boolean;
  }): Promise<CandidateRow[]> {
    const where: string[] = [];
    const params: unknown[] = [f.windowIds, f.asOf];
    if (f.scopeRoot) where.push(`e.unit_id IN (SELECT unit_subtree($${params.push(f.scopeRoot)}))`);
    if (f.withinUnitId) where.push(`e.unit_id IN (SELECT unit_subtree($${params.push(f.withinUnitId)}))`);
    if (f.jobType) where.push(`e.job_type = $${params.push(f.jobType)}`);
    if (f.activeOnly) where.push(`e.status = 'ACTIVE'`);
    return this.dataSource.query<CandidateRow[]>(
      `WITH results AS (
         SELECT a.employee_id,
                json_agg(json_build_object('periodId', a.period_id, 'predicate', s.predicate, 'finalScore', s.final_score)) AS results
           FROM appraisals a LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id
          WHERE a.status = 'FINALIZED' AND a.period_id = ANY($1::uuid[])
          GROUP BY a.employee_id
       ), penalties AS (
         SELECT employee_id, array_agg(to_char(imposed_on, 'YYYY-MM-DD')) AS penalties
           FROM employee_penalties
          WHERE level IN ('MODERATE', 'HEAVY') AND imposed_on <= $2::date
          GROUP BY employee_id
       )
       SELECT e.id, e.nip, e.name, e.unit_id, e.job_type, e.rank, to_char(e.rank_since, 'YYYY-MM-DD') AS rank_since,
              e.potential, e.status, COALESCE(r.results, '[]') AS results, COALESCE(p.penalties, '{}') AS penalties
         FROM employees e
         LEFT JOIN results r ON r.employee_id = e.id
         LEFT JOIN penalties p ON p.employee_id = e.id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
  }
}
