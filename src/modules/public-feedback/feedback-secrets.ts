import { createHash, createHmac, randomBytes } from 'node:crypto';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const PHONE_CHARS = /^\+?[\d\s().-]{6,24}$/;

/**
 * The canonical form of a contact, so that one person is one hash however they type it: e-mails trimmed and
 * lower-cased; phone numbers reduced to digits with the Indonesian +62/62 prefix written as the national 0
 * (+62 812-3456-789 and 0812 3456 789 are the same). Null when it is neither an e-mail nor a phone number.
 */
export function normalizeContact(raw: string): string | null {
  const value = raw.trim();
  if (value.includes('@')) return EMAIL.test(value) ? `email:${value.toLowerCase()}` : null;
  if (!PHONE_CHARS.test(value)) return null;
  let digits = value.replace(/\D/g, '');
  if (digits.startsWith('62')) digits = `0${digits.slice(2)}`;
  return digits.length >= 6 && digits.length <= 15 ? `phone:${digits}` : null;
}

/** Keyed hash (HMAC-SHA256) of a personal value: without the key, a leaked table cannot be matched to people. */
export const keyedHash = (key: string, kind: 'contact' | 'ip', value: string): string =>
  createHmac('sha256', key).update(`${kind}:${value}`).digest('hex');

// Crockford base32: no I, L, O, U, so a ticket read aloud or typed from paper survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new ticket: 120 random bits as 24 base32 characters in groups of four. */
export function newTicket(): string {
  const bytes = randomBytes(15);
  let bits = 0;
  let buffer = 0;
  let out = '';
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** A ticket as typed: case, dashes and spaces ignored; O read as 0 and I/L as 1 (Crockford). */
export function normalizeTicket(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Tickets are stored as SHA-256 of their normalised form; 120 random bits need no key or slow hash. */
export const ticketHash = (raw: string): string => createHash('sha256').update(normalizeTicket(raw)).digest('hex');
