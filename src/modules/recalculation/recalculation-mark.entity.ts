import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * Durable "needs recalculation" mark (spec §6), written in the same transaction as the change that
 * affects a score. `version` grows with every mark, so a worker clears it only if nothing newer came in.
 */
@Entity('score_recalculation_marks')
export class RecalculationMarkEntity {
  @PrimaryColumn({ type: 'uuid' }) appraisalId: string;
  // The foreign key only, its target named by table: the recalculation sits below the modules that mark.
  @ManyToOne('appraisals', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appraisal_id', foreignKeyConstraintName: 'fk_score_recalculation_marks_appraisal' })
  appraisal?: unknown;

  @Column({ type: 'bigint', default: 1 }) version: string;

  @Column({ type: 'timestamptz', default: () => 'now()' }) markedAt: Date;

  @Column({ type: 'varchar', length: 100 }) reason: string;

  /** When the relay last put it on the queue; the sweeper re-enqueues marks left too long. */
  @Index('ix_score_recalculation_marks_enqueued_at')
  @Column({ type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;
}
