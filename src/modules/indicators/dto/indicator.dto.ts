import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { QueryBoolean } from '../../../common/validation/query-boolean';
import { JOB_TYPES, JobType } from '../../employees/entities/employee.entity';
import { INDICATOR_ASPECTS, IndicatorAspect, IndicatorEntity } from '../entities/indicator.entity';
import { INDICATOR_AGGREGATIONS, INDICATOR_DIRECTIONS, IndicatorAggregation, IndicatorDirection } from '../../scoring/types';
import { trim } from '../../../common/validation/transforms';

export const INDICATOR_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_.-]{0,49}$/;
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
/** Optional, but not nullable: a key left out takes the default, `null` is validated and refused. */
const given = (_: unknown, v: unknown) => v !== undefined;

export class CreateIndicatorDto {
  @ApiProperty({ example: 'IKI-WAKTU-IZIN', description: 'Unique code; stored upper-case', pattern: INDICATOR_CODE_PATTERN.source })
  @Transform(upper)
  @IsString()
  @Matches(INDICATOR_CODE_PATTERN, { message: 'must be 1-50 characters of A-Z, 0-9, underscore, dot or dash' })
  code: string;

  @ApiProperty({ example: 'Rata-rata waktu penyelesaian izin' })
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  name: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 5000 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiProperty({ example: 'menit', description: 'e.g. "menit", "dokumen", "%"' })
  @Transform(trim)
  @IsString()
  @Length(1, 50)
  unitOfMeasure: string;

  @ApiProperty({ enum: INDICATOR_ASPECTS, example: 'TIME' })
  @IsIn(INDICATOR_ASPECTS)
  aspect: IndicatorAspect;

  @ApiProperty({ enum: INDICATOR_DIRECTIONS, example: 'LOWER_IS_BETTER' })
  @IsIn(INDICATOR_DIRECTIONS)
  direction: IndicatorDirection;

  @ApiProperty({
    enum: INDICATOR_AGGREGATIONS,
    example: 'AVERAGE',
    description: 'How several verified achievements of one target in one period combine; LATEST takes the latest occurredOn',
  })
  @IsIn(INDICATOR_AGGREGATIONS)
  aggregation: IndicatorAggregation;

  @ApiPropertyOptional({ enum: JOB_TYPES, isArray: true, default: [], description: 'Job types it applies to; empty means all' })
  @ValidateIf(given)
  @IsArray()
  @ArrayMaxSize(JOB_TYPES.length)
  @ArrayUnique({ message: 'must not repeat a job type' })
  @IsIn(JOB_TYPES, { each: true })
  jobTypes?: JobType[];

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Optional scope: only employees of this unit and its descendants may use the indicator',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  unitId?: string | null;

  @ApiPropertyOptional({ default: true })
  @ValidateIf(given)
  @IsBoolean()
  active?: boolean;
}

// skipNullProperties: false: a field left out is kept, `null` is validated (so refused for required fields);
// description and unitId accept null through their own rules.
export class UpdateIndicatorDto extends PartialType(CreateIndicatorDto, { skipNullProperties: false }) {}

export class IndicatorQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_TYPES, description: 'Indicators for this job type (those with no job types apply to all)' })
  @IsOptional()
  @IsIn(JOB_TYPES)
  jobType?: JobType;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Indicators usable by an employee of this unit: unscoped ones and those scoped to the unit or one of its ancestors',
  })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ enum: INDICATOR_ASPECTS })
  @IsOptional()
  @IsIn(INDICATOR_ASPECTS)
  aspect?: IndicatorAspect;

  @ApiPropertyOptional({ type: Boolean, description: 'Only active (true) or only inactive (false) ones' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive match on code or name' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class IndicatorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'IKI-WAKTU-IZIN' }) code: string;
  @ApiProperty({ example: 'Rata-rata waktu penyelesaian izin' }) name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: 'menit' }) unitOfMeasure: string;
  @ApiProperty({ enum: INDICATOR_ASPECTS }) aspect: IndicatorAspect;
  @ApiProperty({ enum: INDICATOR_DIRECTIONS }) direction: IndicatorDirection;
  @ApiProperty({ enum: INDICATOR_AGGREGATIONS }) aggregation: IndicatorAggregation;
  @ApiProperty({ enum: JOB_TYPES, isArray: true, description: 'Empty means all job types' }) jobTypes: JobType[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(i: IndicatorEntity): IndicatorDto {
    return {
      id: i.id,
      code: i.code,
      name: i.name,
      description: i.description,
      unitOfMeasure: i.unitOfMeasure,
      aspect: i.aspect,
      direction: i.direction,
      aggregation: i.aggregation,
      jobTypes: i.jobTypes,
      unitId: i.unitId,
      active: i.active,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
    };
  }
}
