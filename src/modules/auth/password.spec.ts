import { parseOptions } from '@node-rs/argon2';
import { randomBytes, scryptSync } from 'node:crypto';
import { TooManyRequestsError } from '../../common/errors/app-error';
import { HASHING, hashPassword, hashScheme, needsRehash, verifyPassword } from './password';

/** The format stored before argon2id: scrypt N=2^14, r=8, p=1. */
const legacyScrypt = (password: string) => {
  const salt = randomBytes(16);
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')].join('$');
};

describe('password hashing', () => {
  it("hashes with argon2id v1.3 at OWASP's parameters or stronger (19 MiB, 2 passes, 1 lane)", async () => {
    const encoded = await hashPassword('correct horse');
    expect(encoded.startsWith('$argon2id$v=19$')).toBe(true);
    const p = parseOptions(encoded);
    expect(p.memoryCost).toBeGreaterThanOrEqual(19456);
    expect(p.timeCost).toBeGreaterThanOrEqual(2);
    expect(p.parallelism).toBeGreaterThanOrEqual(1);
    expect(p.saltLen).toBeGreaterThanOrEqual(16);
    expect(p.outputLen).toBeGreaterThanOrEqual(32);
    expect(await hashPassword('correct horse')).not.toBe(encoded); // salted
    expect(needsRehash(encoded)).toBe(false);
  });

  it('verifies argon2id and legacy scrypt hashes', async () => {
    const argon = await hashPassword('correct horse');
    expect(await verifyPassword('correct horse', argon)).toBe(true);
    expect(await verifyPassword('correct hors', argon)).toBe(false);
    const scrypt = legacyScrypt('correct horse');
    expect(await verifyPassword('correct horse', scrypt)).toBe(true);
    expect(await verifyPassword('wrong horse', scrypt)).toBe(false);
  });

  it('fails, never throws, on a stored hash it cannot read', async () => {
    for (const bad of ['', 'plain-text', '$argon2id$v=19$garbage', 'scrypt$16384$8$1$', 'md5$abc']) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });

  it.each([
    ['legacy scrypt', legacyScrypt('x'), true],
    ['argon2id below the memory cost', '$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A', true],
    ['argon2id below the time cost', '$argon2id$v=19$m=19456,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A', true],
    ['argon2i', '$argon2i$v=19$m=65536,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A', true],
    ['argon2id v1.0', '$argon2id$v=16$m=65536,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A', true],
    ['argon2id stronger than required', '$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A', false],
  ])('re-hashes on login: %s → %s', (_, encoded, expected) => {
    expect(needsRehash(encoded)).toBe(expected);
  });

  it('names the scheme of a hash without its salt and hash', () => {
    expect(hashScheme('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA')).toBe('$argon2id$v=19$m=19456,t=2,p=1');
    expect(hashScheme('scrypt$16384$8$1$c2FsdA==$aGFzaA==')).toBe('scrypt$16384$8$1');
  });

  it('refuses with 429 sign-in-busy when every hashing slot is busy and the waiting line is full', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const blockers = Array.from({ length: HASHING.slots + HASHING.maxWaiting }, () => HASHING.run(() => held));
    const encoded = legacyScrypt('x');
    await expect(verifyPassword('x', encoded)).rejects.toMatchObject({ code: 'sign-in-busy', retryAfterSeconds: 1 });
    await expect(hashPassword('x')).rejects.toBeInstanceOf(TooManyRequestsError);
    release();
    await Promise.all(blockers);
    expect(await verifyPassword('x', encoded)).toBe(true);
  });
});
