import 'reflect-metadata';
import { INestApplication, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { SchemaObject } from '../test/openapi-operations';
import { toJsonSchema } from '../test/response-validation';
import { AppModule } from './app.module';
import { PROBLEM_CODES } from './common/errors/problem-codes';
import { unsafeInput } from './common/http/safe-input';
import { createValidationPipe } from './common/validation/validation';
import { loadConfig } from './config/app-config';
import { buildOpenApiDocument } from './openapi';

const PUBLIC_OPERATIONS = ['login', 'live', 'ready', 'submitPublicFeedback', 'getPublicServiceIndex', 'getPublicPeriodSummary'];

describe('OpenAPI document', () => {
  let app: INestApplication;
  let doc: OpenAPIObject;
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), ADMIN_PASSWORD: 'y'.repeat(12) });
    app = await NestFactory.create(AppModule.forRoot(config, 'postgres://unused/unused'), new FastifyAdapter(), { preview: true, logger: false });
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

  it('names the access of every operation in its description and leaves the security scopes empty (OpenAPI 3.0: OAuth2 only)', () => {
    for (const { where, op } of operations()) {
      const rule = op['x-capaian-access'] as { scope: string | null } | undefined;
      const access = /\*\*Access:\*\* (.*)$/.exec((op.description as string | undefined) ?? '')?.[1];
      const scopes = ((op.security as Record<string, string[]>[] | undefined) ?? []).flatMap((req) => Object.values(req).flat());
      const apiKey = ((op.security as Record<string, string[]>[] | undefined) ?? []).some((req) => 'apiKey' in req);
      expect({ where, access: !!access, scopes, apiKey }).toEqual({ where, access: true, scopes: [], apiKey: !!rule?.scope });
      if (!rule) expect({ where, access }).toEqual({ where, access: 'no sign-in.' });
      else if (rule.scope && rule.scope !== 'any') expect({ where, access }).toEqual({ where, access: expect.stringContaining(`API key scope \`${rule.scope}\``) });
    }
  });

  it('documents the Retry-After header, in seconds, on every 429 answer', () => {
    const throttled = operations().filter(({ op }) => (op.responses as Record<string, unknown>)['429']);
    expect(throttled.length).toBeGreaterThan(0);
    for (const { where, op } of throttled) {
      const res = (op.responses as Record<string, { headers?: Record<string, unknown> }>)['429'];
      expect({ where, header: res.headers?.['Retry-After'] }).toEqual({
        where,
        header: expect.objectContaining({ required: true, schema: expect.objectContaining({ type: 'integer' }) }),
      });
    }
  });

  it('documents the ETag header as always sent on every answer with an appraisal', () => {
    const withAppraisal = operations().flatMap(({ where, op }) =>
      Object.entries(op.responses as Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: { $ref?: string } }> }>)
        .filter(([, res]) => res.content?.['application/json']?.schema?.$ref === '#/components/schemas/AppraisalDto')
        .map(([status, res]) => ({ where: `${where} ${status}`, etag: res.headers?.ETag })),
    );
    expect(withAppraisal.length).toBeGreaterThanOrEqual(7);
    for (const { where, etag } of withAppraisal) expect({ where, etag }).toEqual({ where, etag: expect.objectContaining({ required: true }) });
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

  it('documents 400, 413 and 415 on every operation, with or without input (SafeInputMiddleware, body parser and RequireJsonMiddleware run on every route)', () => {
    const all = operations();
    expect(all.filter(({ op }) => !op.requestBody && !(op.parameters as unknown[] | undefined)?.length).length).toBeGreaterThan(3);
    for (const { where, op } of all) {
      const responses = op.responses as Record<string, { description?: string; content?: Record<string, unknown> }>;
      const http = ['400', '413', '415'].map((status) => ({
        status,
        problem: Object.keys(responses[status]?.content ?? {}),
        cause: /NUL character|BODY_LIMIT|not `application\/json`/.test(responses[status]?.description ?? ''),
      }));
      expect({ where, http }).toEqual({ where, http: ['400', '413', '415'].map((status) => ({ status, problem: ['application/problem+json'], cause: true })) });
    }
  });

  it('describes every tag and gives every operation a summary and a described tag', () => {
    const described = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
    expect([...described.values()].every((d) => !!d && d.length > 10)).toBe(true);
    for (const { where, op } of operations()) {
      const tags = (op.tags as string[] | undefined) ?? [];
      expect({ where, summary: !!op.summary, tags: tags.length > 0 && tags.every((t) => described.has(t)) }).toEqual({ where, summary: true, tags: true });
    }
    const used = new Set(operations().flatMap(({ op }) => op.tags as string[]));
    expect([...described.keys()].filter((t) => !used.has(t))).toEqual([]);
  });

  it('lists every problem code in the description', () => {
    for (const code of Object.keys(PROBLEM_CODES)) expect(doc.info.description).toContain(`| \`${code}\` | ${PROBLEM_CODES[code as keyof typeof PROBLEM_CODES].status} |`);
  });

  /** The class of the @Body() parameter of each controller method, by method name (= operationId). */
  function bodyTypes(): Map<string, Type> {
    const found = new Map<string, Type>();
    for (const module of app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        const proto = (metatype as Type).prototype as object;
        for (const method of Object.getOwnPropertyNames(proto)) {
          const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype as Type, method) ?? {}) as Record<string, { index: number }>;
          const body = Object.entries(args).find(([key]) => key.startsWith(`${RouteParamtypes.BODY}:`));
          if (body) found.set(method, (Reflect.getMetadata('design:paramtypes', proto, method) as Type[])[body[1].index]);
        }
      }
    }
    return found;
  }

  it('gives every request body an example that the document and the API accept (safe-input check and the global ValidationPipe)', async () => {
    const types = bodyTypes();
    const pipe = createValidationPipe();
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schemas = doc.components?.schemas as Record<string, SchemaObject>;
    ajv.addSchema({ components: toJsonSchema(doc.components, schemas) }, 'openapi');
    const withBody = operations().filter(({ op }) => op.requestBody);
    const missing: string[] = [];
    const refused: { where: string; name: string; errors: unknown }[] = [];
    let examples = 0;
    for (const { where, op } of withBody) {
      const media = (op.requestBody as { content: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }> }).content['application/json'];
      const values = Object.entries(media?.examples ?? {});
      const metatype = types.get(op.operationId as string);
      if (!values.length || !metatype) {
        missing.push(where);
        continue;
      }
      const matchesSchema = ajv.compile(toJsonSchema(media.schema, schemas) as object);
      for (const [name, { value }] of values) {
        // As the API receives it: parsed JSON, then the safe-input check, then the global pipe.
        const body = JSON.parse(JSON.stringify(value)) as unknown;
        const unsafe = unsafeInput(body);
        let errors: unknown[] = unsafe ? [unsafe] : [];
        if (!errors.length && !matchesSchema(body)) errors = matchesSchema.errors ?? [];
        if (!errors.length) {
          errors = await pipe.transform(body, { type: 'body', metatype }).then(
            () => [],
            (e: { errors?: unknown[]; message?: string }) => e.errors ?? [e.message],
          );
        }
        if (errors.length) refused.push({ where, name, errors });
        examples++;
      }
    }
    expect(missing).toEqual([]);
    expect(refused).toEqual([]);
    expect(withBody.length).toBeGreaterThan(30);
    expect(examples).toBeGreaterThanOrEqual(withBody.length);
  });
});
