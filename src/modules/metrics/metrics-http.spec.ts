import type { RoutedRequest } from '../../common/http/http-layer';
import { bearerMatches, routeLabel, UNMATCHED_ROUTE } from './metrics-http';

const req = (r: Partial<RoutedRequest>) => r as RoutedRequest;

describe('routeLabel', () => {
  it.each<[string, Partial<RoutedRequest>, string]>([
    ['a Nest route: its template', { url: '/appraisals/0b6c…/score', route: { path: '/appraisals/:id/score' } }, '/appraisals/:id/score'],
    ['the root route', { route: { path: '' } }, '/'],
    ['no route answered', { url: '/no/such/thing' }, UNMATCHED_ROUTE],
    ["only Nest's middleware matched (unknown path)", { url: '/no/such/thing', route: { path: '/{*path}' } }, UNMATCHED_ROUTE],
    ['a middleware refused it before the route (415)', { url: '/appraisals', route: { path: '/appraisals/{*path}' } }, UNMATCHED_ROUTE],
    ['a route given as a pattern, not a string', { route: { path: /^\/x$/ } }, UNMATCHED_ROUTE],
  ])('%s', (_, r, expected) => {
    expect(routeLabel(req(r))).toBe(expected);
  });
});

describe('bearerMatches', () => {
  const token = 'm'.repeat(40);
  it.each<[string | string[] | undefined, boolean]>([
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
    [`Bearer  ${token} `, true],
    [undefined, false],
    ['', false],
    [token, false],
    [`Basic ${token}`, false],
    [`Bearer ${token}x`, false],
    [`Bearer ${token.slice(1)}`, false],
    ['Bearer ', false],
    [[`Bearer ${token}`], false],
  ])('%j → %s', (header, expected) => {
    expect(bearerMatches(header, token)).toBe(expected);
  });
});
