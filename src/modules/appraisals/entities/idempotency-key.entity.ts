import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** First answers to requests sent with an `Idempotency-Key`, per caller and operation, replayed on retries; kept 7 days (RetentionService). */
@Entity('idempotency_keys')
@Index('ix_idempotency_keys_created_at', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'uuid' }) principalId: string;
  @PrimaryColumn({ type: 'varchar', length: 50 }) operation: string;
  @PrimaryColumn({ type: 'varchar', length: 200 }) key: string;

  /** SHA-256 of the request body: the same key with another body is refused. */
  @Column({ type: 'char', length: 64 }) requestHash: string;

  @Column({ type: 'integer', nullable: true }) responseStatus: number | null;
  @Column({ type: 'jsonb', nullable: true }) responseBody: object | null;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
