import { Controller, Get, Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import Redis from 'ioredis';
import { Public } from '../../common/auth/access.decorator';
import { AppError } from '../../common/errors/app-error';
import { ProblemResponse } from '../../common/http/problem.dto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { HealthCheckDto, LivenessDto, ReadinessDto } from './health.dto';

@ApiTags('health')
@ApiExtraModels(HealthCheckDto)
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly redis?: Redis;
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.redis.url) {
      // disconnectTimeout is an ioredis option its typings omit; 2 s by default, which delays shutdown.
      const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, disconnectTimeout: 100 };
      this.redis = new Redis(config.redis.url, options);
      this.redis.on('error', () => undefined); // reported by the readiness check, not as unhandled errors
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({ description: 'The process is up', type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: the database answers, and Redis when REDIS_URL is set' })
  @ApiOkResponse({ description: 'Every dependency is up', type: ReadinessDto })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down (`not-ready`): `checks` says which', type: ProblemResponse })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('database', { timeout: 2000 }),
        ...(this.redis ? [() => this.pingRedis()] : []),
      ]);
    } catch (e) {
      const details = (e as { response?: { details?: Record<string, { status: string }> } }).response?.details;
      // The indicators' messages name hosts and ports (ECONNREFUSED 10.0.0.5:6379): the log gets them, the caller only up or down.
      this.logger.warn({ err: e, checks: details }, 'readiness check failed');
      const checks = details ? Object.fromEntries(Object.entries(details).map(([name, c]) => [name, { status: c.status }])) : null;
      throw new AppError('unavailable', 'not-ready', 'A dependency of the service is down', { checks });
    }
  }

  private async pingRedis() {
    const check = this.indicators.check('redis');
    try {
      if (this.redis!.status === 'wait' || this.redis!.status === 'end') await this.redis!.connect();
      await this.redis!.ping();
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }
}
