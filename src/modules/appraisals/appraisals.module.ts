import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module';
import { AchievementsController } from './achievements.controller';
import { AchievementsRepository } from './achievements.repository';
import { AchievementsService } from './achievements.service';
import { AppraisalAccessService } from './appraisal-access.service';
import { AppraisalsController, PeriodAppraisalsController } from './appraisals.controller';
import { AppraisalsRepository } from './appraisals.repository';
import { AppraisalsService } from './appraisals.service';
import { ObjectionsService } from './objections.service';
import { ScoresService } from './scores.service';
import { TargetsService } from './targets.service';

@Module({
  imports: [UnitsModule],
  controllers: [AppraisalsController, PeriodAppraisalsController, AchievementsController],
  providers: [AppraisalAccessService, AppraisalsRepository, AppraisalsService, TargetsService, ObjectionsService, ScoresService, AchievementsService, AchievementsRepository],
  exports: [AppraisalAccessService, AppraisalsRepository],
})
export class AppraisalsModule {}
