import type { Principal } from '../../common/auth/principal';
import type { UnitEntity } from '../units/entities/unit.entity';
import type { CheckedRow } from '../../common/import/import-rows';
import type { EmployeeImportRow } from './dto/employee.dto';
import { employeeLookups, planEmployeeImport, readEmployeeRows } from './employee-import-plan';
import type { EmployeeWrite } from './employees.repository';
import type { EmployeeEntity } from './entities/employee.entity';

/** DISHUB and the inactive LAMA are in the caller's scope; LUAR is not. */
const UNITS = [
  { id: 'dishub', code: 'DISHUB', active: true },
  { id: 'lama', code: 'LAMA', active: false },
  { id: 'luar', code: 'LUAR', active: true },
] as UnitEntity[];
const IN_SCOPE = (unitId: string) => unitId !== 'luar';

const person = (id: string, nip: string, unitId: string, supervisorId: string | null, more: Partial<EmployeeEntity> = {}) =>
  ({
    id,
    nip,
    name: id,
    employmentType: 'PNS',
    gender: nip[14] === '1' ? 'MALE' : 'FEMALE',
    birthDate: `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`,
    rank: 'III/a',
    rankSince: '2021-04-01',
    jobType: 'PELAKSANA',
    positionTitle: 'Staf',
    functionalLevel: null,
    unitId,
    supervisorId,
    serviceStart: `${nip.slice(8, 12)}-${nip.slice(12, 14)}-01`,
    status: 'ACTIVE',
    potential: null,
    ...more,
  }) as EmployeeEntity;

const KEPALA = person('kepala', '197001012000031001', 'dishub', null, { rank: 'IV/a', jobType: 'JPT_PRATAMA' });
const STAF = person('staf', '199001152015031001', 'dishub', 'kepala');
const LAMA = person('lama-staf', '198505052010012002', 'lama', 'kepala');
const LUAR = person('luar-staf', '198001012005011003', 'luar', null);
const PPPK = person('pppk', '123456789012345678', 'dishub', 'kepala', {
  employmentType: 'PPPK',
  gender: 'FEMALE',
  birthDate: '1995-02-02',
  rank: 'IX',
  jobType: 'FUNGSIONAL',
  functionalLevel: 'AHLI_PERTAMA',
  serviceStart: '2022-01-01',
});
const EXISTING = [KEPALA, STAF, LAMA, LUAR, PPPK];
const LINKS = new Map(EXISTING.map((e) => [e.id, e.supervisorId]));
const N1 = '199202022018011001';
const N2 = '199303032019012001';
const N3 = '199404042020011001';

const checked = (row: Partial<EmployeeImportRow>): CheckedRow<EmployeeImportRow> => ({
  raw: row,
  row: row as EmployeeImportRow,
  error: null,
});
/** A new PNS in DISHUB. */
const fresh = (nip: string, more: Partial<EmployeeImportRow> = {}) =>
  checked({ nip, name: nip, employmentType: 'PNS', rank: 'III/a', rankSince: '2021-04-01', jobType: 'PELAKSANA', positionTitle: 'Staf', unitCode: 'DISHUB', ...more });
/** An existing employee sent as stored, give or take `more`. */
const restate = (e: EmployeeEntity, more: Partial<EmployeeImportRow> = {}) =>
  checked({
    nip: e.nip,
    name: e.name,
    employmentType: e.employmentType,
    rank: e.rank,
    rankSince: e.rankSince,
    jobType: e.jobType,
    positionTitle: e.positionTitle,
    unitCode: UNITS.find((u) => u.id === e.unitId)!.code,
    supervisorNip: EXISTING.find((s) => s.id === e.supervisorId)?.nip,
    ...more,
  });
const bad = (raw: unknown, error = 'jobType: must be one of the following values'): CheckedRow<EmployeeImportRow> => ({ raw, row: null, error });

const ADMIN: Principal = { kind: 'user', id: 'u', username: 'admin', role: 'ADMIN', employeeId: null, unitId: null };
const STAF_HIMSELF: Principal = { ...ADMIN, employeeId: 'staf' };

interface Summary {
  create?: Record<string, { id: string; unitId: string; supervisorId: string | null }>;
  update?: Record<string, Partial<EmployeeWrite>>;
  unchanged?: number;
  errors?: Record<number, string>;
}

/** The plan in short: new employees by NIP, the fields each update changes, and the messages by row index. */
function plan(rows: CheckedRow<EmployeeImportRow>[], principal = ADMIN): Summary {
  let n = 0;
  const read = readEmployeeRows(rows);
  const { unitCodes, nips } = employeeLookups(read);
  const p = planEmployeeImport(read, {
    units: UNITS.filter((u) => unitCodes.includes(u.code)),
    inScope: IN_SCOPE,
    existing: EXISTING.filter((e) => nips.includes(e.nip)),
    supervisorLinks: LINKS,
    principal,
    newId: () => `new-${++n}`,
  });
  const changed = (before: EmployeeEntity, after: EmployeeWrite) =>
    Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k as keyof EmployeeEntity] !== v));
  const summary: Summary = {
    create: Object.fromEntries(p.create.map((w) => [w.nip, { id: w.id, unitId: w.unitId, supervisorId: w.supervisorId }])),
    update: Object.fromEntries(p.update.map((u) => [u.before.nip, changed(u.before, u.after)])),
    unchanged: p.unchanged,
    errors: Object.fromEntries(p.errors.map((e) => [e.index, e.message])),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => (typeof v === 'number' ? v : Object.keys(v).length)));
}

