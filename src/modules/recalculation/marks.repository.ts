import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { pgArray } from '../../database/pg-array';

interface ClaimedMark {
  appraisalId: string;
  version: string;
  enqueuedAtMs: number;
}

/** SQL over `score_recalculation_marks` for the relay, the sweeper and the worker. */
@Injectable()
export class MarksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Takes up to `limit` marks not yet on the queue and stamps them enqueued; concurrent relays skip each other's. */
  async claim(limit: number): Promise<ClaimedMark[]> {
    const [rows] = await this.dataSource.query<[{ appraisal_id: string; version: string; enqueued_at: Date }[], number]>(
      `UPDATE score_recalculation_marks m SET enqueued_at = now()
        WHERE m.appraisal_id IN (
          SELECT appraisal_id FROM score_recalculation_marks
           WHERE enqueued_at IS NULL ORDER BY marked_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING m.appraisal_id, m.version, m.enqueued_at`,
      [limit],
    );
    return rows.map((r) => ({ appraisalId: r.appraisal_id, version: String(r.version), enqueuedAtMs: r.enqueued_at.getTime() }));
  }

  /** Hands claimed marks back to the relay, e.g. when Redis refused them. */
  async release(appraisalIds: string[]): Promise<void> {
    if (!appraisalIds.length) return;
    await this.dataSource.query('UPDATE score_recalculation_marks SET enqueued_at = NULL WHERE appraisal_id = ANY($1::uuid[])', [appraisalIds]);
  }

  /** Marks enqueued longer ago than `olderThanMs` whose job never cleared them go back to the relay. */
  async sweep(olderThanMs: number): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE score_recalculation_marks SET enqueued_at = NULL
        WHERE enqueued_at < now() - ($1::int * interval '1 millisecond')`,
      [olderThanMs],
    );
    return affected;
  }

  /** Current versions of the marks of these appraisals, read before the source rows. */
  async versions(appraisalIds: string[], m: EntityManager): Promise<Map<string, string>> {
    const rows = await m.query<{ appraisal_id: string; version: string }[]>(
      'SELECT appraisal_id, version FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[])',
      [pgArray(appraisalIds)],
    );
    return new Map(rows.map((r) => [r.appraisal_id, String(r.version)]));
  }

  /** Clears the marks whose version is still the one read before computing: a newer write keeps its mark. */
  async clear(versions: Map<string, string>, m: EntityManager): Promise<void> {
    if (!versions.size) return;
    // Mark rows are locked in appraisal order here and where marks are written, so the two cannot deadlock.
    await m.query(
      `WITH locked AS (
         SELECT appraisal_id FROM score_recalculation_marks WHERE appraisal_id = ANY($1::uuid[]) ORDER BY appraisal_id FOR UPDATE
       )
       DELETE FROM score_recalculation_marks s
        USING unnest($1::uuid[], $2::bigint[]) AS v(appraisal_id, version), locked l
        WHERE s.appraisal_id = v.appraisal_id AND s.version = v.version AND l.appraisal_id = s.appraisal_id`,
      [pgArray([...versions.keys()]), pgArray([...versions.values()])],
    );
  }

  /** A connection of its own, outside the pool, to LISTEN for new marks on; the caller wires its events first. */
  newListener(): Client {
    const { url } = this.dataSource.options as { url?: string };
    return new Client({ connectionString: url, application_name: 'capaian-relay' });
  }

  /**
   * The backlog in one statement, for the metrics scrape: how many marks wait, and the seconds since the oldest was
   * written (a mark written again restarts its age; 0 without marks).
   */
  async backlog(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query<{ pending: number; oldest: number }[]>(
      `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(marked_at)), 0)::float8 AS oldest
         FROM score_recalculation_marks`,
    );
    return { pending: row.pending, oldestAgeSeconds: Math.max(0, row.oldest) };
  }

}
