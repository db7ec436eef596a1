import type { Principal } from '../../common/auth/principal';
import type { FieldError } from '../../common/errors/app-error';
import type { ImportRowError } from '../../common/import/import-result';
import { findCycle } from '../../common/tree/tree';
import type { UnitEntity } from '../units/entities/unit.entity';
import { CheckedRow, ReadRows, readRows, spreadFailures } from '../../common/import/import-rows';
import type { EmployeeImportRow } from './dto/employee.dto';
import { checkEmployeeIdentity, ownRecordChanges, ownRecordRefusal, supervisorChoiceRefusal } from './employee-rules';
import type { EmployeeWrite } from './employees.repository';
import type { EmployeeEntity } from './entities/employee.entity';

/** The fields an import or PATCH writes; an import row changing none of them leaves the employee unchanged. */
export const WRITE_FIELDS: Exclude<keyof EmployeeWrite, 'id'>[] = [
  'nip',
  'name',
  'employmentType',
  'gender',
  'birthDate',
  'rank',
  'rankSince',
  'jobType',
  'positionTitle',
  'functionalLevel',
  'unitId',
  'supervisorId',
  'serviceStart',
];

/** An employee import read on its own, before any unit or employee is looked up. */
export type EmployeeRows = ReadRows<EmployeeImportRow>;

export const readEmployeeRows = (checked: CheckedRow<EmployeeImportRow>[]): EmployeeRows =>
  readRows(checked, 'nip', (r) => r.nip, (nip) => nip.trim());

/** What the plan needs looked up: the units named, and the employees named as rows or supervisors. */
export function employeeLookups(read: EmployeeRows): { unitCodes: string[]; nips: string[] } {
  return {
    unitCodes: [...new Set([...read.rows.values()].map((r) => r.unitCode))],
    nips: [...new Set([...read.rows.values()].flatMap((r) => [r.nip, ...(r.supervisorNip ? [r.supervisorNip] : [])]))],
  };
}

interface EmployeeImportContext {
  /** The units of `employeeLookups(…).unitCodes`. */
  units: UnitEntity[];
  /** May the caller place employees in this unit (and touch those in it)? */
  inScope: (unitId: string) => boolean;
  /** The employees of `employeeLookups(…).nips`. */
  existing: EmployeeEntity[];
  /** Every employee's supervisor. */
  supervisorLinks: ReadonlyMap<string, string | null>;
  /** The caller, who may not change the parts of their own record that drive appraisal or promotion. */
  principal: Principal;
  /** The id of each new employee. */
  newId: () => string;
}

interface EmployeeImportPlan {
  /** Refused rows in index order; with `atomic` any of them rejects the whole import. */
  errors: ImportRowError[];
  /** New employees in row order, each with its id (those they supervise may refer to it). */
  create: EmployeeWrite[];
  update: { before: EmployeeEntity; after: EmployeeWrite }[];
  unchanged: number;
}

/**
 * Upserts by NIP. Rows may name supervisors defined later in the same request; units must exist. Optional
 * fields left out keep their current value; `null` clears them. A row under a failed row fails too, and so
 * does one that would close a cycle in the supervisor graph as it would stand after the import.
 */
