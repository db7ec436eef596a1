import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IKM_ELEMENTS, IkmElement } from '../../scoring/ikm';
import { AnswerColumn, answerColumn } from '../../feedback-index/feedback-index.sql';
import { EmployeeEntity } from '../../employees/entities/employee.entity';
import { UnitEntity } from '../../units/entities/unit.entity';
import { ServiceTicketEntity } from './service-ticket.entity';

export const FEEDBACK_STATUSES = ['PUBLISHED', 'VERIFIED', 'HELD', 'REJECTED'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];
export const FEEDBACK_CHANNELS = ['WEB', 'KIOSK', 'MOBILE', 'FORUM', 'OTHER'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

/** The respondent profile of the SKM questionnaire (PermenPAN-RB 14/2017); every field optional. */
export const RESPONDENT_GENDERS = ['MALE', 'FEMALE'] as const;
export const RESPONDENT_AGE_GROUPS = ['UNDER_20', 'AGE_20_29', 'AGE_30_39', 'AGE_40_49', 'AGE_50_59', 'AGE_60_PLUS'] as const;
export const RESPONDENT_EDUCATIONS = ['NONE', 'SD', 'SMP', 'SMA', 'D1_D3', 'D4_S1', 'S2', 'S3'] as const;
export const RESPONDENT_OCCUPATIONS = ['PNS', 'TNI_POLRI', 'SWASTA', 'WIRAUSAHA', 'PELAJAR_MAHASISWA', 'LAINNYA'] as const;
export interface RespondentProfile {
  gender?: (typeof RESPONDENT_GENDERS)[number];
  ageGroup?: (typeof RESPONDENT_AGE_GROUPS)[number];
  education?: (typeof RESPONDENT_EDUCATIONS)[number];
  occupation?: (typeof RESPONDENT_OCCUPATIONS)[number];
}

const answer = (n: number) => `u${n} BETWEEN 1 AND 4`;

/** The answers U1…U9 of the API as the columns u1…u9, and back. */
export type AnswerColumns = Pick<PublicFeedbackEntity, AnswerColumn>;
export const answerColumns = (a: Record<IkmElement, number>): AnswerColumns =>
  Object.fromEntries(IKM_ELEMENTS.map((e) => [answerColumn(e), a[e]])) as unknown as AnswerColumns;
export const answersOf = (f: AnswerColumns): Record<IkmElement, number> =>
  Object.fromEntries(IKM_ELEMENTS.map((e) => [e, f[answerColumn(e)]])) as Record<IkmElement, number>;

/**
 * One citizen's SKM response (spec §4). The nine answers are columns so the service index is a plain SQL
 * aggregate. The contact and the client IP are kept only as keyed hashes (HMAC), for de-duplication and rate
 * limiting; neither is ever returned.
 */
@Entity('public_feedback')
@Check('ck_public_feedback_answers', [1, 2, 3, 4, 5, 6, 7, 8, 9].map(answer).join(' AND '))
// Unit index (PUBLISHED and VERIFIED) and employee index (VERIFIED), by date: partial, covering the nine answers
// so the indices and the recalculation read no table rows. Written by hand in the migration (INCLUDE).
@Index('ix_public_feedback_unit_on', { synchronize: false })
@Index('ix_public_feedback_employee_on', { synchronize: false })
// Abuse control: burst per employee, duplicate contact, IP limit of unticketed feedback.
@Index('ix_public_feedback_employee_at', ['employeeId', 'submittedAt'], { where: 'employee_id IS NOT NULL' })
@Index('ix_public_feedback_contact_at', ['contactHash', 'submittedAt'], { where: 'contact_hash IS NOT NULL' })
@Index('ix_public_feedback_ip_at', ['ipHash', 'submittedAt'], { where: 'ticket_id IS NULL' })
@Index('ix_public_feedback_status_at', ['status', 'submittedAt'])
// Retention: the few rows still holding a hash, found by age.
@Index('ix_public_feedback_hashes_at', ['submittedAt'], { where: 'ip_hash IS NOT NULL OR contact_hash IS NOT NULL' })
export class PublicFeedbackEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ type: 'uuid' }) unitId: string;
  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_public_feedback_unit' })
  unit?: UnitEntity;

  @Column({ type: 'uuid', nullable: true }) employeeId: string | null;
  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_public_feedback_employee' })
  employee?: EmployeeEntity;

  @Column({ type: 'varchar', length: 200, nullable: true }) serviceName: string | null;
  @Column({ type: 'enum', enum: FEEDBACK_CHANNELS, enumName: 'feedback_channel' }) channel: FeedbackChannel;

  @Column({ type: 'smallint' }) u1: number;
  @Column({ type: 'smallint' }) u2: number;
  @Column({ type: 'smallint' }) u3: number;
  @Column({ type: 'smallint' }) u4: number;
  @Column({ type: 'smallint' }) u5: number;
  @Column({ type: 'smallint' }) u6: number;
  @Column({ type: 'smallint' }) u7: number;
  @Column({ type: 'smallint' }) u8: number;
  @Column({ type: 'smallint' }) u9: number;

  @Column({ type: 'varchar', length: 2000, nullable: true }) comment: string | null;
  @Column({ type: 'jsonb', nullable: true }) respondent: RespondentProfile | null;

  /** The ticket that verified this feedback; unique, so a ticket is used once even under a race. */
  @Index('uq_public_feedback_ticket', { unique: true })
  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;
  @ManyToOne(() => ServiceTicketEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_public_feedback_ticket' })
  ticket?: ServiceTicketEntity;

  @Column({ type: 'char', length: 64, nullable: true }) contactHash: string | null;
  @Column({ type: 'char', length: 64, nullable: true }) ipHash: string | null;

  @Column({ type: 'enum', enum: FEEDBACK_STATUSES, enumName: 'feedback_status' }) status: FeedbackStatus;
  @Column({ type: 'timestamptz', default: () => 'now()' }) submittedAt: Date;
  /** The WITA date of submittedAt: the feedback belongs to every period whose dates contain it (spec §4). */
  @Column({ type: 'date' }) submittedOn: string;

  @Column({ type: 'timestamptz', nullable: true }) moderatedAt: Date | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) moderatedBy: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) moderationNote: string | null;
}
