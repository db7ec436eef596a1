import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** Who held the dialogue for the record: the assessor's side, or the employee who asked for it. */
export const DIALOGUE_PARTIES = ['ASSESSOR', 'EMPLOYEE'] as const;
export type DialogueParty = (typeof DIALOGUE_PARTIES)[number];

export interface AgreedAction {
  action: string;
  dueOn: string | null;
}

/** Dialog kinerja (PermenPAN-RB 6/2022, spec §11): recorded by one party, acknowledged by the other. */
@Entity('performance_dialogues')
@Index('ix_performance_dialogues_appraisal', ['appraisalId', 'heldOn'])
@Index('ix_performance_dialogues_assessor', ['assessorId'])
export class DialogueEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) appraisalId: string;
  @ManyToOne('appraisals', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appraisal_id', foreignKeyConstraintName: 'fk_performance_dialogues_appraisal' })
  appraisal?: unknown;

  /** The appraisal's assessor when the dialogue was recorded: whom `dialoguesHeld` counts it for. */
  @Column({ type: 'uuid', nullable: true }) assessorId: string | null;

  @Column({ type: 'date' }) heldOn: string;
  @Column({ type: 'jsonb' }) topics: string[];
  @Column({ type: 'text' }) notes: string;
  @Column({ type: 'jsonb' }) agreedActions: AgreedAction[];

  @Column({ type: 'enum', enum: DIALOGUE_PARTIES, enumName: 'dialogue_party' }) requestedBy: DialogueParty;
  @Column({ type: 'uuid' }) recordedBy: string;
  /** The recorder's identities (a key and its issuer): none of them may acknowledge (four eyes). */
  @Column({ type: 'uuid', array: true }) recorderIds: string[];
  @Column({ type: 'timestamptz', default: () => 'now()' }) recordedAt: Date;

  @Column({ type: 'uuid', nullable: true }) acknowledgedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) acknowledgedAt: Date | null;
}
