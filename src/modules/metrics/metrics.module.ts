import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RecalculationModule } from '../recalculation/recalculation.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { MetricsServer } from './metrics-server';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics (GET /metrics): on the API port behind METRICS_TOKEN, or on METRICS_PORT. With neither, nothing
 * is measured and /metrics answers 404 like any unknown path.
 */
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { token, port } = config.metrics;
    if (!token && port === undefined) return { module: MetricsModule };
    return {
      module: MetricsModule,
      imports: [RecalculationModule, WebhooksModule],
      controllers: port === undefined ? [MetricsController] : [],
      providers: [MetricsService, MetricsServer],
    };
  }
}
