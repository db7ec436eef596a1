import { EntityManager } from 'typeorm';
import { markForRecalculation, NOT_FROZEN } from './recalculation-marks';

/** A unit's head changed: its appraisals of the old and the new head that are not finalised follow, and are marked. */
export async function followHeadChange(m: EntityManager, unitId: string, before: string | null, after: string | null, reason: string): Promise<number> {
  const employeeIds = [before, after].filter((id): id is string => id !== null);
  await m.query(
    `UPDATE appraisals a SET heads_unit = (a.employee_id IS NOT DISTINCT FROM $3::uuid)
      WHERE a.unit_id = $1 AND a.employee_id = ANY($2::uuid[]) AND ${NOT_FROZEN('a')}`,
    [unitId, employeeIds, after],
  );
  return markForRecalculation(m, { unitId, employeeIds }, reason);
}
