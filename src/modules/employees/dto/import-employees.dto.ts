import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject } from 'class-validator';
import { MAX_IMPORT_ROWS } from '../../units/dto/import-units.dto';
import { EmployeeImportRow } from './employee.dto';

export class ImportEmployeesDto {
  @ApiProperty({ type: [EmployeeImportRow], maxItems: MAX_IMPORT_ROWS })
  @IsArray()
  @ArrayMaxSize(MAX_IMPORT_ROWS)
  @IsObject({ each: true, message: 'each row must be an object' })
  employees: Record<string, unknown>[];
}
