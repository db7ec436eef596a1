import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { WebhookEventEntity } from '../../webhook-outbox/webhook-event.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event for one endpoint, written with the event (the outbox); the relay puts PENDING ones whose attempt is due on
 * the `webhooks` queue. FAILED: the retry schedule ran out, or the endpoint was disabled.
 */
@Entity('webhook_deliveries')
@Index('uq_webhook_deliveries_endpoint_event', ['endpointId', 'eventId'], { unique: true })
@Index('ix_webhook_deliveries_due', ['nextAttemptAt'], { where: `status = 'PENDING'` })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) endpointId: string;
  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_webhook_deliveries_endpoint' })
  endpoint?: WebhookEndpointEntity;

  @Index('ix_webhook_deliveries_event')
  @Column({ type: 'uuid' })
  eventId: string;
  @ManyToOne(() => WebhookEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_webhook_deliveries_event' })
  event?: WebhookEventEntity;

  @Column({ type: 'enum', enum: DELIVERY_STATUSES, enumName: 'webhook_delivery_status', default: 'PENDING' }) status: DeliveryStatus;

  @Column({ type: 'int', default: 0 }) attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' }) nextAttemptAt: Date;

  /** When the relay last put it on the queue; the sweeper puts it there again if no attempt was recorded since. */
  @Column({ type: 'timestamptz', nullable: true }) enqueuedAt: Date | null;

  @Column({ type: 'smallint', nullable: true }) lastStatusCode: number | null;

  @Column({ type: 'timestamptz', nullable: true }) deliveredAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
