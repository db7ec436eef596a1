import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EmployeeEntity } from './employee.entity';

export const PENALTY_LEVELS = ['LIGHT', 'MODERATE', 'HEAVY'] as const;
export type PenaltyLevel = (typeof PENALTY_LEVELS)[number];

/** Hukuman disiplin (PP 94/2021). */
@Entity('employee_penalties')
@Index('ix_employee_penalties_employee', ['employeeId', 'imposedOn'])
export class PenaltyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) employeeId: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_employee_penalties_employee' })
  employee?: EmployeeEntity;

  @Column({ type: 'enum', enum: PENALTY_LEVELS, enumName: 'penalty_level' }) level: PenaltyLevel;

  @Column({ type: 'date' }) imposedOn: string;

  @Column({ type: 'varchar', length: 2000 }) description: string;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
