import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/principal';
import { NoScoreError } from '../../common/errors/app-error';
import { AppraisalAccessService } from './appraisal-access.service';
import { ScoreDto } from './dto/score.dto';
import { ScoresRepository } from './scores.repository';

@Injectable()
export class ScoresService {
  constructor(
    private readonly scores: ScoresRepository,
    private readonly access: AppraisalAccessService,
  ) {}

  async get(actor: Actor, appraisalId: string): Promise<ScoreDto> {
    const read = await this.scores.read(appraisalId);
    await this.access.visible(actor, read?.parties ?? null, appraisalId);
    if (!read!.score) throw new NoScoreError(appraisalId);
    return ScoreDto.of(read!.score, read!.stale);
  }
}
