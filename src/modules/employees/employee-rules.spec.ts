import { Principal } from '../../common/auth/principal';
import { ownRecordChanges, ownRecordRefusal } from './employee-rules';
import { EmployeeEntity } from './entities/employee.entity';

const RECORD = {
  id: 'e1',
  nip: '199001152015031001',
  name: 'I Made Wirawan',
  rank: 'III/a',
  rankSince: '2021-04-01',
  jobType: 'PELAKSANA',
  employmentType: 'PNS',
  positionTitle: 'Pengelola Layanan',
  unitId: 'u1',
  supervisorId: 's1',
  status: 'ACTIVE',
  potential: null,
} as EmployeeEntity;

const user = (employeeId: string | null, role: 'ADMIN' | 'HR_OPERATOR' | 'EMPLOYEE' = 'ADMIN'): Principal => ({
  kind: 'user',
  id: 'u',
  username: 'u',
  role,
  employeeId,
  unitId: null,
});

describe('ownRecordChanges', () => {
  it.each<[Partial<EmployeeEntity>, string[]]>([
    [{ rank: 'III/b' }, ['rank']],
    [{ rankSince: '2010-04-01' }, ['rankSince']],
    [{ jobType: 'FUNGSIONAL' }, ['jobType']],
    [{ employmentType: 'PPPK', rank: 'IX' }, ['rank', 'employmentType']],
    [{ unitId: 'u2' }, ['unit']],
    [{ supervisorId: null }, ['supervisor']],
    [{ status: 'RETIRED' }, ['status']],
    [{ potential: 'HIGH' }, ['potential']],
    [{ name: 'Another', positionTitle: 'Analis', nip: '199001152015031002' }, []],
    [{ ...RECORD }, []],
  ])('%j changes %j', (after, parts) => expect(ownRecordChanges(RECORD, after)).toEqual(parts));
});

describe('ownRecordRefusal', () => {
  it.each(['ADMIN', 'HR_OPERATOR', 'EMPLOYEE'] as const)('refuses a %s linked to the employee', (role) => {
    expect(ownRecordRefusal(user('e1', role), 'e1', ['rank'])).toMatchObject({ code: 'own-record', kind: 'forbidden' });
  });

  it('lets through another employee, an unlinked user, an API key, and a write changing none of the parts', () => {
    expect(ownRecordRefusal(user('e2'), 'e1', ['rank'])).toBeNull();
    expect(ownRecordRefusal(user(null), 'e1', ['rank'])).toBeNull();
    expect(ownRecordRefusal({ kind: 'api-key', id: 'e1', name: 'k', scopes: ['org:write'], issuerUserId: null, issuerEmployeeId: null }, 'e1', ['rank'])).toBeNull();
    expect(ownRecordRefusal(user('e1'), 'e1', [])).toBeNull();
  });
});
