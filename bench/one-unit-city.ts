import { Client } from 'pg';
import { DEFAULT_SCORING_POLICY } from '../src/modules/scoring/policy';

export const WITA_TODAY = `(now() AT TIME ZONE 'Asia/Makassar')::date`;

export interface OneUnitCity {
  unitId: string;
  indicatorId: string;
  periodId: string;
  /** WITA today, inside the period. */
  today: string;
  /** Employee 0: the unit's head, who supervises and assesses everybody else. */
  headId: string;
}

/**
 * The smallest city a bench of the HTTP path needs, in set-based SQL: one DINAS, one SUM indicator, one OPEN
 * monthly period holding today (WITA), its head and `staff` employees (NIPs as in generate.ts, unique per n), each
 * with an AGREED appraisal assessed by the head and one target of 100 at weight 100.
 */
export async function seedOneUnitCity(db: Client, code: string, staff: number): Promise<OneUnitCity> {
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await db.query(sql, params)).rows[0] as T;
  const { id: unitId } = await one<{ id: string }>(
    `INSERT INTO units (code, name, kind, public_service) VALUES ($1, $2, 'DINAS', false) RETURNING id`,
    [code, `Dinas ${code}`],
  );
  const { id: indicatorId } = await one<{ id: string }>(
    `INSERT INTO indicators (code, name, unit_of_measure, aspect, direction, aggregation)
     VALUES ($1, 'Dokumen yang diselesaikan', 'dokumen', 'QUANTITY', 'HIGHER_IS_BETTER', 'SUM') RETURNING id`,
    [`${code}-DOK`],
  );
  const { id: periodId, today } = await one<{ id: string; today: string }>(
    `INSERT INTO periods (code, type, start_date, end_date, status, policy)
     SELECT $1, 'MONTHLY', m, (m + interval '1 month' - interval '1 day')::date, 'OPEN', $2::jsonb
       FROM (SELECT date_trunc('month', ${WITA_TODAY})::date AS m) x RETURNING id, ${WITA_TODAY}::text AS today`,
    [code, JSON.stringify(DEFAULT_SCORING_POLICY)],
  );
  await db.query(
    `INSERT INTO employees (nip, name, employment_type, gender, birth_date, rank, rank_since, job_type, position_title,
                            unit_id, service_start, status)
     SELECT to_char(x.birth, 'YYYYMMDD') || to_char(x.tmt, 'YYYYMM') || (1 + n % 2)::text || lpad((n % 1000)::text, 3, '0'),
            format('Pegawai Bench %s', n), 'PNS', (CASE WHEN n % 2 = 0 THEN 'MALE' ELSE 'FEMALE' END)::gender, x.birth,
            CASE WHEN n = 0 THEN 'IV/a' ELSE 'III/a' END, date '2020-04-01',
            (CASE WHEN n = 0 THEN 'ADMINISTRATOR' ELSE 'PELAKSANA' END)::job_type,
            CASE WHEN n = 0 THEN 'Kepala Dinas Bench' ELSE 'Staf Dinas Bench' END, $1::uuid, x.tmt, 'ACTIVE'
       FROM generate_series(0, $2::int) n
      CROSS JOIN LATERAL (SELECT date '1970-01-01' + (n * 7919) % 10950 AS birth) b
      CROSS JOIN LATERAL (SELECT b.birth, (b.birth + interval '23 years')::date AS tmt) x`,
    [unitId, staff],
  );
  const { id: headId } = await one<{ id: string }>(`SELECT id FROM employees WHERE unit_id = $1 AND position_title = 'Kepala Dinas Bench'`, [unitId]);
  await db.query(`UPDATE employees SET supervisor_id = $1 WHERE unit_id = $2 AND id <> $1`, [headId, unitId]);
  await db.query(
    `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status, agreed_at)
     SELECT id, $1::uuid, unit_id, $2::uuid, 'AGREED', now() - interval '1 day' FROM employees WHERE unit_id = $3 AND id <> $2::uuid`,
    [periodId, headId, unitId],
  );
  await db.query(
    `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) SELECT id, $1::uuid, 100, 100 FROM appraisals WHERE period_id = $2`,
    [indicatorId, periodId],
  );
  return { unitId, indicatorId, periodId, today, headId };
}
