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
import { UnitEntity } from '../../units/entities/unit.entity';

export const EMPLOYMENT_TYPES = ['PNS', 'PPPK'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];
export const GENDERS = ['MALE', 'FEMALE'] as const;
export type Gender = (typeof GENDERS)[number];
export const JOB_TYPES = ['JPT_UTAMA', 'JPT_MADYA', 'JPT_PRATAMA', 'ADMINISTRATOR', 'PENGAWAS', 'PELAKSANA', 'FUNGSIONAL'] as const;
export type JobType = (typeof JOB_TYPES)[number];
export const FUNCTIONAL_LEVELS = ['AHLI_PERTAMA', 'AHLI_MUDA', 'AHLI_MADYA', 'AHLI_UTAMA', 'PEMULA', 'TERAMPIL', 'MAHIR', 'PENYELIA'] as const;
export type FunctionalLevel = (typeof FUNCTIONAL_LEVELS)[number];
export const EMPLOYEE_STATUSES = ['ACTIVE', 'INACTIVE', 'RETIRED'] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];
export const POTENTIALS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Potential = (typeof POTENTIALS)[number];

@Entity('employees')
@Check('ck_employees_nip_digits', "nip ~ '^[0-9]{18}$'")
@Check('ck_employees_not_own_supervisor', 'supervisor_id IS NULL OR supervisor_id <> id')
@Index('ix_employees_unit_id', ['unitId'])
@Index('ix_employees_supervisor_id', ['supervisorId'])
export class EmployeeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('uq_employees_nip', { unique: true })
  @Column({ type: 'char', length: 18 })
  nip: string;

  @Column({ type: 'varchar', length: 200 }) name: string;

  @Column({ type: 'enum', enum: EMPLOYMENT_TYPES, enumName: 'employment_type' }) employmentType: EmploymentType;

  @Column({ type: 'enum', enum: GENDERS, enumName: 'gender', nullable: true }) gender: Gender | null;

  @Column({ type: 'date', nullable: true }) birthDate: string | null;

  @Column({ type: 'varchar', length: 10 }) rank: string;

  @Column({ type: 'date' }) rankSince: string;

  @Column({ type: 'enum', enum: JOB_TYPES, enumName: 'job_type' }) jobType: JobType;

  @Column({ type: 'varchar', length: 200 }) positionTitle: string;

  @Column({ type: 'enum', enum: FUNCTIONAL_LEVELS, enumName: 'functional_level', nullable: true })
  functionalLevel: FunctionalLevel | null;

  @Column({ type: 'uuid' }) unitId: string;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_employees_unit' })
  unit?: UnitEntity;

  @Column({ type: 'uuid', nullable: true }) supervisorId: string | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supervisor_id', foreignKeyConstraintName: 'fk_employees_supervisor' })
  supervisor?: EmployeeEntity;

  @Column({ type: 'date', nullable: true }) serviceStart: string | null;

  @Column({ type: 'enum', enum: EMPLOYEE_STATUSES, enumName: 'employee_status', default: 'ACTIVE' })
  status: EmployeeStatus;

  @Column({ type: 'enum', enum: POTENTIALS, enumName: 'potential', nullable: true }) potential: Potential | null;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
