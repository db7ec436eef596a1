import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { decimal } from '../../../database/decimal.transformer';
import { AppraisalEntity } from './appraisal.entity';
import { TargetEntity } from './target.entity';

export const ACHIEVEMENT_STATUSES = ['SUBMITTED', 'VERIFIED', 'REJECTED'] as const;
export type AchievementStatus = (typeof ACHIEVEMENT_STATUSES)[number];

/** Realisasi: a recorded result with its evidence (bukti dukung). Only VERIFIED ones count. */
@Entity('achievements')
@Index('ix_achievements_target_status', ['targetId', 'status'])
@Index('ix_achievements_appraisal', ['appraisalId'])
// Covering partial index for score recalculation; INCLUDE is beyond TypeORM's diff, so a migration owns it.
@Index('ix_achievements_verified_by_appraisal', { synchronize: false })
@Check('ck_achievements_value', 'value >= 0')
export class AchievementEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) targetId: string;
  @ManyToOne(() => TargetEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'target_id', foreignKeyConstraintName: 'fk_achievements_target' })
  target?: TargetEntity;

  /** Denormalised from the target, so one appraisal's achievements are one index lookup. */
  @Column({ type: 'uuid' }) appraisalId: string;
  @ManyToOne(() => AppraisalEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appraisal_id', foreignKeyConstraintName: 'fk_achievements_appraisal' })
  appraisal?: AppraisalEntity;

  @Column({ type: 'numeric', precision: 20, scale: 4, transformer: decimal }) value: number;

  @Column({ type: 'date' }) occurredOn: string;

  @Column({ type: 'text', nullable: true }) description: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true }) evidenceUrl: string | null;

  @Column({ type: 'enum', enum: ACHIEVEMENT_STATUSES, enumName: 'achievement_status', default: 'SUBMITTED' })
  status: AchievementStatus;

  /** Principal (user or API key) that submitted it. */
  @Column({ type: 'uuid' }) submittedBy: string;

  /**
   * Every principal that shaped the evidence, a key's issuer included: none of them may decide on it (four eyes,
   * spec §8 rule 2). Internal: never part of the API.
   */
  @Column({ type: 'uuid', array: true, default: '{}' }) contributorIds: string[];

  @Column({ type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ type: 'text', nullable: true }) rejectionReason: string | null;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