describe('planEmployeeImport', () => {
  it.each<[string, CheckedRow<EmployeeImportRow>[], Summary]>([
    ['a new employee under an existing supervisor', [fresh(N1, { supervisorNip: KEPALA.nip })], { create: { [N1]: { id: 'new-1', unitId: 'dishub', supervisorId: 'kepala' } } }],
    [
      'a new employee supervised by a later row',
      [fresh(N1, { supervisorNip: N2 }), fresh(N2)],
      { create: { [N1]: { id: 'new-1', unitId: 'dishub', supervisorId: 'new-2' }, [N2]: { id: 'new-2', unitId: 'dishub', supervisorId: null } } },
    ],
    ['an employee restated as stored', [restate(STAF)], { unchanged: 1 }],
    ['an employee restated without supervisorNip keeps the supervisor', [restate(STAF, { supervisorNip: undefined })], { unchanged: 1 }],
    ['supervisorNip null clears the supervisor', [restate(STAF, { supervisorNip: null })], { update: { [STAF.nip]: { supervisorId: null } } }],
    ['a new rank and title', [restate(STAF, { rank: 'III/b', positionTitle: 'Analis' })], { update: { [STAF.nip]: { rank: 'III/b', positionTitle: 'Analis' } } }],
    ['a PPPK restated without gender, birth date, functional level or service start keeps them', [restate(PPPK)], { unchanged: 1 }],
    [
      'null clears the functional level and the service start',
      [restate(PPPK, { functionalLevel: null, serviceStart: null })],
      { update: { [PPPK.nip]: { functionalLevel: null, serviceStart: null } } },
    ],
    [
      'a move to another supervisor sent in the same file',
      [restate(STAF, { supervisorNip: N1 }), fresh(N1, { supervisorNip: KEPALA.nip })],
      { update: { [STAF.nip]: { supervisorId: 'new-1' } }, create: { [N1]: { id: 'new-1', unitId: 'dishub', supervisorId: 'kepala' } } },
    ],
    ['an employee restated in their unit since deactivated', [restate(LAMA)], { unchanged: 1 }],
    [
      'a NIP twice in the file: the first row counts',
      [fresh(N1), fresh(N1, { name: 'Again' })],
      { create: { [N1]: { id: 'new-1', unitId: 'dishub', supervisorId: null } }, errors: { 1: `nip: ${N1} already appears in row 0` } },
    ],
    [
      'identity errors, all of them on one line',
      [fresh(N1, { rank: 'IX', gender: 'FEMALE' })],
      { errors: { 0: "rank: IX is not a PNS rank (I/a … IV/e); gender: the NIP says MALE; a PNS's gender comes from the NIP" } },
    ],
    ['an unknown unit', [fresh(N1, { unitCode: 'NOPE' })], { errors: { 0: 'unitCode: no unit has the code NOPE' } }],
    ['a unit outside the caller’s subtree answers as unknown', [fresh(N1, { unitCode: 'LUAR' })], { errors: { 0: 'unitCode: no unit has the code LUAR' } }],
    [
      'an employee outside the caller’s subtree',
      [restate(LUAR, { unitCode: 'DISHUB' })],
      { errors: { 0: `nip: ${LUAR.nip} belongs to an employee outside your unit subtree` } },
    ],
    ['a new employee in an inactive unit', [fresh(N1, { unitCode: 'LAMA' })], { errors: { 0: 'unitCode: the unit LAMA is inactive' } }],
    ['an employee as their own supervisor', [fresh(N1, { supervisorNip: N1 })], { errors: { 0: 'supervisorNip: an employee cannot supervise themself' } }],
    ['an unknown supervisor', [fresh(N1, { supervisorNip: N2 })], { errors: { 0: `supervisorNip: no employee or row has the NIP ${N2}` } }],
    [
      'a supervisor outside the caller’s subtree answers as unknown',
      [fresh(N1, { supervisorNip: LUAR.nip })],
      { errors: { 0: `supervisorNip: no employee or row has the NIP ${LUAR.nip}` } },
    ],
    [
      'a supervisor whose row is invalid (named by its NIP as sent, trimmed)',
      [bad({ nip: ` ${N2} ` }), fresh(N1, { supervisorNip: N2 })],
      { errors: { 0: 'jobType: must be one of the following values', 1: `supervisorNip: the row 0 defining ${N2} failed` } },
    ],
    [
      'a supervisor whose row fails its checks',
      [fresh(N1, { supervisorNip: N2 }), fresh(N2, { unitCode: 'NOPE' })],
      { errors: { 0: `supervisorNip: the row defining ${N2} failed`, 1: 'unitCode: no unit has the code NOPE' } },
    ],
    [
      'a failed row of an existing supervisor does not sink those under it',
      [restate(KEPALA, { unitCode: 'NOPE' }), fresh(N1, { supervisorNip: KEPALA.nip })],
      { create: { [N1]: { id: 'new-1', unitId: 'dishub', supervisorId: 'kepala' } }, errors: { 0: 'unitCode: no unit has the code NOPE' } },
    ],
    [
      'an existing employee placed under someone they supervise',
      [restate(KEPALA, { supervisorNip: STAF.nip })],
      { errors: { 0: `supervisorNip: ${STAF.nip} is supervised, directly or not, by ${KEPALA.nip}` } },
    ],
    [
      'a cycle among new rows, and a row under it',
      [fresh(N1, { supervisorNip: N2 }), fresh(N2, { supervisorNip: N3 }), fresh(N3, { supervisorNip: N2 })],
      {
        errors: {
          0: `supervisorNip: the row 1 defining ${N2} failed`,
          1: `supervisorNip: ${N3} is supervised, directly or not, by ${N2}`,
          2: `supervisorNip: ${N2} is supervised, directly or not, by ${N3}`,
        },
      },
    ],
  ])('%s', (_, rows, expected) => expect(plan(rows)).toEqual(expected));

  it.each<[string, CheckedRow<EmployeeImportRow>[], Summary]>([
    [
      'a change to the rank or supervisor of the caller’s own record',
      [restate(STAF, { rank: 'III/b', supervisorNip: null })],
      { errors: { 0: 'own-record: Nobody may change the rank, supervisor of their own employee record' } },
    ],
    ['a change to the name of the caller’s own record', [restate(STAF, { name: 'Wirawan' })], { update: { [STAF.nip]: { name: 'Wirawan' } } }],
    ['a change to the rank of someone else', [restate(PPPK, { rank: 'X' })], { update: { [PPPK.nip]: { rank: 'X' } } }],
  ])('for a caller linked to an employee, %s', (_, rows, expected) => expect(plan(rows, STAF_HIMSELF)).toEqual(expected));

  it('derives a new PNS’s gender, birth date and service start from the NIP, and takes a PPPK’s from the row', () => {
    const read = readEmployeeRows([
      fresh(N2, { functionalLevel: 'AHLI_MUDA' }),
      fresh('987654321098765432', { employmentType: 'PPPK', rank: 'V', gender: 'MALE', birthDate: '1999-09-09' }),
    ]);
    const ids = ['a', 'b'];
    const p = planEmployeeImport(read, { units: UNITS, inScope: IN_SCOPE, existing: [], supervisorLinks: LINKS, principal: ADMIN, newId: () => ids.shift()! });
    expect(p.create).toEqual([
      { id: 'a', nip: N2, name: N2, employmentType: 'PNS', gender: 'FEMALE', birthDate: '1993-03-03', rank: 'III/a', rankSince: '2021-04-01', jobType: 'PELAKSANA', positionTitle: 'Staf', functionalLevel: 'AHLI_MUDA', unitId: 'dishub', supervisorId: null, serviceStart: '2019-01-01' },
      { id: 'b', nip: '987654321098765432', name: '987654321098765432', employmentType: 'PPPK', gender: 'MALE', birthDate: '1999-09-09', rank: 'V', rankSince: '2021-04-01', jobType: 'PELAKSANA', positionTitle: 'Staf', functionalLevel: null, unitId: 'dishub', supervisorId: null, serviceStart: null },
    ]);
  });

  it('updates with every written column and reports errors by index with the NIP as sent', () => {
    const read = readEmployeeRows([bad({ nip: 42 }), restate(STAF, { rank: 'III/b' }), fresh(N1, { unitCode: 'NOPE' })]);
    const p = planEmployeeImport(read, { units: UNITS, inScope: IN_SCOPE, existing: EXISTING, supervisorLinks: LINKS, principal: ADMIN, newId: () => 'x' });
    const { id, nip, name, employmentType, gender, birthDate, rankSince, jobType, positionTitle, functionalLevel, unitId, supervisorId, serviceStart } = STAF;
    expect(p.update).toEqual([
      {
        before: STAF,
        after: { id, nip, name, employmentType, gender, birthDate, rank: 'III/b', rankSince, jobType, positionTitle, functionalLevel, unitId, supervisorId, serviceStart },
      },
    ]);
    expect(p.errors).toEqual([
      { index: 0, key: null, message: 'jobType: must be one of the following values' },
      { index: 2, key: N1, message: 'unitCode: no unit has the code NOPE' },
    ]);
  });

  it('looks up the units and the employees named by rows still in the running, once each', () => {
    const read = readEmployeeRows([fresh(N1, { supervisorNip: N2 }), fresh(N2, { supervisorNip: N1 }), fresh(N1, { unitCode: 'LAMA' }), bad({ nip: N3, unitCode: 'LUAR' })]);
    expect(employeeLookups(read)).toEqual({ unitCodes: ['DISHUB'], nips: [N1, N2] });
  });
});
