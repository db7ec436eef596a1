import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module';
import { IndicatorsController } from './indicators.controller';
import { IndicatorsRepository } from './indicators.repository';
import { IndicatorsService } from './indicators.service';

@Module({
  imports: [UnitsModule],
  controllers: [IndicatorsController],
  providers: [IndicatorsService, IndicatorsRepository],
  exports: [IndicatorsService, IndicatorsRepository],
})
export class IndicatorsModule {}
