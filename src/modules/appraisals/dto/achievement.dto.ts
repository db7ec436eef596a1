import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { ACHIEVEMENT_STATUSES, AchievementEntity, AchievementStatus } from '../entities/achievement.entity';
import { trim, trimToNull, isSet } from '../../../common/validation/transforms';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * numeric(20,4) holds 16 integer digits; 10^15 stays within it. A JSON number is exact for integers up to 2^53, so
 * above about 9×10^11 it can no longer carry four exact decimals (sub-unit fractions of huge amounts only).
 */
export const MAX_ACHIEVEMENT_VALUE = 1e15;
export const MAX_DESCRIPTION = 4000;
export const MAX_EVIDENCE_URL = 2000;
export const MAX_REJECTION_REASON = 2000;

/** `Idempotency-Key`: 1–200 visible ASCII characters (RFC 9110 token-ish; no spaces, no controls). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,200}$/;

/** Blank text is the same as no text. */

/**
 * At most 4 decimal places, judged on the number itself (class-validator's `maxDecimalPlaces` reads
 * `toString()` and throws on exponent notation such as 1e-7).
 */
function HasAtMostFourDecimals(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasAtMostFourDecimals',
      validator: {
        validate: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Number(v.toFixed(4)) === v,
        defaultMessage: () => 'must have at most 4 decimal places',
      },
    },
    options,
  );
}

const VALUE_DOC = {
  example: 42,
  minimum: 0,
  maximum: MAX_ACHIEVEMENT_VALUE,
  description: 'The realisation, in the indicator\'s unit of measure; a JSON number ≥ 0 with at most 4 decimals',
};
const OCCURRED_ON_DOC = {
  example: '2026-11-14',
  format: 'date',
  description: 'The WITA calendar date of the result; must lie within the period of the target\'s appraisal',
};
const DESCRIPTION_DOC = {
  example: 'Rekapitulasi 42 izin trayek yang diterbitkan pada minggu kedua',
  maxLength: MAX_DESCRIPTION,
  nullable: true,
  type: String,
};
const EVIDENCE_DOC = {
  example: 'https://arsip.denpasarkota.go.id/bukti/2026/11/izin-trayek.pdf',
  maxLength: MAX_EVIDENCE_URL,
  nullable: true,
  type: String,
  description: 'Bukti dukung: an http(s) URL',
};

/** The editable fields, shared by create (all required but the texts) and PATCH (all optional). */
class AchievementFieldsDto {
  @ApiProperty(VALUE_DOC)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' })
  @HasAtMostFourDecimals()
  @Min(0)
  @Max(MAX_ACHIEVEMENT_VALUE)
  value: number;

  @ApiProperty(OCCURRED_ON_DOC)
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  occurredOn: string;

  @ApiPropertyOptional({ ...DESCRIPTION_DOC, description: 'Free text; blank is stored as null' })
  @IsOptional()
  @Transform(trimToNull)
  @ValidateIf(isSet)
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;

  @ApiPropertyOptional(EVIDENCE_DOC)
  @IsOptional()
  @Transform(trimToNull)
  @ValidateIf(isSet)
  @IsString()
  @MaxLength(MAX_EVIDENCE_URL)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_valid_protocol: true, require_tld: false, disallow_auth: true },
    { message: 'must be an http(s) URL without credentials' },
  )
  evidenceUrl?: string | null;
}

export class CreateAchievementDto extends AchievementFieldsDto {
  @ApiProperty({ format: 'uuid', description: 'The target (RHK) the result counts towards' })
  @IsUUID()
  targetId: string;
}

/** PATCH: any subset; `null` clears description or evidenceUrl and is refused for value and occurredOn. */
export class UpdateAchievementDto {
  @ApiPropertyOptional(VALUE_DOC)
  @ValidateIf((_, v) => v !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' })
  @HasAtMostFourDecimals()
  @Min(0)
  @Max(MAX_ACHIEVEMENT_VALUE)
  value?: number;

  @ApiPropertyOptional(OCCURRED_ON_DOC)
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  occurredOn?: string;

  @ApiPropertyOptional({ ...DESCRIPTION_DOC, description: 'Free text; null or blank clears it' })
  @IsOptional()
  @Transform(trimToNull)
  @ValidateIf(isSet)
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;

  @ApiPropertyOptional({ ...EVIDENCE_DOC, description: 'Bukti dukung: an http(s) URL; null clears it' })
  @IsOptional()
  @Transform(trimToNull)
  @ValidateIf(isSet)
  @IsString()
  @MaxLength(MAX_EVIDENCE_URL)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_valid_protocol: true, require_tld: false, disallow_auth: true },
    { message: 'must be an http(s) URL without credentials' },
  )
  evidenceUrl?: string | null;
}

export class RejectAchievementDto {
  @ApiProperty({ example: 'Bukti dukung tidak memuat tanggal penerbitan izin', minLength: 1, maxLength: MAX_REJECTION_REASON })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_REJECTION_REASON)
  reason: string;
}

export class AchievementQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Achievements of this appraisal (appraisalId or targetId is required)' })
  @IsOptional()
  @IsUUID()
  appraisalId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Achievements of this target (appraisalId or targetId is required)' })
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @ApiPropertyOptional({ enum: ACHIEVEMENT_STATUSES })
  @IsOptional()
  @IsIn(ACHIEVEMENT_STATUSES)
  status?: AchievementStatus;
}

export class AchievementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) targetId: string;
  @ApiProperty({ format: 'uuid' }) appraisalId: string;
  @ApiProperty({ example: 42 }) value: number;
  @ApiProperty({ format: 'date', example: '2026-11-14' }) occurredOn: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String }) evidenceUrl: string | null;
  @ApiProperty({ enum: ACHIEVEMENT_STATUSES }) status: AchievementStatus;
  @ApiProperty({
    format: 'uuid',
    description: 'The user or API key that submitted it, or last corrected it. Nobody who submitted or corrected it, and no key of theirs, may verify or reject it (four eyes)',
  })
  submittedBy: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The user or API key that verified or rejected it' })
  decidedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) decidedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) rejectionReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(a: AchievementEntity): AchievementDto {
    return {
      id: a.id,
      targetId: a.targetId,
      appraisalId: a.appraisalId,
      value: a.value,
      occurredOn: a.occurredOn,
      description: a.description,
      evidenceUrl: a.evidenceUrl,
      status: a.status,
      submittedBy: a.submittedBy,
      decidedBy: a.decidedBy,
      decidedAt: a.decidedAt,
      rejectionReason: a.rejectionReason,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    };
  }
}
