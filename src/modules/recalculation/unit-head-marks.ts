import { EntityManager } from 'typeorm';
import { markForRecalculation, NOT_FROZEN } from './recalculation-marks';

/** A unit's head changed from `before` to `after` (either may be null). */
export interface HeadChange {
  unitId: string;
  before: string | null;
  after: string | null;
}

/**
 * Units' heads changed: the appraisals of each old and new head in that unit that are not finalised follow, and are
 * marked. Two statements however many changes (imports, vacated heads); changes of one unit apply in the order given.
 */
export async function followHeadChanges(m: EntityManager, changes: HeadChange[], reason: string): Promise<number> {
  // One row per (unit, employee), so no appraisal meets two rows of the UPDATE's join.
  const heads = new Map<string, { unitId: string; employeeId: string; heads: boolean }>();
  for (const { unitId, before, after } of changes) {
    if (before) heads.set(`${unitId} ${before}`, { unitId, employeeId: before, heads: false });
    if (after) heads.set(`${unitId} ${after}`, { unitId, employeeId: after, heads: true });
  }
  if (!heads.size) return 0;
  const rows = [...heads.values()];
  const [followed] = await m.query<[{ id: string }[], number]>(
    `UPDATE appraisals a SET heads_unit = c.heads
       FROM unnest($1::uuid[], $2::uuid[], $3::boolean[]) AS c(unit_id, employee_id, heads)
      WHERE a.unit_id = c.unit_id AND a.employee_id = c.employee_id AND ${NOT_FROZEN('a')}
      RETURNING a.id`,
    [rows.map((r) => r.unitId), rows.map((r) => r.employeeId), rows.map((r) => r.heads)],
  );
  return markForRecalculation(m, { appraisalIds: followed.map((a) => a.id) }, reason);
}
