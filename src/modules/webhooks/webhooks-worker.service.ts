import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { WebhookDeliverer } from './delivery.service';
import { WebhooksJob, WebhooksJobData, WEBHOOKS_QUEUE_TOKEN } from './queue';

type Handlers = { [K in WebhooksJob]: (job: Job<WebhooksJobData[K]>) => Promise<unknown> };

/**
 * Consumes the `webhooks` queue when this process runs the worker (RECALC_WORKER), one handler per job name.
 * Owns the queue's connection, closed at shutdown.
 */
@Injectable()
export class WebhooksWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WebhooksWorker.name);

  constructor(
    private readonly deliverer: WebhookDeliverer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(WEBHOOKS_QUEUE_TOKEN) private readonly queue?: Queue,
  ) {}

  private readonly handlers: Handlers = {
    [WebhooksJob.Deliver]: (job) => this.deliverer.deliver(job.data.deliveryId, job.data.attempt),
  };

  onModuleInit(): void {
    if (!this.queue) return;
    this.queue.on('error', (e) => this.logger.warn(`webhooks queue: ${e.message}`));
    if (!this.config.recalculation.worker) return;
    this.queue.on('failed', (job, e) => this.logger.warn({ jobId: job.id, err: e }, 'webhook job failed'));
    void this.queue.process(WebhooksJob.Deliver, this.config.webhooks.workerConcurrency, this.handlers[WebhooksJob.Deliver]);
  }

  /** Bull lets active jobs finish before closing. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close();
  }
}
