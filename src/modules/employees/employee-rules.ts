import { actingEmployeeIds, actsAsEmployee, Principal } from '../../common/auth/principal';
import { FieldError, ForbiddenError } from '../../common/errors/app-error';
import { ancestorsOf } from '../../common/tree/tree';
import { EmployeeEntity, EmploymentType, Gender } from './entities/employee.entity';
import { checkNip } from './nip';
import { checkRank } from './rank';

export interface EmployeeIdentity {
  nip: string;
  employmentType: EmploymentType;
  rank: string;
  gender?: Gender | null;
  birthDate?: string | null;
}

export interface DerivedIdentity {
  gender: Gender | null;
  birthDate: string | null;
  /** First day of the TMT CPNS month, the default service start of a PNS. */
  tmtCpns: string | null;
}

/** Cross-field rules of an employee record; the NIP decides gender and birth date of a PNS. */
export function checkEmployeeIdentity(e: EmployeeIdentity): { errors: FieldError[]; derived: DerivedIdentity } {
  const errors: FieldError[] = [];
  const nip = checkNip(e.nip, e.employmentType);
  if (!nip.ok) errors.push({ field: 'nip', message: nip.message });
  const rank = checkRank(e.rank, e.employmentType);
  if (rank) errors.push({ field: 'rank', message: rank });

  if (e.employmentType === 'PPPK' || !nip.ok) {
    return { errors, derived: { gender: e.gender ?? null, birthDate: e.birthDate ?? null, tmtCpns: null } };
  }
  if (e.gender && e.gender !== nip.gender) {
    errors.push({ field: 'gender', message: `the NIP says ${nip.gender}; a PNS's gender comes from the NIP` });
  }
  if (e.birthDate && e.birthDate !== nip.birthDate) {
    errors.push({ field: 'birthDate', message: `the NIP says ${nip.birthDate}; a PNS's birth date comes from the NIP` });
  }
  return { errors, derived: { gender: nip.gender!, birthDate: nip.birthDate!, tmtCpns: `${nip.tmtCpns}-01` } };
}

/** The parts of an employee record that drive appraisal or promotion, as the spec names them (§8 rule 4). */
const OWN_RECORD_FIELDS = {
  rank: 'rank',
  rankSince: 'rankSince',
  jobType: 'jobType',
  employmentType: 'employmentType',
  unitId: 'unit',
  supervisorId: 'supervisor',
  status: 'status',
  potential: 'potential',
} as const satisfies Partial<Record<keyof EmployeeEntity, string>>;

/** Which of those parts a write would change: nobody may change them on their own record (`own-record`). */
export function ownRecordChanges(before: EmployeeEntity, after: Partial<EmployeeEntity>): string[] {
  return (Object.keys(OWN_RECORD_FIELDS) as (keyof typeof OWN_RECORD_FIELDS)[])
    .filter((f) => after[f] !== undefined && after[f] !== before[f])
    .map((f) => OWN_RECORD_FIELDS[f]);
}

/** A caller linked to the employee may not change these parts of the record, whatever their role (403 `own-record`). */
export function ownRecordRefusal(p: Principal, employeeId: string, parts: string[]): ForbiddenError | null {
  if (!parts.length || !actsAsEmployee(p, employeeId)) return null;
  return new ForbiddenError(`Nobody may change the ${parts.join(', ')} of their own employee record`, 'own-record');
}

/**
 * An appraisal takes its assessor (the supervisor) and its reviewer (the supervisor's supervisor) from the supervisor
 * graph, so §8 rules 1 and 3 bind its edits too (403 `own-record`): a caller may not make themselves anyone's supervisor
 * (they would choose whom they assess), nor change the supervisor of anyone above them (they would choose who reviews
 * them). `employeeId`: the record changed, null for a new one; `links`: every employee's supervisor before the change.
 */
export function supervisorChoiceRefusal(
  p: Principal,
  change: { employeeId: string | null; supervisorId: string | null },
  links: ReadonlyMap<string, string | null>,
): ForbiddenError | null {
  const me = actingEmployeeIds(p);
  if (change.supervisorId !== null && me.includes(change.supervisorId)) {
    return new ForbiddenError('Nobody names themselves the supervisor of an employee: they would choose whom they assess', 'own-record');
  }
  if (change.employeeId !== null && me.some((id) => ancestorsOf(id, (e) => links.get(e), { includeSelf: false }).has(change.employeeId!))) {
    return new ForbiddenError('Nobody changes the supervisor of someone above them: they would choose who reviews them', 'own-record');
  }
  return null;
}
