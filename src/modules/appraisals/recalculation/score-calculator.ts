import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IndicatorAggregation, IndicatorDirection } from '../../indicators/entities/indicator.entity';
import { DEFAULT_SCORING_POLICY, ScoringPolicy } from '../../periods/scoring-policy';
import { BehaviourRatings, Rating } from '../entities/appraisal.entity';
import { computeScore } from '../scoring/score';
import { PublicFeedbackInput, ScoreResult, TargetScoreInput } from '../scoring/types';

interface TargetRow {
  appraisal_id: string;
  target_id: string;
  indicator_code: string;
  weight: string;
  target: string;
  direction: IndicatorDirection;
  aggregation: IndicatorAggregation;
  realisation: string | null;
}

interface AppraisalRow {
  id: string;
  behaviour_ratings: BehaviourRatings | null;
  result_rating_override: Rating | null;
  policy: Partial<ScoringPolicy>;
}

const NO_FEEDBACK: PublicFeedbackInput = { employee: { responses: 0, ikm: null }, unit: null };

/**
 * Recomputes scores from source rows, set-based: one query aggregates every target's VERIFIED achievements
 * (the aggregation of §3, done by PostgreSQL), one reads behaviour and policy, the pure `computeScore` does
 * §5, and one statement writes all scores. Never increments; running it twice writes the same scores.
 */
@Injectable()
export class ScoreCalculator {
  private readonly logger = new Logger(ScoreCalculator.name);

  /**
   * Answers how many scores were computed and which appraisals could not be (bad source data, logged):
   * their marks must stay, so they show as STALE instead of silently keeping an old score.
   */
  async recalculate(appraisalIds: string[], m: EntityManager, now = new Date()): Promise<{ computed: number; failed: string[] }> {
    if (!appraisalIds.length) return { computed: 0, failed: [] };
    const [targets, appraisals] = await Promise.all([this.targets(appraisalIds, m), this.appraisals(appraisalIds, m)]);
    const byAppraisal = new Map<string, TargetScoreInput[]>();
    for (const t of targets) {
      const list = byAppraisal.get(t.appraisal_id) ?? [];
      list.push({
        targetId: t.target_id,
        indicatorCode: t.indicator_code,
        weight: Number(t.weight),
        target: Number(t.target),
        direction: t.direction,
        aggregation: t.aggregation,
        realisation: t.realisation === null ? null : Number(t.realisation),
      });
      byAppraisal.set(t.appraisal_id, list);
    }
    const scores: { appraisalId: string; score: ScoreResult }[] = [];
    const withoutTargets: string[] = [];
    const failed: string[] = [];
    for (const a of appraisals) {
      const list = byAppraisal.get(a.id);
      if (!list) {
        withoutTargets.push(a.id);
        continue;
      }
      const policy = { ...DEFAULT_SCORING_POLICY, ...a.policy };
      try {
        const score = computeScore(
          { targets: list, behaviour: a.behaviour_ratings, resultRatingOverride: a.result_rating_override, publicFeedback: NO_FEEDBACK },
          policy,
        );
        scores.push({ appraisalId: a.id, score });
      } catch (e) {
        this.logger.error({ err: e, appraisalId: a.id }, 'cannot score an appraisal; its mark stays');
        failed.push(a.id);
      }
    }
    await this.write(scores, now, m);
    // An appraisal whose targets were all removed has no score.
    if (withoutTargets.length) await m.query('DELETE FROM appraisal_scores WHERE appraisal_id = ANY($1::uuid[])', [withoutTargets]);
    return { computed: scores.length, failed };
  }

  private targets(ids: string[], m: EntityManager): Promise<TargetRow[]> {
    return m.query<TargetRow[]>(
      `SELECT t.appraisal_id, t.id AS target_id, i.code AS indicator_code, t.weight, t.target, i.direction, i.aggregation,
              CASE i.aggregation
                WHEN 'SUM' THEN sum(a.value)
                WHEN 'AVERAGE' THEN avg(a.value)
                WHEN 'MAX' THEN max(a.value)
                WHEN 'MIN' THEN min(a.value)
                ELSE (array_agg(a.value ORDER BY a.occurred_on DESC, a.created_at DESC, a.id DESC)
                        FILTER (WHERE i.aggregation = 'LATEST' AND a.id IS NOT NULL))[1]
              END AS realisation
         FROM appraisal_targets t
         JOIN indicators i ON i.id = t.indicator_id
         LEFT JOIN achievements a ON a.target_id = t.id AND a.status = 'VERIFIED'
        WHERE t.appraisal_id = ANY($1::uuid[])
        GROUP BY t.id, i.id
        ORDER BY t.appraisal_id, t.created_at, t.id`,
      [ids],
    );
  }

  private appraisals(ids: string[], m: EntityManager): Promise<AppraisalRow[]> {
    return m.query<AppraisalRow[]>(
      `SELECT a.id, a.behaviour_ratings, a.result_rating_override, p.policy
         FROM appraisals a JOIN periods p ON p.id = a.period_id
        WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  private async write(scores: { appraisalId: string; score: ScoreResult }[], now: Date, m: EntityManager): Promise<void> {
    if (!scores.length) return;
    const rows = scores.map(({ appraisalId, score: s }) => ({
      appraisal_id: appraisalId,
      result_score: s.resultScore,
      behaviour_score: s.behaviourScore,
      final_score: s.finalScore,
      result_rating: s.resultRating,
      behaviour_rating: s.behaviourRating,
      predicate: s.predicate,
      predicate_code: s.predicateCode,
      breakdown: {
        targets: s.targets,
        aspects: s.aspects,
        computedResultRating: s.computedResultRating,
        resultRatingOverridden: s.resultRatingOverridden,
      },
    }));
    await m.query(
      `INSERT INTO appraisal_scores (appraisal_id, result_score, behaviour_score, final_score, result_rating, behaviour_rating,
                                     predicate, predicate_code, breakdown, computed_at)
       SELECT v.appraisal_id, v.result_score, v.behaviour_score, v.final_score, v.result_rating, v.behaviour_rating,
              v.predicate, v.predicate_code, v.breakdown, $2
         FROM jsonb_to_recordset($1::jsonb) AS v(appraisal_id uuid, result_score numeric, behaviour_score numeric,
              final_score numeric, result_rating rating, behaviour_rating rating, predicate predicate, predicate_code smallint,
              breakdown jsonb)
       ON CONFLICT (appraisal_id) DO UPDATE SET
         result_score = EXCLUDED.result_score, behaviour_score = EXCLUDED.behaviour_score, final_score = EXCLUDED.final_score,
         result_rating = EXCLUDED.result_rating, behaviour_rating = EXCLUDED.behaviour_rating, predicate = EXCLUDED.predicate,
         predicate_code = EXCLUDED.predicate_code, breakdown = EXCLUDED.breakdown, computed_at = EXCLUDED.computed_at
       -- A rerun that finds the same numbers leaves the row alone: running a job twice changes nothing.
       WHERE (appraisal_scores.result_score, appraisal_scores.behaviour_score, appraisal_scores.final_score,
              appraisal_scores.result_rating, appraisal_scores.behaviour_rating, appraisal_scores.predicate,
              appraisal_scores.breakdown)
             IS DISTINCT FROM
             (EXCLUDED.result_score, EXCLUDED.behaviour_score, EXCLUDED.final_score, EXCLUDED.result_rating,
              EXCLUDED.behaviour_rating, EXCLUDED.predicate, EXCLUDED.breakdown)`,
      [JSON.stringify(rows), now],
    );
  }
}
