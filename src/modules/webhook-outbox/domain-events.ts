import { EntityManager } from 'typeorm';
import { recordEvents } from './outbox';

/** The fields every appraisal event carries (spec §10), of appraisals `a` joined to `e` (employee) and `p` (period). */
const APPRAISAL_FIELDS = `'appraisalId', a.id, 'employeeId', a.employee_id, 'employeeNip', e.nip, 'periodId', a.period_id, 'periodCode', p.code`;
const APPRAISALS = `appraisals a JOIN employees e ON e.id = a.employee_id JOIN periods p ON p.id = a.period_id`;

/**
 * An `appraisal.objection_filed`, `appraisal.objection_resolved` or `dialogue.recorded` event of one appraisal: the
 * appraisal's fields and `extra`, in the caller's transaction.
 */
export function recordAppraisalEvent(
  m: EntityManager,
  type: 'appraisal.objection_filed' | 'appraisal.objection_resolved' | 'dialogue.recorded',
  appraisalId: string,
  extra: Record<string, unknown>,
): Promise<number> {
  return recordEvents(m, type, `SELECT jsonb_build_object(${APPRAISAL_FIELDS}) || $2::jsonb AS data FROM ${APPRAISALS} WHERE a.id = $1`, [
    appraisalId,
    JSON.stringify(extra),
  ]);
}

/** One `appraisal.finalized` event per appraisal, with the final score it was frozen with (none: unscored), in id order. */
export function recordFinalizedEvents(m: EntityManager, appraisalIds: string[], reason: string): Promise<number> {
  if (!appraisalIds.length) return Promise.resolve(0);
  return recordEvents(
    m,
    'appraisal.finalized',
    `SELECT jsonb_build_object(${APPRAISAL_FIELDS}, 'finalizedAt', a.finalized_at, 'reason', $2::text,
                               'finalScore', s.final_score, 'predicate', s.predicate, 'predicateCode', s.predicate_code) AS data
       FROM ${APPRAISALS} LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id
      WHERE a.id = ANY($1::uuid[]) ORDER BY a.id`,
    [appraisalIds, reason],
  );
}

/**
 * `score.changed` events (spec §10) of scores just written, one per element of `changed` (the data, built by the
 * score write), in the caller's transaction.
 */
export function recordScoreChanges(m: EntityManager, changed: object[]): Promise<number> {
  if (!changed.length) return Promise.resolve(0);
  return recordEvents(m, 'score.changed', 'SELECT d.value AS data FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY d ORDER BY d.ordinality', [
    JSON.stringify(changed),
  ]);
}

/** `training.recorded`: a completed assessor course (spec §11), with the trainee's NIP. */
export function recordTrainingEvent(m: EntityManager, training: { id: string; employeeId: string; course: string; completedOn: string; validUntil: string | null }): Promise<number> {
  return recordEvents(
    m,
    'training.recorded',
    `SELECT jsonb_build_object('trainingId', $1::uuid, 'employeeId', e.id, 'employeeNip', e.nip, 'course', $3::text,
                               'completedOn', $4::text, 'validUntil', $5::text) AS data
       FROM employees e WHERE e.id = $2`,
    [training.id, training.employeeId, training.course, training.completedOn, training.validUntil],
  );
}

/** `shortlist.decided`: the promotion board's decision on one candidate, with the candidate's NIP. */
export function recordShortlistDecision(
  m: EntityManager,
  d: { shortlistId: string; employeeId: string; decision: string; decidedAt: Date },
): Promise<number> {
  return recordEvents(
    m,
    'shortlist.decided',
    `SELECT jsonb_build_object('shortlistId', $1::uuid, 'employeeId', e.id, 'employeeNip', e.nip, 'decision', $3::text, 'decidedAt', $4::timestamptz) AS data
       FROM employees e WHERE e.id = $2`,
    [d.shortlistId, d.employeeId, d.decision, d.decidedAt],
  );
}
