import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { DIALOGUE_PARTIES, DialogueEntity, DialogueParty } from '../entities/dialogue.entity';
import { FEEDBACK_NOTE_AUTHORS, FEEDBACK_NOTE_KINDS, FeedbackNoteAuthor, FeedbackNoteEntity, FeedbackNoteKind } from '../entities/feedback-note.entity';
import { trim, isSet } from '../../../common/validation/transforms';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const trimEach = ({ value }: { value: unknown }): unknown => (Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)) : value);

export const MAX_TOPICS = 20;
export const MAX_TOPIC = 200;
export const MAX_DIALOGUE_NOTES = 4000;
export const MAX_ACTIONS = 20;
export const MAX_ACTION = 500;
export const MAX_FEEDBACK_NOTE = 2000;

export class AgreedActionInputDto {
  @ApiProperty({ example: 'Menyusun SOP verifikasi izin trayek', minLength: 1, maxLength: MAX_ACTION })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_ACTION)
  action: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-15', nullable: true, type: String, description: 'Not before heldOn' })
  @IsOptional()
  @ValidateIf(isSet)
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  dueOn?: string | null;
}

export class CreateDialogueDto {
  @ApiProperty({ format: 'date', example: '2026-11-20', description: 'WITA date it was held: inside the period, not after today' })
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  heldOn: string;

  @ApiProperty({
    type: [String],
    example: ['Capaian izin trayek bulan November', 'Hambatan verifikasi lapangan'],
    minItems: 1,
    maxItems: MAX_TOPICS,
    description: `1 to ${MAX_TOPICS} topics of 1 to ${MAX_TOPIC} characters`,
  })
  @Transform(trimEach)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TOPICS)
  @IsString({ each: true })
  @Length(1, MAX_TOPIC, { each: true })
  topics: string[];

  @ApiProperty({ example: 'Realisasi di atas target; verifikasi lapangan perlu dipercepat.', minLength: 1, maxLength: MAX_DIALOGUE_NOTES })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_DIALOGUE_NOTES)
  notes: string;

  @ApiPropertyOptional({ type: [AgreedActionInputDto], maxItems: MAX_ACTIONS, description: 'Rencana tindak lanjut; absent: none' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ACTIONS)
  @ValidateNested({ each: true })
  @Type(() => AgreedActionInputDto)
  agreedActions?: AgreedActionInputDto[];
}

export class AgreedActionDto {
  @ApiProperty({ example: 'Menyusun SOP verifikasi izin trayek' }) action: string;
  @ApiProperty({ format: 'date', nullable: true, type: String, example: '2026-12-15' }) dueOn: string | null;
}

export class DialogueDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) appraisalId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The appraisal\'s assessor when the dialogue was recorded' })
  assessorId: string | null;
  @ApiProperty({ format: 'date', example: '2026-11-20' }) heldOn: string;
  @ApiProperty({ type: [String] }) topics: string[];
  @ApiProperty() notes: string;
  @ApiProperty({ type: [AgreedActionDto] }) agreedActions: AgreedActionDto[];
  @ApiProperty({
    enum: DIALOGUE_PARTIES,
    description: 'EMPLOYEE: recorded by the appraised employee (at their request); ASSESSOR: by the assessor or an admin. The other party acknowledges',
  })
  requestedBy: DialogueParty;
  @ApiProperty({ format: 'uuid', description: 'The user or API key that recorded it' }) recordedBy: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: Date;
  @ApiProperty({ description: 'The other party acknowledged it; only acknowledged dialogues count towards minDialogues' }) acknowledged: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) acknowledgedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) acknowledgedAt: Date | null;

  static of(d: DialogueEntity): DialogueDto {
    return {
      id: d.id,
      appraisalId: d.appraisalId,
      assessorId: d.assessorId,
      heldOn: d.heldOn,
      topics: d.topics,
      notes: d.notes,
      agreedActions: d.agreedActions.map((a) => ({ action: a.action, dueOn: a.dueOn })),
      requestedBy: d.requestedBy,
      recordedBy: d.recordedBy,
      recordedAt: d.recordedAt,
      acknowledged: d.acknowledgedAt !== null,
      acknowledgedBy: d.acknowledgedBy,
      acknowledgedAt: d.acknowledgedAt,
    };
  }
}

export class CreateFeedbackNoteDto {
  @ApiProperty({ enum: FEEDBACK_NOTE_KINDS, example: 'GUIDANCE' })
  @IsIn(FEEDBACK_NOTE_KINDS)
  kind: FeedbackNoteKind;

  @ApiProperty({ example: 'Lampirkan foto lapangan pada setiap bukti dukung verifikasi.', minLength: 1, maxLength: MAX_FEEDBACK_NOTE })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_FEEDBACK_NOTE)
  note: string;
}

export class FeedbackNoteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) appraisalId: string;
  @ApiProperty({ enum: FEEDBACK_NOTE_KINDS }) kind: FeedbackNoteKind;
  @ApiProperty() note: string;
  @ApiProperty({ enum: FEEDBACK_NOTE_AUTHORS, description: 'The part the writer holds in the appraisal' }) author: FeedbackNoteAuthor;
  @ApiProperty({ format: 'uuid', description: 'The user or API key that wrote it' }) writtenBy: string;
  @ApiProperty({ format: 'date-time' }) writtenAt: Date;

  static of(n: FeedbackNoteEntity): FeedbackNoteDto {
    return { id: n.id, appraisalId: n.appraisalId, kind: n.kind, note: n.note, author: n.author, writtenBy: n.writtenBy, writtenAt: n.writtenAt };
  }
}

export class DialogueGapsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only appraisals of this unit subtree' })
  @IsOptional()
  @IsUUID()
  withinUnitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only appraisals this employee assesses' })
  @IsOptional()
  @IsUUID()
  assessorId?: string;
}

export class PersonRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '199001012015031001' }) nip: string;
  @ApiProperty({ example: 'Ni Luh Putu Ayu' }) name: string;
}

export class DialogueGapDto {
  @ApiProperty({ format: 'uuid' }) appraisalId: string;
  @ApiProperty({ type: PersonRefDto }) employee: PersonRefDto;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ type: PersonRefDto, nullable: true, description: 'The appraisal\'s current assessor' }) assessor: PersonRefDto | null;
  @ApiProperty({ example: 0, description: 'Acknowledged dialogues' }) acknowledgedDialogues: number;
  @ApiProperty({ example: 1, description: 'Dialogues recorded and waiting for the other party' }) pendingDialogues: number;
  @ApiProperty({ example: 1, description: 'The period policy minDialogues' }) minDialogues: number;
}
