import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/**
 * Data minimisation (UU 27/2022 on personal data protection): a client-IP hash is needed only for the rate
 * limit's window and a contact hash only for the 24-hour duplicate check. Every hour both are erased from
 * older responses. Idempotent, so every instance may run it.
 */
@Injectable()
export class FeedbackRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger(FeedbackRetention.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({ cronTime: '17 * * * *', onTick: () => void this.forget().catch((err: unknown) => this.logger.error({ err }, 'feedback retention failed')), start: true });
    this.registry.addCronJob('feedback-retention', job);
  }

  /** Erases the hashes that no check can use any more; answers how many responses it touched. */
  async forget(): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `UPDATE public_feedback
          SET ip_hash = CASE WHEN submitted_at < now() - make_interval(secs => $1) THEN NULL ELSE ip_hash END,
              contact_hash = CASE WHEN submitted_at < now() - interval '24 hours' THEN NULL ELSE contact_hash END
        WHERE (ip_hash IS NOT NULL OR contact_hash IS NOT NULL) AND submitted_at < now() - make_interval(secs => $1)`,
      [Math.min(this.config.feedback.ipWindowSeconds, 86_400)],
    );
    return affected;
  }
}
