import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { JOB_TYPES, JobType } from '../../employees/entities/employee.entity';
import { INDICATOR_AGGREGATIONS, INDICATOR_DIRECTIONS, IndicatorAggregation, IndicatorDirection } from '../../scoring/types';
import { UnitEntity } from '../../units/entities/unit.entity';


export const INDICATOR_ASPECTS = ['QUANTITY', 'QUALITY', 'TIME', 'COST'] as const;
export type IndicatorAspect = (typeof INDICATOR_ASPECTS)[number];

/** Indikator Kinerja Individu: a measurable KPI of the catalogue. */
@Entity('indicators')
export class IndicatorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('uq_indicators_code', { unique: true })
  @Column({ type: 'varchar', length: 50 })
  code: string;

  @Column({ type: 'varchar', length: 300 }) name: string;

  @Column({ type: 'text', nullable: true }) description: string | null;

  @Column({ type: 'varchar', length: 50 }) unitOfMeasure: string;

  @Column({ type: 'enum', enum: INDICATOR_ASPECTS, enumName: 'indicator_aspect' }) aspect: IndicatorAspect;

  @Column({ type: 'enum', enum: INDICATOR_DIRECTIONS, enumName: 'indicator_direction' }) direction: IndicatorDirection;

  @Column({ type: 'enum', enum: INDICATOR_AGGREGATIONS, enumName: 'indicator_aggregation' })
  aggregation: IndicatorAggregation;

  /** Job types the indicator applies to; empty means all. */
  @Column({ type: 'enum', enum: JOB_TYPES, enumName: 'job_type', array: true, default: '{}' })
  jobTypes: JobType[];

  /** Optional scope: only employees of this unit's subtree may use it. */
  @Column({ type: 'uuid', nullable: true }) unitId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_indicators_unit' })
  unit?: UnitEntity;

  @Column({ type: 'boolean', default: true }) active: boolean;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
