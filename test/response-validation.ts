import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Server } from 'node:http';
import { OPENAPI, OpenApiOperation, SchemaObject } from './openapi-operations';

/**
 * Every answer the e2e specs receive is checked against the committed openapi.yaml, as a strict generated
 * client would read it: the status must be documented for the operation, the media type too, the headers the
 * answer declares required must be sent, and the body must match that schema (nullable, required, enum, format,
 * and no member the schema does not list). test/setup-response-validation.ts installs the check on supertest and
 * on fetch for every spec; a mismatch fails the request that caused it.
 */

export class ResponseMismatchError extends Error {
  override name = 'ResponseMismatchError';
}

export interface ObservedResponse {
  method: string;
  /** Absolute URL or path, with or without a query. */
  url: string;
  status: number;
  /** The response headers, names in lower case (as Node and fetch give them). */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON for JSON media types, otherwise the text (empty string when there was no body). */
  body: unknown;
}

const PROBLEM = 'application/problem+json';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  literals: number;
  op: OpenApiOperation & { responses: Record<string, ResponseObject> };
}
interface ResponseObject {
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, { schema?: SchemaObject }>;
}

/** The document's routes, most literal segments first so `/units/import` wins over `/units/{id}`. */
const routes: Route[] = Object.entries(OPENAPI.paths)
  .flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}/?$`),
        literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        op: op as Route['op'],
      })),
  )
  .sort((a, b) => b.literals - a.literals);

/**
 * OpenAPI 3.0 schema → JSON Schema for Ajv: `nullable: true` admits null (also beside `allOf`/`$ref`, as
 * openapi-typescript reads it), and component refs point into the one registered document. An object that
 * lists its properties admits no other member; so that this holds across `allOf` too (a page: PageMetaDto and
 * `items`), the parts of an `allOf` of objects are merged into one, with `schemas` resolving their refs.
 */
export function toJsonSchema(s: unknown, schemas: Record<string, SchemaObject> = OPENAPI.components.schemas): unknown {
  if (Array.isArray(s)) return s.map((x) => toJsonSchema(x, schemas));
  if (!s || typeof s !== 'object') return s;
  const merged = mergedAllOf(s as SchemaObject, schemas);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(merged)) {
    if (k === 'nullable' || k === 'example' || k === 'examples' || k.startsWith('x-')) continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace(/^#\//, 'openapi#/');
    else if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, toJsonSchema(p, schemas)]));
      if (!('additionalProperties' in merged)) out.additionalProperties = false;
    } else out[k] = toJsonSchema(v, schemas);
  }
  return merged.nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

/** `allOf` of several objects with properties → one object with all of them; anything else unchanged. */
function mergedAllOf(s: SchemaObject, schemas: Record<string, SchemaObject>): SchemaObject {
  if (!s.allOf || s.allOf.length < 2) return s;
  const parts = s.allOf.map((p) => mergedAllOf(p.$ref ? schemas[p.$ref.split('/').pop()!] : p, schemas));
  if (!parts.every((p) => p.properties && p.additionalProperties === undefined)) return s;
  const { allOf: _, ...rest } = s;
  return {
    ...rest,
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties)) as Record<string, SchemaObject>,
    required: [...new Set(parts.flatMap((p) => p.required ?? []))],
  };
}

/** The problem codes with their status, from the table in the document's description (`| \`code\` | 404 | … |`). */
const problemStatus = new Map(
  [...(OPENAPI.info?.description ?? '').matchAll(/^\| `([a-z0-9-]+)` \| (\d{3}) \|/gm)].map(([, code, status]) => [code, Number(status)]),
);

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** One Ajv per process with the components registered once; each response schema compiles on first use. */
function validatorFor(key: string, schema: SchemaObject): ValidateFunction {
  let v = validators.get(key);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      ajv.addSchema({ components: toJsonSchema(OPENAPI.components) }, 'openapi');
    }
    v = ajv.compile(toJsonSchema(schema) as object);
    validators.set(key, v);
  }
  return v;
}

