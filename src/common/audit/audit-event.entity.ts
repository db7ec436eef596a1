import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ACTOR_TYPES = ['USER', 'API_KEY', 'SYSTEM', 'PUBLIC'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Append-only: a database trigger refuses UPDATE, DELETE and TRUNCATE on this table. */
@Entity('audit_events')
@Index('ix_audit_events_entity', ['entityType', 'entityId', 'occurredAt'])
@Index('ix_audit_events_occurred_at', ['occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' }) occurredAt: Date;

  @Column({ type: 'enum', enum: ACTOR_TYPES, enumName: 'audit_actor_type' }) actorType: ActorType;

  @Column({ type: 'uuid', nullable: true }) actorId: string | null;

  @Column({ type: 'varchar', length: 100 }) actorName: string;

  /** `<entity>.<verb>`, e.g. `employee.create`, `unit.deactivate`. */
  @Column({ type: 'varchar', length: 100 }) action: string;

  @Column({ type: 'varchar', length: 50 }) entityType: string;

  @Column({ type: 'varchar', length: 100, nullable: true }) entityId: string | null;

  @Column({ type: 'jsonb', nullable: true }) before: object | null;

  @Column({ type: 'jsonb', nullable: true }) after: object | null;

  /** Why, where the caller must say so (reassigning an assessor or reviewer). */
  @Column({ type: 'text', nullable: true }) reason: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true }) requestId: string | null;
}
