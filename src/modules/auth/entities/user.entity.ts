import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { EmployeeEntity } from '../../employees/entities/employee.entity';
import { UnitEntity } from '../../units/entities/unit.entity';
import { Role, ROLES } from '../../../common/auth/principal';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('uq_users_username', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ type: 'text' }) passwordHash: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role' }) role: Role;

  @Index('uq_users_employee_id', { unique: true, where: 'employee_id IS NOT NULL' })
  @Column({ type: 'uuid', nullable: true })
  employeeId: string | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_users_employee' })
  employee?: EmployeeEntity;

  @Column({ type: 'uuid', nullable: true }) unitId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_users_unit' })
  unit?: UnitEntity;

  @Column({ type: 'boolean', default: true }) active: boolean;

  /**
   * The admin who created the account or last reset its password (null: the first admin, or one since removed). They
   * can sign in as it, so it answers for them in the separation of duties (spec §8); a user's own change keeps it.
   */
  @Column({ type: 'uuid', nullable: true }) credentialsSetBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'credentials_set_by', foreignKeyConstraintName: 'fk_users_credentials_set_by' })
  credentialsSetter?: UserEntity;

  /** Carried in every token; a password change or deactivation bumps it, so earlier tokens stop working. */
  @Column({ type: 'integer', default: 0 }) tokenVersion: number;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
