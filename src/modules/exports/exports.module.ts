import { Module } from '@nestjs/common';
import { DistributionModule } from '../distribution/distribution.module';
import { PeriodsModule } from '../periods/periods.module';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';

/** Period exports (spec §10): the SIASN rows (JSON, CSV) and the results workbook (XLSX), streamed. */
@Module({
  imports: [PeriodsModule, DistributionModule],
  controllers: [ExportsController],
  providers: [ExportsService, ExportsRepository],
})
export class ExportsModule {}
