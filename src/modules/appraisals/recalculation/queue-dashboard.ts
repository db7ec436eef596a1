import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import type { Queue } from 'bull';
import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../../common/http/problem';
import { AppConfig } from '../../../config/app-config';
import { UsersService } from '../../auth/users.service';
import { SCORES_QUEUE_TOKEN } from './relay.service';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators at /admin/queues, only with Redis. A browser cannot send our bearer tokens, so
 * the page asks for HTTP Basic credentials of an ADMIN user (use it over HTTPS).
 */
export function mountQueueDashboard(app: INestApplication, config: AppConfig): void {
  if (!config.redis.url) return; // no Redis, no queue to show
  const queue = app.get<Queue>(SCORES_QUEUE_TOKEN);
  const users = app.get(UsersService);
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: [new BullAdapter(queue, { readOnlyMode: false })], serverAdapter: board });

  const refuse = (req: Request, res: Response) =>
    res
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="Capaian queues", charset="UTF-8"')
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: problemType('unauthorized'),
          title: 'Unauthorized',
          status: 401,
          detail: 'The queue dashboard needs the username and password of an ADMIN user',
          instance: req.originalUrl,
          code: 'unauthorized',
          requestId: typeof req.id === 'string' ? req.id : undefined,
        }),
      );
  const adminOnly = (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return void refuse(req, res);
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    users
      .verifyCredentials(decoded.slice(0, colon), decoded.slice(colon + 1))
      .then((p) => (p?.role === 'ADMIN' ? next() : refuse(req, res)))
      .catch(next);
  };
  app.use(QUEUE_DASHBOARD_PATH, adminOnly, board.getRouter());
}
