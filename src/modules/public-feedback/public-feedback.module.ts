import { Module } from '@nestjs/common';
import { EmployeesModule } from '../employees/employees.module';
import { UnitsModule } from '../units/units.module';
import { PublicFeedbackController } from './public-feedback.controller';
import { PublicFeedbackRepository } from './public-feedback.repository';
import { PublicFeedbackService } from './public-feedback.service';

@Module({
  imports: [UnitsModule, EmployeesModule],
  controllers: [PublicFeedbackController],
  providers: [PublicFeedbackService, PublicFeedbackRepository],
})
export class PublicFeedbackModule {}
