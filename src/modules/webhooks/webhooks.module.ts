import { Module } from '@nestjs/common';
import Bull from 'bull';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { WebhookDeliverer } from './delivery.service';
import { WEBHOOKS_QUEUE, WEBHOOKS_QUEUE_TOKEN } from './queue';
import { WebhookRelay } from './relay.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import { WebhooksWorker } from './webhooks-worker.service';

/**
 * Webhooks (spec §10): subscriptions, the `webhooks` queue and its delivery worker, the outbox relay and sweeper.
 * The queue is made here rather than with BullModule, whose root configuration exists only with REDIS_URL; without it
 * the token is undefined and deliveries go out in process.
 */
@Module({
  controllers: [WebhooksController],
  providers: [
    {
      provide: WEBHOOKS_QUEUE_TOKEN,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.redis.url ? new Bull(WEBHOOKS_QUEUE, config.redis.url, { prefix: 'capaian', settings: { stalledInterval: 15_000, maxStalledCount: 2 } }) : undefined,
    },
    WebhooksRepository,
    WebhooksService,
    WebhookDeliverer,
    WebhookRelay,
    WebhooksWorker,
  ],
  exports: [WebhookDeliverer, WebhookRelay, WebhooksRepository, WEBHOOKS_QUEUE_TOKEN],
})
export class WebhooksModule {}
