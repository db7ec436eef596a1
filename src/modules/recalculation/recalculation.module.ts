import { Module } from '@nestjs/common';
import { MarksRepository } from './marks.repository';
import { RecalculationRunsRepository } from './recalculation-runs.repository';
import { RecalculationService } from './recalculation.service';
import { ScoreCalculator } from './score-calculator';
import { ScoreInputsRepository } from './score-inputs.repository';

/**
 * Spec §6 without the queue: the marks, the score inputs and the recomputation. Imported by the modules that
 * read marks or recompute (the period close, the score view); the modules that only mark call the `markFor…`
 * functions inside their own transactions.
 */
@Module({
  providers: [MarksRepository, ScoreInputsRepository, ScoreCalculator, RecalculationRunsRepository, RecalculationService],
  exports: [MarksRepository, RecalculationRunsRepository, RecalculationService],
})
export class RecalculationModule {}
