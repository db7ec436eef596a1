import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/principal';
import { NotFoundError } from '../../common/errors/app-error';
import { AppraisalAccessService } from './appraisal-access.service';
import { ScoreDto } from './dto/score.dto';
import { ScoresRepository } from './scores.repository';
import { MarksRepository } from '../recalculation/marks.repository';

@Injectable()
export class ScoresService {
  constructor(
    private readonly scores: ScoresRepository,
    private readonly access: AppraisalAccessService,
    private readonly marks: MarksRepository,
  ) {}

  async get(actor: Actor, appraisalId: string): Promise<ScoreDto> {
    await this.access.get(actor, appraisalId);
    const [score, pending] = await Promise.all([this.scores.findByAppraisal(appraisalId), this.marks.pending(appraisalId)]);
    if (!score) throw new NotFoundError(`Score of appraisal ${appraisalId} (none yet: it is computed once the appraisal has targets)`);
    return ScoreDto.of(score, pending);
  }
}
