import { BullModule } from '@nestjs/bull';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { MarksRepository } from './marks.repository';
import { NightlySchedule } from './nightly-schedule.service';
import { SCORES_QUEUE } from './queue';
import { RecalculationController } from './recalculation.controller';
import { RecalculationService } from './recalculation.service';
import { RecalculationRelay } from './relay.service';
import { ScoreCalculator } from './score-calculator';
import { ScoresWorker } from './scores-worker.service';

/** Spec §6. With REDIS_URL the Bull queue `scores` carries the work; without it, this process drains the marks. */
@Global()
@Module({})
export class RecalculationModule {
  static forRoot(config: AppConfig): DynamicModule {
    const bull = config.redis.url
      ? [
          BullModule.forRoot({
            url: config.redis.url,
            prefix: 'capaian',
            settings: { stalledInterval: 15_000, maxStalledCount: 2 },
          }),
          BullModule.registerQueue({ name: SCORES_QUEUE }),
        ]
      : [];
    return {
      module: RecalculationModule,
      imports: [ScheduleModule.forRoot(), ...bull],
      controllers: [RecalculationController],
      providers: [MarksRepository, ScoreCalculator, RecalculationService, RecalculationRelay, ScoresWorker, NightlySchedule],
      exports: [RecalculationService, MarksRepository, ScoresWorker, RecalculationRelay, ...(config.redis.url ? [BullModule] : [])],
    };
  }
}
