import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { RetentionRepository } from './retention.repository';

/** How long an Idempotency-Key is remembered: a retry within it replays, a reuse after it is a new request. */
export const IDEMPOTENCY_KEY_RETENTION_DAYS = 7;

/** How long a webhook event and its delivery log are kept: past every retry (about 28 h) and the 5-day disable rule. */
export const WEBHOOK_EVENT_RETENTION_DAYS = 30;

/**
 * Keeps data only as long as a check needs it. Hourly, in every instance: each rule is idempotent; the webhook rule,
 * which deletes in batches, also takes a lock per batch so the instances do not race over the same rows.
 * - Citizen feedback (data minimisation, UU 27/2022 on personal data protection): a client-IP hash serves only the
 *   rate limit's window, a contact hash only the 24-hour duplicate check.
 * - Idempotency keys and their stored first answers, after IDEMPOTENCY_KEY_RETENTION_DAYS.
 * - Webhook events with their deliveries and attempts, after WEBHOOK_EVENT_RETENTION_DAYS unless a delivery is still
 *   PENDING (the audit log keeps what an operator did to an endpoint).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly retention: RetentionRepository,
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
  async run(): Promise<{ feedbackHashes: number; idempotencyKeys: number; webhookEvents: number }> {
    const feedbackHashes = await this.retention.clearFeedbackHashes(Math.min(this.config.feedback.ipWindowSeconds, 86_400));
    const idempotencyKeys = await this.retention.deleteIdempotencyKeysOlderThan(IDEMPOTENCY_KEY_RETENTION_DAYS);
    const webhookEvents = await this.retention.deleteWebhookEventsOlderThan(WEBHOOK_EVENT_RETENTION_DAYS);
    return { feedbackHashes, idempotencyKeys, webhookEvents };
  }
}
