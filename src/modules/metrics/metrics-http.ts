import { createHash, timingSafeEqual } from 'node:crypto';
import type { RoutedRequest } from '../../common/http/http-layer';

/** The route label of a request no route answered: an unknown path, or one refused before routing (413, 415, bad JSON). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template that answered (`/appraisals/:id/score`, left on the Node request by registerHttpLayer), never the
 * raw URL, so the label set stays bounded whatever clients send; `unmatched` when no route did: an unknown path (Fastify's 404 handler), or a request the
 * HTTP layer refused before its route ran (413, 415, malformed JSON, unsafe input). A wildcard template counts as
 * no route: no controller here declares one.
 */
export function routeLabel(req: RoutedRequest): string {
  const path = req.route?.path;
  if (typeof path !== 'string' || path.includes('*')) return UNMATCHED_ROUTE;
  return path || '/';
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Does the Authorization header carry `Bearer <token>`? Compared in constant time over SHA-256 digests, so neither
 * the content nor the length of the token leaks through timing.
 */
export function bearerMatches(authorization: string | string[] | undefined, token: string): boolean {
  const m = typeof authorization === 'string' ? /^Bearer +(\S+) *$/i.exec(authorization) : null;
  const same = timingSafeEqual(digest(m?.[1] ?? ''), digest(token));
  return !!m && same;
}
