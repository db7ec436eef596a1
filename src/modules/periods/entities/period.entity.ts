import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ScoringPolicy } from '../../scoring/policy';

export const PERIOD_TYPES = ['MONTHLY', 'QUARTERLY', 'ANNUAL'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
export const PERIOD_STATUSES = ['PLANNING', 'OPEN', 'EVALUATION', 'CLOSED'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

@Entity('periods')
@Check('ck_periods_dates', 'end_date >= start_date')
@Index('ix_periods_type_dates', ['type', 'startDate'])
export class PeriodEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('uq_periods_code', { unique: true })
  @Column({ type: 'varchar', length: 20 })
  code: string;

  @Column({ type: 'enum', enum: PERIOD_TYPES, enumName: 'period_type' }) type: PeriodType;

  @Column({ type: 'date' }) startDate: string;

  @Column({ type: 'date' }) endDate: string;

  @Column({ type: 'enum', enum: PERIOD_STATUSES, enumName: 'period_status', default: 'PLANNING' }) status: PeriodStatus;

  /** The scoring policy snapshot of §5, complete (defaults filled in at creation). */
  @Column({ type: 'jsonb' }) policy: ScoringPolicy;

  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
