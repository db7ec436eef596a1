import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, ValidateNested } from 'class-validator';

/**
 * A nested JSON object validated as its DTO class. @ValidateNested alone passes a missing value, `[]` and
 * primitives, so a required object left out once reached the worker as NaN; these two say it all at once.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type DtoClass = () => Function;

export const RequiredObject = (dto: DtoClass) => applyDecorators(IsDefined(), IsObject(), ValidateNested(), Type(dto));

export const OptionalObject = (dto: DtoClass) => applyDecorators(IsOptional(), IsObject(), ValidateNested(), Type(dto));
