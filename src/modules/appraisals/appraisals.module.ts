import { Module } from '@nestjs/common';
import { AssessorTrainingModule } from '../assessor-training/assessor-training.module';
import { UsersRepository } from '../auth/users.repository';
import { DistributionModule } from '../distribution/distribution.module';
import { EmployeesModule } from '../employees/employees.module';
import { IndicatorsModule } from '../indicators/indicators.module';
import { PeriodsModule } from '../periods/periods.module';
import { RecalculationModule } from '../recalculation/recalculation.module';
import { UnitsModule } from '../units/units.module';
import { AchievementsController } from './achievements.controller';
import { AchievementsRepository } from './achievements.repository';
import { AchievementsService } from './achievements.service';
import { AppraisalAccessService } from './appraisal-access.service';
import { AppraisalsController, PeriodAppraisalsController } from './appraisals.controller';
import { AppraisalsRepository } from './appraisals.repository';
import { AppraisalsService } from './appraisals.service';
import { ObjectionsService } from './objections.service';
import { PeriodTransitionsController } from './period-close.controller';
import { PeriodCloseService } from './period-close.service';
import { ScoresRepository } from './scores.repository';
import { ScoresService } from './scores.service';
import { TargetsService } from './targets.service';

@Module({
  imports: [AssessorTrainingModule, UnitsModule, EmployeesModule, IndicatorsModule, PeriodsModule, RecalculationModule, DistributionModule],
  controllers: [AppraisalsController, PeriodAppraisalsController, PeriodTransitionsController, AchievementsController],
  providers: [PeriodCloseService, AppraisalAccessService, AppraisalsRepository, AppraisalsService, TargetsService, ObjectionsService, ScoresService, ScoresRepository, AchievementsService, AchievementsRepository, UsersRepository],
  exports: [AppraisalAccessService, AppraisalsRepository],
})
export class AppraisalsModule {}
