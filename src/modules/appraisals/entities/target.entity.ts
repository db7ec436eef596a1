import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { decimal } from '../../../database/decimal.transformer';
import { IndicatorEntity } from '../../indicators/entities/indicator.entity';
import { AppraisalEntity } from './appraisal.entity';

/** Rencana Hasil Kerja: an indicator with a target value and a weight in one appraisal. */
@Entity('appraisal_targets')
@Index('uq_appraisal_targets_indicator', ['appraisalId', 'indicatorId'], { unique: true })
@Index('ix_appraisal_targets_indicator', ['indicatorId'])
@Index('ix_appraisal_targets_cascaded_from', ['cascadedFromTargetId'])
@Check('ck_appraisal_targets_positive', 'target > 0 AND weight > 0')
export class TargetEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) appraisalId: string;
  @ManyToOne(() => AppraisalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appraisal_id', foreignKeyConstraintName: 'fk_appraisal_targets_appraisal' })
  appraisal?: AppraisalEntity;

  @Column({ type: 'uuid' }) indicatorId: string;
  @ManyToOne(() => IndicatorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'indicator_id', foreignKeyConstraintName: 'fk_appraisal_targets_indicator' })
  indicator?: IndicatorEntity;

  @Column({ type: 'numeric', precision: 20, scale: 4, transformer: decimal }) target: number;

  @Column({ type: 'numeric', precision: 6, scale: 2, transformer: decimal }) weight: number;

  /** RHK atasan yang diintervensi: a target of the assessor's appraisal in the same period. */
  @Column({ type: 'uuid', nullable: true }) cascadedFromTargetId: string | null;
  @ManyToOne(() => TargetEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cascaded_from_target_id', foreignKeyConstraintName: 'fk_appraisal_targets_cascaded_from' })
  cascadedFrom?: TargetEntity;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
