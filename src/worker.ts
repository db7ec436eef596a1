import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';

/**
 * `npm run start:worker`: the recalculation worker alone (relay, sweeper, `scores` queue consumer, nightly
 * schedule), no HTTP. Run it beside API processes started with RECALC_WORKER=false.
 */
async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
  if (!config.database.url) {
    console.error('DATABASE_URL is required for a separate worker (the embedded PostgreSQL belongs to the API process)');
    process.exit(78);
  }
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...config, recalculation: { ...config.recalculation, worker: true } }, config.database.url),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT close the context: Bull lets active jobs finish, the relay stops after its pass.
  app.enableShutdownHooks();
  app.get(Logger).log(`worker started${config.redis.url ? ' on the Bull queues "scores" and "webhooks"' : ' (in-process recalculation and webhook deliveries, no REDIS_URL)'}`);
}

void bootstrap();
