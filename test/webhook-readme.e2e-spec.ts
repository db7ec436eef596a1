import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, TestApp } from './app';
import { TEST_DATABASE_URL } from './test-env';
import { recreateDatabase } from './global-setup';
import { auth } from './factories';
import { freePort, until } from './processes';

/** A database of this file's own: webhook endpoints are global, and other files' events would reach them. */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_whreadme');

const root = join(__dirname, '..');

/** The receiver of README "Webhooks (spec §10): receiving them", as written there. */
function readmeReceiver(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /<!-- webhook-receiver:start -->\n```js\n([\s\S]*?)```\n<!-- webhook-receiver:end -->/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no webhook-receiver block');
  return block;
}

/** README's receiver, run as a user would run it, receiving deliveries of a real app (in process, no Redis). */
describe('the README webhook receiver (e2e)', () => {
  let t: TestApp;
  let receiver: ChildProcess;
  let output = '';
  let dir: string;

  beforeAll(async () => {
    await recreateDatabase(DB);
    t = await createTestApp({ DATABASE_URL: DB, RECALC_WORKER: 'true', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  });
  afterAll(async () => {
    receiver?.kill();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the signature, handles each webhook-id once, and refuses what Capaian did not sign', async () => {
    expect(readmeReceiver().split('\n').filter(Boolean).length).toBeLessThanOrEqual(15);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/capaian`;
    const created = await t.http().post('/webhooks').set(auth(t.adminToken)).send({ url, events: ['score.changed'] });
    expect(created.status).toBe(201);

    dir = mkdtempSync(join(tmpdir(), 'capaian-receiver-'));
    writeFileSync(join(dir, 'receiver.js'), readmeReceiver());
    receiver = spawn(process.execPath, [join(dir, 'receiver.js')], {
      env: { PATH: process.env.PATH, NODE_PATH: join(root, 'node_modules'), WEBHOOK_SECRET: created.body.secret as string, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    receiver.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    receiver.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await until(async () => (await fetch(url, { method: 'POST', body: '{}' }).catch(() => null))?.status === 400, 10_000);

    const test = await t.http().post(`/webhooks/${created.body.id}/test`).set(auth(t.adminToken));
    expect(test.status).toBe(202);
    await until(() => Promise.resolve(output.includes('webhook.test')), 10_000);
    type Delivery = { id: string; status: string; attempts: number; lastStatusCode: number };
    const deliveries = async () => (await t.http().get(`/webhooks/${created.body.id}/deliveries`).set(auth(t.adminToken))).body.items as Delivery[];
    await until(async () => (await deliveries())[0]?.status === 'DELIVERED', 10_000);
    expect((await deliveries())[0].lastStatusCode).toBe(204);

    // The same event again (a manual retry, as after a lost answer): accepted, not handled twice.
    expect((await t.http().post(`/webhooks/${created.body.id}/deliveries/${test.body.deliveryId}/retry`).set(auth(t.adminToken))).status).toBe(202);
    await until(async () => {
      const [d] = await deliveries();
      return d.status === 'DELIVERED' && d.attempts === 2;
    }, 10_000);
    expect((await deliveries())[0].lastStatusCode).toBe(204);
    expect(output.match(/webhook\.test/g)).toHaveLength(1);
    expect(output).toContain(`"webhookId":"${created.body.id}"`);

    // Signed with another secret: refused.
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: JSON.stringify({ type: 'score.changed', timestamp: new Date().toISOString(), data: {} }),
    });
    expect(forged.status).toBe(400);
  });
});
