import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { TEST_DATABASE_URL } from './test-env';

/** Recreates the e2e database and applies the real migrations, as production would. */
export default async function globalSetup(): Promise<void> {
  // Each spec file adds its count of answers checked against openapi.yaml here; global-teardown.ts prints the sum.
  process.env.OPENAPI_VALIDATION_DIR = mkdtempSync(join(tmpdir(), 'capaian-openapi-validated-'));
  await recreateDatabase(TEST_DATABASE_URL);
}

/** Drops and creates the database named in `databaseUrl`, then migrates it. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const ds = new DataSource(dataSourceOptions(databaseUrl));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
