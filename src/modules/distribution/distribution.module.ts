import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module';
import { DistributionController } from './distribution.controller';
import { DistributionRepository } from './distribution.repository';
import { DistributionService } from './distribution.service';

/**
 * Distribution curves (organisation predicates, predicate counts per unit subtree) and assessor calibration.
 * Depends on no feature module but units, so the appraisals module can import it for the period close (`unitsBreakingCurve`).
 */
@Module({
  imports: [UnitsModule],
  controllers: [DistributionController],
  providers: [DistributionService, DistributionRepository],
  exports: [DistributionService],
})
export class DistributionModule {}
