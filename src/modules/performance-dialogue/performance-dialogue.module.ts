import { Module } from '@nestjs/common';
import { AppraisalsModule } from '../appraisals/appraisals.module';
import { PeriodsModule } from '../periods/periods.module';
import { UnitsModule } from '../units/units.module';
import { DialogueGapsController, DialoguesController } from './dialogues.controller';
import { DialoguesRepository } from './dialogues.repository';
import { DialoguesService } from './dialogues.service';

/** Performance dialogues and continuous feedback notes (spec §11): on an appraisal, under its access rules, never in a score. */
@Module({
  imports: [AppraisalsModule, PeriodsModule, UnitsModule],
  controllers: [DialoguesController, DialogueGapsController],
  providers: [DialoguesRepository, DialoguesService],
})
export class PerformanceDialogueModule {}
