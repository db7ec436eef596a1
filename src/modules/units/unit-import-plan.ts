import type { ImportRowError } from '../../common/import/import-result';
import { CheckedRow, ReadRows, readRows, spreadFailures } from '../../common/import/import-rows';
import { findCycle } from '../../common/tree/tree';
import type { UnitImportRow } from './dto/import-units.dto';
import type { UnitEntity } from './entities/unit.entity';
import { canHead, type HeadCandidate } from './unit-heads';
import { ownHeadRefusal, reshapeRefusal } from './unit-rules';

/** A unit import read on its own, before any unit is looked up. */
export type UnitRows = ReadRows<UnitImportRow>;

export const readUnitRows = (checked: CheckedRow<UnitImportRow>[]): UnitRows =>
  readRows(
    checked,
    'code',
    (r) => r.code,
    (code) => code.trim().toUpperCase(),
    (r) => (r.parentCode === r.code ? 'parentCode: a unit cannot be its own parent' : null),
  );

/** The codes whose units the plan needs: each row's own and its parent's. */
export function unitCodesNamed(read: UnitRows): string[] {
  return [...new Set([...read.rows.values()].flatMap((r) => [r.code, ...(r.parentCode ? [r.parentCode] : [])]))];
}

/** The NIPs of the heads the rows name. */
export const unitHeadNipsNamed = (read: UnitRows): string[] => [...new Set([...read.rows.values()].flatMap((r) => (r.headNip ? [r.headNip] : [])))];

export interface UnitImportPlan {
  /** Refused rows in index order; with `atomic` any of them rejects the whole import. */
  errors: ImportRowError[];
  /** New units in row order, each with its id (children may refer to it). */
  create: UnitEntity[];
  update: { before: UnitEntity; after: UnitEntity }[];
  unchanged: number;
}

/**
 * Upserts by code. Rows may name parents defined later in the same request; a row whose parent failed fails
 * too, and so does one that would close a cycle in the tree as it would stand after the import.
 * A row's `headNip` names an ACTIVE employee of that (existing) unit as its head (spec §5.4); without it the head stays.
 * `existing`: the units of `unitCodesNamed`; `links`: every unit's parent; `newId`: the id of each new unit; `heads`: the
 * employees of `unitHeadNipsNamed`.
 */
export function planUnitImport(
  read: UnitRows,
  existing: UnitEntity[],
  links: ReadonlyMap<string, string | null>,
  newId: () => string,
  heads: readonly HeadCandidate[] = [],
  /** The employees the caller acts as (actingEmployeeIds): they may not name or replace themselves as a head (spec §8 rule 4). */
  own: readonly string[] = [],
  /** The units holding the caller's own appraisals (UnitsRepository.unitsHolding): their flag and parent stay (§8 rule 4). */
  holding: ReadonlySet<string> = new Set(),
): UnitImportPlan {
  const errors = new Map(read.errors);
  const rows = new Map(read.rows);
  const byCode = new Map(existing.map((u) => [u.code, u]));
  const idOfCode = new Map<string, string>();
  for (const u of byCode.values()) idOfCode.set(u.code, u.id);
  for (const r of rows.values()) if (!idOfCode.has(r.code)) idOfCode.set(r.code, newId());

  // The graph after the import, then rows that would close a cycle or hang under a missing parent.
  const after = new Map(links);
  for (const [index, r] of rows) {
    if (r.parentCode && !idOfCode.has(r.parentCode)) {
      const failedRow = read.invalidRowOfKey.get(r.parentCode);
      errors.set(
        index,
        failedRow !== undefined
          ? `parentCode: the row ${failedRow} defining ${r.parentCode} failed`
          : `parentCode: no unit or row has the code ${r.parentCode}`,
      );
      rows.delete(index);
      continue;
    }
    after.set(idOfCode.get(r.code)!, r.parentCode ? idOfCode.get(r.parentCode)! : null);
  }
  for (const [index, r] of rows) {
    if (findCycle(idOfCode.get(r.code)!, (id) => after.get(id))) {
      errors.set(index, `parentCode: placing ${r.code} under ${r.parentCode} would make it its own ancestor`);
    }
  }
  const headByNip = new Map(heads.map((e) => [e.nip, e]));
  for (const [index, r] of rows) {
    if (!r.headNip || errors.has(index)) continue;
    const head = headByNip.get(r.headNip);
    const unit = byCode.get(r.code);
    const refused = head && ownHeadRefusal(own, unit?.headEmployeeId ?? null, head.id);
    if (!head) errors.set(index, `headNip: no employee has the NIP ${r.headNip}`);
    else if (refused) errors.set(index, `own-record: ${refused.message}`);
    // Restating the current head changes nothing, even after they moved or retired (an export read back in).
    else if (!unit || (unit.headEmployeeId !== head.id && !canHead(head, unit.id))) {
      errors.set(index, `headNip: ${r.headNip} is not an ACTIVE employee of ${r.code}`);
    }
  }
  // Both chains are read in the tree as it stands before the import, so no row's move hides behind another row's; a
  // unit this import creates has no place yet and stands where its row puts it.
  const parentBefore = (id: string) => (links.has(id) ? links.get(id) : after.get(id));
  for (const [index, r] of rows) {
    const unit = byCode.get(r.code);
    if (errors.has(index) || !unit) continue;
    // Under a new unit whose own row failed: spreadFailures below says so, which is the reason that matters.
    const parentRow = r.parentCode && !byCode.has(r.parentCode) ? read.indexOfKey.get(r.parentCode) : undefined;
    if (parentRow !== undefined && errors.has(parentRow)) continue;
    const refused = reshapeRefusal(holding, unit, { parentId: r.parentCode ? idOfCode.get(r.parentCode)! : null, publicService: r.publicService }, parentBefore);
    if (refused) errors.set(index, `own-record: ${refused.message}`);
  }
  spreadFailures(
    rows,
    (r) => (r.parentCode && !byCode.has(r.parentCode) ? read.indexOfKey.get(r.parentCode) : undefined),
    errors,
    (r, failed) => `parentCode: the row ${failed} defining ${r.parentCode} failed`,
  );

  const plan: UnitImportPlan = {
    errors: [...errors].sort(([a], [b]) => a - b).map(([index, message]) => ({ index, key: read.keys[index], message })),
    create: [],
    update: [],
    unchanged: 0,
  };
  for (const [index, r] of rows) {
    if (errors.has(index)) continue;
    const before = byCode.get(r.code);
    const values = {
      name: r.name,
      kind: r.kind,
      parentId: r.parentCode ? idOfCode.get(r.parentCode)! : null,
      publicService: r.publicService ?? before?.publicService ?? false,
      headEmployeeId: r.headNip ? headByNip.get(r.headNip)!.id : (before?.headEmployeeId ?? null),
    };
    if (!before) {
      plan.create.push({ id: idOfCode.get(r.code)!, code: r.code, active: true, ...values } as UnitEntity);
    } else if (Object.entries(values).some(([k, v]) => before[k as keyof UnitEntity] !== v)) {
      plan.update.push({ before, after: { ...before, ...values } });
    } else plan.unchanged++;
  }
  return plan;
}
