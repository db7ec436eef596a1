import type { UnitImportRow } from './dto/import-units.dto';
import type { UnitEntity } from './entities/unit.entity';
import type { CheckedRow } from '../../common/import/import-rows';
import { planUnitImport, readUnitRows, unitCodesNamed, unitHeadNipsNamed } from './unit-import-plan';

/** The tree before the import: PEMKOT > DISHUB (a public service) > SUBBAG. */
const unit = (id: string, code: string, parentId: string | null, publicService = false, headEmployeeId: string | null = null): UnitEntity =>
  ({ id, code, name: code, kind: 'DINAS', parentId, publicService, active: true, headEmployeeId }) as UnitEntity;
const EXISTING = [unit('pemkot', 'PEMKOT', null, false, 'e-former'), unit('dishub', 'DISHUB', 'pemkot', true, 'kadis'), unit('subbag', 'SUBBAG', 'dishub')];
/** Employees named by headNip: ACTIVE in DISHUB, ACTIVE in PEMKOT, RETIRED in DISHUB, and PEMKOT's head, retired since. */
const NIP = { staff: '199001012015031001', pemkot: '198001012005011002', retired: '196001011985031003', unknown: '199501012020121004', former: '195901011984031005' };
const HEADS = [
  { id: 'e-staff', nip: NIP.staff, unitId: 'dishub', status: 'ACTIVE' },
  { id: 'e-pemkot', nip: NIP.pemkot, unitId: 'pemkot', status: 'ACTIVE' },
  { id: 'e-retired', nip: NIP.retired, unitId: 'dishub', status: 'RETIRED' },
  { id: 'e-former', nip: NIP.former, unitId: 'pemkot', status: 'RETIRED' },
];
const LINKS = new Map(EXISTING.map((u) => [u.id, u.parentId]));

const ok = (code: string, parentCode?: string, more: Partial<UnitImportRow> = {}): CheckedRow<UnitImportRow> => {
  const row: UnitImportRow = { code, name: code, kind: 'DINAS', ...(parentCode ? { parentCode } : {}), ...more };
  return { raw: row, row, error: null };
};
const bad = (raw: unknown, error = 'kind: must be one of the following values'): CheckedRow<UnitImportRow> => ({ raw, row: null, error });

interface Summary {
  create?: Record<string, { id: string; parentId: string | null; publicService: boolean }>;
  update?: Record<string, Partial<UnitEntity>>;
  unchanged?: number;
  errors?: Record<number, string>;
}

/** The plan in short: new units by code, the fields each update changes, and the messages by row index. */
function plan(rows: CheckedRow<UnitImportRow>[]): Summary {
  let n = 0;
  const read = readUnitRows(rows);
  const known = new Set(unitCodesNamed(read));
  const p = planUnitImport(read, EXISTING.filter((u) => known.has(u.code)), LINKS, () => `new-${++n}`, HEADS);
  const changed = (before: UnitEntity, after: UnitEntity) =>
    Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k as keyof UnitEntity] !== v));
  const summary: Summary = {
    create: Object.fromEntries(p.create.map((u) => [u.code, { id: u.id, parentId: u.parentId, publicService: u.publicService }])),
    update: Object.fromEntries(p.update.map((u) => [u.before.code, changed(u.before, u.after)])),
    unchanged: p.unchanged,
    errors: Object.fromEntries(p.errors.map((e) => [e.index, e.message])),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => (typeof v === 'number' ? v : Object.keys(v).length)));
}

