import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { configureApp, createHttpAdapter } from '../src/app.setup';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { registerApiServer, unregisterApiServer } from './response-validation';
import { TEST_ADMIN, TEST_DATABASE_URL } from './test-env';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  adminToken: string;
  close: () => Promise<void>;
}

/** The real application (same module graph, pipes, filters and middleware as main.ts) on the e2e database. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error', // unexpected 500s show up in the test output
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_MIGRATIONS_RUN: 'false',
    // Background recalculation would race with tests that inspect marks; pipeline specs turn it on in their own database.
    RECALC_WORKER: 'false',
    JWT_SECRET: 'e2e-secret-that-is-at-least-32-characters',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, config.database.url!)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), { bodyParser: false });
  await configureApp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // supertest answers are checked against openapi.yaml by test/setup-response-validation.ts; so is fetch to this app.
  registerApiServer(app.getHttpServer());
  const http = () => request(app.getHttpServer());
  const login = await http().post('/auth/login').send(TEST_ADMIN);
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { app, config, http, adminToken: login.body.accessToken as string, close: () => (unregisterApiServer(app.getHttpServer()), app.close()) };
}
