import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { buildOpenApiDocument } from './openapi';

const PUBLIC_OPERATIONS = ['login', 'live', 'ready', 'submitPublicFeedback', 'getPublicServiceIndex', 'getPublicPeriodSummary'];

describe('OpenAPI document', () => {
  let app: INestApplication;
  let doc: OpenAPIObject;
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), ADMIN_PASSWORD: 'y'.repeat(12) });
    app = await NestFactory.create(AppModule.forRoot(config, 'postgres://unused/unused'), { preview: true, logger: false });
    doc = buildOpenApiDocument(app);
  });
  afterAll(() => app.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op: op as Record<string, unknown> })),
    );

  it('names every operation after its method, uniquely', () => {
    const ids = operations().map(({ op }) => op.operationId as string);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents security on every operation except the public ones', () => {
    const unsecured = operations()
      .filter(({ op }) => !(op.security as unknown[] | undefined)?.length)
      .map(({ op }) => op.operationId);
    expect(unsecured.sort()).toEqual([...PUBLIC_OPERATIONS].sort());
  });

  it('documents problem+json error answers on every operation', () => {
    for (const { where, op } of operations()) {
      const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
      const errors = Object.entries(responses).filter(([status]) => Number(status) >= 400);
      if (!PUBLIC_OPERATIONS.includes(op.operationId as string) || errors.length) {
        expect({ where, errors: errors.length > 0 }).toEqual({ where, errors: true });
      }
      for (const [, res] of errors) expect(Object.keys(res.content ?? {})).toEqual(['application/problem+json']);
    }
  });
});
