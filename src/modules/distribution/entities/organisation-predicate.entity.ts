import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PeriodEntity } from '../../periods/entities/period.entity';
import { UnitEntity } from '../../units/entities/unit.entity';

import { ORGANISATION_PREDICATES, type OrganisationPredicate } from '../../scoring/types';

export { ORGANISATION_PREDICATES, type OrganisationPredicate };

/** Predikat kinerja organisasi of a unit in a period, set by an admin; it fixes the unit's distribution curve. */
@Entity('organisation_predicates')
export class OrganisationPredicateEntity {
  @PrimaryColumn({ type: 'uuid' }) periodId: string;
  @ManyToOne(() => PeriodEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'period_id', foreignKeyConstraintName: 'fk_organisation_predicates_period' })
  period?: PeriodEntity;

  @PrimaryColumn({ type: 'uuid' }) unitId: string;
  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_organisation_predicates_unit' })
  unit?: UnitEntity;

  @Column({ type: 'enum', enum: ORGANISATION_PREDICATES, enumName: 'organisation_predicate' }) predicate: OrganisationPredicate;
  @Column({ type: 'uuid', nullable: true }) setBy: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) setAt: Date;
}
