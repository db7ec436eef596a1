import { EntityManager } from 'typeorm';

/** PostgreSQL channel on which new marks are announced; delivered at commit, to the relays that LISTEN. */
export const MARKS_CHANNEL = 'score_marks';

/** Spec §6: a FINALIZED appraisal is frozen; nothing recomputes it except an accepted objection. `a` is the appraisal's alias. */
export const NOT_FROZEN = (a: string) => `${a}.status <> 'FINALIZED'`;

/**
 * Marks appraisals for recalculation inside the caller's transaction (spec §6). Finalised appraisals are
 * frozen and never marked, except through `includeFinalized` (an accepted objection).
 */
export async function markForRecalculation(
  m: EntityManager,
  target: { appraisalIds: string[] } | { periodId: string },
  reason: string,
  opts: { includeFinalized?: boolean } = {},
): Promise<number> {
  const where = 'appraisalIds' in target ? 'a.id = ANY($1::uuid[])' : 'a.period_id = $1';
  const param = 'appraisalIds' in target ? target.appraisalIds : target.periodId;
  if ('appraisalIds' in target && !target.appraisalIds.length) return 0;
  const rows = await m.query<unknown[]>(
    `INSERT INTO score_recalculation_marks (appraisal_id, version, marked_at, reason)
     SELECT a.id, 1, now(), $2 FROM appraisals a
      WHERE ${where} ${opts.includeFinalized ? '' : `AND ${NOT_FROZEN('a')}`}
     ON CONFLICT (appraisal_id) DO UPDATE
        SET version = score_recalculation_marks.version + 1, marked_at = now(), reason = EXCLUDED.reason,
            enqueued_at = NULL
     RETURNING appraisal_id`,
    [param, reason],
  );
  // One notification per transaction however many marks: PostgreSQL folds identical ones.
  if (rows.length) await m.query(`SELECT pg_notify('${MARKS_CHANNEL}', '')`);
  return rows.length;
}
