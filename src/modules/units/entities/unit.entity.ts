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

export const UNIT_KINDS = ['SEKRETARIAT', 'DINAS', 'BADAN', 'KECAMATAN', 'KELURAHAN', 'BAGIAN', 'BIDANG', 'UPTD', 'OTHER'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

@Entity('units')
@Check('ck_units_not_own_parent', 'parent_id IS NULL OR parent_id <> id')
export class UnitEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('uq_units_code', { unique: true })
  @Column({ type: 'varchar', length: 50 })
  code: string;

  @Column({ type: 'varchar', length: 200 }) name: string;

  @Column({ type: 'enum', enum: UNIT_KINDS, enumName: 'unit_kind' }) kind: UnitKind;

  @Index('ix_units_parent_id')
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_units_parent' })
  parent?: UnitEntity;

  @Column({ type: 'boolean', default: false }) publicService: boolean;

  @Column({ type: 'boolean', default: true }) active: boolean;

  /** The employee who leads the unit (spec §5.4): rated by the unit's organisation predicate. */
  @Index('ix_units_head_employee_id')
  @Column({ type: 'uuid', nullable: true })
  headEmployeeId: string | null;
  // The foreign key only, its target named by table: employees sit above units.
  @ManyToOne('employees', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'head_employee_id', foreignKeyConstraintName: 'fk_units_head_employee' })
  headEmployee?: { id: string };

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
