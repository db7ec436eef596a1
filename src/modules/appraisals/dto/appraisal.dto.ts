import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RequiredObject } from '../../../common/validation/nested-object';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { APPRAISAL_STATUSES, AppraisalEntity, AppraisalStatus } from '../entities/appraisal.entity';
import { BEHAVIOUR_ASPECTS, BehaviourRatings, Rating, RATINGS } from '../../scoring/types';

export class CreateAppraisalDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() employeeId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() periodId: string;
}

export class GenerateAppraisalsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only employees of this unit subtree' })
  @IsOptional()
  @IsUUID()
  withinUnitId?: string;
}

export class GenerateResultDto {
  @ApiProperty({ example: 412, description: 'Appraisals created now' }) created: number;
  @ApiProperty({ example: 3, description: 'Active employees in scope that already had one' }) existing: number;
}

export class UpdateAppraisalDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Reassign the assessor (pejabat penilai)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  assessorId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Reassign the reviewer (atasan pejabat penilai)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  reviewerId?: string | null;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 2000,
    example: 'Kepala bidang dimutasi ke Dinas Kesehatan per 1 Oktober',
    description: 'Why the assessor or reviewer changes; required whenever either changes, and written to the audit event',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class AppraisalQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() periodId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() employeeId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Appraisals of this unit subtree' }) @IsOptional() @IsUUID() withinUnitId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() assessorId?: string;
  @ApiPropertyOptional({ enum: APPRAISAL_STATUSES }) @IsOptional() @IsIn(APPRAISAL_STATUSES) status?: AppraisalStatus;
}

export class BehaviourRatingsDto implements BehaviourRatings {
  @ApiProperty({ enum: RATINGS, example: 'ABOVE_EXPECTATION' }) @IsIn(RATINGS) BERORIENTASI_PELAYANAN: Rating;
  @ApiProperty({ enum: RATINGS, example: 'MEETS_EXPECTATION' }) @IsIn(RATINGS) AKUNTABEL: Rating;
  @ApiProperty({ enum: RATINGS, example: 'MEETS_EXPECTATION' }) @IsIn(RATINGS) KOMPETEN: Rating;
  @ApiProperty({ enum: RATINGS, example: 'MEETS_EXPECTATION' }) @IsIn(RATINGS) HARMONIS: Rating;
  @ApiProperty({ enum: RATINGS, example: 'MEETS_EXPECTATION' }) @IsIn(RATINGS) LOYAL: Rating;
  @ApiProperty({ enum: RATINGS, example: 'ABOVE_EXPECTATION' }) @IsIn(RATINGS) ADAPTIF: Rating;
  @ApiProperty({ enum: RATINGS, example: 'MEETS_EXPECTATION' }) @IsIn(RATINGS) KOLABORATIF: Rating;
}

export class AssessBehaviourDto {
  @ApiProperty({ type: BehaviourRatingsDto, description: `All seven BerAKHLAK aspects: ${BEHAVIOUR_ASPECTS.join(', ')}` })
  @RequiredObject(() => BehaviourRatingsDto)
  ratings: BehaviourRatingsDto;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  notes?: string;
}

export class ResultRatingOverrideDto {
  @ApiProperty({ enum: RATINGS }) @IsIn(RATINGS) rating: Rating;

  @ApiProperty({ example: 'Target tercapai lebih awal karena kondisi lapangan; realisasi tidak tercatat lengkap', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class BehaviourView {
  @ApiProperty({ type: BehaviourRatingsDto }) ratings: BehaviourRatings;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ format: 'date-time' }) assessedAt: Date;
}

export class OverrideView {
  @ApiProperty({ enum: RATINGS }) rating: Rating;
  @ApiProperty() reason: string;
}

export class AppraisalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ format: 'uuid', description: "The employee's unit when the appraisal was created" }) unitId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assessorId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) reviewerId: string | null;
  @ApiProperty({ enum: APPRAISAL_STATUSES }) status: AppraisalStatus;
  @ApiProperty({ example: 3, description: 'Grows with every change; the ETag is "v<version>"' }) version: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) agreedAt: Date | null;
  @ApiProperty({ type: BehaviourView, nullable: true }) behaviour: BehaviourView | null;
  @ApiProperty({ type: OverrideView, nullable: true }) resultRatingOverride: OverrideView | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finalizedAt: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(a: AppraisalEntity): AppraisalDto {
    return {
      id: a.id,
      employeeId: a.employeeId,
      periodId: a.periodId,
      unitId: a.unitId,
      assessorId: a.assessorId,
      reviewerId: a.reviewerId,
      status: a.status,
      version: a.version,
      agreedAt: a.agreedAt,
      behaviour: a.behaviourRatings
        ? { ratings: a.behaviourRatings, notes: a.behaviourNotes, assessedAt: a.assessedAt! }
        : null,
      resultRatingOverride: a.resultRatingOverride
        ? { rating: a.resultRatingOverride, reason: a.resultRatingOverrideReason ?? '' }
        : null,
      finalizedAt: a.finalizedAt,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    };
  }
}

export const etagOf = (a: { version: number }) => `"v${a.version}"`;
