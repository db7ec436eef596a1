import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_SCORING_POLICY } from '../scoring/policy';
import { BEHAVIOUR_ASPECTS, type BehaviourRatings } from '../scoring/types';
import { ScoreCalculator } from './score-calculator';
import type { AppraisalRow, ComputedScore, FeedbackRow, ScoreInputsRepository, TargetRow } from './score-inputs.repository';

const m = {} as EntityManager;
const target = (appraisalId: string, t: string, realisation: string | null): TargetRow => ({
  appraisal_id: appraisalId,
  target_id: `${appraisalId}-t`,
  indicator_code: 'IKI-1',
  weight: '100',
  target: t,
  direction: 'HIGHER_IS_BETTER',
  aggregation: 'SUM',
  realisation,
});
const appraisal = (id: string, digest: string | null = null): AppraisalRow => ({
  id,
  period_id: 'p',
  behaviour_ratings: null,
  result_rating_override: null,
  head_predicate: null,
  input_digest: digest,
});
const noFeedback = (id: string): FeedbackRow => ({
  appraisal_id: id,
  employee_responses: '0',
  employee_total: null,
  service_unit_id: null,
  unit_responses: null,
  unit_total: null,
});

/** The calculator over canned score inputs, recording what it writes and deletes. */
function calculatorOver(targets: TargetRow[], appraisals: AppraisalRow[], opts: { feedback?: Partial<FeedbackRow>; policy?: object } = {}) {
  const written: ComputedScore[] = [];
  const deleted: string[][] = [];
  const inputs = {
    targets: () => Promise.resolve(targets),
    appraisals: () => Promise.resolve(appraisals),
    feedback: (ids: string[]) => Promise.resolve(ids.map((id) => ({ ...noFeedback(id), ...opts.feedback }))),
    policies: () => Promise.resolve([{ id: 'p', policy: { ...DEFAULT_SCORING_POLICY, ...opts.policy } }]),
    write: (scores: ComputedScore[]) => Promise.resolve(void written.push(...scores)),
    deleteScores: (ids: string[]) => Promise.resolve(void deleted.push(ids)),
  } as unknown as ScoreInputsRepository;
  return { calculator: new ScoreCalculator(inputs), written, deleted };
}

describe('ScoreCalculator', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('writes what it can score, answers the appraisals it cannot (their marks stay), and deletes the scores of appraisals without targets', async () => {
    const { calculator, written, deleted } = calculatorOver(
      [target('good', '10', '9.5'), target('bad', '0', '5')], // a target of 0 cannot be scored (capaian divides by it)
      [appraisal('good'), appraisal('bad'), appraisal('empty')],
    );
    const result = await calculator.recalculate(['good', 'bad', 'empty'], m);
    expect(result).toEqual({ computed: 1, failed: ['bad'] });
    expect(written.map((s) => [s.appraisalId, s.score.resultScore])).toEqual([['good', 95]]);
    expect(deleted).toEqual([['empty']]);
  });

  it('skips an appraisal whose inputs give the digest its stored score already has', async () => {
    const first = calculatorOver([target('a', '10', '9.5')], [appraisal('a')]);
    await first.calculator.recalculate(['a'], m);
    const digest = first.written[0].digest;

    const again = calculatorOver([target('a', '10', '9.5')], [appraisal('a', digest)]);
    expect(await again.calculator.recalculate(['a'], m)).toEqual({ computed: 0, failed: [] });
    expect(again.written).toEqual([]);

    const changed = calculatorOver([target('a', '10', '9')], [appraisal('a', digest)]);
    expect(await changed.calculator.recalculate(['a'], m)).toEqual({ computed: 1, failed: [] });
    expect(changed.written[0].digest).not.toBe(digest);
  });

  it('takes a new digest when any input of the score changes, and the same one for the same inputs', async () => {
    const digestOf = async (t: Partial<TargetRow>, a: Partial<AppraisalRow> = {}, opts: Parameters<typeof calculatorOver>[2] = {}) => {
      const { calculator, written } = calculatorOver([{ ...target('a', '10', '9.5'), ...t }], [{ ...appraisal('a'), ...a }], opts);
      await calculator.recalculate(['a'], m);
      return written[0].digest;
    };
    const base = await digestOf({});
    expect(await digestOf({})).toBe(base);
    const ratings = Object.fromEntries(BEHAVIOUR_ASPECTS.map((k) => [k, 'MEETS_EXPECTATION'])) as BehaviourRatings;
    const changed = await Promise.all([
      digestOf({ realisation: '9.6' }),
      digestOf({ realisation: null }),
      digestOf({ target: '11' }),
      digestOf({ weight: '50' }),
      digestOf({ direction: 'LOWER_IS_BETTER' }),
      digestOf({ aggregation: 'LATEST' }),
      digestOf({ indicator_code: 'IKI-2' }),
      digestOf({ target_id: 'a-other' }),
      digestOf({}, { behaviour_ratings: ratings }),
      digestOf({}, { behaviour_ratings: { ...ratings, LOYAL: 'ABOVE_EXPECTATION' } }),
      digestOf({}, { result_rating_override: 'ABOVE_EXPECTATION' }),
      digestOf({}, { head_predicate: 'BAIK' }),
      digestOf({}, {}, { feedback: { employee_responses: '12', employee_total: '40' } }),
      digestOf({}, {}, { feedback: { service_unit_id: 'u', unit_responses: '0' } }),
      digestOf({}, {}, { feedback: { service_unit_id: 'u', unit_responses: '31', unit_total: '100' } }),
      digestOf({}, {}, { policy: { capaianCap: 130 } }),
    ]);
    expect(new Set([base, ...changed]).size).toBe(changed.length + 1);
    // The process keys of §11 move no number, so no digest.
    expect(await digestOf({}, {}, { policy: { minDialogues: 3 } })).toBe(base);
  });
});
