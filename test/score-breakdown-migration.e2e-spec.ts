import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { breakdownOf, type StoredBreakdown } from '../src/modules/scoring/breakdown';
import { recreateDatabase } from './global-setup';
import { TEST_DATABASE_URL } from './test-env';

/** A database of this file's own: the migration is undone and redone on it. */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_breakdown');

/** Breakdowns as every earlier version stored them (objects; resultRatingSource since UnitHeads). */
const OLD = {
  full: {
    targets: [
      { targetId: '0b1e7d2a-1111-4000-8000-000000000001', indicatorCode: 'IKI-WAKTU', weight: 60, target: 15, realisation: 14.123, capaian: 105.85 },
      { targetId: '0b1e7d2a-1111-4000-8000-000000000002', indicatorCode: 'IKI-JADWAL', weight: 40, target: 12, realisation: null, capaian: 0 },
    ],
    aspects: [
      { aspect: 'BERORIENTASI_PELAYANAN', rating: 'MEETS_EXPECTATION', assessorValue: 100, publicValue: 97.5, publicSource: 'EMPLOYEE', value: 98.75 },
      { aspect: 'AKUNTABEL', rating: 'ABOVE_EXPECTATION', assessorValue: 120, publicValue: null, publicSource: null, value: 120 },
    ],
    computedResultRating: 'BELOW_EXPECTATION',
    resultRatingOverridden: true,
    resultRatingSource: 'OVERRIDE',
  },
  noBehaviour: {
    targets: [{ targetId: '0b1e7d2a-1111-4000-8000-000000000003', indicatorCode: 'DOK', weight: 100, target: 128, realisation: 156.5539, capaian: 120 }],
    aspects: [],
    computedResultRating: 'ABOVE_EXPECTATION',
    resultRatingOverridden: false,
    resultRatingSource: 'ORGANISATION',
  },
};

describe('migration ScoreBreakdownCompact', () => {
  let ds: DataSource;
  const ids = { full: randomUUID(), noBehaviour: randomUUID() };
  /** Undoes the migrations from the newest back to `name`, included. */
  const undoThrough = async (name: string) => {
    for (;;) {
      const [last] = await ds.query<{ name: string }[]>(`SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`);
      await ds.undoLastMigration({ transaction: 'each' });
      if (last.name === name) return;
    }
  };
  const read = async () =>
    Object.fromEntries(
      (await ds.query<{ appraisal_id: string; breakdown: unknown }[]>('SELECT appraisal_id, breakdown FROM appraisal_scores')).map((r) => [r.appraisal_id, r.breakdown]),
    );

  beforeAll(async () => {
    await recreateDatabase(DB);
    ds = new DataSource(dataSourceOptions(DB));
    await ds.initialize();
    await undoThrough('ScoreBreakdownCompact1796040000000');
    // Score rows without their appraisals: the foreign key's trigger is off for this connection only.
    await ds.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      for (const [k, breakdown] of Object.entries(OLD)) {
        await m.query(
          `INSERT INTO appraisal_scores (appraisal_id, result_score, result_rating, breakdown, computed_at) VALUES ($1, 100, 'MEETS_EXPECTATION', $2, now())`,
          [ids[k as keyof typeof ids], JSON.stringify(breakdown)],
        );
      }
    });
  });
  afterAll(() => ds?.destroy());

  it('turns every stored breakdown compact, reads back as it was, and its undo restores the objects', async () => {
    await ds.runMigrations({ transaction: 'each' });
    const compact = (await read()) as Record<string, StoredBreakdown>;
    expect(compact[ids.full]).toEqual({
      t: [
        ['0b1e7d2a-1111-4000-8000-000000000001', 'IKI-WAKTU', 60, 15, 14.123, 105.85],
        ['0b1e7d2a-1111-4000-8000-000000000002', 'IKI-JADWAL', 40, 12, null, 0],
      ],
      a: [
        ['BERORIENTASI_PELAYANAN', 'MEETS_EXPECTATION', 100, 97.5, 'EMPLOYEE', 98.75],
        ['AKUNTABEL', 'ABOVE_EXPECTATION', 120, null, null, 120],
      ],
      c: 'BELOW_EXPECTATION',
      s: 'OVERRIDE',
    });
    expect(compact[ids.noBehaviour]).toMatchObject({ a: [], s: 'ORGANISATION' });
    expect(breakdownOf(compact[ids.full])).toEqual(OLD.full);
    expect(breakdownOf(compact[ids.noBehaviour])).toEqual(OLD.noBehaviour);

    await undoThrough('ScoreBreakdownCompact1796040000000');
    expect(await read()).toEqual({ [ids.full]: OLD.full, [ids.noBehaviour]: OLD.noBehaviour });
    await ds.runMigrations({ transaction: 'each' });
    expect(await read()).toEqual(compact);
  });
});
