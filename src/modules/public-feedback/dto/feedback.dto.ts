import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { OptionalObject, RequiredObject } from '../../../common/validation/nested-object';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { UNIT_CODE_PATTERN, upper } from '../../units/dto/unit.dto';
import {
  FEEDBACK_CHANNELS,
  FEEDBACK_STATUSES,
  FeedbackChannel,
  FeedbackStatus,
  RESPONDENT_AGE_GROUPS,
  RESPONDENT_EDUCATIONS,
  RESPONDENT_GENDERS,
  RESPONDENT_OCCUPATIONS,
  RespondentProfile,
} from '../entities/public-feedback.entity';

const NIP = /^\d{18}$/;

/** One answer per SKM element (PermenPAN-RB 14/2017): 1 tidak baik … 4 sangat baik. */
export class AnswersDto {
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U1 persyaratan' }) @IsInt() @Min(1) @Max(4) U1: number;
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U2 sistem, mekanisme dan prosedur' }) @IsInt() @Min(1) @Max(4) U2: number;
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U3 waktu penyelesaian' }) @IsInt() @Min(1) @Max(4) U3: number;
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U4 biaya/tarif' }) @IsInt() @Min(1) @Max(4) U4: number;
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U5 produk spesifikasi jenis pelayanan' }) @IsInt() @Min(1) @Max(4) U5: number;
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U6 kompetensi pelaksana' }) @IsInt() @Min(1) @Max(4) U6: number;
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U7 perilaku pelaksana' }) @IsInt() @Min(1) @Max(4) U7: number;
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U8 penanganan pengaduan, saran dan masukan' }) @IsInt() @Min(1) @Max(4) U8: number;
  @ApiProperty({ minimum: 1, maximum: 4, description: 'U9 sarana dan prasarana' }) @IsInt() @Min(1) @Max(4) U9: number;
}

/** The respondent profile of the SKM form; every field optional, only ever used in aggregate. */
export class RespondentDto implements RespondentProfile {
  @ApiPropertyOptional({ enum: RESPONDENT_GENDERS }) @IsOptional() @IsIn(RESPONDENT_GENDERS) gender?: RespondentProfile['gender'];
  @ApiPropertyOptional({ enum: RESPONDENT_AGE_GROUPS }) @IsOptional() @IsIn(RESPONDENT_AGE_GROUPS) ageGroup?: RespondentProfile['ageGroup'];
  @ApiPropertyOptional({ enum: RESPONDENT_EDUCATIONS }) @IsOptional() @IsIn(RESPONDENT_EDUCATIONS) education?: RespondentProfile['education'];
  @ApiPropertyOptional({ enum: RESPONDENT_OCCUPATIONS }) @IsOptional() @IsIn(RESPONDENT_OCCUPATIONS) occupation?: RespondentProfile['occupation'];
}

export class SubmitFeedbackDto {
  @ApiProperty({ example: 'DISDUKCAPIL', description: 'The unit that gave the service (any case)' })
  @Transform(upper) @IsString() @Matches(UNIT_CODE_PATTERN, { message: 'must be a unit code' }) unitCode: string;

  @ApiPropertyOptional({ example: '198203142006041002', description: 'NIP of the officer who served; must work in the unit or below it' })
  @IsOptional() @IsString() @Matches(NIP, { message: 'must be 18 digits' }) employeeNip?: string;

