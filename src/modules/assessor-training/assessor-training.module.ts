import { Module } from '@nestjs/common';
import { EmployeesModule } from '../employees/employees.module';
import { UnitsModule } from '../units/units.module';
import { AssessorTrainingsController } from './assessor-trainings.controller';
import { AssessorTrainingsRepository } from './assessor-trainings.repository';
import { AssessorTrainingsService } from './assessor-trainings.service';

/** Assessor trainings (spec §11) and the `requireTrainedAssessor` check every assessor action makes. */
@Module({
  imports: [UnitsModule, EmployeesModule],
  controllers: [AssessorTrainingsController],
  providers: [AssessorTrainingsRepository, AssessorTrainingsService],
  exports: [AssessorTrainingsService],
})
export class AssessorTrainingModule {}
