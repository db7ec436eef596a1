import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { Queue } from 'bull';
import helmet from 'helmet';
import type { IncomingMessage } from 'node:http';
import { registerHttpLayer } from './common/http/http-layer';
import { ProblemFilter } from './common/http/problem.filter';
import { appLogger, incomingRequestId, logRequest } from './common/http/request-log';
import { AppConfig } from './config/app-config';
import { UsersService } from './modules/auth/users.service';
import { mountQueueDashboard } from './modules/recalculation/queue-dashboard';
import { WEBHOOKS_QUEUE_TOKEN } from './modules/webhooks/queue';
import { setupOpenApi } from './openapi';

/**
 * The HTTP server main.ts and the e2e tests run: Fastify, with TRUST_PROXY as Express's `trust proxy` took it (both
 * use proxy-addr: true, a hop count, or addresses and subnets), and the request id of each request (X-Request-Id when sane).
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  const problems = new ProblemFilter();
  return new FastifyAdapter({
    trustProxy: config.http.trustProxy,
    routerOptions: {
      // As under Express (and as the OpenAPI response check in the e2e tests reads paths): /units/ is /units.
      ignoreTrailingSlash: true,
      // As under Express, a path parameter has no length limit of its own (Node's header limit bounds the URL), so a
      // long one meets the route's validation (400 or 404), not an undocumented 414.
      maxParamLength: 16 * 1024,
    },
    // A path parameter that is not valid percent-encoding: 400 problem+json, as Express's router answered it.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      reply.raw.setHeader('X-Request-Id', request.id);
      const status = error.code === 'FST_ERR_BAD_URL' ? 400 : 500;
      problems.send(Object.assign(new Error(status === 400 ? 'The path is not valid percent-encoding' : error.message), { status }), request, reply);
    },
    // Fastify's request.id, which problems carry; the onRequest hook of configureApp echoes it in X-Request-Id.
    genReqId: (req: IncomingMessage) => incomingRequestId(req),
  });
}

/** Everything main.ts and the e2e tests share beyond the module graph. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // helmet's middleware, built once (@fastify/helmet built it again for every request: a tenth of a score read).
  const securityHeaders = helmet({
    // Swagger UI loads its own scripts and inline styles from /docs.
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
  });
  // Before anything else can answer, so even malformed-body answers carry the request id and the security headers.
  fastify.addHook('onRequest', (request, reply, next) => {
    reply.raw.setHeader('X-Request-Id', request.id);
    securityHeaders(request.raw, reply.raw, (err?: unknown) => next(err as Error | undefined));
  });
  const logger = appLogger(config);
  fastify.addHook('onResponse', (request, reply, done) => {
    logRequest(logger, request, reply);
    done();
  });
  // The only body parser (JSON, BODY_LIMIT or IMPORT_BODY_LIMIT) and the safe-input check.
  registerHttpLayer(fastify, { bodyLimit: config.http.bodyLimit, importBodyLimit: config.http.importBodyLimit });
  const users = app.get(UsersService);
  const webhooksQueue = config.redis.url ? app.get<Queue | undefined>(WEBHOOKS_QUEUE_TOKEN, { strict: false }) : undefined;
  await mountQueueDashboard(app, config, (username, password, ip) => users.verifyCredentials(username, password, ip), webhooksQueue ? [webhooksQueue] : []);
  setupOpenApi(app);
}
