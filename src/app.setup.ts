import { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdOf } from './app.module';
import { AppConfig } from './config/app-config';
import { UsersService } from './modules/auth/users.service';
import { mountQueueDashboard } from './modules/recalculation/queue-dashboard';
import { setupOpenApi } from './openapi';

/** Everything main.ts and the e2e tests share beyond the module graph. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // The request id must exist before the body parser, so even malformed-body answers carry it.
  app.use((req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void) => {
    req.id = requestIdOf(req, res);
    next();
  });
  app.use(
    helmet({
      // Swagger UI loads its own scripts and inline styles from /docs.
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  const type = ['application/json', 'application/*+json'];
  // Registered first: a body parsed here is left alone by the general parser below.
  app.use(['/units/import', '/employees/import'], json({ limit: config.http.importBodyLimit, type }));
  app.useBodyParser('json', { limit: config.http.bodyLimit, type });
  const users = app.get(UsersService);
  mountQueueDashboard(app, config, (username, password, ip) => users.verifyCredentials(username, password, ip));
  setupOpenApi(app);
}
