import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../src/common/audit/audit.repository';
import { AuditService } from '../src/common/audit/audit.service';
import { Actor } from '../src/common/auth/principal';
import { dataSourceOptions } from '../src/database/data-source-options';
import { PromotionCandidatesRepository } from '../src/modules/promotion-candidates/promotion-candidates.repository';
import { PromotionCandidatesService } from '../src/modules/promotion-candidates/promotion-candidates.service';
import { ShortlistsRepository } from '../src/modules/promotion-candidates/shortlists.repository';
import { UnitsRepository } from '../src/modules/units/units.repository';
import { argValue, DEFAULT_BENCH_DATABASE_URL, generate, positiveInt } from './generate';

/**
 * Spec §7 at Denpasar scale: GET /promotion-candidates over 10,000 employees and `years` CLOSED annual periods,
 * timed in the same process as a floor (one raw SQL aggregate of the same finalised scores, fetched).
 */
const YEARS = positiveInt(argValue(process.argv, '--years') ?? process.env.BENCH_YEARS, '--years') ?? 5;
const EMPLOYEES = positiveInt(argValue(process.argv, '--employees') ?? process.env.BENCH_EMPLOYEES, '--employees') ?? 10_000;
const URL_ = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e9, r];
}

async function main(): Promise<void> {
  await generate(URL_, { employees: EMPLOYEES });
  const ds = new DataSource(dataSourceOptions(URL_));
  await ds.initialize();
  try {
    // Closed annual periods with finalised appraisals and scores for every employee, set-based.
    await ds.query(
      `INSERT INTO periods (code, type, start_date, end_date, status, policy, closed_at)
       SELECT y::text, 'ANNUAL', make_date(y, 1, 1), make_date(y, 12, 31), 'CLOSED', '{}'::jsonb, now()
         FROM generate_series(2026 - $1::int, 2025) AS y`,
      [YEARS],
    );
    await ds.query(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, status, finalized_at)
       SELECT e.id, p.id, e.unit_id, 'FINALIZED', now() FROM employees e CROSS JOIN periods p WHERE p.type = 'ANNUAL'`,
    );
    await ds.query(
      `INSERT INTO appraisal_scores (appraisal_id, result_score, behaviour_score, final_score, result_rating, behaviour_rating,
                                     predicate, predicate_code, breakdown, computed_at)
       SELECT a.id, s, s, s, 'MEETS_EXPECTATION', 'MEETS_EXPECTATION',
              (CASE WHEN s >= 110 THEN 'SANGAT_BAIK' WHEN s >= 90 THEN 'BAIK' ELSE 'BUTUH_PERBAIKAN' END)::predicate,
              CASE WHEN s >= 110 THEN 1 WHEN s >= 90 THEN 2 ELSE 3 END, '{}'::jsonb, now()
         FROM (SELECT a.id, round((80 + random() * 40)::numeric, 2) AS s
                 FROM appraisals a JOIN periods p ON p.id = a.period_id WHERE p.type = 'ANNUAL') a`,
    );
    await ds.query(`UPDATE employees SET rank_since = '2018-04-01', potential = (ARRAY['LOW','MEDIUM','HIGH'])[1 + (abs(hashtext(nip)) % 3)]::potential`);
    await ds.query('VACUUM ANALYZE');

    const units = new UnitsRepository(ds);
    const service = new PromotionCandidatesService(ds, new PromotionCandidatesRepository(ds), new ShortlistsRepository(ds), units, new AuditService(new AuditRepository(ds)));
    const admin: Actor = { principal: { kind: 'user', id: '00000000-0000-4000-8000-000000000000', username: 'bench', role: 'ADMIN', employeeId: null, unitId: null }, requestId: 'bench' };
    const query = { page: 1, pageSize: 50, asOf: '2026-03-01' };
    const floor = () =>
      ds.query(
        `SELECT a.employee_id, avg(s.final_score), min(s.predicate_code), count(*) FILTER (WHERE s.predicate = 'SANGAT_BAIK')
           FROM appraisals a JOIN appraisal_scores s ON s.appraisal_id = a.id
          WHERE a.period_id IN (SELECT id FROM periods WHERE type = 'ANNUAL' AND status = 'CLOSED' ORDER BY end_date DESC LIMIT 2)
          GROUP BY a.employee_id`,
      );
    await service.list(admin, query); // warm-up
    await floor();
    const runs: number[] = [];
    const floors: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const [t, page] = await time(() => service.list(admin, query));
      runs.push(t);
      total = page.total;
      floors.push((await time(floor))[0]);
    }
    const [tAll] = await time(() => service.list(admin, { ...query, includeIneligible: true }));
    const best = Math.min(...runs);
    const bestFloor = Math.min(...floors);
    console.log(`promotion candidates: ${EMPLOYEES} employees, ${YEARS} closed annual periods (window 2)`);
    console.log(`  GET /promotion-candidates        ${best.toFixed(3)} s  (best of 5: ${runs.map((r) => r.toFixed(3)).join(', ')}); ${total} eligible`);
    console.log(`  with includeIneligible           ${tAll.toFixed(3)} s`);
    console.log(`  floor, one SQL aggregate         ${bestFloor.toFixed(3)} s`);
    console.log(`  ratio                            ${(best / bestFloor).toFixed(2)}`);
  } finally {
    await ds.destroy();
  }
}

void main();
