import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ENDPOINT_STATUSES = ['ENABLED', 'DISABLED'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

/** A receiver of webhook events (spec §10): where, which events, and the secrets that sign them. */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'varchar', length: 2000 }) url: string;

  @Column({ type: 'varchar', length: 500, nullable: true }) description: string | null;

  /** Event types (WEBHOOK_EVENT_TYPES) this endpoint receives. */
  @Column({ type: 'varchar', array: true }) events: string[];

  /** The signing secret, encrypted at rest (`whsec_…` once decrypted). */
  @Column({ type: 'varchar', length: 500 }) secret: string;

  /** After a rotation the previous secret also signs until `previousSecretUntil` (24 h), encrypted as `secret`. */
  @Column({ type: 'varchar', length: 500, nullable: true }) previousSecret: string | null;

  @Column({ type: 'timestamptz', nullable: true }) previousSecretUntil: Date | null;

  @Column({ type: 'enum', enum: ENDPOINT_STATUSES, enumName: 'webhook_endpoint_status', default: 'ENABLED' }) status: EndpointStatus;

  /** Why it was disabled: `gone` (a 410), `failing` (5 days of failures), `manual`. */
  @Column({ type: 'varchar', length: 200, nullable: true }) disabledReason: string | null;

  @Column({ type: 'timestamptz', nullable: true }) disabledAt: Date | null;

  /** Since when every attempt failed (null once one succeeds): 5 days of it disable the endpoint. */
  @Column({ type: 'timestamptz', nullable: true }) failingSince: Date | null;

  /** The user or API key that created it. */
  @Column({ type: 'uuid', nullable: true }) createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
