import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { UNIT_KINDS, UnitKind } from '../entities/unit.entity';
import { UNIT_CODE_PATTERN } from './unit.dto';

export const MAX_IMPORT_ROWS = 5000;
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** One row of a unit import; validated row by row so one bad row does not sink the others. */
export class UnitImportRow {
  @ApiProperty({ example: 'DISHUB' })
  @Transform(upper)
  @IsString()
  @Matches(UNIT_CODE_PATTERN, { message: 'must be 1-50 characters of A-Z, 0-9, underscore, dot or dash' })
  code: string;

  @ApiProperty({ example: 'Dinas Perhubungan' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: UNIT_KINDS })
  @IsIn(UNIT_KINDS)
  kind: UnitKind;

  @ApiPropertyOptional({ example: 'PEMKOT', description: 'Code of the parent: an existing unit or another row' })
  @IsOptional()
  @Transform(upper)
  @IsString()
  @Matches(UNIT_CODE_PATTERN, { message: 'must be a unit code' })
  parentCode?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  publicService?: boolean;

  @ApiPropertyOptional({
    example: '197805122003121002',
    description: 'NIP of the unit head: an ACTIVE employee of this unit, so only on a unit that exists already (spec §5.4). Absent: the head stays',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{18}$/, { message: 'must be an 18-digit NIP' })
  headNip?: string;
}

export class ImportUnitsDto {
  @ApiProperty({ type: [UnitImportRow], maxItems: MAX_IMPORT_ROWS })
  @IsArray()
  @ArrayMaxSize(MAX_IMPORT_ROWS)
  @IsObject({ each: true, message: 'each row must be an object' })
  units: Record<string, unknown>[];
}
