import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** One HTTP attempt of a delivery: what the receiver answered (its body cut to 1 KB), or why there was no answer. */
@Entity('webhook_delivery_attempts')
@Index('ix_webhook_delivery_attempts_delivery', ['deliveryId', 'attemptedAt'])
export class WebhookDeliveryAttemptEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) deliveryId: string;
  @ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'fk_webhook_delivery_attempts_delivery' })
  delivery?: WebhookDeliveryEntity;

  @Column({ type: 'timestamptz' }) attemptedAt: Date;

  /** Null when no answer came (refused address, timeout, connection error). */
  @Column({ type: 'smallint', nullable: true }) statusCode: number | null;

  @Column({ type: 'int' }) durationMs: number;

  /** Why the attempt failed without an answer, e.g. `timeout`, `address-refused`; never the secret. */
  @Column({ type: 'varchar', length: 500, nullable: true }) error: string | null;

  /** The first 1 KB of the answer's body. */
  @Column({ type: 'varchar', length: 1024, nullable: true }) responseBody: string | null;
}
