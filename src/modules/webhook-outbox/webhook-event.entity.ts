import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The outbox (spec §10): one row per event, written in the transaction of the change it reports, and only while an
 * ENABLED endpoint subscribes to its type. `payload` is the envelope `{type, timestamp, data}` exactly as delivered;
 * `id` is the `webhook-id` of every attempt; `seq` orders the events of an endpoint.
 */
@Entity('webhook_events')
export class WebhookEventEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('uq_webhook_events_seq', { unique: true })
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq: string;

  @Column({ type: 'varchar', length: 60 }) type: string;

  @Column({ type: 'jsonb' }) payload: { type: string; timestamp: string; data: Record<string, unknown> };

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
