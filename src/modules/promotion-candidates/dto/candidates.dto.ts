import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { RequiredObject } from '../../../common/validation/nested-object';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { QueryBoolean } from '../../../common/validation/query-boolean';
import { PREDICATES, Predicate } from '../../scoring/types';
import { JOB_TYPES, JobType, POTENTIALS } from '../../employees/entities/employee.entity';
import { PERIOD_TYPES, PeriodType } from '../../periods/entities/period.entity';
import { SHORTLIST_DECISIONS, ShortlistDecision, ShortlistParameters } from '../entities/shortlist.entity';
import { REASON_CODES, ReasonCode } from '../eligibility';

/** Digits become a number; anything else (an empty `?window=` too) stays text and fails @IsInt. */
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** The parameters of §7, with its defaults, as JSON types: a shortlist's `parameters`; the query converts its text below. */
export class CandidateParametersDto {
  @ApiPropertyOptional({ enum: PERIOD_TYPES, default: 'ANNUAL' }) @IsOptional() @IsIn(PERIOD_TYPES) periodType?: PeriodType;
  @ApiPropertyOptional({ default: 2, minimum: 1, maximum: 10, description: 'How many of the last CLOSED periods of the type' })
  @IsOptional() @IsInt() @Min(1) @Max(10) window?: number;
  @ApiPropertyOptional({ enum: PREDICATES, default: 'BAIK' }) @IsOptional() @IsIn(PREDICATES) minPredicate?: Predicate;
  @ApiPropertyOptional({ default: 4, minimum: 0, maximum: 40 }) @IsOptional() @IsInt() @Min(0) @Max(40) minYearsInRank?: number;
  @ApiPropertyOptional({ default: 2, minimum: 0, maximum: 20, description: 'No MODERATE or HEAVY penalty in these years before asOf' })
  @IsOptional() @IsInt() @Min(0) @Max(20) penaltyYears?: number;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() withinUnitId?: string;
  @ApiPropertyOptional({ enum: JOB_TYPES }) @IsOptional() @IsIn(JOB_TYPES) jobType?: JobType;
  @ApiPropertyOptional({ format: 'date', description: 'Defaults to today in Denpasar (WITA)' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }) @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  asOf?: string;
  @ApiPropertyOptional({ default: false, description: 'Also list ineligible employees, with the reasons' })
  @IsOptional() @IsBoolean() includeIneligible?: boolean;
}

/** A query string carries only text, so its numbers and flag are converted before the same validation. */
export class CandidateQueryDto extends IntersectionType(CandidateParametersDto, PageQueryDto) {
  @Transform(toInt) override window?: number;
  @Transform(toInt) override minYearsInRank?: number;
  @Transform(toInt) override penaltyYears?: number;
  @QueryBoolean() override includeIneligible?: boolean;
}

/** Parameters with every default applied: what a shortlist stores. */
export class ResolvedParameters implements ShortlistParameters {
  @ApiProperty({ enum: PERIOD_TYPES }) periodType: PeriodType;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10 }) window: number;
  @ApiProperty({ enum: PREDICATES }) minPredicate: Predicate;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 40 }) minYearsInRank: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 20 }) penaltyYears: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: the caller\'s whole scope' }) withinUnitId: string | null;
  @ApiProperty({ enum: JOB_TYPES, nullable: true, description: 'null: every job type' }) jobType: JobType | null;
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty() includeIneligible: boolean;
}

class CandidateEmployeeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '198203142006041002' }) nip: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ enum: JOB_TYPES }) jobType: JobType;
  @ApiProperty({ example: 'III/d' }) rank: string;
  @ApiProperty({ format: 'date' }) rankSince: string;
  @ApiProperty({ enum: POTENTIALS, nullable: true }) potential: string | null;
}

class CandidatePeriodDto {
  @ApiProperty({ example: '2025' }) code: string;
  @ApiProperty({ enum: PREDICATES, nullable: true }) predicate: Predicate | null;
  @ApiProperty({ example: 112.4, nullable: true, type: Number }) finalScore: number | null;
}

class ReasonDto {
  @ApiProperty({ enum: REASON_CODES, example: 'RANK_TOO_RECENT' }) code: ReasonCode;
  @ApiProperty({ example: 'in rank since 2023-04-01; 4 years are reached on 2027-04-01' }) message: string;
}

export class CandidateDto {
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'Among the eligible; null for the ineligible' }) rank: number | null;
  @ApiProperty({ type: CandidateEmployeeDto }) employee: CandidateEmployeeDto;
  @ApiProperty({ example: 110.85, nullable: true, type: Number }) meanFinalScore: number | null;
  @ApiProperty({ type: [CandidatePeriodDto], description: 'The window, newest first' }) periods: CandidatePeriodDto[];
  @ApiProperty({ example: 9, nullable: true, type: Number, description: 'Nine-box cell (PermenPAN-RB 3/2020); null without potential' })
  talentBox: number | null;
  @ApiProperty() eligible: boolean;
  @ApiProperty({ type: [ReasonDto] }) reasons: ReasonDto[];
}

export class CreateShortlistDto {
  @ApiProperty({ example: 'Baperjakat 2027-I: Kepala Bidang' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ type: CandidateParametersDto }) @RequiredObject(() => CandidateParametersDto) parameters: CandidateParametersDto;
}

export class DecisionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() employeeId: string;
  @ApiProperty({ enum: SHORTLIST_DECISIONS }) @IsIn(SHORTLIST_DECISIONS) decision: ShortlistDecision;
  @ApiProperty({ example: 'Diusulkan untuk jabatan Kepala Bidang Angkutan' }) @IsString() @Length(1, 4000) note: string;
}

export class DecisionViewDto {
  @ApiProperty({ format: 'uuid' }) shortlistId: string;
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ enum: SHORTLIST_DECISIONS }) decision: ShortlistDecision;
  @ApiProperty() note: string;
  @ApiProperty({ format: 'uuid' }) decidedBy: string;
  @ApiProperty({ format: 'date-time' }) decidedAt: Date;
}

export class ShortlistDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: ResolvedParameters, description: 'The parameters with every default filled in' }) parameters: ResolvedParameters;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: [CandidateDto], description: 'Exactly as computed when the shortlist was made' }) items: object[];
  @ApiProperty({ type: [DecisionViewDto] }) decisions: DecisionViewDto[];
}
