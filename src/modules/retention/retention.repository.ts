import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClaimLock, tryLockClaim } from '../../database/advisory-locks';

/** The set-based clean-ups of the retention rules; each answers how many rows it touched. */
@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Clears the client-IP hash of feedback older than `ipHashSeconds` and, in the same rows, the contact hash
   * once older than 24 hours. Only rows past `ipHashSeconds` are visited, so it should not exceed 24 hours.
   */
  async clearFeedbackHashes(ipHashSeconds: number): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `UPDATE public_feedback
          SET ip_hash = CASE WHEN submitted_at < now() - make_interval(secs => $1) THEN NULL ELSE ip_hash END,
              contact_hash = CASE WHEN submitted_at < now() - interval '24 hours' THEN NULL ELSE contact_hash END
        WHERE (ip_hash IS NOT NULL OR contact_hash IS NOT NULL) AND submitted_at < now() - make_interval(secs => $1)`,
      [ipHashSeconds],
    );
    return count;
  }

  async deleteIdempotencyKeysOlderThan(days: number): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1)`,
      [days],
    );
    return count;
  }

  /**
   * Deletes webhook events older than `days` none of whose deliveries is PENDING or was touched (an attempt, a retry)
   * within those days; their deliveries and attempts go with them (ON DELETE CASCADE). In batches of `batch`, oldest
   * first, so no one statement holds a long lock; each batch under ClaimLock.Retention, so when every process runs the
   * hourly clean-up at once only one deletes and the others stop.
   */
  async deleteWebhookEventsOlderThan(days: number, batch = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.dataSource.transaction(async (m) => {
        if (!(await tryLockClaim(m, ClaimLock.Retention))) return null;
        const [, deleted] = await m.query<[unknown, number]>(
          `DELETE FROM webhook_events e USING (
             SELECT x.id FROM webhook_events x
              WHERE x.created_at < now() - make_interval(days => $1)
                AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = x.id
                                   AND (d.status = 'PENDING' OR d.updated_at >= now() - make_interval(days => $1)))
              ORDER BY x.seq LIMIT $2
           ) doomed
           WHERE e.id = doomed.id`,
          [days, batch],
        );
        return deleted;
      });
      if (count === null) return total;
      total += count;
      if (count < batch) return total;
    }
  }
}
