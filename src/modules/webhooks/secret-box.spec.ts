import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../config/app-config';
import { decryptSecret, encryptSecret, generateSecret } from './secret-box';

describe('webhook secrets at rest', () => {
  const key = randomBytes(32);

  it('generates whsec_ + base64 of 32 bytes, usable by a Standard Webhooks library', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
    const wh = new Webhook(secret);
    const body = '{"type":"webhook.test"}';
    const date = new Date();
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(date.getTime() / 1000)), 'webhook-signature': wh.sign('msg_1', date, body) };
    expect(wh.verify(body, headers)).toEqual({ type: 'webhook.test' });
  });

  it('round-trips, with a fresh IV each time and no plaintext in the stored form', () => {
    const secret = generateSecret();
    const a = encryptSecret(secret, key);
    const b = encryptSecret(secret, key);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret.slice(6));
    expect(a.startsWith('v1.')).toBe(true);
    expect(decryptSecret(a, key)).toBe(secret);
    expect(decryptSecret(b, key)).toBe(secret);
  });

  it('refuses a wrong key and a tampered ciphertext', () => {
    const stored = encryptSecret(generateSecret(), key);
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow();
    const parts = stored.split('.');
    const ct = Buffer.from(parts[3], 'base64');
    ct[0] ^= 1;
    expect(() => decryptSecret([...parts.slice(0, 3), ct.toString('base64')].join('.'), key)).toThrow();
    expect(() => decryptSecret('whsec_plain', key)).toThrow('not an encrypted webhook secret');
  });

  describe('the key', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: 'a-jwt-secret-that-is-at-least-32-characters' };

    it('is derived from JWT_SECRET (HKDF) when WEBHOOK_SECRET_KEY is unset: stable, 32 bytes, not the JWT secret', () => {
      const k1 = loadConfig(base).webhooks.secretKey;
      expect(k1).toHaveLength(32);
      expect(loadConfig(base).webhooks.secretKey.equals(k1)).toBe(true);
      expect(loadConfig({ ...base, JWT_SECRET: 'another-jwt-secret-that-is-32-characters-long' }).webhooks.secretKey.equals(k1)).toBe(false);
    });

    it('is WEBHOOK_SECRET_KEY when set, and must be base64 of 32 bytes', () => {
      const explicit = randomBytes(32);
      expect(loadConfig({ ...base, WEBHOOK_SECRET_KEY: explicit.toString('base64') }).webhooks.secretKey.equals(explicit)).toBe(true);
      expect(() => loadConfig({ ...base, WEBHOOK_SECRET_KEY: randomBytes(16).toString('base64') })).toThrow('WEBHOOK_SECRET_KEY must be the base64 of 32 bytes');
    });

    it('parses the retry schedule and refuses a malformed one', () => {
      expect(loadConfig(base).webhooks.retryScheduleMs).toEqual([5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000]);
      expect(loadConfig({ ...base, WEBHOOK_RETRY_SCHEDULE: '200ms, 1s' }).webhooks.retryScheduleMs).toEqual([200, 1000]);
      expect(() => loadConfig({ ...base, WEBHOOK_RETRY_SCHEDULE: '5x' })).toThrow('WEBHOOK_RETRY_SCHEDULE');
    });
  });
});
