import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { QueryBoolean } from '../../../common/validation/query-boolean';
import { UNIT_KINDS, UnitEntity, UnitKind } from '../entities/unit.entity';
import { trim } from '../../../common/validation/transforms';

export const UNIT_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_.-]{0,49}$/;
/** Unit codes are stored upper-case; every DTO taking one accepts any case. */
export const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

export class CreateUnitDto {
  @ApiProperty({ example: 'DISHUB', description: 'Unique code; stored upper-case', pattern: UNIT_CODE_PATTERN.source })
  @Transform(upper)
  @IsString()
  @Matches(UNIT_CODE_PATTERN, { message: 'must be 1-50 characters of A-Z, 0-9, underscore, dot or dash' })
  code: string;

  @ApiProperty({ example: 'Dinas Perhubungan' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: UNIT_KINDS, example: 'DINAS' })
  @IsIn(UNIT_KINDS)
  kind: UnitKind;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ default: false, description: 'Serves citizens directly (its feedback feeds appraisals)' })
  @IsOptional()
  @IsBoolean()
  publicService?: boolean;
}

export class UpdateUnitDto extends PartialType(CreateUnitDto) {
  @ApiPropertyOptional({ description: 'false deactivates the unit; true reactivates it' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'The head of the unit: an ACTIVE employee of this unit (else 409 invalid-unit-head); null clears it. Their appraisals in the unit ' +
      'take the result rating from the unit\'s organisation predicate (spec §5.4); a change marks the old and new head\'s appraisals',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  headEmployeeId?: string | null;
}

export class UnitQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this unit and its descendants' })
  @IsOptional()
  @IsUUID()
  withinUnitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the direct children of this unit' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ enum: UNIT_KINDS })
  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;

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

export class UnitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'DISHUB' }) code: string;
  @ApiProperty({ example: 'Dinas Perhubungan' }) name: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind: UnitKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentId: string | null;
  @ApiProperty() publicService: boolean;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The employee who heads the unit (spec §5.4)' }) headEmployeeId: string | null;
  @ApiProperty({ enum: ['ACTIVE', 'INACTIVE'] }) status: 'ACTIVE' | 'INACTIVE';
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(u: UnitEntity): UnitDto {
    return {
      id: u.id,
      code: u.code,
      name: u.name,
      kind: u.kind,
      parentId: u.parentId,
      publicService: u.publicService,
      active: u.active,
      headEmployeeId: u.headEmployeeId,
      status: u.active ? 'ACTIVE' : 'INACTIVE',
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
    };
  }
}
