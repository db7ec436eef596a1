import { Module } from '@nestjs/common';
import { DistributionModule } from '../distribution/distribution.module';
import { PeriodsController } from './periods.controller';
import { PeriodsRepository } from './periods.repository';
import { PeriodsService } from './periods.service';

@Module({
  imports: [DistributionModule],
  controllers: [PeriodsController],
  providers: [PeriodsService, PeriodsRepository],
  exports: [PeriodsService, PeriodsRepository],
})
export class PeriodsModule {}
