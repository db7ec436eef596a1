import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page, pageOf, PageQueryDto } from '../../common/pagination/page';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { recordTestEvent } from '../webhook-outbox/outbox';
import { resolveTarget } from './address-guard';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { encryptSecret, generateSecret } from './secret-box';
import { endpointSnapshot } from './webhook-view';
import { DeliveryView, WebhooksRepository } from './webhooks.repository';

/** After a rotation the previous secret signs too, for this long (receivers switch over meanwhile). */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

/**
 * Webhook endpoints of spec §10, for admins and keys with `webhooks:manage` (the controller's access rule): every
 * endpoint is org-wide, so there is no object scope. Secrets are shown once, stored encrypted and never audited.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: WebhooksRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateWebhookDto): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    await this.checkUrl(dto.url);
    const secret = generateSecret();
    const endpoint = await this.dataSource.transaction(async (m) => {
      const created = await this.repo.insertEndpoint(
        { url: dto.url, events: dto.events, description: dto.description ?? null, secret: this.encrypt(secret), createdBy: actor.principal.id },
        m,
      );
      await this.audit.record(m, actor, { action: 'webhook.create', entityType: 'webhook', entityId: created.id, after: endpointSnapshot(created) });
      return created;
    });
    return { endpoint, secret };
  }

  async list(q: PageQueryDto): Promise<Page<WebhookEndpointEntity>> {
    const [items, total] = await this.repo.listEndpoints(q);
    return pageOf(items, total, q);
  }

  async get(id: string): Promise<WebhookEndpointEntity> {
    const e = await this.repo.findEndpoint(id);
    if (!e) throw new NotFoundError('Webhook', id);
    return e;
  }

  async update(actor: Actor, id: string, dto: UpdateWebhookDto): Promise<WebhookEndpointEntity> {
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    return this.change(actor, id, 'webhook.update', async (before, m) => {
      const after: WebhookEndpointEntity = {
        ...before,
        url: dto.url ?? before.url,
        events: dto.events ?? before.events,
        description: dto.description === undefined ? before.description : dto.description,
      };
      if (dto.enabled === true && before.status === 'DISABLED') {
        Object.assign(after, { status: 'ENABLED', disabledReason: null, disabledAt: null, failingSince: null });
      } else if (dto.enabled === false && before.status === 'ENABLED') {
        Object.assign(after, { status: 'DISABLED', disabledReason: 'manual', disabledAt: new Date() });
        await this.repo.failPending(id, m);
      }
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.repo.findEndpointForUpdate(id, m);
      if (!before) throw new NotFoundError('Webhook', id);
      await this.repo.deleteEndpoint(id, m);
      await this.audit.record(m, actor, { action: 'webhook.delete', entityType: 'webhook', entityId: id, before: endpointSnapshot(before) });
    });
  }

  /** A new secret, shown once; the replaced one keeps signing for ROTATION_OVERLAP_MS (the one before it stops now). */
  async rotateSecret(actor: Actor, id: string): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const secret = generateSecret();
    const endpoint = await this.change(actor, id, 'webhook.rotate-secret', (before) =>
      Promise.resolve({ ...before, secret: this.encrypt(secret), previousSecret: before.secret, previousSecretUntil: new Date(Date.now() + ROTATION_OVERLAP_MS) }),
    );
    return { endpoint, secret };
  }

  /** A `webhook.test` event for this endpoint only, whatever it subscribes to; refused while it is DISABLED. */
  async sendTest(actor: Actor, id: string): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      await this.lockEnabled(m, id); // 404 without the endpoint, which it then holds: the event below is written
      const deliveryId = (await recordTestEvent(m, id, { webhookId: id, message: 'Test event from Capaian' }))!;
      await this.audit.record(m, actor, { action: 'webhook.test', entityType: 'webhook', entityId: id, after: { deliveryId } });
      return deliveryId;
    });
  }

  async listDeliveries(id: string, q: PageQueryDto): Promise<Page<DeliveryView>> {
    await this.get(id);
    const [items, total] = await this.repo.listDeliveries(id, q);
    return pageOf(items, total, q);
  }

  /**
   * PENDING again and due now (one more attempt after the schedule ran out); refused while the endpoint is DISABLED.
   * Asked for while an attempt is under way, it is another attempt at once should that one fail (finishAttempt).
   */
  async retryDelivery(actor: Actor, id: string, deliveryId: string): Promise<DeliveryView> {
    await this.dataSource.transaction(async (m) => {
      await this.lockEnabled(m, id, deliveryId);
      const before = await this.repo.retryDelivery(id, deliveryId, m);
      if (before === null) throw new NotFoundError('Delivery', deliveryId);
      await this.audit.record(m, actor, { action: 'webhook.delivery-retry', entityType: 'webhook-delivery', entityId: deliveryId, before: { status: before }, after: { status: 'PENDING' } });
    });
    const after = await this.repo.findDelivery(id, deliveryId);
    if (!after) throw new NotFoundError('Delivery', deliveryId);
    return after;
  }

  /**
   * Holds the endpoint's status to the end of the transaction, so a concurrent PATCH {enabled: false} either waits for
   * this write or is seen by it. A DISABLED endpoint refuses (webhook-disabled): what it would queue would only wait.
   */
  private async lockEnabled(m: EntityManager, id: string, deliveryId?: string): Promise<void> {
    const status = await this.repo.lockEndpointStatus(id, m);
    if (!status) throw new NotFoundError('Webhook', id);
    if (status !== 'DISABLED') return;
    if (deliveryId && !(await this.repo.deliveryExists(id, deliveryId, m))) throw new NotFoundError('Delivery', deliveryId);
    throw new ConflictError('webhook-disabled', `Webhook ${id} is DISABLED: re-enable it with PATCH {"enabled": true} first`);
  }

  private async change(
    actor: Actor,
    id: string,
    action: string,
    edit: (before: WebhookEndpointEntity, m: EntityManager) => Promise<WebhookEndpointEntity>,
  ): Promise<WebhookEndpointEntity> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.repo.findEndpointForUpdate(id, m);
      if (!before) throw new NotFoundError('Webhook', id);
      const after = await this.repo.saveEndpoint(await edit({ ...before }, m), m);
      await this.audit.record(m, actor, { action, entityType: 'webhook', entityId: id, before: endpointSnapshot(before), after: endpointSnapshot(after) });
      return after;
    });
  }

  /** The address check of spec §10 (answered as a field error on `url`); it runs again before every attempt. */
  private async checkUrl(url: string): Promise<void> {
    const target = await resolveTarget(url, { production: this.config.nodeEnv === 'production', allowedHosts: this.config.webhooks.allowedHosts });
    if (!target.ok) throw ValidationFailedError.field('url', target.reason);
  }

  private encrypt(secret: string): string {
    return encryptSecret(secret, this.config.webhooks.secretKey);
  }
}
