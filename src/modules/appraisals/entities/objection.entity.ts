import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppraisalEntity } from './appraisal.entity';
import { BehaviourRatings, Rating, RATINGS } from '../../scoring/types';

export const OBJECTION_STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

/** Keberatan (PP 30/2019 art. 59): one per appraisal; the reviewer's decision is final. */
@Entity('appraisal_objections')
export class ObjectionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('uq_appraisal_objections_appraisal', { unique: true })
  @Column({ type: 'uuid' })
  appraisalId: string;
  @ManyToOne(() => AppraisalEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appraisal_id', foreignKeyConstraintName: 'fk_appraisal_objections_appraisal' })
  appraisal?: AppraisalEntity;

  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'uuid' }) filedBy: string;
  /** The filer's identities (a key and its issuer): none of them may resolve it (four eyes). Internal: never part of the API. */
  @Column({ type: 'uuid', array: true, default: '{}' }) filerIds: string[];
  /** Who could sign in as the filer when it was filed (credential setters; a key's issued-under ones too). Internal. */
  @Column({ type: 'uuid', array: true, default: '{}' }) filerSetterIds: string[];
  @Column({ type: 'timestamptz', default: () => 'now()' }) filedAt: Date;

  @Column({ type: 'enum', enum: OBJECTION_STATUSES, enumName: 'objection_status', default: 'PENDING' })
  status: ObjectionStatus;

  @Column({ type: 'text', nullable: true }) decisionNote: string | null;
  @Column({ type: 'jsonb', nullable: true }) behaviourRatings: BehaviourRatings | null;
  @Column({ type: 'enum', enum: RATINGS, enumName: 'rating', nullable: true }) resultRatingOverride: Rating | null;
  @Column({ type: 'uuid', nullable: true }) resolvedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
}
