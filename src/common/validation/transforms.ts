/** `@Transform` of a string field: surrounding whitespace is not part of the value. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `@Transform` of an optional text: blank is stored as null. */
export const trimToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

/** `@ValidateIf` condition of a nullable field: validate only a value that is there. */
export const isSet = (_: unknown, v: unknown) => v !== null && v !== undefined;
