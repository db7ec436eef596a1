import { Transform } from 'class-transformer';

/**
 * A boolean query parameter, as OpenAPI serialises one: the text `true` or `false`. Anything else (`1`, `yes`,
 * `TRUE`, empty, repeated) stays as it came and fails the property's @IsBoolean, which answers 400.
 */
export const QueryBoolean = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