export function planEmployeeImport(read: EmployeeRows, ctx: EmployeeImportContext): EmployeeImportPlan {
  const { inScope, principal } = ctx;
  const errors = new Map(read.errors);
  const fail = (index: number, e: FieldError[] | string) =>
    errors.set(index, typeof e === 'string' ? e : e.map((x) => `${x.field}: ${x.message}`).join('; '));
  const unitsByCode = new Map(ctx.units.map((u) => [u.code, u]));
  const existing = new Map(ctx.existing.map((e) => [e.nip, e]));
  const idOfNip = new Map<string, string>([...existing.values()].map((e) => [e.nip, e.id]));
  const rows = new Map<number, { row: EmployeeImportRow; write: EmployeeWrite }>();

  for (const [index, row] of read.rows) {
    const before = existing.get(row.nip);
    const { errors: identity, derived } = checkEmployeeIdentity({
      ...row,
      gender: row.gender ?? (row.employmentType === 'PPPK' ? before?.gender : undefined),
      birthDate: row.birthDate ?? (row.employmentType === 'PPPK' ? before?.birthDate : undefined),
    });
    if (identity.length) {
      fail(index, identity);
      continue;
    }
    const unit = unitsByCode.get(row.unitCode);
    if (!unit || !inScope(unit.id)) {
      fail(index, `unitCode: no unit has the code ${row.unitCode}`);
      continue;
    }
    if (before && !inScope(before.unitId)) {
      fail(index, `nip: ${row.nip} belongs to an employee outside your unit subtree`);
      continue;
    }
    if (!unit.active && before?.unitId !== unit.id) {
      fail(index, `unitCode: the unit ${row.unitCode} is inactive`);
      continue;
    }
    if (row.supervisorNip === row.nip) {
      fail(index, 'supervisorNip: an employee cannot supervise themself');
      continue;
    }
    // A supervisor outside the caller's subtree answers as a missing one (no existence oracle, spec §8).
    const supervisor = row.supervisorNip ? existing.get(row.supervisorNip) : undefined;
    if (row.supervisorNip && !(supervisor && inScope(supervisor.unitId)) && !read.indexOfKey.has(row.supervisorNip)) {
      const failedRow = read.invalidRowOfKey.get(row.supervisorNip);
      fail(
        index,
        failedRow !== undefined
          ? `supervisorNip: the row ${failedRow} defining ${row.supervisorNip} failed`
          : `supervisorNip: no employee or row has the NIP ${row.supervisorNip}`,
      );
      continue;
    }
    if (!idOfNip.has(row.nip)) idOfNip.set(row.nip, ctx.newId());
    rows.set(index, {
      row,
      write: {
        id: idOfNip.get(row.nip)!,
        nip: row.nip,
        name: row.name,
        employmentType: row.employmentType,
        gender: derived.gender,
        birthDate: derived.birthDate,
        rank: row.rank,
        rankSince: row.rankSince,
        jobType: row.jobType,
        positionTitle: row.positionTitle,
        functionalLevel: row.functionalLevel !== undefined ? row.functionalLevel : (before?.functionalLevel ?? null),
        unitId: unit.id,
        supervisorId: null, // resolved below, once every row has an id
        serviceStart: row.serviceStart !== undefined ? row.serviceStart : (before?.serviceStart ?? derived.tmtCpns),
      },
    });
  }
  for (const [index, { row, write }] of rows) {
    if (row.supervisorNip === undefined) write.supervisorId = existing.get(row.nip)?.supervisorId ?? null;
    else if (row.supervisorNip === null) write.supervisorId = null;
    else if (idOfNip.has(row.supervisorNip)) write.supervisorId = idOfNip.get(row.supervisorNip)!;
    else fail(index, `supervisorNip: the row defining ${row.supervisorNip} failed`);
    // A row about the caller's own record that changes a part driving appraisal or promotion fails like any bad row.
    const before = existing.get(row.nip);
    const refused =
      !errors.has(index) &&
      ((before && ownRecordRefusal(principal, before.id, ownRecordChanges(before, write))) ||
        (write.supervisorId !== (before?.supervisorId ?? null) &&
          supervisorChoiceRefusal(principal, { employeeId: before?.id ?? null, supervisorId: write.supervisorId }, ctx.supervisorLinks)));
    if (refused) fail(index, `own-record: ${refused.message}`);
  }

  // The supervisor graph after the import: rows closing a cycle fail, and so do rows under failed rows.
  const links = new Map(ctx.supervisorLinks);
  for (const [index, { write }] of rows) if (!errors.has(index)) links.set(write.id, write.supervisorId);
  for (const [index, { row, write }] of rows) {
    if (!errors.has(index) && findCycle(write.id, (id) => links.get(id))) {
      fail(index, `supervisorNip: ${row.supervisorNip} is supervised, directly or not, by ${row.nip}`);
    }
  }
  spreadFailures(
    rows,
    ({ row }) => (row.supervisorNip && !existing.has(row.supervisorNip) ? read.indexOfKey.get(row.supervisorNip) : undefined),
    errors,
    ({ row }, failed) => `supervisorNip: the row ${failed} defining ${row.supervisorNip} failed`,
  );

  const plan: EmployeeImportPlan = {
    errors: [...errors].sort(([a], [b]) => a - b).map(([index, message]) => ({ index, key: read.keys[index], message })),
    create: [],
    update: [],
    unchanged: 0,
  };
  for (const [index, { row, write }] of rows) {
    if (errors.has(index)) continue;
    const before = existing.get(row.nip);
    if (!before) plan.create.push(write);
    else if (WRITE_FIELDS.some((f) => before[f] !== write[f])) plan.update.push({ before, after: write });
    else plan.unchanged++;
  }
  return plan;
}
