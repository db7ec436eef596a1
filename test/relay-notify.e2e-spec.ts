import { DataSource } from 'typeorm';
import { witaDate } from '../src/common/time/wita';
import { createTestApp, TestApp } from './app';
import { createEmployee, createUnit } from './factories';
import { recreateDatabase } from './global-setup';
import { insertIndicator, insertPeriod } from './planning-fixtures';
import { until } from './processes';
import { TEST_DATABASE_URL } from './test-env';

/**
 * The relay wakes on NOTIFY at commit, not only on its timer. Polling is set to 10 minutes here, so a score
 * that is fresh within seconds can only have come through the notification. Own database: the in-process
 * worker drains marks, which the other specs inspect.
 */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_notify');

describe('recalculation relay woken by LISTEN/NOTIFY (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    await recreateDatabase(DB);
    t = await createTestApp({ DATABASE_URL: DB, RECALC_WORKER: 'true', RECALC_RELAY_INTERVAL_MS: '600000', RECALC_CRON: '' });
    db = t.app.get(DataSource);
  }, 60_000);
  afterAll(() => t?.close());

  const listeners = async () =>
    (await db.query<{ pid: number }[]>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'capaian-relay' AND datname = current_database()`)).map((r) => r.pid);

  /** An officer's ASSESSED appraisal in a period containing today, written by SQL (so nothing is marked yet). */
  async function officerAppraisal() {
    const unit = await createUnit(t);
    const officer = await createEmployee(t, { unitId: unit.id });
    const today = witaDate();
    const period = await insertPeriod(t, { start: today, end: today, status: 'OPEN' });
    const [a] = await db.query<{ id: string }[]>(`INSERT INTO appraisals (employee_id, period_id, unit_id, status) VALUES ($1, $2, $3, 'AGREED') RETURNING id`, [
      officer.id,
      period.id,
      unit.id,
    ]);
    const indicator = await insertIndicator(t);
    await db.query(`INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100)`, [a.id, indicator.id]);
    return { unit, officer, appraisalId: a.id };
  }

  /** A citizen's response naming the officer marks their appraisal (spec §6) in the intake's transaction. */
  async function writeAndWaitForScore() {
    const { unit, officer, appraisalId } = await officerAppraisal();
    const answers = { U1: 4, U2: 4, U3: 4, U4: 4, U5: 4, U6: 4, U7: 4, U8: 4, U9: 4 };
    const started = Date.now();
    const res = await t.http().post('/public-feedback').send({ unitCode: unit.code, employeeNip: officer.nip, channel: 'WEB', answers });
    expect(res.status).toBe(202);
    await until(async () => (await db.query('SELECT 1 FROM appraisal_scores WHERE appraisal_id = $1', [appraisalId])).length > 0, 10_000, 'the score');
    expect((await db.query('SELECT 1 FROM score_recalculation_marks WHERE appraisal_id = $1', [appraisalId])).length).toBe(0);
    return Date.now() - started;
  }

  it('recalculates a marked appraisal within seconds although the relay polls every 10 minutes', async () => {
    await until(async () => (await listeners()).length === 1, 10_000, 'the relay to listen');
    expect(await writeAndWaitForScore()).toBeLessThan(10_000);
  });

  it('listens again after its connection is killed', async () => {
    const [before] = await listeners();
    await db.query('SELECT pg_terminate_backend($1)', [before]);
    await until(async () => {
      const now = await listeners();
      return now.length === 1 && now[0] !== before;
    }, 15_000, 'the relay to listen again');
    expect(await writeAndWaitForScore()).toBeLessThan(10_000);
  });
});
