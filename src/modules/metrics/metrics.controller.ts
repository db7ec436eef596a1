import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { Public } from '../../common/auth/access.decorator';
import { UnauthorizedError } from '../../common/errors/app-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { bearerMatches } from './metrics-http';
import { MetricsService } from './metrics.service';

/**
 * GET /metrics on the API port, registered only with METRICS_TOKEN and without METRICS_PORT (otherwise the path
 * does not exist here: 404). Not part of the JSON API, so not in openapi.yaml; the README documents it.
 * `@Public` lets it past the access guard, which knows users and API keys only: the token is checked here.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    if (!bearerMatches(authorization, this.config.metrics.token!)) {
      res.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    const text = await this.metrics.scrape();
    res.header('Content-Type', this.metrics.contentType);
    res.header('Cache-Control', 'no-store');
    return text;
  }
}
