import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { AssessorTrainingEntity } from '../entities/assessor-training.entity';
import { trim, trimToNull, isSet } from '../../../common/validation/transforms';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_COURSE = 200;
export const MAX_CERTIFICATE_URL = 2000;

export class CreateAssessorTrainingDto {
  @ApiProperty({ format: 'uuid', description: 'The employee who completed the course' })
  @IsUUID()
  employeeId: string;

  @ApiProperty({ example: 'Pelatihan Penilai Kinerja ASN (BKPSDM Kota Denpasar)', minLength: 1, maxLength: MAX_COURSE })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_COURSE)
  course: string;

  @ApiProperty({ format: 'date', example: '2026-03-12', description: 'WITA date the course was completed; not after today' })
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  completedOn: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2028-03-12',
    nullable: true,
    type: String,
    description: 'Last day the training counts (inclusive), not before completedOn; absent or null: open-ended',
  })
  @IsOptional()
  @ValidateIf(isSet)
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  validUntil?: string | null;

  @ApiPropertyOptional({
    example: 'https://bkpsdm.denpasarkota.go.id/sertifikat/2026/penilai-0042.pdf',
    maxLength: MAX_CERTIFICATE_URL,
    nullable: true,
    type: String,
    description: 'The certificate: an http(s) URL; blank is stored as null',
  })
  @IsOptional()
  @Transform(trimToNull)
  @ValidateIf(isSet)
  @IsString()
  @MaxLength(MAX_CERTIFICATE_URL)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_valid_protocol: true, require_tld: false, disallow_auth: true },
    { message: 'must be an http(s) URL without credentials' },
  )
  certificateUrl?: string | null;
}

export class AssessorTrainingQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Trainings of this employee' })
  @IsOptional()
  @IsUUID()
  employeeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Trainings of the employees of this unit and the units below it' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-30', description: 'Only trainings valid on this date (completedOn ≤ date ≤ validUntil, or open-ended)' })
  @IsOptional()
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  validOn?: string;
}

export class AssessorTrainingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ example: 'Pelatihan Penilai Kinerja ASN (BKPSDM Kota Denpasar)' }) course: string;
  @ApiProperty({ format: 'date', example: '2026-03-12' }) completedOn: string;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Null: open-ended' }) validUntil: string | null;
  @ApiProperty({ nullable: true, type: String }) certificateUrl: string | null;
  @ApiProperty({ format: 'uuid', description: 'The user or API key that recorded it' }) recordedBy: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: Date;

  static of(t: AssessorTrainingEntity): AssessorTrainingDto {
    return {
      id: t.id,
      employeeId: t.employeeId,
      course: t.course,
      completedOn: t.completedOn,
      validUntil: t.validUntil,
      certificateUrl: t.certificateUrl,
      recordedBy: t.recordedBy,
      recordedAt: t.recordedAt,
    };
  }
}
