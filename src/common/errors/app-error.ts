import { ProblemCode } from './problem-codes';

export interface FieldError {
  field: string;
  message: string;
}

/** How a domain error maps onto HTTP; the mapping to status codes lives only in the exception filter. */
export type ErrorKind =
  | 'bad-request'
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'too-many-requests'
  | 'unavailable';

/**
 * Every error a service raises on purpose. `code` is stable and machine-readable (it becomes the
 * problem `type`); `detail` is for people; `extra` adds problem members such as the ids in conflict.
 */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: ProblemCode,
    detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, id?: string) {
    super('not-found', 'not-found', id ? `${resource} ${id} was not found` : `${resource} was not found`);
  }
}

/** The appraisal exists and is visible, but has no score yet: the score read and the document answer alike. */
export class NoScoreError extends AppError {
  constructor(appraisalId: string) {
    super('not-found', 'no-score', `Appraisal ${appraisalId} has no score yet: it is computed once the appraisal has targets`);
  }
}

export class ConflictError extends AppError {
  constructor(code: ProblemCode, detail: string, extra: Record<string, unknown> = {}) {
    super('conflict', code, detail, extra);
  }
}

export class ValidationFailedError extends AppError {
  constructor(errors: FieldError[], detail = 'The request has invalid fields') {
    super('validation', 'validation-failed', detail, {}, errors);
  }

  static field(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }], `${field}: ${message}`);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'You are not allowed to do this', code: ProblemCode = 'forbidden') {
    super('forbidden', code, detail);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'Authentication is required') {
    super('unauthorized', 'unauthorized', detail);
  }
}

/** 503: a bounded resource of this process is full for now; the seconds to wait go out as Retry-After and `retryAfter`. */
export class ServiceBusyError extends AppError {
  constructor(code: ProblemCode, detail: string, retryAfterSeconds: number) {
    super('unavailable', code, detail, { retryAfter: retryAfterSeconds });
  }
}

/** 429 with the seconds to wait, sent as the Retry-After header and as the problem member `retryAfter`. */
export class TooManyRequestsError extends AppError {
  constructor(
    code: ProblemCode,
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too-many-requests', code, detail, { retryAfter: retryAfterSeconds });
  }
}
