import { ErrorKind, FieldError } from '../errors/app-error';
import { ProblemCode } from '../errors/problem-codes';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const problemType = (code: ProblemCode) => `urn:capaian:problem:${code}`;

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  'bad-request': 400,
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'too-many-requests': 429,
  unavailable: 503,
};

/** RFC 9457 problem details, plus `code` and `requestId` for support tickets. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}
