import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The committed contract, as external clients read it. */
export const OPENAPI = load(readFileSync(join(__dirname, '..', 'openapi.yaml'), 'utf8')) as OpenApiDocument;

export interface OpenApiDocument {
  info?: { description?: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, SchemaObject> };
}

export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  [key: string]: unknown;
}

export interface OpenApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: SchemaObject;
}

export interface OpenApiOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: SchemaObject }>; required?: boolean };
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
  'x-capaian-access'?: { roles: string[]; scope: string | null };
}

export interface Operation {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI template, e.g. `/appraisals/{id}/targets/{targetId}`. */
  path: string;
  op: OpenApiOperation;
}

/** Every operation of the committed `openapi.yaml`, sorted by operationId. */
export function operations(): Operation[] {
  return Object.entries(OPENAPI.paths)
    .flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ operationId: op.operationId, method: method as Operation['method'], path, op })),
    )
    .sort((a, b) => a.operationId.localeCompare(b.operationId));
}

/** A component schema by `$ref` (`#/components/schemas/Name`), or the schema itself. */
export function resolveSchema(s: SchemaObject): SchemaObject {
  return s.$ref ? OPENAPI.components.schemas[s.$ref.split('/').pop()!] : s;
}

/** The JSON request body schema of an operation, resolved, if it takes one. */
export function requestSchema(op: OpenApiOperation): SchemaObject | undefined {
  const s = op.requestBody?.content['application/json']?.schema;
  return s ? resolveSchema(s) : undefined;
}

/** Fills `{name}` path parameters from `ids`; a missing one throws, so a row cannot silently hit a wrong URL. */
export function fillPath(template: string, ids: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in ids)) throw new Error(`no value for path parameter ${name} of ${template}`);
    return encodeURIComponent(ids[name]);
  });
}
