import { FieldError } from '../../common/errors/app-error';
import { EmploymentType, Gender } from './entities/employee.entity';
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
