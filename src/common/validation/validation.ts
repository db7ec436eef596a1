import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import type { ValidatorOptions } from 'class-validator';
import { FieldError, ValidationFailedError } from '../errors/app-error';

/** Flattens class-validator's tree into `errors[]` with dotted field paths such as `employees.3.nip`. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a known field' : message.replace(new RegExp(`^${e.property} `), ''),
    }));
    return [...own, ...toFieldErrors(e.children ?? [], field)];
  });
}

/**
 * `null` where the OpenAPI document does not mark the property nullable, at any depth of a validated
 * instance (nested DTOs are instances of their classes by then). class-validator's @IsOptional lets
 * `null` through to NOT NULL columns; with this rule the document is the one place that decides.
 */
export function unexpectedNulls(value: unknown, path = ''): ValidationError[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unexpectedNulls(item, path ? `${path}.${i}` : String(i)));
  if (value === null || typeof value !== 'object') return [];
  const proto = Object.getPrototypeOf(value) as object | null;
  // Only DTO instances: a free-form object has no documented properties to judge by.
  if (!proto || proto === Object.prototype) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const field = path ? `${path}.${key}` : key;
    if (v !== null) return typeof v === 'object' ? unexpectedNulls(v, field) : [];
    const doc = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, proto, key) as { nullable?: boolean } | undefined;
    if (doc?.nullable) return [];
    return [{ property: field, constraints: { notNull: 'must not be null' }, children: [] }];
  });
}

/** class-validator's errors plus the unexpected nulls it did not already report. */
export function withNullErrors(object: object, errors: ValidationError[]): ValidationError[] {
  const reported = new Set(toFieldErrors(errors).map((e) => e.field));
  return [...errors, ...unexpectedNulls(object).filter((e) => !reported.has(e.property))];
}

class CapaianValidationPipe extends ValidationPipe {
  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    return withNullErrors(object, await super.validate(object, options));
  }
}

export function createValidationPipe(): ValidationPipe {
  return new CapaianValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(toFieldErrors(errors)),
  });
}
