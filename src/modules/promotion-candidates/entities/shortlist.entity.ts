import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Predicate } from '../../scoring/types';
import { EmployeeEntity, JobType } from '../../employees/entities/employee.entity';
import type { PeriodType } from '../../periods/entities/period.entity';
import { UnitEntity } from '../../units/entities/unit.entity';

/** The candidate parameters with every default applied, as a shortlist stores them (the API's ResolvedParameters). */
export interface ShortlistParameters {
  periodType: PeriodType;
  window: number;
  minPredicate: Predicate;
  minYearsInRank: number;
  penaltyYears: number;
  withinUnitId: string | null;
  jobType: JobType | null;
  asOf: string;
  includeIneligible: boolean;
}

/** A promotion-candidate list frozen for Baperjakat: its parameters and items exactly as computed then. */
@Entity('promotion_shortlists')
export class ShortlistEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'jsonb' }) parameters: ShortlistParameters;
  @Column({ type: 'jsonb' }) items: object[];

  /** The unit subtree the list was computed over (null: the whole organisation); HR access follows it. */
  @Column({ type: 'uuid', nullable: true }) unitId: string | null;
  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_promotion_shortlists_unit' })
  unit?: UnitEntity;

  @Column({ type: 'uuid' }) createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export const SHORTLIST_DECISIONS = ['APPROVED', 'REJECTED', 'DEFERRED'] as const;
export type ShortlistDecision = (typeof SHORTLIST_DECISIONS)[number];

/** The board's decision on one candidate of a shortlist; a later decision replaces it (the audit keeps all). */
@Entity('promotion_shortlist_decisions')
export class ShortlistDecisionEntity {
  @PrimaryColumn({ type: 'uuid' }) shortlistId: string;
  @ManyToOne(() => ShortlistEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'shortlist_id', foreignKeyConstraintName: 'fk_promotion_shortlist_decisions_shortlist' })
  shortlist?: ShortlistEntity;

  @PrimaryColumn({ type: 'uuid' }) employeeId: string;
  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_promotion_shortlist_decisions_employee' })
  employee?: EmployeeEntity;

  @Column({ type: 'enum', enum: SHORTLIST_DECISIONS, enumName: 'shortlist_decision' }) decision: ShortlistDecision;
  @Column({ type: 'text' }) note: string;
  @Column({ type: 'uuid' }) decidedBy: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) decidedAt: Date;
}
