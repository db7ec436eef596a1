import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuditModule } from './common/audit/audit.module';
import { ProblemFilter } from './common/http/problem.filter';
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
import { PromotionCandidatesModule } from './modules/promotion-candidates/promotion-candidates.module';
import { PublicFeedbackModule } from './modules/public-feedback/public-feedback.module';
import { RetentionModule } from './modules/retention/retention.module';
import { ServiceIndexModule } from './modules/service-index/service-index.module';
import { UnitsModule } from './modules/units/units.module';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A caller's X-Request-Id when it is sane, else a fresh one. */
export function incomingRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Honours a caller's X-Request-Id when it is sane, else makes one; echoed on every response and log line. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const id = incomingRequestId(req);
  res.setHeader('X-Request-Id', id);
  return id;
}

@Module({})
export class AppModule {
  /** `databaseUrl` is resolved before boot: DATABASE_URL, or the embedded PostgreSQL's address. */
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req, res) => (req as IncomingMessage & { id?: string }).id ?? requestIdOf(req, res),
            redact: {
              paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
              censor: '[redacted]',
            },
            customProps: (req) => ({ requestId: (req as IncomingMessage & { id?: string }).id }),
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
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
