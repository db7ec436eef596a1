import { FieldError, ValidationFailedError } from '../errors/app-error';

/** Deeper than any body the API takes (an import row is 3 levels down); validation recurses, so it is bounded first. */
export const MAX_JSON_DEPTH = 32;
/** Keys that reach an object's prototype; refused like any unknown field instead of being stripped silently. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/**
 * The first part of a parsed body or query that no operation accepts: a NUL character (PostgreSQL
 * cannot store it), a prototype key, or nesting beyond MAX_JSON_DEPTH. Iterative, so a value nested
 * 100,000 levels deep cannot overflow the stack.
 */
export function unsafeInput(value: unknown): FieldError | undefined {
  const stack: Array<[unknown, string, number]> = [[value, '', 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string' && v.includes('\0')) return { field: path, message: 'must not contain the NUL character (\\u0000)' };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { field: path, message: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
    for (const [key, child] of Object.entries(v)) {
      const field = join(path, key);
      if (key.includes('\0')) return { field: join(path, key.replaceAll('\0', '\\u0000')), message: 'is not a known field' };
      if (!Array.isArray(v) && PROTOTYPE_KEYS.has(key)) return { field, message: 'is not a known field' };
      stack.push([child, field, depth + 1]);
    }
  }
  return undefined;
}

/**
 * Refuses a request whose path, query or parsed body holds unsafe input (registerHttpLayer runs it before guards
 * and pipes, so nothing — throttle keys, lookups, validation — ever sees such input). `url` is the request's URL as sent.
 */
export function checkSafeInput(url: string, query: unknown, body: unknown): void {
  if (/%00/.test(url.split('?')[0])) throw ValidationFailedError.field('path', 'must not contain the NUL character (%00)');
  const found = unsafeInput(query) ?? unsafeInput(body);
  if (found) {
    const problem = { field: found.field || 'body', message: found.message };
    throw new ValidationFailedError([problem], `${problem.field}: ${problem.message}`);
  }
}
