import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The route label of a request no route answered: an unknown path, or one refused before routing (413, 415, bad JSON). */
export const UNMATCHED_ROUTE = 'unmatched';

/** What Express leaves on a request it routed: the matched route, and the mount path of the router that holds it. */
export type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/**
 * The route template that answered (`/appraisals/:id/score`), never the raw URL, so the label set stays bounded
 * whatever clients send; `unmatched` when no route did. Express leaves on the request the last route layer that
 * matched: Nest's middleware (`forRoutes('*path')`) is such a layer with a wildcard (`/{*path}`), so a wildcard
 * means no controller route was reached (an unknown path, or a refusal by a middleware). No controller here
 * declares a wildcard route.
 */
export function routeLabel(req: RoutedRequest): string {
  const path = req.route?.path;
  if (typeof path !== 'string' || path.includes('*')) return UNMATCHED_ROUTE;
  return `${req.baseUrl ?? ''}${path}` || '/';
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
