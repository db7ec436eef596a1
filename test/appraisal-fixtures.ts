import { BEHAVIOUR_ASPECTS } from '../src/modules/scoring/types';
import type { TestApp } from './app';
import { createAppraisal, insertPeriod } from './planning-fixtures';

type Headers = Record<string, string>;

/** Behaviour ratings with every aspect MEETS_EXPECTATION. */
export const ALL_MEETS = Object.fromEntries(BEHAVIOUR_ASPECTS.map((a) => [a, 'MEETS_EXPECTATION']));

export interface AppraisalWithTarget {
  periodId: string;
  id: string;
  targetId: string;
  /** A day inside the period, for achievements. */
  occurredOn: string;
}

/**
 * An appraisal of `employeeId` in a fresh OPEN period with one target (10, weight 100) of `indicatorId`, set by
 * `targetBy` and agreed by `agreeBy` (not agreed when null).
 */
export async function appraisalWithTarget(
  t: TestApp,
  employeeId: string,
  indicatorId: string,
  by: { targetBy: Headers; agreeBy: Headers | null },
): Promise<AppraisalWithTarget> {
  const period = await insertPeriod(t);
  const appraisal = await createAppraisal(t, employeeId, period.id);
  const target = await t.http().post(`/appraisals/${appraisal.id}/targets`).set(by.targetBy).send({ indicatorId, target: 10, weight: 100 });
  if (target.status !== 201) throw new Error(`target: ${target.status} ${JSON.stringify(target.body)}`);
  if (by.agreeBy) {
    const agreed = await t.http().post(`/appraisals/${appraisal.id}/agree`).set(by.agreeBy);
    if (agreed.status !== 200) throw new Error(`agree: ${agreed.status} ${JSON.stringify(agreed.body)}`);
  }
  return { periodId: period.id, id: appraisal.id, targetId: target.body.id as string, occurredOn: period.startDate };
}

/** An achievement of 7 on the appraisal's target, submitted with `headers`; answers its id. */
export async function submitAchievement(t: TestApp, a: AppraisalWithTarget, headers: Headers): Promise<string> {
  const res = await t.http().post('/achievements').set(headers).send({ targetId: a.targetId, value: 7, occurredOn: a.occurredOn });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
