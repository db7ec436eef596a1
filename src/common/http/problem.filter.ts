import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { AppError } from '../errors/app-error';
import { ProblemCode } from '../errors/problem-codes';
import { Problem, PROBLEM_CONTENT_TYPE, problemType, STATUS_OF_KIND } from './problem';

type Request = FastifyRequest & { originalUrl?: string };
type Response = FastifyReply;

/** The codes of errors that are not AppErrors (body parser, Nest, throttler), by status. */
export const CODE_OF_STATUS: Record<number, ProblemCode> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
};

/**
 * Errors of the one body parser (http-layer.ts, raw-body) carry `status` and a `type` such as entity.too.large; Fastify's
 * own 4xx refusals carry `statusCode`. (Fastify's FST_ERR_CTP_* never arise: its content-type parsers are replaced.)
 */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** The single place where errors become HTTP answers: RFC 9457 problem+json with the request id. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    this.send(exception, ctx.getRequest<Request>(), ctx.getResponse<Response>());
  }

  /** Answers the error; also for hooks outside Nest's routing (the queue dashboard). */
  send(exception: unknown, req: Request, res: Response): void {
    // createHttpAdapter's genReqId gives every request an id, as a string.
    const problem = this.toProblem(exception, req);
    // A 5xx raised on purpose (503 not-ready) is logged where it is raised, with its reason; only the unexpected is an error here.
    if (problem.status >= 500 && !(exception instanceof AppError)) {
      this.logger.error({ err: exception, requestId: req.id }, 'unhandled error');
    }
    if (res.sent || res.raw.headersSent) return;
    // A 429, or a 503 of a full queue: the seconds to wait go in the standard header too.
    const retryAfter = exception instanceof AppError ? exception.extra.retryAfter : undefined;
    if (typeof retryAfter === 'number') res.header('Retry-After', String(retryAfter));
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  toProblem(exception: unknown, req: Request & { id?: string }): Problem {
    // Every request has an id (createHttpAdapter), so every problem carries one; the URL is the one sent, query included.
    const base = { instance: req.originalUrl ?? req.url, requestId: String(req.id) };
    if (exception instanceof AppError) {
      const status = STATUS_OF_KIND[exception.kind];
      // Extension members never override the standard ones.
      return {
        ...exception.extra,
        type: problemType(exception.code),
        title: STATUS_CODES[status] ?? 'Error',
        status,
        detail: exception.message,
        code: exception.code,
        ...base,
        ...(exception.errors.length ? { errors: exception.errors } : {}),
      };
    }
    if (exception instanceof QueryFailedError) {
      // A race the service's own checks could not see (two writers, same key): the database decides.
      const pgCode = (exception.driverError as { code?: string } | undefined)?.code;
      if (pgCode === '23505' || pgCode === '23503') {
        return this.generic(409, 'The change conflicts with a concurrent change; read the resource again and retry', base);
      }
    }
    if (exception instanceof ThrottlerException) {
      return this.generic(429, 'Too many requests; retry after the time given in Retry-After', base);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'string' ? body : (body as { message?: string | string[] }).message ?? exception.message;
      return this.generic(status, Array.isArray(message) ? message.join('; ') : message, base);
    }
    const httpLike = exception as HttpLikeError | undefined;
    const status = httpLike?.status ?? httpLike?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const detail =
        httpLike?.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON'
          : httpLike?.type === 'entity.too.large'
            ? 'The request body is larger than the limit'
            : (httpLike?.message ?? STATUS_CODES[status] ?? 'Bad request');
      return this.generic(status, detail, base);
    }
    return this.generic(HttpStatus.INTERNAL_SERVER_ERROR, 'An unexpected error occurred; quote the request id when reporting it', base);
  }

  private generic(status: number, detail: string, base: { instance: string; requestId: string }): Problem {
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'bad-request');
    return { type: problemType(code), title: STATUS_CODES[status] ?? 'Error', status, detail, code, ...base };
  }
}
