// Writes openapi.yaml from the code (keys sorted); with --check, fails when the committed file differs.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { dump } from 'js-yaml';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { buildOpenApiDocument } from '../src/openapi';

async function main(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'not-used-in-preview', JWT_SECRET: 'x'.repeat(32) });
  // Preview mode builds the module graph without instantiating providers: no database is needed.
  const app = await NestFactory.create(AppModule.forRoot(config, 'postgres://unused/unused'), new FastifyAdapter(), { preview: true, logger: false });
  const yaml = dump(JSON.parse(JSON.stringify(buildOpenApiDocument(app))), { sortKeys: true, lineWidth: 120, noRefs: true });
  const file = join(__dirname, '..', 'openapi.yaml');
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      /* missing file is stale too */
    }
    if (current !== yaml) {
      console.error('openapi.yaml is stale: run `npm run openapi:generate` and commit the result');
      process.exit(1);
    }
    console.log('openapi.yaml is up to date');
  } else {
    writeFileSync(file, yaml);
    console.log(`wrote ${file}`);
  }
  await app.close();
}

void main();
