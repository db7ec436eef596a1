import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter } from './app.setup';
import { ConfigError, loadConfig } from './config/app-config';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  // Same JSON lines as the request logs, before the application's logger exists.
  const logger = pino({ level: config.logLevel, base: { pid: process.pid, context: 'Bootstrap' } });
  const log = { log: (m: string) => logger.info(m), warn: (m: string) => logger.warn(m) };
  config.warnings.forEach((w) => log.warn(w));

  let releaseDatabase!: () => void;
  const appClosed = new Promise<void>((resolve) => (releaseDatabase = resolve));
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      ...config.database.embedded,
      log: (m) => log.log(m),
      releaseBeforeStop: appClosed,
    });
    databaseUrl = embedded.url;
    log.log(`embedded PostgreSQL ready on 127.0.0.1:${config.database.embedded.port}, data in ${config.database.embedded.dir}`);
  }

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), createHttpAdapter(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  await configureApp(app, config);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal} received: finishing requests and closing`);
    await app.close();
    releaseDatabase();
    await embedded?.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

  await app.listen(config.http.port, config.http.host);
  const shown = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
  const base = `http://${shown}:${config.http.port}`;
  log.log(`Capaian API listening on ${base} — Swagger UI at ${base}/docs, OpenAPI JSON at ${base}/docs-json`);
}

void bootstrap();
