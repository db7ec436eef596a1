import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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
}
