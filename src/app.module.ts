import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './common/audit/audit.module';
import { ProblemFilter } from './common/http/problem.filter';
import { appLogger } from './common/http/request-log';
import { createValidationPipe } from './common/validation/validation';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { TypeOrmNestLogger } from './database/typeorm-logger';
import { AppraisalsModule } from './modules/appraisals/appraisals.module';
import { AssessorTrainingModule } from './modules/assessor-training/assessor-training.module';
import { ScoresQueueModule } from './modules/recalculation/scores-queue.module';
import { AuthModule } from './modules/auth/auth.module';
import { DistributionModule } from './modules/distribution/distribution.module';
import { EmployeesModule } from './modules/employees/employees.module';
import { HealthModule } from './modules/health/health.module';
import { IndicatorsModule } from './modules/indicators/indicators.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { PeriodsModule } from './modules/periods/periods.module';
import { PerformanceDialogueModule } from './modules/performance-dialogue/performance-dialogue.module';
import { ExportsModule } from './modules/exports/exports.module';
import { DocumentsModule } from './modules/documents/documents.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { PromotionCandidatesModule } from './modules/promotion-candidates/promotion-candidates.module';
import { PublicFeedbackModule } from './modules/public-feedback/public-feedback.module';
import { RetentionModule } from './modules/retention/retention.module';
import { ServiceIndexModule } from './modules/service-index/service-index.module';
import { UnitsModule } from './modules/units/units.module';

@Module({})
export class AppModule {
  /** `databaseUrl` is resolved before boot: DATABASE_URL, or the embedded PostgreSQL's address. */
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Nest's own logs through pino; the request lines come from Fastify's onResponse hook (app.setup.ts, request-log.ts).
        LoggerModule.forRoot({ forRoutes: [], pinoHttp: { logger: appLogger(config) } }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(databaseUrl, config.database.migrationsRun),
          autoLoadEntities: false,
          logging: ['error', 'warn', 'migration'],
          logger: new TypeOrmNestLogger(['error', 'warn', 'migration']),
        }),
        AuditModule,
        AuthModule,
        UnitsModule,
        EmployeesModule,
        IndicatorsModule,
        PeriodsModule,
        AppraisalsModule,
        AssessorTrainingModule,
        PerformanceDialogueModule,
        ExportsModule,
        DocumentsModule,
        WebhooksModule,
        DistributionModule,
        PromotionCandidatesModule,
        PublicFeedbackModule,
        ServiceIndexModule,
        RetentionModule,
        ScoresQueueModule.forRoot(config),
        HealthModule,
        MetricsModule.forRoot(config),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
