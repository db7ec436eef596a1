import { keyedHash, newTicket, normalizeContact, normalizeTicket, ticketHash } from './feedback-secrets';

describe('normalizeContact', () => {
  it.each([
    ['Warga@Example.ID ', 'email:warga@example.id'],
    ['+62 812-3456-789', 'phone:08123456789'],
    ['0812 3456 789', 'phone:08123456789'],
    ['62(812)3456789', 'phone:08123456789'],
    ['(0361) 222-333', 'phone:0361222333'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeContact(raw)).toBe(expected);
  });

  it.each(['not a contact', 'a@b', '@example.id', '12345', 'x'.repeat(30), '0812-abc-999'])('refuses %s', (raw) => {
    expect(normalizeContact(raw)).toBeNull();
  });
});

describe('keyedHash', () => {
  it('depends on the key and on the kind, so an IP and a contact never collide', () => {
    const h = keyedHash('k1', 'contact', 'phone:0812');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash('k1', 'contact', 'phone:0812')).toBe(h);
    expect(keyedHash('k2', 'contact', 'phone:0812')).not.toBe(h);
    expect(keyedHash('k1', 'ip', 'phone:0812')).not.toBe(h);
  });
});

describe('tickets', () => {
  it('are 24 Crockford base32 characters in groups of four, and differ', () => {
    const tickets = new Set(Array.from({ length: 1000 }, newTicket));
    expect(tickets.size).toBe(1000);
    for (const t of tickets) expect(t).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
  });

  it('hash the same however they are typed', () => {
    const t = newTicket();
    expect(ticketHash(t.toLowerCase().replace(/-/g, ' '))).toBe(ticketHash(t));
    expect(normalizeTicket('o1il-ab')).toBe('0111AB');
    expect(ticketHash(newTicket())).not.toBe(ticketHash(t));
  });
});
