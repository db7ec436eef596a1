import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_TRIGGERS = ['MANUAL', 'SCHEDULE'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** A batch recalculation of a whole period (`POST /periods/{id}/recalculate` or the nightly schedule). */
@Entity('recalculation_runs')
@Index('ix_recalculation_runs_period', ['periodId', 'createdAt'])
export class RecalculationRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) periodId: string;
  // The foreign key only, its target named by table: the recalculation sits below the periods module.
  @ManyToOne('periods', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'period_id', foreignKeyConstraintName: 'fk_recalculation_runs_period' })
  period?: unknown;

  @Column({ type: 'enum', enum: RUN_TRIGGERS, enumName: 'recalculation_trigger' }) trigger: RunTrigger;
  @Column({ type: 'enum', enum: RUN_STATUSES, enumName: 'recalculation_status', default: 'QUEUED' }) status: RunStatus;
  @Column({ type: 'integer', default: 0 }) total: number;
  @Column({ type: 'integer', default: 0 }) done: number;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'uuid', nullable: true }) requestedBy: string | null;

  /** One scheduled run per period and day, however many instances fire the schedule. */
  @Index('uq_recalculation_runs_dedupe', { unique: true, where: 'dedupe_key IS NOT NULL' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  dedupeKey: string | null;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt: Date | null;
}
