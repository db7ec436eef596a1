import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { EmployeeEntity } from '../../employees/entities/employee.entity';
import { PeriodEntity } from '../../periods/entities/period.entity';
import { BehaviourRatings, Rating, RATINGS } from '../../scoring/types';
import { UnitEntity } from '../../units/entities/unit.entity';


export const APPRAISAL_STATUSES = ['DRAFT', 'AGREED', 'ASSESSED', 'FINALIZED'] as const;
export type AppraisalStatus = (typeof APPRAISAL_STATUSES)[number];

/** SKP: one employee in one period. */
@Entity('appraisals')
@Index('uq_appraisals_employee_period', ['employeeId', 'periodId'], { unique: true })
@Index('ix_appraisals_period_status', ['periodId', 'status'])
@Index('ix_appraisals_assessor', ['assessorId'])
@Index('ix_appraisals_reviewer', ['reviewerId'])
@Index('ix_appraisals_unit', ['unitId'])
export class AppraisalEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) employeeId: string;
  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_appraisals_employee' })
  employee?: EmployeeEntity;

  @Column({ type: 'uuid' }) periodId: string;
  @ManyToOne(() => PeriodEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'period_id', foreignKeyConstraintName: 'fk_appraisals_period' })
  period?: PeriodEntity;

  /** The employee's unit when the appraisal was created: HR scope and distribution curves use it. */
  @Column({ type: 'uuid' }) unitId: string;
  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_appraisals_unit' })
  unit?: UnitEntity;

  /** Pejabat penilai: the employee's supervisor at creation. */
  @Column({ type: 'uuid', nullable: true }) assessorId: string | null;
  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assessor_id', foreignKeyConstraintName: 'fk_appraisals_assessor' })
  assessor?: EmployeeEntity;

  /** Atasan pejabat penilai: the assessor's supervisor at creation. */
  @Column({ type: 'uuid', nullable: true }) reviewerId: string | null;
  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reviewer_id', foreignKeyConstraintName: 'fk_appraisals_reviewer' })
  reviewer?: EmployeeEntity;

  @Column({ type: 'enum', enum: APPRAISAL_STATUSES, enumName: 'appraisal_status', default: 'DRAFT' })
  status: AppraisalStatus;

  /** Bumped by every change to the appraisal or its targets; the ETag. */
  @VersionColumn({ default: 1 }) version: number;

  @Column({ type: 'timestamptz', nullable: true }) agreedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true }) behaviourRatings: BehaviourRatings | null;
  @Column({ type: 'text', nullable: true }) behaviourNotes: string | null;
  @Column({ type: 'timestamptz', nullable: true }) assessedAt: Date | null;

  @Column({ type: 'enum', enum: RATINGS, enumName: 'rating', nullable: true }) resultRatingOverride: Rating | null;
  @Column({ type: 'text', nullable: true }) resultRatingOverrideReason: string | null;

  @Column({ type: 'timestamptz', nullable: true }) finalizedAt: Date | null;

  /** The employee heads the appraisal's unit (spec §5.4): set at creation, follows head changes until finalised. */
  @Column({ type: 'boolean', default: false }) headsUnit: boolean;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
