import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decimal } from '../../database/decimal.transformer';
import { breakdownOf, type ScoreBreakdown } from '../scoring/breakdown';
import { SCORE_STALE } from '../recalculation/recalculation-marks';
import type { AppraisalParties } from './appraisal-access.service';
import { AppraisalScoreEntity } from './entities/appraisal-score.entity';

export type StoredScore = Omit<AppraisalScoreEntity, 'inputDigest' | 'appraisal' | 'breakdown'> & { breakdown: ScoreBreakdown };

interface ScoreReadRow {
  employee_id: string;
  assessor_id: string | null;
  reviewer_id: string | null;
  unit_id: string;
  stale: boolean;
  result_score: string | null;
  behaviour_score: string | null;
  final_score: string | null;
  result_rating: AppraisalScoreEntity['resultRating'];
  behaviour_rating: AppraisalScoreEntity['behaviourRating'];
  predicate: AppraisalScoreEntity['predicate'];
  predicate_code: AppraisalScoreEntity['predicateCode'];
  breakdown: AppraisalScoreEntity['breakdown'];
  computed_at: Date | null;
}

/** `appraisal_scores`: the computed score of each appraisal. */
@Injectable()
export class ScoresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The score read in one round trip (the busiest read of the API): the appraisal's parties, for the access check,
   * its score if any, and whether a recalculation is pending (a mark exists). Null when there is no such appraisal.
   */
  async read(appraisalId: string): Promise<{ parties: AppraisalParties; score: StoredScore | null; stale: boolean } | null> {
    const [r] = await this.dataSource.query<ScoreReadRow[]>(
      `SELECT a.employee_id, a.assessor_id, a.reviewer_id, a.unit_id,
              ${SCORE_STALE('a')} AS stale,
              s.result_score, s.behaviour_score, s.final_score, s.result_rating, s.behaviour_rating, s.predicate,
              s.predicate_code, s.breakdown, s.computed_at
         FROM appraisals a LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id
        WHERE a.id = $1`,
      [appraisalId],
    );
    if (!r) return null;
    const parties = { employeeId: r.employee_id, assessorId: r.assessor_id, reviewerId: r.reviewer_id, unitId: r.unit_id };
    const score: StoredScore | null =
      r.computed_at === null
        ? null
        : {
            appraisalId,
            resultScore: decimal.from(r.result_score) as number,
            behaviourScore: decimal.from(r.behaviour_score) as number | null,
            finalScore: decimal.from(r.final_score) as number | null,
            resultRating: r.result_rating,
            behaviourRating: r.behaviour_rating,
            predicate: r.predicate,
            predicateCode: r.predicate_code,
            breakdown: breakdownOf(r.breakdown),
            computedAt: r.computed_at,
          };
    return { parties, score, stale: r.stale };
  }
}
