import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { IndicatorAggregation, IndicatorDirection } from '../indicators/entities/indicator.entity';
import { policyOf, ScoringPolicy } from '../scoring/policy';
import { BehaviourRatings, Rating } from '../appraisals/entities/appraisal.entity';
import { computeScore } from '../scoring/score';
import { ScoreResult, TargetScoreInput } from '../scoring/types';
import { feedbackInputs } from './feedback-inputs';

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
  period_id: string;
  behaviour_ratings: BehaviourRatings | null;
  result_rating_override: Rating | null;
  /** Of the stored score, if any. */
  input_digest: string | null;
}

/** A period's complete policy, and its JSON for the digest: both once per period, not per appraisal. */
interface PeriodPolicy {
  policy: ScoringPolicy;
  json: string;
}

/** Part of every input digest: bump it when the scoring rules change, so every score is recomputed. */
export const SCORING_VERSION = 2;

/** The stored numbers of a score row, for comparing a recomputation with what is there. */
const NUMBERS = (t: string) =>
  `(${t}.result_score, ${t}.behaviour_score, ${t}.final_score, ${t}.result_rating, ${t}.behaviour_rating, ${t}.predicate, ${t}.breakdown)`;

/**
 * Recomputes scores from source rows, set-based: one query aggregates every target's VERIFIED achievements
 * (the aggregation of §3, done by PostgreSQL), one reads behaviour and policy, one the citizen feedback indices
 * (`feedbackInputs`), the pure `computeScore` does §5, and one statement writes all scores. Never increments;
 * running it twice writes the same scores.
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
    // One after the other: a transaction is one connection, which runs one query at a time anyway.
    const targets = await this.targets(appraisalIds, m);
    const appraisals = await this.appraisals(appraisalIds, m);
    const feedback = await feedbackInputs(appraisalIds, m);
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
    const policies = await this.policies([...new Set(appraisals.map((a) => a.period_id))], m);
    const scores: { appraisalId: string; score: ScoreResult; digest: string }[] = [];
    const withoutTargets: string[] = [];
    const failed: string[] = [];
    for (const a of appraisals) {
      const list = byAppraisal.get(a.id);
      if (!list) {
        withoutTargets.push(a.id);
        continue;
      }
      const { policy, json: policyJson } = policies.get(a.period_id)!;
      const input = {
        targets: list,
        behaviour: a.behaviour_ratings,
        resultRatingOverride: a.result_rating_override,
        publicFeedback: feedback.get(a.id)!, // the caller holds the appraisal rows locked, so both queries saw them
      };
      // Inputs come in a fixed order (SQL ORDER BY, jsonb key order), so equal inputs give equal digests.
      const digest = createHash('sha256').update(policyJson).update('\n').update(JSON.stringify([SCORING_VERSION, input])).digest('hex');
      if (a.input_digest === digest) continue;
      try {
        scores.push({ appraisalId: a.id, score: computeScore(input, policy), digest });
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

  private async policies(periodIds: string[], m: EntityManager): Promise<Map<string, PeriodPolicy>> {
    const rows = await m.query<{ id: string; policy: Partial<ScoringPolicy> }[]>('SELECT id, policy FROM periods WHERE id = ANY($1::uuid[])', [periodIds]);
    return new Map(
      rows.map((r) => {
        const policy = policyOf(r);
        return [r.id, { policy, json: JSON.stringify(policy) }];
      }),
    );
  }

  /**
   * Each target of the appraisals with its VERIFIED achievements combined (§3). The achievements of the
   * chunk are found through a covering partial index on appraisal_id; LATEST takes the latest occurredOn,
   * ties to the later submission.
   */
  private targets(ids: string[], m: EntityManager): Promise<TargetRow[]> {
    return m.query<TargetRow[]>(
      `WITH verified AS (
         SELECT a.target_id, sum(a.value) AS s, avg(a.value) AS av, max(a.value) AS mx, min(a.value) AS mn
           FROM achievements a
          WHERE a.appraisal_id = ANY($1::uuid[]) AND a.status = 'VERIFIED'
          GROUP BY a.target_id
       ), latest AS (
         SELECT DISTINCT ON (a.target_id) a.target_id, a.value
           FROM achievements a
           JOIN appraisal_targets t ON t.id = a.target_id AND t.appraisal_id = ANY($1::uuid[])
           JOIN indicators i ON i.id = t.indicator_id AND i.aggregation = 'LATEST'
          WHERE a.appraisal_id = ANY($1::uuid[]) AND a.status = 'VERIFIED'
          ORDER BY a.target_id, a.occurred_on DESC, a.created_at DESC, a.id DESC
       )
       SELECT t.appraisal_id, t.id AS target_id, i.code AS indicator_code, t.weight, t.target, i.direction, i.aggregation,
              CASE i.aggregation
                WHEN 'SUM' THEN v.s WHEN 'AVERAGE' THEN v.av WHEN 'MAX' THEN v.mx WHEN 'MIN' THEN v.mn
                ELSE l.value
              END AS realisation
         FROM appraisal_targets t
         JOIN indicators i ON i.id = t.indicator_id
         LEFT JOIN verified v ON v.target_id = t.id
         LEFT JOIN latest l ON l.target_id = t.id
        WHERE t.appraisal_id = ANY($1::uuid[])
        ORDER BY t.appraisal_id, t.created_at, t.id`,
      [ids],
    );
  }

  private appraisals(ids: string[], m: EntityManager): Promise<AppraisalRow[]> {
    return m.query<AppraisalRow[]>(
      `SELECT a.id, a.period_id, a.behaviour_ratings, a.result_rating_override, s.input_digest
         FROM appraisals a LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id
        WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  private async write(scores: { appraisalId: string; score: ScoreResult; digest: string }[], now: Date, m: EntityManager): Promise<void> {
    if (!scores.length) return;
    const rows = scores.map(({ appraisalId, score: s, digest }) => ({
      appraisal_id: appraisalId,
      input_digest: digest,
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
                                     predicate, predicate_code, breakdown, input_digest, computed_at)
       SELECT v.appraisal_id, v.result_score, v.behaviour_score, v.final_score, v.result_rating, v.behaviour_rating,
              v.predicate, v.predicate_code, v.breakdown, v.input_digest, $2
         FROM jsonb_to_recordset($1::jsonb) AS v(appraisal_id uuid, result_score numeric, behaviour_score numeric,
              final_score numeric, result_rating rating, behaviour_rating rating, predicate predicate, predicate_code smallint,
              breakdown jsonb, input_digest char(64))
       ON CONFLICT (appraisal_id) DO UPDATE SET
         result_score = EXCLUDED.result_score, behaviour_score = EXCLUDED.behaviour_score, final_score = EXCLUDED.final_score,
         result_rating = EXCLUDED.result_rating, behaviour_rating = EXCLUDED.behaviour_rating, predicate = EXCLUDED.predicate,
         predicate_code = EXCLUDED.predicate_code, breakdown = EXCLUDED.breakdown, input_digest = EXCLUDED.input_digest,
         -- computed_at is when the numbers last changed; new inputs giving the same numbers only refresh the digest.
         computed_at = CASE WHEN ${NUMBERS('appraisal_scores')} IS DISTINCT FROM ${NUMBERS('EXCLUDED')}
                            THEN EXCLUDED.computed_at ELSE appraisal_scores.computed_at END
       WHERE appraisal_scores.input_digest IS DISTINCT FROM EXCLUDED.input_digest
          OR ${NUMBERS('appraisal_scores')} IS DISTINCT FROM ${NUMBERS('EXCLUDED')}`,
      [JSON.stringify(rows), now],
    );
  }
}
