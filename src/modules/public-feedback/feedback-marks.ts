import { EntityManager } from 'typeorm';
import { markForRecalculation } from '../appraisals/recalculation/recalculation-marks';

/** Guards the unit walks against a corrupt parent cycle; real trees are a handful of levels deep. */
const MAX_UNIT_DEPTH = 64;

/**
 * Marks, inside the caller's transaction, every non-finalised appraisal whose score this feedback can move
 * (spec §4, §6), in every period of any type whose dates contain its WITA date:
 * - the named employee's appraisals (their employee index);
 * - every appraisal whose nearest publicService unit (from the appraisal's unit up) is the feedback's unit or
 *   one of its ancestors, i.e. whose unit index is over a subtree containing the feedback's unit.
 * Answers how many appraisals were marked.
 */
export async function markForFeedback(
  m: EntityManager,
  f: { unitId: string; employeeId: string | null; submittedOn: string },
  reason: string,
): Promise<number> {
  const rows = await m.query<{ id: string }[]>(
    `WITH RECURSIVE ancestors AS (
       SELECT u.id, u.parent_id, u.public_service, 0 AS depth FROM units u WHERE u.id = $1
       UNION ALL
       SELECT p.id, p.parent_id, p.public_service, a.depth + 1
         FROM ancestors a JOIN units p ON p.id = a.parent_id
        WHERE a.depth < ${MAX_UNIT_DEPTH}
     ), indexed AS (
       -- Units whose nearest publicService unit is one of those ancestors: down from each, never into another
       -- publicService unit (whose own subtree, not containing the feedback's unit, is what its units use).
       SELECT id, 0 AS depth FROM ancestors WHERE public_service
       UNION ALL
       SELECT c.id, i.depth + 1
         FROM indexed i JOIN units c ON c.parent_id = i.id AND NOT c.public_service
        WHERE i.depth < ${MAX_UNIT_DEPTH}
     )
     SELECT a.id FROM appraisals a
       JOIN periods p ON p.id = a.period_id AND $3::date BETWEEN p.start_date AND p.end_date
      WHERE a.status <> 'FINALIZED'
        AND (a.employee_id = $2::uuid OR a.unit_id IN (SELECT id FROM indexed))`,
    [f.unitId, f.employeeId, f.submittedOn],
  );
  return markForRecalculation(m, { appraisalIds: rows.map((r) => r.id) }, reason);
}
