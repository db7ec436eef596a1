import { DataSource } from 'typeorm';
import { ScoreInputsRepository } from '../src/modules/recalculation/score-inputs.repository';
import { PUBLIC_VALUE_FACTOR } from '../src/modules/scoring/behaviour';
import { policyOf, ScoringPolicy } from '../src/modules/scoring/policy';
import { ASPECT_VALUES } from '../src/modules/scoring/ratings';
import { round2 } from '../src/modules/scoring/rounding';
import { computeScore } from '../src/modules/scoring/score';
import { BEHAVIOUR_ASPECTS, BehaviourRatings, Predicate, PublicFeedbackInput, Rating, RATINGS, ScoreInput, ScoreResult } from '../src/modules/scoring/types';
import { TestApp } from './app';

/** The score a fixture asks for, in the numbers of spec §5. */
export interface Assessment {
  /** resultScore: the capaian of one target (weight 100, target 100, HIGHER_IS_BETTER). */
  result: number;
  /** behaviourScore, or null when behaviour was not assessed (then no final score and no predicate). */
  behaviour: number | null;
  /** The assessor's result rating override. */
  override?: Rating | null;
}

/**
 * Writes the score `computeScore` gives for `a` under the appraisal's period policy, replacing any score the
 * appraisal has, for specs whose subject reads stored scores rather than computes them; the appraisal gets the
 * behaviour ratings and override behind it. The row is written by the recalculation's own upsert.
 */
export async function insertScore(t: TestApp, appraisalId: string, a: Assessment): Promise<ScoreResult> {
  const db = t.app.get(DataSource);
  const policy = await policyOfAppraisal(db, appraisalId);
  const input = scoreInput(a, policy);
  const s = computeScore(input, policy);
  if (a.behaviour !== null && s.behaviourScore !== round2(a.behaviour)) {
    throw new Error(`insertScore: behaviour ${a.behaviour} came out as ${s.behaviourScore}`);
  }
  await db.query('UPDATE appraisals SET behaviour_ratings = $2, result_rating_override = $3 WHERE id = $1', [
    appraisalId,
    input.behaviour && JSON.stringify(input.behaviour),
    input.resultRatingOverride,
  ]);
  // A digest no real input has: the next real recalculation of the appraisal recomputes the row.
  await t.app.get(ScoreInputsRepository).write([{ appraisalId, score: s, digest: '0'.repeat(64) }], new Date(), db.manager);
  return s;
}

/**
 * Per predicate, the behaviour (every aspect rated alike) and override behind it (§5.6). SANGAT_BAIK takes the
 * override: without it, a result and a behaviour both ≥ 110 make a final score of at least 110.
 */
const ASSESSED_AS: Record<Predicate, { behaviour: Rating; override: Rating | null }> = {
  SANGAT_BAIK: { behaviour: 'ABOVE_EXPECTATION', override: 'ABOVE_EXPECTATION' },
  BAIK: { behaviour: 'MEETS_EXPECTATION', override: null },
  BUTUH_PERBAIKAN: { behaviour: 'ABOVE_EXPECTATION', override: null },
  KURANG: { behaviour: 'BELOW_EXPECTATION', override: null },
  SANGAT_KURANG: { behaviour: 'BELOW_EXPECTATION', override: null },
};
/** A final score of each predicate, for specs that care about the predicate alone. */
const SOME_FINAL: Record<Predicate, number> = { SANGAT_BAIK: 115, BAIK: 100, BUTUH_PERBAIKAN: 95, KURANG: 85, SANGAT_KURANG: 70 };

/**
 * Writes a score with `predicate` and `finalScore`: the behaviour of ASSESSED_AS and the result that makes the
 * final score under the period's weights. Throws when the real scoring gives another predicate or final score.
 */
export async function insertScoreWithPredicate(t: TestApp, appraisalId: string, predicate: Predicate, finalScore = SOME_FINAL[predicate]): Promise<ScoreResult> {
  const { resultWeight, behaviourWeight } = await policyOfAppraisal(t.app.get(DataSource), appraisalId);
  const { behaviour: rating, override } = ASSESSED_AS[predicate];
  const behaviour = ASPECT_VALUES[rating];
  const s = await insertScore(t, appraisalId, { result: (finalScore - behaviourWeight * behaviour) / resultWeight, behaviour, override });
  if (s.predicate !== predicate || s.finalScore !== finalScore) {
    throw new Error(`insertScoreWithPredicate: asked ${predicate} ${finalScore}, scored ${s.predicate} ${s.finalScore}`);
  }
  return s;
}

async function policyOfAppraisal(db: DataSource, appraisalId: string): Promise<ScoringPolicy> {
  const [period] = await db.query<{ policy: Partial<ScoringPolicy> }[]>(
    'SELECT p.policy FROM appraisals a JOIN periods p ON p.id = a.period_id WHERE a.id = $1',
    [appraisalId],
  );
  return policyOf(period);
}

function scoreInput(a: Assessment, policy: ScoringPolicy): ScoreInput {
  const target = { targetId: '00000000-0000-4000-8000-000000000001', indicatorCode: 'FIXTURE', weight: 100, target: 100, direction: 'HIGHER_IS_BETTER', aggregation: 'SUM', realisation: a.result } as const;
  const noFeedback: PublicFeedbackInput = { employee: { responses: 0, ikm: null }, unit: null };
  return {
    targets: [target],
    resultRatingOverride: a.override ?? null,
    ...(a.behaviour === null ? { behaviour: null, publicFeedback: noFeedback } : behaviourWith(a.behaviour, policy)),
  };
}

/**
 * Assessor ratings, and an employee IKM where they alone cannot, that give `score` as behaviourScore (§5.3).
 * Ratings alone give means of seven values of 120, 100 or 60; any other score blends the service aspect with
 * the employee's IKM: value = (1 − α)·assessorValue + α·1.2·IKM, IKM in 25–100.
 */
function behaviourWith(score: number, policy: ScoringPolicy): { behaviour: BehaviourRatings; publicFeedback: PublicFeedbackInput } {
  const [service, ...others] = BEHAVIOUR_ASPECTS;
  const alpha = policy.employeeFeedbackWeight;
  for (const blended of [false, true]) {
    for (let above = 0; above <= others.length; above++) {
      for (let below = 0; above + below <= others.length; below++) {
        const otherRatings = others.map((_, i): Rating => (i < above ? 'ABOVE_EXPECTATION' : i < above + below ? 'BELOW_EXPECTATION' : 'MEETS_EXPECTATION'));
        const serviceValue = BEHAVIOUR_ASPECTS.length * score - otherRatings.reduce((sum, r) => sum + ASPECT_VALUES[r], 0);
        for (const serviceRating of RATINGS) {
          const ratings = Object.fromEntries([[service, serviceRating], ...others.map((aspect, i) => [aspect, otherRatings[i]])]) as BehaviourRatings;
          if (!blended && serviceValue === ASPECT_VALUES[serviceRating]) {
            return { behaviour: ratings, publicFeedback: { employee: { responses: 0, ikm: null }, unit: null } };
          }
          const ikm = (serviceValue - (1 - alpha) * ASPECT_VALUES[serviceRating]) / (alpha * PUBLIC_VALUE_FACTOR);
          if (blended && ikm >= 25 && ikm <= 100) {
            return { behaviour: ratings, publicFeedback: { employee: { responses: policy.minEmployeeResponses, ikm }, unit: null } };
          }
        }
      }
    }
  }
  throw new Error(`behaviourWith: no assessment gives a behaviour score of ${score}`);
}
