import { EntityManager } from 'typeorm';
import { HEADS_OWN_UNIT } from './unit-heads.sql';

/** PostgreSQL channel on which new marks are announced; delivered at commit, to the relays that LISTEN. */
export const MARKS_CHANNEL = 'score_marks';

/** Spec §6: a FINALIZED appraisal is frozen; nothing recomputes it except an accepted objection. `a` is the appraisal's alias. */
export const NOT_FROZEN = (a: string) => `${a}.status <> 'FINALIZED'`;

/** Days after finalisation in which the employee may object (spec §3, PP 30/2019 art. 59). */
export const OBJECTION_WINDOW_DAYS = 14;

/**
 * SQL true while a recalculation may still change the appraisal's score: not finalised, or finalised within the
 * objection window or with its objection pending (an accepted one recomputes it). `a` is the appraisal's alias.
 */
export const STILL_SCORED = (a: string) =>
  `(${NOT_FROZEN(a)} OR ${a}.finalized_at > now() - make_interval(days => ${OBJECTION_WINDOW_DAYS})
    OR EXISTS (SELECT 1 FROM appraisal_objections o WHERE o.appraisal_id = ${a}.id AND o.status = 'PENDING'))`;

/** Spec §6 freshness: an appraisal's stored score is STALE while a mark waits for it. `a` is the appraisal's alias. */
export const SCORE_STALE = (a: string) => `EXISTS (SELECT 1 FROM score_recalculation_marks k WHERE k.appraisal_id = ${a}.id)`;

/**
 * What to mark: appraisals by id; every appraisal of a period; or the head appraisals (spec §5.4) of a period, or of
 * one unit in it.
 */
export type MarkTarget =
  | { appraisalIds: string[] }
  | { periodId: string }
  | { headsIn: { periodId: string; unitId?: string } };

function markWhere(target: MarkTarget): { where: string; params: unknown[] } {
  if ('appraisalIds' in target) return { where: 'a.id = ANY($2::uuid[])', params: [target.appraisalIds] };
  if ('periodId' in target) return { where: 'a.period_id = $2', params: [target.periodId] };
  const { periodId, unitId } = target.headsIn;
  return unitId
    ? { where: `a.period_id = $2 AND a.unit_id = $3 AND ${HEADS_OWN_UNIT('a')}`, params: [periodId, unitId] }
    : { where: `a.period_id = $2 AND ${HEADS_OWN_UNIT('a')}`, params: [periodId] };
}

/**
 * Marks appraisals for recalculation inside the caller's transaction (spec §6). Finalised appraisals are
 * frozen and never marked, except through `includeFinalized` (an accepted objection).
 */
export async function markForRecalculation(
  m: EntityManager,
  target: MarkTarget,
  reason: string,
  opts: { includeFinalized?: boolean } = {},
): Promise<number> {
  if ('appraisalIds' in target && !target.appraisalIds.length) return 0;
  const { where, params } = markWhere(target);
  // One statement, the notification included (one round trip on every write path). PostgreSQL sends it at commit
  // and folds identical ones, so a transaction announces its marks once however many it writes.
  const [{ marked }] = await m.query<{ marked: number }[]>(
    `WITH marked AS (
       INSERT INTO score_recalculation_marks (appraisal_id, version, marked_at, reason)
       SELECT a.id, 1, now(), $1 FROM appraisals a
        WHERE ${where} ${opts.includeFinalized ? '' : `AND ${NOT_FROZEN('a')}`}
        ORDER BY a.id
       ON CONFLICT (appraisal_id) DO UPDATE
          SET version = score_recalculation_marks.version + 1, marked_at = now(), reason = EXCLUDED.reason,
              enqueued_at = NULL
       RETURNING appraisal_id
     ), notified AS (
       SELECT pg_notify('${MARKS_CHANNEL}', '') FROM (SELECT 1 FROM marked LIMIT 1) one
     )
     SELECT (SELECT count(*) FROM marked)::int AS marked, (SELECT count(*) FROM notified) AS notified`,
    [reason, ...params],
  );
  return marked;
}
