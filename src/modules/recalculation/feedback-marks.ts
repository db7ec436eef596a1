import { EntityManager } from 'typeorm';
import { unitsIndexingSubtreesOf } from '../feedback-index/feedback-index.sql';
import { markForRecalculation, NOT_FROZEN } from './recalculation-marks';

/**
 * Marks, inside the caller's transaction, every non-finalised appraisal whose score this feedback can move
 * (spec §4, §6), in every period of any type whose dates contain its WITA date:
 * - the named employee's appraisals (their employee index);
 * - every appraisal whose unit index is over a subtree containing the feedback's unit.
 * Answers how many appraisals were marked.
 */
export async function markForFeedback(
  m: EntityManager,
  f: { unitId: string; employeeId: string | null; submittedOn: string },
  reason: string,
): Promise<number> {
  const rows = await m.query<{ id: string }[]>(
    `WITH RECURSIVE ${unitsIndexingSubtreesOf(1)}
     SELECT a.id FROM appraisals a
       JOIN periods p ON p.id = a.period_id AND $3::date BETWEEN p.start_date AND p.end_date
      WHERE ${NOT_FROZEN('a')}
        AND (a.employee_id = $2::uuid OR a.unit_id IN (SELECT id FROM indexed))`,
    [[f.unitId], f.employeeId, f.submittedOn],
  );
  return markForRecalculation(m, { appraisalIds: rows.map((r) => r.id) }, reason);
}

type UnitPlace = { id: string; parentId: string | null; publicService: boolean };

/**
 * After units moved or changed their publicService flag, call inside the same transaction with each unit as it
 * was and as it is: marks, in one statement, every non-finalised appraisal whose unit index may now cover other
 * feedback. Those under a changed unit (their nearest publicService unit may change), and, for a move, those
 * indexing a subtree that contained the unit before or contains it now. Other changes mark nothing. Answers how
 * many appraisals were marked.
 */
export async function markForUnitChanges(m: EntityManager, changes: { before: UnitPlace; after: UnitPlace }[], reason: string): Promise<number> {
  const changed = changes.filter(({ before, after }) => before.parentId !== after.parentId || before.publicService !== after.publicService);
  if (!changed.length) return 0;
  // A flag change alone moves no feedback between subtrees: only the unit's own subtree may change index.
  const parents = changed
    .filter(({ before, after }) => before.parentId !== after.parentId)
    .flatMap(({ before, after }) => [before.parentId, after.parentId])
    .filter((p): p is string => p !== null);
  const rows = await m.query<{ id: string }[]>(
    `WITH RECURSIVE ${unitsIndexingSubtreesOf(1)}
     SELECT a.id FROM appraisals a
      WHERE ${NOT_FROZEN('a')}
        AND (a.unit_id IN (SELECT id FROM indexed)
             OR a.unit_id IN (SELECT s.id FROM unnest($2::uuid[]) AS c(id), unit_subtree(c.id) AS s(id)))`,
    [parents, changed.map(({ after }) => after.id)],
  );
  return markForRecalculation(m, { appraisalIds: rows.map((r) => r.id) }, reason);
}
