import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { AppraisalStatus } from '../appraisals/entities/appraisal.entity';
import { SCORE_STALE } from '../recalculation/recalculation-marks';
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

/** Rows read from a database cursor (pg-query-stream), so memory stays flat. */
export type Rows<T> = AsyncIterable<T> & Readable;

/**
 * The reads of one export, on a connection of its own in one REPEATABLE READ READ ONLY transaction: the checks, the
 * rows streamed and what is read after them (the workbook's distribution) all see the same snapshot, however long the
 * client takes to read.
 */
export class ExportSnapshot {
  private readonly cursors: Readable[] = [];
  private ended: Promise<void> | undefined;

  constructor(private readonly runner: QueryRunner) {}

  /** For the reads of other repositories (the period). */
  get manager(): EntityManager {
    return this.runner.manager;
  }

  query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.runner.query(sql, params) as Promise<T>;
  }

  async stream<T>(sql: string, params: unknown[]): Promise<Rows<T>> {
    const rows = (await this.runner.stream(sql, params)) as unknown as Rows<T>;
    this.cursors.push(rows);
    return rows;
  }

  /** Closes the cursors still open, ends the transaction and hands the connection back; once, whoever calls it. */
  end(): Promise<void> {
    this.ended ??= (async () => {
      for (const rows of this.cursors) if (!rows.destroyed) rows.destroy();
      try {
        // Queued behind the cursors' close; read only, so COMMIT and ROLLBACK alike just end it.
        await this.runner.query('COMMIT');
      } catch (err) {
        // The connection may still be in the transaction: it must not serve anyone else.
        await releaseBroken(this.runner, err);
        throw err;
      }
      await this.runner.release();
    })();
    return this.ended;
  }
}

/**
 * Hands a connection back to pg-pool with an error, so the pool destroys it instead of reusing it. TypeORM's release()
 * drops that argument; PostgresQueryRunner's (private) releasePostgresConnection passes it on, and does the rest of
 * release() (the runner is marked released and forgotten by the driver).
 */
function releaseBroken(runner: QueryRunner, err: unknown): Promise<void> {
  return (runner as unknown as { releasePostgresConnection(err: unknown): Promise<void> }).releasePostgresConnection(err);
}

@Injectable()
export class ExportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A connection of its own, in a REPEATABLE READ READ ONLY transaction; `end` it whatever happens. */
  async snapshot(): Promise<ExportSnapshot> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (e) {
      await runner.release();
      throw e;
    }
    return new ExportSnapshot(runner);
  }

  /** FINALIZED appraisals of the period in view that have a predicate, with their assessor, by NIP. */
  siasnRows(periodId: string, view: AppraisalView, s: ExportSnapshot): Promise<Rows<SiasnSource>> {
    const params: unknown[] = [periodId];
    return s.stream<SiasnSource>(
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
  async staleFinalized(periodId: string, view: AppraisalView, s: ExportSnapshot): Promise<number> {
    const params: unknown[] = [periodId];
    const [{ n }] = await s.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM appraisals a
        WHERE a.period_id = $1 AND a.status = 'FINALIZED' AND ${SCORE_STALE('a')} AND ${viewCondition(view, params)('a')}`,
      params,
    );
    return n;
  }

  /**
   * Every appraisal of the period in view with its score (if any) and freshness, by NIP. Freshness is the
   * rule of the score read (ScoresRepository.read): STALE while a recalculation mark of the appraisal exists.
   */
  resultRows(periodId: string, view: AppraisalView, s: ExportSnapshot): Promise<Rows<ResultSource>> {
    const params: unknown[] = [periodId];
    return s.stream<ResultSource>(
      `SELECT e.nip, e.name, u.code AS "unitCode", u.name AS "unitName", a.status,
              s.result_score AS "resultScore", s.behaviour_score AS "behaviourScore", s.final_score AS "finalScore",
              s.result_rating AS "resultRating", s.behaviour_rating AS "behaviourRating", s.predicate, s.predicate_code AS "predicateCode",
              ${SCORE_STALE('a')} AS stale
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
   * Every unit in view, by id (spec §10: "the distribution of every unit"): the active ones, and an inactive one that
   * still has an appraisal of the period in its subtree (the units of its appraisals and their ancestors) or an
   * organisation predicate.
   */
  async unitsInView(periodId: string, view: AppraisalView, s: ExportSnapshot): Promise<string[]> {
    const params: unknown[] = [periodId];
    // The unit itself in view: the view's condition over a row whose unit_id is the unit's id.
    const inView = viewCondition(view, params)('uv');
    const rows = await s.query<{ id: string }[]>(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT u.id, u.parent_id FROM units u WHERE u.id IN (SELECT DISTINCT unit_id FROM appraisals WHERE period_id = $1)
         UNION
         SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id
       )
       SELECT u.id
         FROM units u CROSS JOIN LATERAL (SELECT u.id AS unit_id) uv
        WHERE (u.active OR u.id IN (SELECT id FROM up) OR u.id IN (SELECT unit_id FROM organisation_predicates WHERE period_id = $1)) AND ${inView}`,
      params,
    );
    return rows.map((r) => r.id);
  }
}
