import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserCredentialsSetBy1796040000004 } from '../migrations/1796040000004-UserCredentialsSetBy';
import { ApiKeyIssuerSetters1796040000006 } from '../migrations/1796040000006-ApiKeyIssuerSetters';
import { createTestApp, TestApp } from './app';
import { auth, uniqueCode } from './factories';
import { recreateDatabase } from './global-setup';
import { TEST_DATABASE_URL } from './test-env';

/** A database of this file's own: the migrations are undone and redone on its whole users table. */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_setters');
const PASSWORD = 'correct-horse-battery';

/**
 * The backfills of UserCredentialsSetBy (from the audit log) and ApiKeyIssuerSetters (from the setter chain) give the
 * rows the service itself writes: the last admin who created or reset an account, not the account's own change.
 */
describe('credential setter migrations (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    await recreateDatabase(DB);
    t = await createTestApp({ DATABASE_URL: DB });
    db = t.app.get(DataSource);
  }, 60_000);
  afterAll(async () => t?.close());

  /** An admin account created by `by`, signed in. */
  async function user(by: Record<string, string>) {
    const username = uniqueCode('mig').toLowerCase();
    const created = await t.http().post('/users').set(by).send({ username, password: PASSWORD, role: 'ADMIN' });
    expect(created.status).toBe(201);
    const login = await t.http().post('/auth/login').send({ username, password: PASSWORD });
    return { id: created.body.id as string, headers: auth(login.body.accessToken as string) };
  }
  const reset = async (by: Record<string, string>, id: string) =>
    expect((await t.http().patch(`/users/${id}`).set(by).send({ password: `${uniqueCode('pw')}-long-enough` })).status).toBe(200);

  it('recomputes from the audit log what the service recorded: the latest outside create or reset; a key its issuer\'s chain', async () => {
    const admin = auth(t.adminToken);
    const a = await user(admin);
    const c = await user(admin);
    const b = await user(a.headers); // created by A …
    await reset(c.headers, b.id); // … then reset by C: C is the setter
    const key = await t.http().post('/api-keys').set(a.headers).send({ name: uniqueCode('key'), scopes: ['org:read'] });
    expect(key.status).toBe(201);
    await reset(a.headers, a.id); // A's own change does not count: A's setter stays the first admin
    const d = await user(admin);
    // The last reset of D was by a user who no longer exists: nobody known can sign in as D.
    await db.query(
      `INSERT INTO audit_events (actor_type, actor_id, actor_name, action, entity_type, entity_id, after)
       VALUES ('USER', $1, 'gone', 'user.update', 'user', $2, '{"passwordChanged": true}')`,
      [randomUUID(), d.id],
    );

    const recorded = async () => ({
      users: Object.fromEntries(
        (await db.query<{ id: string; credentials_set_by: string | null }[]>('SELECT id, credentials_set_by FROM users')).map((r) => [r.id, r.credentials_set_by]),
      ),
      keys: Object.fromEntries(
        (await db.query<{ id: string; issuer_setter_ids: string[] }[]>('SELECT id, issuer_setter_ids FROM api_keys')).map((r) => [r.id, r.issuer_setter_ids]),
      ),
    });
    const live = await recorded();
    const [{ id: first }] = await db.query<{ id: string }[]>(`SELECT id FROM users WHERE credentials_set_by IS NULL AND id <> ALL($1::uuid[])`, [[a.id, b.id, c.id, d.id]]);
    expect([live.users[a.id], live.users[b.id], live.users[c.id], live.users[d.id]]).toEqual([first, c.id, first, first]);
    expect(live.keys[key.body.id]).toEqual([first]);

    const qr = db.createQueryRunner();
    await qr.startTransaction();
    try {
      await new ApiKeyIssuerSetters1796040000006().down(qr);
      await new UserCredentialsSetBy1796040000004().down(qr);
      await new UserCredentialsSetBy1796040000004().up(qr);
      await new ApiKeyIssuerSetters1796040000006().up(qr);
      const users = Object.fromEntries(
        ((await qr.query('SELECT id, credentials_set_by FROM users')) as { id: string; credentials_set_by: string | null }[]).map((r) => [r.id, r.credentials_set_by]),
      );
      const keys = Object.fromEntries(
        ((await qr.query('SELECT id, issuer_setter_ids FROM api_keys')) as { id: string; issuer_setter_ids: string[] }[]).map((r) => [r.id, r.issuer_setter_ids]),
      );
      expect(users).toEqual({ ...live.users, [d.id]: null });
      expect(keys).toEqual(live.keys);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  });
});
