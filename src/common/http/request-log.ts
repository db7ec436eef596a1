import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Honours a caller's X-Request-Id when it is sane, else makes one; echoed on every response and in the request's log line. */
export function incomingRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

const loggers = new WeakMap<AppConfig, Logger>();

/** The pino logger of an application (one per config): Nest's logs (nestjs-pino) and the request lines both write to it. */
export function appLogger(config: AppConfig): Logger {
  let logger = loggers.get(config);
  if (!logger) {
    logger = pino({
      level: config.logLevel,
      // Nothing logs these today; should a log line ever carry them, they are hidden.
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'], censor: '[redacted]' },
    });
    loggers.set(config, logger);
  }
  return logger;
}

/**
 * One line per answered request, as pino-http wrote them (`requestId`, `req`, `res`, `responseTime`): info, a 5xx at
 * error. Written from Fastify's onResponse hook, so with info off nothing is built. (nestjs-pino's pino-http middleware
 * made a child logger per request and ran every request in an AsyncLocalStorage: a third of a score read's CPU.)
 */
export function logRequest(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  const level = reply.statusCode >= 500 ? 'error' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      requestId: request.id,
      req: { id: request.id, method: request.method, url: request.url },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    },
    level === 'error' ? 'request errored' : 'request completed',
  );
}
