import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalObject } from '../../../common/validation/nested-object';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { PERIOD_STATUSES, PERIOD_TYPES, PeriodEntity, PeriodStatus, PeriodType } from '../entities/period.entity';
import { policyOf } from '../../scoring/policy';
import { ScoringPolicyDto, ScoringPolicyPatchDto } from './scoring-policy.dto';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreatePeriodDto {
  @ApiProperty({ example: '2026-11', description: 'MONTHLY "YYYY-MM", QUARTERLY "YYYY-Qn", ANNUAL "YYYY"; unique' })
  @Transform(upper)
  @IsString()
  @MaxLength(20)
  code: string;

  @ApiProperty({ enum: PERIOD_TYPES, example: 'MONTHLY' })
  @IsIn(PERIOD_TYPES)
  type: PeriodType;

  @ApiProperty({ format: 'date', example: '2026-11-01', description: 'The first day of the code\'s calendar span' })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  startDate: string;

  @ApiProperty({ format: 'date', example: '2026-11-30', description: 'The last day of the code\'s calendar span' })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  endDate: string;

  @ApiPropertyOptional({ type: ScoringPolicyPatchDto, description: 'Keys that differ from the defaults of spec §5; the rest take the defaults' })
  @OptionalObject(() => ScoringPolicyPatchDto)
  policy?: ScoringPolicyPatchDto;
}

export class TransitionPeriodDto {
  @ApiProperty({ enum: PERIOD_STATUSES, example: 'OPEN', description: 'The next status: PLANNING → OPEN → EVALUATION → CLOSED' })
  @IsIn(PERIOD_STATUSES)
  to: PeriodStatus;

  @ApiPropertyOptional({
    default: false,
    description: 'With "to": "CLOSED", by an admin user only: finalise DRAFT and AGREED appraisals too, with behaviour unassessed',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class PeriodQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PERIOD_TYPES })
  @IsOptional()
  @IsIn(PERIOD_TYPES)
  type?: PeriodType;

  @ApiPropertyOptional({ enum: PERIOD_STATUSES })
  @IsOptional()
  @IsIn(PERIOD_STATUSES)
  status?: PeriodStatus;

  @ApiPropertyOptional({ format: 'date', description: 'Only periods whose dates contain this date' })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  containsDate?: string;
}

export class PeriodDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-11' }) code: string;
  @ApiProperty({ enum: PERIOD_TYPES }) type: PeriodType;
  @ApiProperty({ format: 'date', example: '2026-11-01' }) startDate: string;
  @ApiProperty({ format: 'date', example: '2026-11-30' }) endDate: string;
  @ApiProperty({ enum: PERIOD_STATUSES }) status: PeriodStatus;
  @ApiProperty({ type: ScoringPolicyDto }) policy: ScoringPolicyDto;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(p: PeriodEntity): PeriodDto {
    return {
      id: p.id,
      code: p.code,
      type: p.type,
      startDate: p.startDate,
      endDate: p.endDate,
      status: p.status,
      policy: policyOf(p),
      closedAt: p.closedAt,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }
}
