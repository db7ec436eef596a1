import { Module } from '@nestjs/common';
import { EmployeesModule } from '../employees/employees.module';
import { UnitsModule } from '../units/units.module';
import { PublicFeedbackController } from './public-feedback.controller';
import { PublicFeedbackRepository } from './public-feedback.repository';
import { PublicFeedbackService } from './public-feedback.service';
import { ServiceTicketsRepository } from './service-tickets.repository';

@Module({
  imports: [UnitsModule, EmployeesModule],
  controllers: [PublicFeedbackController],
  providers: [PublicFeedbackService, PublicFeedbackRepository, ServiceTicketsRepository],
})
export class PublicFeedbackModule {}
