import { Module } from '@nestjs/common';
import { EmployeesModule } from '../employees/employees.module';
import { UnitsModule } from '../units/units.module';
import { FeedbackRetention } from './feedback-retention.service';
import { PublicFeedbackController } from './public-feedback.controller';
import { PublicFeedbackRepository } from './public-feedback.repository';
import { PublicFeedbackService } from './public-feedback.service';

@Module({
  imports: [UnitsModule, EmployeesModule],
  controllers: [PublicFeedbackController],
  providers: [PublicFeedbackService, PublicFeedbackRepository, FeedbackRetention],
})
export class PublicFeedbackModule {}
