import { EntityManager } from 'typeorm';
import { followHeadChanges, HeadChange } from './unit-head-marks';

/** A manager that records each statement: the UPDATE answers `followed` as TypeORM does ([rows, count]), the marks their count. */
function stubManager(followed: string[]) {
  const statements: { sql: string; params: unknown[] }[] = [];
  const m = {
    query: (sql: string, params: unknown[]) => {
      statements.push({ sql, params });
      return Promise.resolve(/^\s*UPDATE/.test(sql) ? [followed.map((id) => ({ id })), followed.length] : [{ marked: followed.length, notified: 1 }]);
    },
  } as unknown as EntityManager;
  return { m, statements };
}

describe('followHeadChanges', () => {
  it('follows any number of head changes in two statements: one UPDATE of the appraisals, one mark of those it returned', async () => {
    for (const n of [1, 50]) {
      const changes: HeadChange[] = Array.from({ length: n }, (_, i) => ({ unitId: `u${i}`, before: `old${i}`, after: `new${i}` }));
      const { m, statements } = stubManager(['a1', 'a2']);
      expect(await followHeadChanges(m, changes, 'unit.import-head')).toBe(2);
      expect(statements).toHaveLength(2);
      expect(statements[0].sql).toMatch(/^\s*UPDATE appraisals a SET heads_unit/);
      expect(statements[0].sql).toContain("a.status <> 'FINALIZED'");
      expect(statements[0].params).toEqual([
        changes.flatMap((c) => [c.unitId, c.unitId]),
        changes.flatMap((c) => [c.before, c.after]),
        changes.flatMap(() => [false, true]),
      ]);
      expect(statements[1].sql).toContain('INSERT INTO score_recalculation_marks');
      expect(statements[1].params).toEqual(['unit.import-head', ['a1', 'a2']]);
    }
  });

  it('sends a unit\'s employee once, as the last change of that unit leaves them; a vacated head has no new head', async () => {
    const { m, statements } = stubManager(['a1']);
    await followHeadChanges(
      m,
      [
        { unitId: 'u1', before: 'e1', after: 'e2' },
        { unitId: 'u1', before: 'e2', after: 'e3' },
        { unitId: 'u2', before: 'e4', after: null },
      ],
      'unit.head-vacated',
    );
    expect(statements[0].params).toEqual([
      ['u1', 'u1', 'u1', 'u2'],
      ['e1', 'e2', 'e3', 'e4'],
      [false, false, true, false],
    ]);
  });

  it('writes nothing without a change, nor a mark when no appraisal followed', async () => {
    const none = stubManager([]);
    expect(await followHeadChanges(none.m, [], 'unit.head')).toBe(0);
    expect(await followHeadChanges(none.m, [{ unitId: 'u1', before: null, after: null }], 'unit.head')).toBe(0);
    expect(none.statements).toHaveLength(0);

    const noAppraisal = stubManager([]);
    expect(await followHeadChanges(noAppraisal.m, [{ unitId: 'u1', before: 'e1', after: null }], 'unit.head')).toBe(0);
    expect(noAppraisal.statements).toHaveLength(1);
  });
});
