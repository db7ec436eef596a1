import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const FEEDBACK_NOTE_KINDS = ['PRAISE', 'GUIDANCE', 'CONCERN'] as const;
export type FeedbackNoteKind = (typeof FEEDBACK_NOTE_KINDS)[number];

/** The part the writer held in the appraisal. */
export const FEEDBACK_NOTE_AUTHORS = ['ASSESSOR', 'REVIEWER', 'ADMIN'] as const;
export type FeedbackNoteAuthor = (typeof FEEDBACK_NOTE_AUTHORS)[number];

/** Umpan balik berkelanjutan (spec §11): a note to the employee during the period; it never enters a score. */
@Entity('appraisal_feedback_notes')
@Index('ix_appraisal_feedback_notes_appraisal', ['appraisalId', 'writtenAt'])
export class FeedbackNoteEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) appraisalId: string;
  @ManyToOne('appraisals', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appraisal_id', foreignKeyConstraintName: 'fk_appraisal_feedback_notes_appraisal' })
  appraisal?: unknown;

  @Column({ type: 'enum', enum: FEEDBACK_NOTE_KINDS, enumName: 'feedback_note_kind' }) kind: FeedbackNoteKind;
  @Column({ type: 'text' }) note: string;
  @Column({ type: 'enum', enum: FEEDBACK_NOTE_AUTHORS, enumName: 'feedback_note_author' }) author: FeedbackNoteAuthor;
  @Column({ type: 'uuid' }) writtenBy: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) writtenAt: Date;
}
