import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppraisalScoreEntity } from './entities/appraisal-score.entity';

/** `appraisal_scores`: the computed score of each appraisal. */
@Injectable()
export class ScoresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByAppraisal(appraisalId: string, m?: EntityManager): Promise<AppraisalScoreEntity | null> {
    return (m ?? this.dataSource.manager).getRepository(AppraisalScoreEntity).findOneBy({ appraisalId });
  }
}
