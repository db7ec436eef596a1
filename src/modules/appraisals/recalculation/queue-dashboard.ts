import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Queue } from 'bull';
import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../../common/http/problem';
import { AppConfig } from '../../../config/app-config';
import { UsersService } from '../../auth/users.service';
import { SCORES_QUEUE_TOKEN } from './relay.service';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators at /admin/queues, only with Redis. A browser cannot send our bearer tokens, so
 * the page asks for HTTP Basic credentials of an ADMIN user (use it over HTTPS). Failed attempts are counted
 * per client IP in the login throttle's storage (Redis, shared by the instances) with the login limits;
 * beyond them the address gets 429 until the block expires, so the password cannot be guessed here instead
 * of at POST /auth/login. An instance learns of a block from its own next failure: at most one extra guess
 * per instance and block.
 */
export function mountQueueDashboard(app: INestApplication, config: AppConfig): void {
  if (!config.redis.url) return; // no Redis, no queue to show
  const queue = app.get<Queue>(SCORES_QUEUE_TOKEN);
  const users = app.get(UsersService);
  const storage = app.get<ThrottlerStorage>(ThrottlerStorage, { strict: false });
  const { limit, ttlSeconds } = config.auth.loginThrottle;
  const blockedUntil = new Map<string, number>();
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: [new BullAdapter(queue, { readOnlyMode: false })], serverAdapter: board });

  const problem = (req: Request, res: Response, status: 401 | 429, detail: string) =>
    res
      .status(status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: problemType(status === 401 ? 'unauthorized' : 'too-many-requests'),
          title: status === 401 ? 'Unauthorized' : 'Too Many Requests',
          status,
          detail,
          instance: req.originalUrl,
          code: status === 401 ? 'unauthorized' : 'too-many-requests',
          requestId: typeof req.id === 'string' ? req.id : undefined,
        }),
      );
  const blocked = (req: Request, res: Response, until: number) => {
    res.set('Retry-After', String(Math.max(1, Math.ceil((until - Date.now()) / 1000))));
    problem(req, res, 429, 'Too many failed sign-ins from this address; retry after the time given in Retry-After');
  };
  const refuse = (req: Request, res: Response) => {
    res.set('WWW-Authenticate', 'Basic realm="Capaian queues", charset="UTF-8"');
    problem(req, res, 401, 'The queue dashboard needs the username and password of an ADMIN user');
  };
  const fail = async (req: Request, res: Response, key: string) => {
    const ttl = ttlSeconds * 1000;
    const record = await storage.increment(key, ttl, limit, ttl, 'queue-dashboard');
    if (!record.isBlocked) return refuse(req, res);
    const until = Date.now() + record.timeToBlockExpire * 1000;
    blockedUntil.set(key, until);
    blocked(req, res, until);
  };
  const adminOnly = (req: Request, res: Response, next: NextFunction) => {
    const key = `queue-dashboard:${req.ip ?? ''}`;
    const until = blockedUntil.get(key);
    if (until !== undefined && until > Date.now()) return void blocked(req, res, until);
    if (until !== undefined) blockedUntil.delete(key);
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return void refuse(req, res);
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    users
      .verifyCredentials(decoded.slice(0, colon), decoded.slice(colon + 1))
      .then((p) => (p?.role === 'ADMIN' ? next() : fail(req, res, key)))
      .catch(next);
  };
  app.use(QUEUE_DASHBOARD_PATH, adminOnly, board.getRouter());
}
