import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** A completed assessor course (pelatihan penilai, spec §11): it makes its employee a trained assessor while it is valid. */
@Entity('assessor_trainings')
@Index('uq_assessor_trainings_course', ['employeeId', 'course', 'completedOn'], { unique: true })
@Check('ck_assessor_trainings_validity', 'valid_until IS NULL OR valid_until >= completed_on')
export class AssessorTrainingEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) employeeId: string;
  @ManyToOne('employees', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_assessor_trainings_employee' })
  employee?: unknown;

  @Column({ type: 'varchar', length: 200 }) course: string;
  @Column({ type: 'date' }) completedOn: string;
  /** Open-ended when null. */
  @Column({ type: 'date', nullable: true }) validUntil: string | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) certificateUrl: string | null;
  @Column({ type: 'uuid' }) recordedBy: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) recordedAt: Date;
}