describe('planUnitImport', () => {
  it.each<[string, CheckedRow<UnitImportRow>[], Summary]>([
    ['a new root', [ok('A')], { create: { A: { id: 'new-1', parentId: null, publicService: false } } }],
    ['a new unit under an existing one', [ok('A', 'DISHUB', { publicService: true })], { create: { A: { id: 'new-1', parentId: 'dishub', publicService: true } } }],
    [
      'a child sent before its parent',
      [ok('B', 'A'), ok('A', 'PEMKOT')],
      { create: { B: { id: 'new-1', parentId: 'new-2', publicService: false }, A: { id: 'new-2', parentId: 'pemkot', publicService: false } } },
    ],
    ['a unit restated as it is', [ok('DISHUB', 'PEMKOT', { publicService: true })], { unchanged: 1 }],
    ['a unit restated without publicService keeps its flag, and without headNip its head', [ok('DISHUB', 'PEMKOT')], { unchanged: 1 }],
    ['headNip of an ACTIVE employee of the unit makes them its head', [ok('DISHUB', 'PEMKOT', { headNip: NIP.staff })], { update: { DISHUB: { headEmployeeId: 'e-staff' } } }],
    ['headNip of another ACTIVE employee replaces the head', [ok('PEMKOT', undefined, { headNip: NIP.pemkot })], { update: { PEMKOT: { headEmployeeId: 'e-pemkot' } } }],
    ['headNip of an employee of another unit', [ok('DISHUB', 'PEMKOT', { headNip: NIP.pemkot })], { errors: { 0: `headNip: ${NIP.pemkot} is not an ACTIVE employee of DISHUB` } }],
    ['headNip of a RETIRED employee of the unit', [ok('DISHUB', 'PEMKOT', { headNip: NIP.retired })], { errors: { 0: `headNip: ${NIP.retired} is not an ACTIVE employee of DISHUB` } }],
    ['headNip restating the current head, who has retired since: unchanged', [ok('PEMKOT', undefined, { headNip: NIP.former })], { unchanged: 1 }],
    ['headNip nobody has', [ok('DISHUB', 'PEMKOT', { headNip: NIP.unknown })], { errors: { 0: `headNip: no employee has the NIP ${NIP.unknown}` } }],
    ['headNip on a new unit, which has no employees yet', [ok('A', 'PEMKOT', { headNip: NIP.staff })], { errors: { 0: `headNip: ${NIP.staff} is not an ACTIVE employee of A` } }],
    ['publicService set explicitly', [ok('DISHUB', 'PEMKOT', { publicService: false })], { update: { DISHUB: { publicService: false } } }],
    ['a new name and kind', [ok('SUBBAG', 'DISHUB', { name: 'Sub Bagian', kind: 'BAGIAN' })], { update: { SUBBAG: { name: 'Sub Bagian', kind: 'BAGIAN' } } }],
    ['a unit left without parentCode becomes a root', [ok('SUBBAG')], { update: { SUBBAG: { parentId: null } } }],
    [
      'a unit moved under a new row',
      [ok('SUBBAG', 'A'), ok('A', 'PEMKOT')],
      { update: { SUBBAG: { parentId: 'new-1' } }, create: { A: { id: 'new-1', parentId: 'pemkot', publicService: false } } },
    ],
    [
      'a code twice in the file: the first row counts',
      [ok('A'), ok('A', 'PEMKOT')],
      { create: { A: { id: 'new-1', parentId: null, publicService: false } }, errors: { 1: 'code: A already appears in row 0' } },
    ],
    ['a unit as its own parent', [ok('A', 'A')], { errors: { 0: 'parentCode: a unit cannot be its own parent' } }],
    ['an unknown parent', [ok('A', 'NOPE')], { errors: { 0: 'parentCode: no unit or row has the code NOPE' } }],
    [
      'a parent whose row is invalid (named by its code as sent, trimmed and upper-cased)',
      [bad({ code: ' a ', name: 'A' }), ok('B', 'A')],
      { errors: { 0: 'kind: must be one of the following values', 1: 'parentCode: the row 0 defining A failed' } },
    ],
    [
      'failures spread down a chain of new rows',
      [ok('C', 'B'), ok('B', 'A'), ok('A', 'NOPE')],
      {
        errors: {
          0: 'parentCode: the row 1 defining B failed',
          1: 'parentCode: the row 2 defining A failed',
          2: 'parentCode: no unit or row has the code NOPE',
        },
      },
    ],
    [
      'a failed row of an existing unit does not sink its children',
      [ok('DISHUB', 'NOPE'), ok('A', 'DISHUB')],
      { create: { A: { id: 'new-1', parentId: 'dishub', publicService: false } }, errors: { 0: 'parentCode: no unit or row has the code NOPE' } },
    ],
    [
      'an existing unit placed under its own descendant',
      [ok('PEMKOT', 'SUBBAG')],
      { errors: { 0: 'parentCode: placing PEMKOT under SUBBAG would make it its own ancestor' } },
    ],
    [
      'a cycle among new rows, and a row under it',
      [ok('A', 'B'), ok('B', 'A'), ok('C', 'A')],
      {
        errors: {
          0: 'parentCode: placing A under B would make it its own ancestor',
          1: 'parentCode: placing B under A would make it its own ancestor',
          2: 'parentCode: the row 0 defining A failed',
        },
      },
    ],
    [
      'a move that is a cycle alone but not beside another move of the same file',
      [ok('PEMKOT', 'SUBBAG'), ok('SUBBAG')],
      { update: { PEMKOT: { parentId: 'subbag' }, SUBBAG: { parentId: null } } },
    ],
  ])('%s', (_, rows, expected) => expect(plan(rows)).toEqual(expected));

  it('gives new units every column and updates the stored unit, and reports errors by index with the key as sent', () => {
    const read = readUnitRows([bad({ code: ' a ' }), ok('DISHUB', 'PEMKOT', { name: 'Perhubungan' }), bad({ code: 42 }), ok('A', 'DISHUB')]);
    const p = planUnitImport(read, EXISTING, LINKS, () => 'new-1');
    expect(p.create).toEqual([{ id: 'new-1', code: 'A', active: true, name: 'A', kind: 'DINAS', parentId: 'dishub', publicService: false, headEmployeeId: null }]);
    expect(p.update).toEqual([{ before: EXISTING[1], after: { ...EXISTING[1], name: 'Perhubungan' } }]);
    expect(p.errors).toEqual([
      { index: 0, key: ' a ', message: 'kind: must be one of the following values' },
      { index: 2, key: null, message: 'kind: must be one of the following values' },
    ]);
  });

  it('names the codes of rows and their parents once each, leaving out refused rows', () => {
    expect(unitCodesNamed(readUnitRows([ok('A', 'DISHUB'), ok('B', 'DISHUB'), ok('A', 'X'), ok('C', 'C'), bad({ code: 'D' })]))).toEqual([
      'A',
      'DISHUB',
      'B',
    ]);
  });

  it('names each head NIP once, for the one look-up', () => {
    expect(unitHeadNipsNamed(readUnitRows([ok('A', undefined, { headNip: NIP.staff }), ok('B', undefined, { headNip: NIP.staff }), ok('C'), bad({ code: 'D' })]))).toEqual([
      NIP.staff,
    ]);
  });

  it('refuses a row that names or replaces the caller as a head (own-record), but not one restating the head they are', () => {
    const run = (rows: CheckedRow<UnitImportRow>[], ...own: string[]) =>
      planUnitImport(readUnitRows(rows), EXISTING, LINKS, () => 'new-1', HEADS, own).errors.map((e) => e.message);
    expect(run([ok('DISHUB', 'PEMKOT', { headNip: NIP.staff })], 'e-staff')).toEqual(['own-record: nobody names or replaces themselves as the head of a unit']);
    expect(run([ok('DISHUB', 'PEMKOT', { headNip: NIP.staff })], 'kadis')).toEqual(['own-record: nobody names or replaces themselves as the head of a unit']);
    expect(run([ok('PEMKOT', undefined, { headNip: NIP.former })], 'e-former')).toEqual([]);
    expect(run([ok('DISHUB', 'PEMKOT', { headNip: NIP.staff })], 'someone-else')).toEqual([]);
    // An account set up by another acts as them too (actingEmployeeIds): either employee is refused.
    expect(run([ok('DISHUB', 'PEMKOT', { headNip: NIP.staff })], 'someone-else', 'e-staff')).toEqual(['own-record: nobody names or replaces themselves as the head of a unit']);
  });

  it('refuses a row that moves, or changes the publicService of, a unit holding the caller (own-record), and writes a restatement', () => {
    const holding = new Set(['dishub', 'pemkot']); // the caller works in DISHUB
    const run = (rows: CheckedRow<UnitImportRow>[]) => planUnitImport(readUnitRows(rows), EXISTING, LINKS, () => 'new-1', HEADS, ['e-staff'], holding);
    const refused = /^own-record: DISHUB holds your own appraisal/;
    expect(run([ok('DISHUB', 'PEMKOT', { publicService: false })]).errors.map((e) => e.message)).toEqual([expect.stringMatching(refused)]);
    expect(run([ok('DISHUB')]).errors.map((e) => e.message)).toEqual([expect.stringMatching(refused)]); // no parentCode: to the root
    expect(run([ok('DISHUB', 'PEMKOT', { publicService: true, name: 'Dinas Perhubungan' })])).toMatchObject({ errors: [], update: [{ after: { name: 'Dinas Perhubungan' } }] });
    expect(run([ok('SUBBAG', 'DISHUB', { publicService: true })])).toMatchObject({ errors: [], update: [{ after: { publicService: true } }] });
  });

  it('refuses a row that moves another unit into or out of the subtree of a unit above the caller (own-record)', () => {
    // PEMKOT > DISHUB (the caller works here) > SUBBAG, and PEMKOT > BESIDE > B1 > X, BESIDE > B2.
    const units = [...EXISTING, unit('beside', 'BESIDE', 'pemkot'), unit('b1', 'B1', 'beside'), unit('b2', 'B2', 'beside'), unit('x', 'X', 'b1')];
    const links = new Map(units.map((u) => [u.id, u.parentId]));
    const run = (rows: CheckedRow<UnitImportRow>[]) => {
      const read = readUnitRows(rows);
      const named = new Set(unitCodesNamed(read));
      const p = planUnitImport(read, units.filter((u) => named.has(u.code)), links, () => 'new-1', HEADS, ['e-staff'], new Set(['dishub', 'pemkot']));
      return p.errors.map((e) => `${e.index} ${e.message}`);
    };
    const refused = (index: number, code: string): unknown => expect.stringMatching(new RegExp(`^${index} own-record: moving ${code} adds it to or takes it from a unit above your own appraisal`));
    expect(run([ok('BESIDE', 'DISHUB')])).toEqual([refused(0, 'BESIDE')]);
    expect(run([ok('SUBBAG', 'BESIDE')])).toEqual([refused(0, 'SUBBAG')]);
    expect(run([ok('SUBBAG')])).toEqual([refused(0, 'SUBBAG')]); // to the root: out of PEMKOT too
    // Under a unit the same import creates below DISHUB.
    expect(run([ok('NEW', 'DISHUB'), ok('BESIDE', 'NEW')])).toEqual([refused(1, 'BESIDE')]);
    // Both chains are read in the tree before the import: X goes to B2 where it stands, not where a refused row puts it.
    expect(run([ok('B2', 'DISHUB'), ok('X', 'B2')])).toEqual([refused(0, 'B2')]);
    expect(run([ok('BESIDE', 'PEMKOT', { name: 'Beside Baru' }), ok('X', 'B2')])).toEqual([]);
    // Under a new unit whose own row failed, that failure is the reason given, not the move.
    expect(run([bad({ code: 'NEW' }), ok('X', 'NEW')])).toEqual([expect.stringMatching(/^0 /), '1 parentCode: the row 0 defining NEW failed']);
  });
});
