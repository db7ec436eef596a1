import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withTimeout } from '../../common/time/with-timeout';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { MarksRepository } from '../recalculation/marks.repository';
import { RecalculationService } from '../recalculation/recalculation.service';
import { SCORES_QUEUE_TOKEN } from '../recalculation/relay.service';
import { WebhookDeliverer } from '../webhooks/delivery.service';
import { WEBHOOKS_QUEUE_TOKEN } from '../webhooks/queue';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { routeLabel } from './metrics-http';

/** The `scores` queue's states that are exported; completed jobs are removed, so their count says nothing. */
const QUEUE_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;
/** A source that does not answer within this time shows as NaN in this scrape instead of holding the scrape up. */
const SOURCE_TIMEOUT_MS = 2000;

/**
 * The Prometheus metrics of this process, in a registry of its own (not prom-client's global one, so several
 * applications in one process, as in the e2e tests, keep apart). Requests are timed from the HTTP server's
 * `request` event to the response's end, so answers that never reach a controller count too: guard refusals,
 * the exception filter's problems, body-parser and unknown-route answers. The backlog gauges are read when
 * scraped: one SQL statement and one call to Redis per scrape.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly logger = new Logger(MetricsService.name);
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, from arrival to the end of the answer',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly queueJobs = new Gauge({
    name: 'capaian_scores_queue_jobs',
    help: 'Jobs of the Bull queue `scores` by state, when scraped (only with REDIS_URL)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly marksPending = new Gauge({
    name: 'capaian_recalculation_marks_pending',
    help: 'Score recalculation marks waiting to be processed (score_recalculation_marks), when scraped',
    registers: [this.registry],
  });
  private readonly oldestMarkAge = new Gauge({
    name: 'capaian_recalculation_oldest_mark_age_seconds',
    help: 'Seconds since the oldest waiting recalculation mark was written (0 without marks), when scraped',
    registers: [this.registry],
  });
  private readonly batchDuration = new Histogram({
    name: 'capaian_recalculation_batch_duration_seconds',
    help: 'Batch recalculations of a period run by this process, by trigger (manual, schedule) and outcome (completed, failed)',
    labelNames: ['trigger', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800],
    registers: [this.registry],
  });
  private readonly webhookQueueJobs = new Gauge({
    name: 'capaian_webhooks_queue_jobs',
    help: 'Jobs of the Bull queue `webhooks` by state, when scraped (only with REDIS_URL)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly webhookAttempts = new Counter({
    name: 'capaian_webhook_deliveries_total',
    help: 'Webhook delivery attempts made by this process, by outcome: delivered, retrying (another attempt is scheduled), failed (no more attempts); refused: the address check said no',
    labelNames: ['outcome', 'refused'] as const,
    registers: [this.registry],
  });
  private readonly webhookDisabled = new Counter({
    name: 'capaian_webhook_endpoints_disabled_total',
    help: 'Webhook endpoints this process disabled, by reason: gone (a 410), failing (5 days of failures)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly webhooksPending = new Gauge({
    name: 'capaian_webhook_deliveries_pending',
    help: 'Webhook deliveries waiting for an attempt (PENDING, of ENABLED endpoints), when scraped',
    registers: [this.registry],
  });
  private readonly oldestWebhookAge = new Gauge({
    name: 'capaian_webhook_oldest_pending_delivery_age_seconds',
    help: 'Seconds since the oldest PENDING webhook delivery was written (0 without any), when scraped',
    registers: [this.registry],
  });
  private queue?: Queue;
  private webhooksQueue?: Queue;
  private server?: Server;
  private unsubscribe?: () => void;
  private unsubscribeWebhooks?: () => void;
  private lastWarning = 0;

  constructor(
    private readonly marks: MarksRepository,
    private readonly recalculation: RecalculationService,
    private readonly webhooks: WebhooksRepository,
    private readonly deliverer: WebhookDeliverer,
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Event-loop lag (nodejs_eventloop_lag_*), heap, GC, CPU and file descriptors.
    collectDefaultMetrics({ register: this.registry });
  }

  onModuleInit(): void {
    if (this.config.redis.url) {
      this.queue = this.moduleRef.get<Queue>(SCORES_QUEUE_TOKEN, { strict: false });
      this.webhooksQueue = this.moduleRef.get<Queue | undefined>(WEBHOOKS_QUEUE_TOKEN, { strict: false });
    }
    this.unsubscribeWebhooks = this.deliverer.onAttempt((o) => {
      this.webhookAttempts.inc({ outcome: o.outcome, refused: String(o.refused) });
      if (o.disabled) this.webhookDisabled.inc({ reason: o.disabled });
    });
    this.unsubscribe = this.recalculation.onRunFinished((run) =>
      this.batchDuration.observe({ trigger: run.trigger.toLowerCase(), outcome: run.outcome.toLowerCase() }, run.seconds),
    );
    // No HTTP server in the worker process (an application context): nothing to time there.
    this.server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.server?.prependListener('request', this.timeRequest);
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.unsubscribeWebhooks?.();
    this.server?.removeListener('request', this.timeRequest);
  }

  /** Runs before Fastify sees the request; the route is read when the answer is complete, once Fastify has routed it. */
  private readonly timeRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    res.once('finish', () => {
      const labels = { method: req.method ?? 'UNKNOWN', route: routeLabel(req), status: String(res.statusCode) };
      this.httpDuration.observe(labels, (performance.now() - started) / 1000);
    });
  };

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition format, after reading the queue and the marks (in parallel). */
  async scrape(): Promise<string> {
    await Promise.all([this.collectQueue(this.queue, this.queueJobs, 'the scores queue'), this.collectQueue(this.webhooksQueue, this.webhookQueueJobs, 'the webhooks queue'), this.collectMarks(), this.collectWebhooks()]);
    return this.registry.metrics();
  }

  private async collectQueue(queue: Queue | undefined, gauge: Gauge<'state'>, what: string): Promise<void> {
    if (!queue) return;
    try {
      const counts = await withTimeout(queue.getJobCounts(), SOURCE_TIMEOUT_MS, 'Redis');
      for (const state of QUEUE_STATES) gauge.set({ state }, counts[state] ?? 0);
    } catch (e) {
      for (const state of QUEUE_STATES) gauge.set({ state }, NaN);
      this.warn(what, e);
    }
  }

  private async collectWebhooks(): Promise<void> {
    try {
      const backlog = await withTimeout(this.webhooks.backlog(), SOURCE_TIMEOUT_MS, 'PostgreSQL');
      this.webhooksPending.set(backlog.pending);
      this.oldestWebhookAge.set(backlog.oldestAgeSeconds);
    } catch (e) {
      this.webhooksPending.set(NaN);
      this.oldestWebhookAge.set(NaN);
      this.warn('the webhook deliveries', e);
    }
  }

  private async collectMarks(): Promise<void> {
    try {
      const backlog = await withTimeout(this.marks.backlog(), SOURCE_TIMEOUT_MS, 'PostgreSQL');
      this.marksPending.set(backlog.pending);
      this.oldestMarkAge.set(backlog.oldestAgeSeconds);
    } catch (e) {
      this.marksPending.set(NaN);
      this.oldestMarkAge.set(NaN);
      this.warn('the recalculation marks', e);
    }
  }

  /** At most one warning a minute: Prometheus scrapes every few seconds. */
  private warn(what: string, e: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`metrics: could not read ${what} (${(e as Error).message}); exported as NaN`);
  }
}
