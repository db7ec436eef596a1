import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EmployeeEntity } from '../../employees/entities/employee.entity';
import { UnitEntity } from '../../units/entities/unit.entity';

/**
 * A single-use ticket for one real service encounter (spec §4). Only the SHA-256 of the ticket is kept, like
 * an API key: a database leak cannot be turned into verified feedback.
 */
@Entity('service_tickets')
@Index('ix_service_tickets_issuer_at', ['issuerId', 'createdAt'])
@Index('ix_service_tickets_employee_at', ['employeeId', 'createdAt'], { where: 'employee_id IS NOT NULL' })
export class ServiceTicketEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('uq_service_tickets_token', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'uuid' }) unitId: string;
  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_service_tickets_unit' })
  unit?: UnitEntity;

  @Column({ type: 'uuid', nullable: true }) employeeId: string | null;
  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_service_tickets_employee' })
  employee?: EmployeeEntity;

  @Column({ type: 'varchar', length: 200, nullable: true }) serviceName: string | null;
  /** Username or API-key name of the issuer, for display; the audit log has the full record. */
  @Column({ type: 'varchar', length: 100 }) issuedBy: string;
  /** Principal (user or API key) that issued it: the daily caps count by it (spec §8 rule 5). */
  @Column({ type: 'uuid' }) issuerId: string;
  @Column({ type: 'timestamptz' }) expiresAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) usedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
