import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { AppraisalStatus } from '../appraisals/entities/appraisal.entity';
import type { Predicate, PredicateCode, Rating } from '../scoring/types';
import { AppraisalView, viewCondition } from '../distribution/distribution.repository';
import type { SiasnSource } from './siasn';

/** A row of the results workbook; scores are numeric text (null without a score). */
export interface ResultSource {
  nip: string;
  name: string;
  unitCode: string;
  unitName: string;
  status: AppraisalStatus;
  resultScore: string | null;
  behaviourScore: string | null;
  finalScore: string | null;
  resultRating: Rating | null;
  behaviourRating: Rating | null;
  predicate: Predicate | null;
  predicateCode: PredicateCode | null;
  stale: boolean;
}

/** Rows read from a database cursor; `close` ends the cursor (if still open) and hands the connection back. */
export interface RowCursor<T> {
  rows: AsyncIterable<T> & Readable;
  close: () => Promise<void>;
}

export interface UnitRef {
  id: string;
  code: string;
  name: string;
}

@Injectable()
export class ExportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** FINALIZED appraisals of the period in view that have a predicate, with their assessor, by NIP. */
  siasnRows(periodId: string, view: AppraisalView): Promise<RowCursor<SiasnSource>> {
    const params: unknown[] = [periodId];
    return this.cursor<SiasnSource>(
      `SELECT e.nip, s.result_rating AS "resultRating", s.behaviour_rating AS "behaviourRating", s.predicate_code AS "predicateCode",
              ae.nip AS "assessorNip", ae.name AS "assessorName", ae.rank AS "assessorRank",
              ae.position_title AS "assessorPosition", au.name AS "assessorUnitName"
         FROM appraisals a
         JOIN employees e ON e.id = a.employee_id
         JOIN appraisal_scores s ON s.appraisal_id = a.id
         LEFT JOIN employees ae ON ae.id = a.assessor_id
         LEFT JOIN units au ON au.id = ae.unit_id
        WHERE a.period_id = $1 AND a.status = 'FINALIZED' AND s.predicate_code IS NOT NULL AND ${viewCondition(view, params)('a')}
        ORDER BY e.nip`,
      params,
    );
  }

  /** How many FINALIZED appraisals of the period in view wait for a recalculation (an accepted objection marks one). */
  async staleFinalized(periodId: string, view: AppraisalView): Promise<number> {
    const params: unknown[] = [periodId];
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM appraisals a JOIN score_recalculation_marks k ON k.appraisal_id = a.id
        WHERE a.period_id = $1 AND a.status = 'FINALIZED' AND ${viewCondition(view, params)('a')}`,
      params,
    );
    return n;
  }

  /**
   * Every appraisal of the period in view with its score (if any) and freshness, by NIP. Freshness is the
   * rule of the score read (ScoresRepository.read): STALE while a recalculation mark of the appraisal exists.
   */
  resultRows(periodId: string, view: AppraisalView): Promise<RowCursor<ResultSource>> {
    const params: unknown[] = [periodId];
    return this.cursor<ResultSource>(
      `SELECT e.nip, e.name, u.code AS "unitCode", u.name AS "unitName", a.status,
              s.result_score AS "resultScore", s.behaviour_score AS "behaviourScore", s.final_score AS "finalScore",
              s.result_rating AS "resultRating", s.behaviour_rating AS "behaviourRating", s.predicate, s.predicate_code AS "predicateCode",
              EXISTS (SELECT 1 FROM score_recalculation_marks k WHERE k.appraisal_id = a.id) AS stale
         FROM appraisals a
         JOIN employees e ON e.id = a.employee_id
         JOIN units u ON u.id = a.unit_id
         LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id
        WHERE a.period_id = $1 AND ${viewCondition(view, params)('a')}
        ORDER BY e.nip`,
      params,
    );
  }

  /**
   * Every unit in view, by code (spec §10: "the distribution of every unit"): the active ones, and an inactive one that
   * still has an appraisal of the period in its subtree (the units of its appraisals and their ancestors) or an
   * organisation predicate.
   */
  units(periodId: string, view: AppraisalView): Promise<UnitRef[]> {
    const params: unknown[] = [periodId];
    // The unit itself in view: the view's condition over a row whose unit_id is the unit's id.
    const inView = viewCondition(view, params)('uv');
    return this.dataSource.query<UnitRef[]>(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT u.id, u.parent_id FROM units u WHERE u.id IN (SELECT DISTINCT unit_id FROM appraisals WHERE period_id = $1)
         UNION
         SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id
       )
       SELECT u.id, u.code, u.name
         FROM units u CROSS JOIN LATERAL (SELECT u.id AS unit_id) uv
        WHERE (u.active OR u.id IN (SELECT id FROM up) OR u.id IN (SELECT unit_id FROM organisation_predicates WHERE period_id = $1)) AND ${inView}
        ORDER BY u.code`,
      params,
    );
  }

  /** The query on a connection of its own, read through a cursor (pg-query-stream) so memory stays flat. */
  private async cursor<T>(sql: string, params: unknown[]): Promise<RowCursor<T>> {
    const runner = this.dataSource.createQueryRunner();
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await runner.release();
    };
    try {
      const rows = (await runner.stream(sql, params)) as unknown as AsyncIterable<T> & Readable;
      return {
        rows,
        close: async () => {
          if (!rows.destroyed) rows.destroy();
          await release();
        },
      };
    } catch (e) {
      await release();
      throw e;
    }
  }
}