  @ApiPropertyOptional({ example: 'Penerbitan KTP-el', maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200) serviceName?: string;
  @ApiProperty({ enum: FEEDBACK_CHANNELS }) @IsIn(FEEDBACK_CHANNELS) channel: FeedbackChannel;
  @ApiProperty({ type: AnswersDto }) @RequiredObject(() => AnswersDto) answers: AnswersDto;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;

  @ApiPropertyOptional({ example: 'K7QM-2X9D-PA4T-V1HN-C8RW-E5JB', description: 'A service ticket (case and dashes do not matter): makes the feedback VERIFIED' })
  @IsOptional() @IsString() @Length(1, 64) serviceTicket?: string;

  @ApiPropertyOptional({
    example: 'warga@example.id',
    description: 'E-mail or phone number, optional. Kept only as a keyed hash to refuse a second response within 24 h; never returned.',
  })
  @IsOptional() @IsString() @MaxLength(254) contact?: string;

  @ApiPropertyOptional({ type: RespondentDto }) @OptionalObject(() => RespondentDto) respondent?: RespondentDto;
}

export class ReceiptDto {
  @ApiProperty({ format: 'uuid', description: 'Quote it when asking about this response' }) receiptId: string;
  @ApiProperty({ enum: FEEDBACK_STATUSES, description: 'VERIFIED (ticketed), PUBLISHED, or HELD for moderation' }) status: FeedbackStatus;
}

export class CreateTicketDto {
  @ApiProperty({ example: 'DISDUKCAPIL' }) @Transform(upper) @IsString() @Matches(UNIT_CODE_PATTERN, { message: 'must be a unit code' }) unitCode: string;
  @ApiPropertyOptional({ example: '198203142006041002', description: 'The officer who gave the service; must work in the unit or below it' })
  @IsOptional() @IsString() @Matches(NIP, { message: 'must be 18 digits' }) employeeNip?: string;
  @ApiPropertyOptional({ example: 'Penerbitan KTP-el', maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200) serviceName?: string;
}

export class TicketDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'K7QM-2X9D-PA4T-V1HN-C8RW-E5JB', description: 'Shown once: only its hash is stored. Single use.' }) ticket: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) employeeId: string | null;
  @ApiProperty({ nullable: true, type: String }) serviceName: string | null;
  @ApiProperty({ description: '30 days after issue' }) expiresAt: Date;
  @ApiProperty() createdAt: Date;
}

export class ModerationDto {
  @ApiPropertyOptional({ maxLength: 1000, description: 'Why; kept with the feedback and in the audit log' })
  @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class FeedbackFilterDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Feedback about this unit or any unit below it' }) @IsOptional() @IsUUID() withinUnitId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() employeeId?: string;
  @ApiPropertyOptional({ enum: FEEDBACK_STATUSES }) @IsOptional() @IsIn(FEEDBACK_STATUSES) status?: FeedbackStatus;
  @ApiPropertyOptional({ enum: FEEDBACK_CHANNELS }) @IsOptional() @IsIn(FEEDBACK_CHANNELS) channel?: FeedbackChannel;
  @ApiPropertyOptional({ format: 'uuid', description: 'Feedback whose WITA date lies in this period' }) @IsOptional() @IsUUID() periodId?: string;
}

export class FeedbackQueryDto extends IntersectionType(FeedbackFilterDto, PageQueryDto) {}

/** Staff view of a response: never the contact, the client IP or the ticket. */
export class FeedbackViewDto {
  @ApiProperty({ format: 'uuid', description: 'Also the receipt id the citizen got' }) id: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) employeeId: string | null;
  @ApiProperty({ nullable: true, type: String }) serviceName: string | null;
  @ApiProperty({ enum: FEEDBACK_CHANNELS }) channel: FeedbackChannel;
  @ApiProperty({ type: AnswersDto }) answers: AnswersDto;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ type: RespondentDto, nullable: true }) respondent: RespondentDto | null;
  @ApiProperty({ enum: FEEDBACK_STATUSES }) status: FeedbackStatus;
  @ApiProperty({ description: 'Came with a valid service ticket' }) ticketed: boolean;
  @ApiProperty() submittedAt: Date;
  @ApiProperty({ format: 'date', description: 'WITA date: the feedback belongs to every period containing it' }) submittedOn: string;
  @ApiProperty({ nullable: true, type: Date }) moderatedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) moderatedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) moderationNote: string | null;
}