function pathOf(url: string): string {
  return new URL(url, 'http://localhost').pathname;
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

function isJson(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

function isEmpty(body: unknown): boolean {
  return body === undefined || body === null || body === '' || (typeof body === 'object' && Object.keys(body).length === 0 && !Array.isArray(body));
}

/**
 * The only opt-out: mounts beside the API that openapi.yaml leaves out by design. Swagger UI and the
 * document itself (/docs, /docs-json, /docs-yaml), the Bull Board dashboard with its own JSON API
 * behind Basic auth (/admin/queues), and the Prometheus text of GET /metrics (METRICS_TOKEN).
 */
const NOT_API = [/^\/docs(-json|-yaml)?(\/|$)/, /^\/admin\/queues(\/|$)/, /^\/metrics$/];

/**
 * Throws ResponseMismatchError naming the operation, the status and what the validator found; answers
 * false for the mounts outside the API, which are not checked.
 */
export function validateResponse(r: ObservedResponse): boolean {
  const path = pathOf(r.url);
  if (NOT_API.some((p) => p.test(path))) return false;
  const method = r.method.toUpperCase();
  const type = mediaType(r.headers['content-type']?.toString());
  const route = routes.find((x) => x.method === method && x.pattern.test(path));
  const fail: (what: string) => never = (what) => {
    throw new ResponseMismatchError(
      `${route ? `${route.op.operationId} (${method} ${route.template})` : `${method} ${path}`} answered ${r.status}` +
        `${type ? ` ${type}` : ''}: ${what}\nbody: ${JSON.stringify(r.body)?.slice(0, 800)}`,
    );
  };

  if (!route) {
    // Not an operation of the document: the only acceptable answer is the generic 404 problem.
    if (r.status !== 404 || type !== PROBLEM) fail('not an operation of openapi.yaml, so only a 404 problem is acceptable');
    check(`404 ${PROBLEM}`, { $ref: '#/components/schemas/ProblemResponse' }, r.body, fail);
    checkProblem(r.status, r.body, fail);
    return true;
  }
  const key = String(r.status);
  const res = route.op.responses[key] ?? route.op.responses[`${key[0]}XX`] ?? route.op.responses.default;
  if (!res) fail(`status ${r.status} is not documented (documented: ${Object.keys(route.op.responses).join(', ')})`);
  if (r.status >= 400 && type !== PROBLEM) fail(`an error must be ${PROBLEM}`);
  for (const [name, header] of Object.entries(res.headers ?? {})) {
    if (header.required && r.headers[name.toLowerCase()] === undefined) fail(`the required header ${name} is missing`);
  }
  const content = res.content ?? {};
  if (!Object.keys(content).length) {
    if (!isEmpty(r.body)) fail('the document says this answer has no body');
    return true;
  }
  const media = type && content[type];
  if (!media) fail(`media type ${type ?? '(none)'} is not documented (documented: ${Object.keys(content).join(', ')})`);
  // A file (CSV, XLSX, PDF) is checked by its own spec, parsed back; the document only fixes its media type here.
  if (media.schema && isJson(type)) check(`${route.op.operationId} ${key} ${type}`, media.schema, r.body, fail);
  if (type === PROBLEM) checkProblem(r.status, r.body, fail);
  return true;
}

/** A problem repeats the HTTP status, and its code is one the document's table lists with that status. */
function checkProblem(status: number, body: unknown, fail: (what: string) => never): void {
  const p = body as { status?: unknown; code?: unknown; type?: unknown };
  if (p.status !== status) fail(`the problem's status ${String(p.status)} differs from the HTTP status`);
  if (p.type !== `urn:capaian:problem:${String(p.code)}`) fail(`the problem's type ${String(p.type)} does not end in its code ${String(p.code)}`);
  const listed = problemStatus.get(String(p.code));
  if (listed !== status) fail(`problem code ${String(p.code)} is ${listed ? `listed with ${listed}` : 'not listed'} in the table of problem types`);
}

function check(key: string, schema: SchemaObject, body: unknown, fail: (what: string) => never): void {
  const v = validatorFor(key, schema);
  if (!v(body)) {
    fail((v.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`).join('; '));
  }
}

// ---- which fetch targets are the API ---------------------------------------------------------------------

const apiOrigins = new Set<string>();
const apiServers = new Set<Server>();

/** A child-process API (test/processes.ts) whose answers fetch should check. */
export function registerApiOrigin(origin: string): void {
  apiOrigins.add(new URL(origin).origin);
}

/** An in-process app (test/app.ts); fetch to the port it listens on is checked. */
export function registerApiServer(server: Server): void {
  apiServers.add(server);
}
export function unregisterApiServer(server: Server): void {
  apiServers.delete(server);
}

export function isApiUrl(url: string): boolean {
  const u = new URL(url);
  if (apiOrigins.has(u.origin)) return true;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return false;
  for (const s of apiServers) {
    const a = s.listening ? s.address() : null;
    if (a && typeof a === 'object' && String(a.port) === (u.port || '80')) return true;
  }
  return false;
}

/** Throws unless `event` is a `WebhookEvent` of openapi.yaml (the body of a webhook delivery), checked as strictly as an answer. */
export function validateWebhookEvent(event: unknown): void {
  const v = validatorFor('WebhookEvent', { $ref: '#/components/schemas/WebhookEvent' });
  if (!v(event)) {
    throw new ResponseMismatchError(
      `a webhook event does not match WebhookEvent: ${(v.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ')}\nevent: ${JSON.stringify(event).slice(0, 800)}`,
    );
  }
}
