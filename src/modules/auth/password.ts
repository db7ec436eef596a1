import { hash, parseOptions, verify } from '@node-rs/argon2';
import { scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { TooManyRequestsError } from '../../common/errors/app-error';
import { Bulkhead, BulkheadFullError } from './bulkhead';

/**
 * OWASP Password Storage Cheat Sheet: argon2id with 19 MiB of memory, 2 passes, 1 lane. argon2id is the
 * library's default algorithm (password.spec.ts checks the encoded prefix).
 */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const ARGON2ID_PREFIX = '$argon2id$v=19$';

/**
 * Hashes computed at once in this process (each holds 19 MiB and a thread of libuv's pool of 4) and how many
 * may wait for one; a flood beyond that is refused with 429 rather than queued without bound.
 */
export const HASHING = new Bulkhead(Math.min(4, Math.max(2, availableParallelism())), 32);

async function bounded<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await HASHING.run(task);
  } catch (e) {
    if (e instanceof BulkheadFullError) {
      throw new TooManyRequestsError('sign-in-busy', 'Too many passwords are being checked at this moment; retry after the time given in Retry-After', 1);
    }
    throw e;
  }
}

/** argon2id in the PHC string format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), so the parameters travel with the hash. */
export function hashPassword(password: string): Promise<string> {
  return bounded(() => hash(password, ARGON2_PARAMS));
}

/** Checks argon2 hashes and the `scrypt$N$r$p$salt$hash` ones stored before argon2id; anything else fails. */
export function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const check = encoded.startsWith('$argon2')
    ? () => verify(encoded, password)
    : encoded.startsWith('scrypt$')
      ? () => verifyScrypt(password, encoded)
      : null;
  return check ? bounded(check).catch(rethrowBusy) : Promise.resolve(false);
}

/** A malformed stored hash fails the check instead of answering 500; only the busy refusal goes on. */
function rethrowBusy(e: unknown): false {
  if (e instanceof TooManyRequestsError) throw e;
  return false;
}

/** True for a hash to replace on the next successful login: not argon2id v1.3, or weaker than ARGON2_PARAMS. */
export function needsRehash(encoded: string): boolean {
  if (!encoded.startsWith(ARGON2ID_PREFIX)) return true;
  try {
    const p = parseOptions(encoded);
    return p.memoryCost < ARGON2_PARAMS.memoryCost || p.timeCost < ARGON2_PARAMS.timeCost || p.parallelism < ARGON2_PARAMS.parallelism;
  } catch {
    return true;
  }
}

/** The algorithm and parameters of an encoded hash, without salt and hash (e.g. `$argon2id$v=19$m=19456,t=2,p=1`). */
export function hashScheme(encoded: string): string {
  return encoded.split('$').slice(0, -2).join('$');
}

async function verifyScrypt(password: string, encoded: string): Promise<boolean> {
  const [, n, r, p, salt, key] = encoded.split('$');
  if (!salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) }, (err, k) =>
      err ? reject(err) : resolve(k),
    ),
  );
  return timingSafeEqual(actual, expected);
}
