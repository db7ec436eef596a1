import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { AppError } from '../errors/app-error';
import { checkSafeInput } from './safe-input';

/** The JSON media types the API reads: application/json and application/*+json, with any parameters (charset). */
const JSON_TYPE = /^application\/(?:json|[^/\s;]+\+json)$/i;

/** type-is's match of application/json and application/*+json on the media type, parameters (charset) aside. */
function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return JSON_TYPE.test(contentType.split(';')[0].trim());
}

export interface BodyLimits {
  /** BODY_LIMIT, e.g. "1mb". */
  bodyLimit: string;
  /** IMPORT_BODY_LIMIT, for IMPORT_PATHS. */
  importBodyLimit: string;
}

/** The bulk imports take the larger IMPORT_BODY_LIMIT. */
const IMPORT_PATHS = new Set(['/units/import', '/employees/import']);

const kBodyRead = Symbol('capaian.bodyRead');

/** The Node request with the route that answers it (Fastify's route template), as the metrics read it. */
export type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };
type Marked = FastifyRequest & { [kBodyRead]?: boolean };

/** Does the request carry a body (as type-is and body-parser decide it)? */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** An error in the shape of body-parser's, which ProblemFilter maps (400 entity.parse.failed). */
function parseFailed(): Error {
  return Object.assign(new Error('The request body is not valid JSON'), { status: 400, statusCode: 400, type: 'entity.parse.failed', expose: true });
}

/** A body in any other format than JSON is refused (415) rather than silently read as empty. */
function unsupportedMediaType(): AppError {
  return new AppError('unsupported-media-type', 'unsupported-media-type', 'Send the body as application/json');
}

/**
 * Reads and parses the body as Express's json() did: 415 for another media type, 413 over the limit
 * (raw-body's entity.too.large, the same error body-parser raised), 400 for malformed JSON; an empty body is {}.
 */
async function readJsonBody(req: IncomingMessage, path: string, limits: BodyLimits): Promise<unknown> {
  if (!isJsonType(req.headers['content-type'])) throw unsupportedMediaType();
  const limit = IMPORT_PATHS.has(path) ? limits.importBodyLimit : limits.bodyLimit;
  const contentLength = req.headers['content-length'];
  const text = await getRawBody(req, {
    limit,
    length: req.headers['transfer-encoding'] === undefined && contentLength !== undefined ? Number(contentLength) : undefined,
    encoding: charsetOf(req),
  });
  if (text.length === 0) return {};
  // body-parser's strict mode: only an object or an array at the top.
  const first = /^[ \t\n\r]*(.)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw parseFailed();
  try {
    return JSON.parse(text);
  } catch {
    throw parseFailed();
  }
}

function charsetOf(req: IncomingMessage): string {
  const m = /;\s*charset\s*=\s*"?([\w-]+)"?/i.exec(String(req.headers['content-type'] ?? ''));
  const charset = (m?.[1] ?? 'utf-8').toLowerCase();
  if (!charset.startsWith('utf-')) {
    throw Object.assign(new Error(`unsupported charset "${charset.toUpperCase()}"`), { status: 415, statusCode: 415, type: 'charset.unsupported' });
  }
  return charset;
}

const pathOf = (url: string) => url.split('?')[0];

/** Marks a request refused by the HTTP layer (body, media type, unsafe input): no route answered it, as under Express. */
function refusedBeforeRouting(req: FastifyRequest): void {
  delete (req.raw as RoutedRequest).route;
}

/**
 * The HTTP layer in front of every operation, as Express's json() parser, RequireJsonMiddleware and
 * SafeInputMiddleware were: the only body parser (JSON, two limits), and the checks on the parsed body and query,
 * which run before guards and pipes, so nothing (throttle keys, lookups, validation) ever sees unsafe input.
 */
export function registerHttpLayer(fastify: FastifyInstance, limits: BodyLimits): void {
  fastify.removeAllContentTypeParsers();
  // Every media type comes here, so the refusal of non-JSON bodies is the same everywhere.
  fastify.addContentTypeParser('*', (request: Marked, payload: IncomingMessage, done: (err: Error | null, body?: unknown) => void) => {
    request[kBodyRead] = true;
    // Fastify calls this with Content-Type and Content-Length: 0 too; body-parser saw no body there, nor refused its type.
    if (!hasBody(payload)) return done(null, undefined);
    readJsonBody(payload, pathOf(request.url), limits).then(
      (body) => done(null, body),
      (e: Error) => {
        refusedBeforeRouting(request);
        done(e);
      },
    );
  });

  // The route template that answers, for the metrics (routeLabel); Fastify's 404 handler has none.
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, next: () => void) => {
    const url = request.routeOptions?.url;
    if (typeof url === 'string' && !request.is404) (request.raw as RoutedRequest).route = { path: url };
    next();
  });

  fastify.addHook('preValidation', async (request: Marked) => {
    try {
      // Fastify reads no body of a GET or HEAD (nor of a DELETE without Content-Type); Express's parser did.
      if (!request[kBodyRead] && hasBody(request.raw) && !request.raw.readableEnded) {
        request[kBodyRead] = true;
        (request as { body: unknown }).body = await readJsonBody(request.raw, pathOf(request.url), limits);
      }
      checkSafeInput(request.url, request.query, request.body);
    } catch (e) {
      refusedBeforeRouting(request);
      throw e;
    }
  });
}
