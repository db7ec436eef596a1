import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module';
import { PromotionCandidatesController } from './promotion-candidates.controller';
import { PromotionCandidatesRepository } from './promotion-candidates.repository';
import { PromotionCandidatesService } from './promotion-candidates.service';
import { ShortlistsRepository } from './shortlists.repository';

@Module({
  imports: [UnitsModule],
  controllers: [PromotionCandidatesController],
  providers: [PromotionCandidatesService, PromotionCandidatesRepository, ShortlistsRepository],
})
export class PromotionCandidatesModule {}
