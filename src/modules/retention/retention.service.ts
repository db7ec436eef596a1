import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/** How long an Idempotency-Key is remembered: a retry within it replays, a reuse after it is a new request. */
export const IDEMPOTENCY_KEY_RETENTION_DAYS = 7;

/**
 * Keeps data only as long as a check needs it. Hourly; every rule is idempotent, so every instance may run it.
 * - Citizen feedback (data minimisation, UU 27/2022 on personal data protection): a client-IP hash serves only the
 *   rate limit's window, a contact hash only the 24-hour duplicate check.
 * - Idempotency keys and their stored first answers, after IDEMPOTENCY_KEY_RETENTION_DAYS.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: '17 * * * *',
      onTick: () => void this.run().catch((err: unknown) => this.logger.error({ err }, 'retention failed')),
      start: true,
    });
    this.registry.addCronJob('retention', job);
  }

  /** Answers how many rows each rule touched. */
  async run(): Promise<{ feedbackHashes: number; idempotencyKeys: number }> {
    const [, feedbackHashes] = await this.dataSource.query<[unknown, number]>(
      `UPDATE public_feedback
          SET ip_hash = CASE WHEN submitted_at < now() - make_interval(secs => $1) THEN NULL ELSE ip_hash END,
              contact_hash = CASE WHEN submitted_at < now() - interval '24 hours' THEN NULL ELSE contact_hash END
        WHERE (ip_hash IS NOT NULL OR contact_hash IS NOT NULL) AND submitted_at < now() - make_interval(secs => $1)`,
      [Math.min(this.config.feedback.ipWindowSeconds, 86_400)],
    );
    const [, idempotencyKeys] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1)`,
      [IDEMPOTENCY_KEY_RETENTION_DAYS],
    );
    return { feedbackHashes, idempotencyKeys };
  }
}
