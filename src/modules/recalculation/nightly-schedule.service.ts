import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { WITA, witaDate } from '../../common/time/wita';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { RecalculationRunsRepository } from './recalculation-runs.repository';
import { RecalculationService } from './recalculation.service';
import { ScoresWorker } from './scores-worker.service';

/**
 * RECALC_CRON (WITA): a batch for every OPEN or EVALUATION period. Each run carries a key of period and
 * WITA date, so however many instances fire, one run per period and day is created.
 */
@Injectable()
export class NightlySchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger(NightlySchedule.name);

  constructor(
    private readonly runs: RecalculationRunsRepository,
    private readonly recalculation: RecalculationService,
    private readonly worker: ScoresWorker,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { cron, worker } = this.config.recalculation;
    if (!cron || !worker) return;
    const job = CronJob.from({ cronTime: cron, timeZone: WITA, onTick: () => void this.fire(), start: true });
    this.registry.addCronJob('nightly-recalculation', job);
  }

  /** Creates and starts today's runs; answers the ids of the runs it created. */
  async fire(now = new Date()): Promise<string[]> {
    const day = witaDate(now);
    const created: string[] = [];
    for (const id of await this.runs.periodsToRecalculate()) {
      try {
        const run = await this.recalculation.createRun(id, 'SCHEDULE', null, `SCHEDULE:${id}:${day}`);
        if (!run) continue;
        await this.worker.startBatch(run.id);
        created.push(run.id);
      } catch (e) {
        this.logger.error({ err: e, periodId: id }, 'nightly recalculation could not start');
      }
    }
    return created;
  }
}
