import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsOptional, validateSync } from 'class-validator';
import { AppError } from '../errors/app-error';
import { QueryBoolean } from '../validation/query-boolean';
import { toFieldErrors, withNullErrors } from '../validation/validation';

export class ImportRowError {
  @ApiProperty({ example: 3, description: 'Index of the row in the request array' }) index: number;
  @ApiProperty({ example: 'DISHUB', nullable: true, type: String, description: 'The row key (code or NIP) as sent' })
  key: string | null;
  @ApiProperty({ example: 'parentCode: no unit or row has the code XYZ' }) message: string;
}

export class ImportResult {
  @ApiProperty({ example: 12 }) created: number;
  @ApiProperty({ example: 3 }) updated: number;
  @ApiProperty({ example: 40 }) unchanged: number;
  @ApiProperty({ type: [ImportRowError] }) errors: ImportRowError[];
}

export class ImportQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'true: all rows or none (any row error answers 400 and writes nothing)' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  atomic?: boolean;
}

/** Validates one import row against its DTO class; unknown fields are errors, like everywhere else. */
export function validateRow<T extends object>(
  cls: new () => T,
  raw: Record<string, unknown>,
): { row: T; error: null } | { row: null; error: string } {
  const row = plainToInstance(cls, raw);
  const errors = withNullErrors(row, validateSync(row, { whitelist: true, forbidNonWhitelisted: true }));
  if (!errors.length) return { row, error: null };
  return {
    row: null,
    error: toFieldErrors(errors)
      .map((e) => `${e.field}: ${e.message}`)
      .join('; '),
  };
}

/** `?atomic=true` with row errors: nothing was written; the rows are named in `errors` and `rowErrors`. */
export class ImportRejectedError extends AppError {
  constructor(collection: string, rowErrors: ImportRowError[]) {
    super(
      'validation',
      'import-rejected',
      `${rowErrors.length} row(s) failed; with atomic=true nothing was imported`,
      { rowErrors },
      rowErrors.map((e) => ({ field: `${collection}.${e.index}`, message: e.message })),
    );
  }
}
