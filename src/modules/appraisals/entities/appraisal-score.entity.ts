import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { decimal } from '../../../database/decimal.transformer';
import type { StoredBreakdown } from '../../scoring/breakdown';
import { PREDICATES, RATINGS, type Predicate, type PredicateCode, type Rating } from '../../scoring/types';
import { AppraisalEntity } from './appraisal.entity';

/** The computed score of one appraisal (§5), rewritten from source rows by the recalculation worker. */
@Entity('appraisal_scores')
@Index('ix_appraisal_scores_predicate', ['predicate'])
export class AppraisalScoreEntity {
  @PrimaryColumn({ type: 'uuid' }) appraisalId: string;
  @OneToOne(() => AppraisalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appraisal_id', foreignKeyConstraintName: 'fk_appraisal_scores_appraisal' })
  appraisal?: AppraisalEntity;

  @Column({ type: 'numeric', precision: 7, scale: 2, transformer: decimal }) resultScore: number;
  @Column({ type: 'numeric', precision: 7, scale: 2, nullable: true, transformer: decimal }) behaviourScore: number | null;
  @Column({ type: 'numeric', precision: 7, scale: 2, nullable: true, transformer: decimal }) finalScore: number | null;
  @Column({ type: 'enum', enum: RATINGS, enumName: 'rating' }) resultRating: Rating;
  @Column({ type: 'enum', enum: RATINGS, enumName: 'rating', nullable: true }) behaviourRating: Rating | null;
  @Column({ type: 'enum', enum: PREDICATES, enumName: 'predicate', nullable: true }) predicate: Predicate | null;
  @Column({ type: 'smallint', nullable: true }) predicateCode: PredicateCode | null;
  /**
   * json, not jsonb: written whole and read whole, never queried inside; jsonb's parser made most of the cost of writing a
   * score. Stored compact (`StoredBreakdown`); `breakdownOf` gives the API's shape.
   */
  @Column({ type: 'json' }) breakdown: StoredBreakdown;
  @Column({ type: 'timestamptz' }) computedAt: Date;

  /** SHA-256 of everything the score was computed from; a recalculation with the same inputs writes nothing. */
  @Column({ type: 'char', length: 64, nullable: true }) inputDigest: string | null;
}
