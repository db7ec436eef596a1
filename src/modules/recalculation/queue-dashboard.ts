import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { MethodNotAllowedException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bull';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../../common/errors/app-error';
import { ProblemFilter } from '../../common/http/problem.filter';
import { AppConfig } from '../../config/app-config';
import { SCORES_QUEUE_TOKEN } from './relay.service';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Checks a username and password through the login limits; answers the user's role, or null. */
export type CredentialCheck = (username: string, password: string, ip: string | undefined) => Promise<{ role: string } | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Did a browser send this from the dashboard's own page? Current browsers say so in Sec-Fetch-Site; older
 * ones send Origin with every cross-origin write. A request with neither is refused too.
 */
export function fromSameOrigin(req: Pick<FastifyRequest, 'headers' | 'host'>): boolean {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const site = header('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = header('origin');
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

/** Is the path (query aside) the dashboard's or one below it, as Express's app.use(path) matched it? */
function underDashboard(url: string): boolean {
  const path = url.split('?')[0];
  return path === QUEUE_DASHBOARD_PATH || path.startsWith(`${QUEUE_DASHBOARD_PATH}/`);
}

/**
 * Bull Board for operators at /admin/queues, only with Redis. A browser cannot send our bearer tokens, so
 * the page asks for HTTP Basic credentials of an ADMIN user (use it over HTTPS); each check goes through the
 * login limits like POST /auth/login, so the password cannot be guessed here instead. Read-only unless
 * QUEUE_DASHBOARD_WRITE=true; then, since the browser sends Basic credentials along on any site's request,
 * writes are taken only from the dashboard's own page. It shows the `scores` queue and `others` (the entry point's
 * list: the `webhooks` queue lives above this module).
 */
export async function mountQueueDashboard(
  app: NestFastifyApplication,
  config: AppConfig,
  verifyCredentials: CredentialCheck,
  others: Queue[] = [],
): Promise<void> {
  if (!config.redis.url) return; // no Redis, no queue to show
  const queues = [app.get<Queue>(SCORES_QUEUE_TOKEN), ...others];
  const writable = config.recalculation.dashboardWrite;
  const board = new FastifyAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullAdapter(q, { readOnlyMode: !writable })), serverAdapter: board });

  // Hooks outside Nest's routing: answer their errors through the one problem+json filter.
  const filter = new ProblemFilter();
  const fail = (req: FastifyRequest, res: FastifyReply, error: unknown) => filter.send(error, req, res);

  const guard = async (req: FastifyRequest, res: FastifyReply): Promise<void> => {
    if (!underDashboard(req.url)) return;
    if (!SAFE_METHODS.has(req.method)) {
      if (!writable) {
        res.header('Allow', 'GET, HEAD');
        return fail(req, res, new MethodNotAllowedException('The queue dashboard is read-only; QUEUE_DASHBOARD_WRITE=true lets it act on jobs'));
      }
      if (!fromSameOrigin(req)) {
        return fail(req, res, new ForbiddenError('The queue dashboard takes changes only from its own page', 'cross-site-request'));
      }
    }
    const refuse = () => {
      res.header('WWW-Authenticate', 'Basic realm="Capaian queues", charset="UTF-8"');
      fail(req, res, new UnauthorizedError('The queue dashboard needs the username and password of an ADMIN user'));
    };
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return refuse();
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return refuse();
    try {
      const p = await verifyCredentials(decoded.slice(0, colon), decoded.slice(colon + 1), req.ip);
      if (p?.role !== 'ADMIN') refuse();
    } catch (e) {
      fail(req, res, e);
    }
  };
  // On every request (also to a path under it that the board does not serve), as Express's app.use(path) was.
  app.getHttpAdapter().getInstance().addHook('onRequest', guard);
  await app.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
}
