import { ForbiddenError } from '../../common/errors/app-error';
import { ancestorsOf } from '../../common/tree/tree';

/**
 * Being a unit's head changes how one's own appraisal is rated (spec §5.4): nobody names or replaces themselves (§8
 * rule 4). `acting`: the employees the caller acts as (actingEmployeeIds); restating the current head changes nothing.
 */
export function ownHeadRefusal(acting: readonly string[], before: string | null, after: string | null): ForbiddenError | null {
  if (before === after || ![before, after].some((id) => id !== null && acting.includes(id))) return null;
  return new ForbiddenError('nobody names or replaces themselves as the head of a unit', 'own-record');
}

/**
 * A unit's public-service flag and place in the tree decide whose citizen feedback counts in the scores below it (spec
 * §5.3) and what the distribution curve counts: nobody changes them for a unit that holds their own appraisal, nor
 * moves a unit into or out of the subtree of one (§8 rule 4). `holding`: the units holding the caller's own
 * appraisals (UnitsRepository.unitsHolding); `parentOf`: the tree before the change.
 */
export function reshapeRefusal(
  holding: ReadonlySet<string>,
  unit: { id: string; code: string; parentId: string | null; publicService: boolean },
  change: { parentId: string | null; publicService?: boolean },
  parentOf: (id: string) => string | null | undefined,
): ForbiddenError | null {
  const moves = change.parentId !== unit.parentId;
  if (holding.has(unit.id) && (moves || (change.publicService !== undefined && change.publicService !== unit.publicService))) {
    return new ForbiddenError(`${unit.code} holds your own appraisal; its publicService and parent decide which feedback counts in your score`, 'own-record');
  }
  if (moves && movesAcross(holding, unit.parentId, change.parentId, parentOf)) {
    return new ForbiddenError(
      `moving ${unit.code} adds it to or takes it from a unit above your own appraisal; that unit's subtree decides which feedback counts in your score`,
      'own-record',
    );
  }
  return null;
}

/** Would moving a unit from under `oldParent` to under `newParent` add it to, or take it from, the subtree of a unit in `holding`? */
function movesAcross(
  holding: ReadonlySet<string>,
  oldParent: string | null,
  newParent: string | null,
  parentOf: (id: string) => string | null | undefined,
): boolean {
  const before = ancestorsOf(oldParent, parentOf, { includeSelf: true });
  const after = ancestorsOf(newParent, parentOf, { includeSelf: true });
  return [...holding].some((id) => before.has(id) !== after.has(id));
}
