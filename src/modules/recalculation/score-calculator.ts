import { Injectable, Logger } from '@nestjs/common';
import { hash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { digestPolicyJson, policyOf, ScoringPolicy } from '../scoring/policy';
import { computeScore } from '../scoring/score';
import { ikmOfTotal } from '../scoring/ikm';
import { PublicFeedbackInput, ScoreInput, TargetScoreInput } from '../scoring/types';
import { AppraisalRow, ComputedScore, FeedbackRow, ScoreInputsRepository, TargetRow } from './score-inputs.repository';

/** A period's complete policy, and its JSON for the digests of staff and of unit heads: once per period, not per appraisal. */
interface PeriodPolicy {
  policy: ScoringPolicy;
  json: string;
  headJson: string;
}

/** Part of every input digest: bump it when the scoring rules (or the digest's text) change, so every score is recomputed. */
export const SCORING_VERSION = 3;

/**
 * Recomputes scores from source rows, set-based: the score inputs of a chunk of appraisals in a few queries
 * (targets with their aggregated achievements, behaviour and policy, citizen feedback indices), the pure
 * `computeScore` does §5, and one statement writes all scores. Never increments; running it twice writes the
 * same scores.
 */
@Injectable()
export class ScoreCalculator {
  private readonly logger = new Logger(ScoreCalculator.name);

  constructor(private readonly inputs: ScoreInputsRepository) {}

  /**
   * Answers how many scores were computed and which appraisals could not be (bad source data, logged):
   * their marks must stay, so they show as STALE instead of silently keeping an old score.
   */
  async recalculate(appraisalIds: string[], m: EntityManager, now = new Date()): Promise<{ computed: number; failed: string[] }> {
    if (!appraisalIds.length) return { computed: 0, failed: [] };
    // One after the other: a transaction is one connection, which runs one query at a time anyway.
    const targets = await this.inputs.targets(appraisalIds, m);
    const appraisals = await this.inputs.appraisals(appraisalIds, m);
    const feedback = new Map((await this.inputs.feedback(appraisalIds, m)).map((r) => [r.appraisal_id, r]));
    const byAppraisal = new Map<string, { targets: TargetScoreInput[]; text: string }>();
    for (const t of targets) {
      let group = byAppraisal.get(t.appraisal_id);
      if (!group) byAppraisal.set(t.appraisal_id, (group = { targets: [], text: '' }));
      group.targets.push({
        targetId: t.target_id,
        indicatorCode: t.indicator_code,
        weight: Number(t.weight),
        target: Number(t.target),
        direction: t.direction,
        aggregation: t.aggregation,
        realisation: t.realisation === null ? null : Number(t.realisation),
      });
      group.text += targetText(t);
    }
    const policies = await this.policies([...new Set(appraisals.map((a) => a.period_id))], m);
    const scores: ComputedScore[] = [];
    const withoutTargets: string[] = [];
    const failed: string[] = [];
    for (const a of appraisals) {
      const group = byAppraisal.get(a.id);
      if (!group) {
        withoutTargets.push(a.id);
        continue;
      }
      const { policy, json, headJson } = policies.get(a.period_id)!;
      const feedbackRow = feedback.get(a.id)!; // the caller holds the appraisal rows locked, so both queries saw them
      try {
        const digest = hash('sha256', `${a.head_predicate ? headJson : json}\n${SCORING_VERSION}\n${appraisalText(a, feedbackRow)}${group.text}`, 'hex');
        if (a.input_digest === digest) continue;
        const input: ScoreInput = {
          targets: group.targets,
          behaviour: a.behaviour_ratings,
          resultRatingOverride: a.result_rating_override,
          publicFeedback: feedbackInput(feedbackRow),
          ...(a.head_predicate ? { headPredicate: a.head_predicate } : {}),
        };
        scores.push({ appraisalId: a.id, score: computeScore(input, policy), digest });
      } catch (e) {
        this.logger.error({ err: e, appraisalId: a.id }, 'cannot score an appraisal; its mark stays');
        failed.push(a.id);
      }
    }
    await this.inputs.write(scores, now, m);
    await this.inputs.deleteScores(withoutTargets, m);
    return { computed: scores.length, failed };
  }

  private async policies(periodIds: string[], m: EntityManager): Promise<Map<string, PeriodPolicy>> {
    const rows = await this.inputs.policies(periodIds, m);
    return new Map(
      rows.map((r) => {
        const policy = policyOf(r);
        return [r.id, { policy, json: digestPolicyJson(policy, false), headJson: digestPolicyJson(policy, true) }];
      }),
    );
  }
}

/*
 * The input digest is taken over the source rows as PostgreSQL printed them (numbers as numeric text), not over the
 * parsed input: printing doubles back to JSON was most of a chunk's JavaScript. Equal rows give equal text (targets in
 * their SQL order, jsonb keys in jsonb's order), so equal digests. Every field is of a fixed alphabet (uuids, numerals,
 * enum labels, jsonb of enum labels) but the indicator code, which is quoted, so no two inputs print alike.
 */
const targetText = (t: TargetRow) =>
  `${t.target_id}\t${JSON.stringify(t.indicator_code)}\t${t.weight}\t${t.target}\t${t.direction}\t${t.aggregation}\t${t.realisation ?? '-'}\n`;

const appraisalText = (a: AppraisalRow, f: FeedbackRow) =>
  `${JSON.stringify(a.behaviour_ratings)}\t${a.result_rating_override ?? '-'}\t${a.head_predicate ?? '-'}\t` +
  `${f.employee_responses}\t${f.employee_total ?? '-'}\t${f.service_unit_id ?? '-'}\t${f.unit_responses ?? '-'}\t${f.unit_total ?? '-'}\n`;

/** The two indices of one appraisal's feedback; an index without responses has no IKM. */
function feedbackInput(r: FeedbackRow): PublicFeedbackInput {
  return {
    employee: index(r.employee_responses, r.employee_total),
    unit: r.service_unit_id === null ? null : index(r.unit_responses, r.unit_total),
  };
}

function index(responsesText: string | null, totalText: string | null): { responses: number; ikm: number | null } {
  const responses = Number(responsesText ?? 0);
  return { responses, ikm: responses ? ikmOfTotal(Number(totalText), responses) : null };
}
