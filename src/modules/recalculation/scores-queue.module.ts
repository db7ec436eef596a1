import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { NightlySchedule } from './nightly-schedule.service';
import { SCORES_QUEUE } from './queue';
import { RecalculationController } from './recalculation.controller';
import { RecalculationModule } from './recalculation.module';
import { RecalculationRelay } from './relay.service';
import { ScoresWorker } from './scores-worker.service';

/**
 * Spec §6 with the queue: with REDIS_URL the Bull queue `scores` carries the work; without it, this process
 * drains the marks. The relay, the worker, the nightly schedule and the batch endpoints.
 */
@Module({})
export class ScoresQueueModule {
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
      module: ScoresQueueModule,
      imports: [RecalculationModule, ScheduleModule.forRoot(), ...bull],
      controllers: [RecalculationController],
      providers: [RecalculationRelay, ScoresWorker, NightlySchedule],
      exports: [ScoresWorker, RecalculationRelay, ...(config.redis.url ? [BullModule] : [])],
    };
  }
}
