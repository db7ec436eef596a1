import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Webhook } from 'standardwebhooks';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { resolveTarget } from './address-guard';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { postPinned, PostResult } from './http-post';
import { decryptSecret } from './secret-box';
import { endpointSnapshot } from './webhook-view';
import { NextStep, WebhooksRepository } from './webhooks.repository';

/** Five days of nothing but failures disable an endpoint (spec §10). */
export const FAILING_DISABLES_AFTER_MS = 5 * 24 * 3600 * 1000;
export const USER_AGENT = 'Capaian-Webhooks/1';

export type DisabledReason = 'gone' | 'failing' | 'manual';

/** What became of one attempt, for listeners such as the metrics. */
export interface AttemptOutcome {
  endpointId: string;
  deliveryId: string;
  /** delivered; retrying (another attempt is scheduled); failed (no more attempts); refused: the address check said no, nothing was sent. */
  outcome: 'delivered' | 'retrying' | 'failed';
  refused: boolean;
  statusCode: number | null;
  durationMs: number;
  /** Set when this attempt disabled the endpoint. */
  disabled: DisabledReason | null;
}

/**
 * One HTTP attempt of one delivery (spec §10, Standard Webhooks 1.0): the stored envelope serialised once and signed
 * as sent, to the address the guard checked, no redirects, a 2xx within WEBHOOK_TIMEOUT_MS. Failures back off along
 * WEBHOOK_RETRY_SCHEDULE; a 410 or five days of failures disable the endpoint (audited as the system).
 * Never logs a secret, a signature or what a receiver answered.
 */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private readonly listeners = new Set<(o: AttemptOutcome) => void>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: WebhooksRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Calls `listener` after every attempt; answers the unsubscribe function. */
  onAttempt(listener: (o: AttemptOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes attempt `attempt` of a claimed delivery; a duplicate or stale job does nothing. */
  async deliver(deliveryId: string, attempt: number): Promise<AttemptOutcome | null> {
    const ctx = await this.repo.startAttempt(deliveryId, attempt);
    if (!ctx) return null;
    const { endpoint } = ctx;
    const attemptedAt = new Date();
    const target = await resolveTarget(endpoint.url, { production: this.config.nodeEnv === 'production', allowedHosts: this.config.webhooks.allowedHosts });
    const body = JSON.stringify(ctx.payload);
    // A secret that no longer decrypts (JWT_SECRET changed while WEBHOOK_SECRET_KEY is unset) fails the attempt like a
    // refused address: recorded, retried on the schedule, disabling the endpoint after five days, nothing sent.
    const signature = target.ok ? this.signatures(endpoint, ctx.eventId, attemptedAt, body) : null;
    const result: PostResult =
      !target.ok || signature === null
        ? {
            statusCode: null,
            error: (!target.ok ? `address-refused: ${target.reason}` : 'secret-unreadable: rotate the secret (POST /webhooks/{id}/rotate-secret)').slice(0, 500),
            body: null,
            durationMs: Date.now() - attemptedAt.getTime(),
          }
        : await postPinned({
            url: endpoint.url,
            address: target.address,
            family: target.family,
            body,
            timeoutMs: this.config.webhooks.timeoutMs,
            headers: {
              'content-type': 'application/json',
              'user-agent': USER_AGENT,
              'webhook-id': ctx.eventId,
              'webhook-timestamp': String(Math.floor(attemptedAt.getTime() / 1000)),
              'webhook-signature': signature,
            },
          });
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const schedule = this.config.webhooks.retryScheduleMs;
    const next: NextStep = ok ? { status: 'DELIVERED' } : attempt <= schedule.length && result.statusCode !== 410 ? { status: 'PENDING', retryInMs: schedule[attempt - 1] } : { status: 'FAILED' };
    const record = { attemptedAt, statusCode: result.statusCode, durationMs: result.durationMs, error: result.error, responseBody: result.body };
    const finished = await this.dataSource.transaction(async (m) => {
      const moved = await this.repo.finishAttempt(deliveryId, endpoint.id, ctx.startedAt, record, next, m);
      if (!moved) return null;
      const { failingSince, status } = moved;
      const reason: DisabledReason | null =
        result.statusCode === 410 ? 'gone' : failingSince && attemptedAt.getTime() - failingSince.getTime() >= FAILING_DISABLES_AFTER_MS ? 'failing' : null;
      if (reason) await this.disable(endpoint.id, reason, m);
      return { disabled: reason, status };
    });
    if (!finished) return null; // the endpoint was deleted meanwhile
    const { disabled, status } = finished;
    const outcome: AttemptOutcome = {
      endpointId: endpoint.id,
      deliveryId,
      outcome: ok ? 'delivered' : status === 'PENDING' && !disabled ? 'retrying' : 'failed',
      refused: !target.ok,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      disabled,
    };
    for (const l of this.listeners) l(outcome);
    return outcome;
  }

  /**
   * Both secrets sign during the 24 h after a rotation (space-separated `v1,…` entries, as Standard Webhooks allows);
   * null when a secret does not decrypt under WEBHOOK_SECRET_KEY.
   */
  private signatures(endpoint: WebhookEndpointEntity, id: string, at: Date, body: string): string | null {
    const key = this.config.webhooks.secretKey;
    try {
      const secrets = [decryptSecret(endpoint.secret, key)];
      if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > at) secrets.push(decryptSecret(endpoint.previousSecret, key));
      return secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
    } catch {
      return null;
    }
  }

  /** Disables an endpoint (its PENDING deliveries fail), audited as the system. */
  private async disable(endpointId: string, reason: DisabledReason, m: EntityManager): Promise<void> {
    const before = await this.repo.findEndpointForUpdate(endpointId, m);
    if (!before || before.status === 'DISABLED') return;
    const after = await this.repo.saveEndpoint({ ...before, status: 'DISABLED', disabledReason: reason, disabledAt: new Date() }, m);
    await this.repo.failPending(endpointId, m);
    await this.audit.record(m, null, { action: 'webhook.disable', entityType: 'webhook', entityId: endpointId, before: endpointSnapshot(before), after: endpointSnapshot(after), reason });
    this.logger.warn({ endpointId, reason }, 'webhook endpoint disabled');
  }
}
