import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { IndicatorAspect } from '../src/modules/indicators/entities/indicator.entity';
import { DEFAULT_SCORING_POLICY } from '../src/modules/scoring/policy';
import { BEHAVIOUR_ASPECTS, IndicatorAggregation, IndicatorDirection } from '../src/modules/scoring/types';

/**
 * Data generator for the recalculation benchmark: a Denpasar-scale OPEN monthly period, written with
 * set-based SQL only (INSERT … SELECT over generate_series / unnest; no row-by-row loop anywhere).
 *
 *   ts-node -T bench/generate.ts [--employees 10000] [--feedback-per-month 20000]
 *
 * The database named by BENCH_DATABASE_URL is dropped, recreated and migrated with the real migrations.
 */

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/capaian_bench';
export const BENCH_PERIOD_CODE = 'BENCH-2025-05';
export const BENCH_PERIOD = { start: '2025-05-01', end: '2025-05-31' } as const;

export interface BenchSizes {
  employees: number;
  /** All units: one city root, about three quarters OPDs, the rest bidang under the first OPDs. */
  units: number;
  indicators: number;
  targetsPerAppraisal: number;
  achievementsPerTarget: number;
  /** Share of appraisals that are ASSESSED, i.e. have behaviour ratings (the rest are AGREED). */
  behaviourShare: number;
  /** Seed of PostgreSQL's random(), so that two runs generate the same numbers. */
  seed: number;
  /** Citizen feedback responses per month (0: none); spread over the period and `feedbackMonthsAround`. */
  feedbackPerMonth: number;
  /** Whole months of feedback before and after the period (outside its dates: exercises the date filter). */
  feedbackMonthsAround: number;
}

/**
 * About 60 units, 10,000 employees, 5 targets each, 8 achievements per target (≈ 400,000 achievements), and
 * about 20,000 citizen feedback responses a month over the period and the month before and after (≈ 60,000).
 */
export const DENPASAR: Readonly<BenchSizes> = Object.freeze({
  employees: 10_000,
  units: 60,
  indicators: 12,
  targetsPerAppraisal: 5,
  achievementsPerTarget: 8,
  behaviourShare: 0.5,
  seed: 0.2025,
  feedbackPerMonth: 20_000,
  feedbackMonthsAround: 1,
});

export interface GeneratedPeriod {
  url: string;
  periodId: string;
  sizes: BenchSizes;
  units: number;
  employees: number;
  appraisals: number;
  targets: number;
  achievements: number;
  feedback: number;
  seconds: number;
}

interface IndicatorSpec {
  code: string;
  name: string;
  unitOfMeasure: string;
  aspect: IndicatorAspect;
  direction: IndicatorDirection;
  aggregation: IndicatorAggregation;
  /** Typical target; each target draws 0.8–1.2 × this. */
  base: number;
}

/** Every aggregation and both directions; cycled when more indicators are asked for. */
const INDICATORS: IndicatorSpec[] = [
  { code: 'DOK-SELESAI', name: 'Dokumen layanan yang diselesaikan', unitOfMeasure: 'dokumen', aspect: 'QUANTITY', direction: 'HIGHER_IS_BETTER', aggregation: 'SUM', base: 120 },
  { code: 'WAKTU-TUNGGU', name: 'Rata-rata waktu tunggu layanan', unitOfMeasure: 'menit', aspect: 'TIME', direction: 'LOWER_IS_BETTER', aggregation: 'AVERAGE', base: 30 },
  { code: 'KEPUASAN', name: 'Persentase responden puas', unitOfMeasure: 'persen', aspect: 'QUALITY', direction: 'HIGHER_IS_BETTER', aggregation: 'LATEST', base: 85 },
  { code: 'ANGGARAN-TERSERAP', name: 'Realisasi serapan anggaran kegiatan', unitOfMeasure: 'persen', aspect: 'COST', direction: 'HIGHER_IS_BETTER', aggregation: 'MAX', base: 90 },
  { code: 'SLA-TERENDAH', name: 'Capaian SLA terendah dalam bulan', unitOfMeasure: 'persen', aspect: 'QUALITY', direction: 'HIGHER_IS_BETTER', aggregation: 'MIN', base: 80 },
  { code: 'ADUAN-TERBUKA', name: 'Aduan masyarakat yang belum ditindaklanjuti', unitOfMeasure: 'aduan', aspect: 'QUALITY', direction: 'LOWER_IS_BETTER', aggregation: 'SUM', base: 16 },
  { code: 'KEGIATAN', name: 'Kegiatan lapangan yang dilaksanakan', unitOfMeasure: 'kegiatan', aspect: 'QUANTITY', direction: 'HIGHER_IS_BETTER', aggregation: 'SUM', base: 24 },
  { code: 'AKURASI-DATA', name: 'Akurasi data kepegawaian', unitOfMeasure: 'persen', aspect: 'QUALITY', direction: 'HIGHER_IS_BETTER', aggregation: 'AVERAGE', base: 95 },
  { code: 'HARI-PROSES', name: 'Lama proses izin terpanjang', unitOfMeasure: 'hari', aspect: 'TIME', direction: 'LOWER_IS_BETTER', aggregation: 'MAX', base: 5 },
  { code: 'BIAYA-SATUAN', name: 'Biaya satuan layanan terendah', unitOfMeasure: 'ribu rupiah', aspect: 'COST', direction: 'LOWER_IS_BETTER', aggregation: 'MIN', base: 50 },
  { code: 'SISA-BERKAS', name: 'Berkas tertunda di akhir bulan', unitOfMeasure: 'berkas', aspect: 'TIME', direction: 'LOWER_IS_BETTER', aggregation: 'LATEST', base: 10 },
  { code: 'PESERTA-LATIH', name: 'Peserta pelatihan yang lulus', unitOfMeasure: 'orang', aspect: 'QUANTITY', direction: 'HIGHER_IS_BETTER', aggregation: 'AVERAGE', base: 40 },
];

/** Integer weights > 0 summing to 100; appraisals cycle through the patterns. */
function weightPatterns(targets: number): number[][] {
  if (targets === 5) return [[20, 20, 20, 20, 20], [30, 25, 20, 15, 10], [40, 20, 15, 15, 10]];
  const equal = Array.from({ length: targets }, (_, i) => Math.floor(100 / targets) + (i < 100 % targets ? 1 : 0));
  return [equal];
}

function checkSizes(s: BenchSizes): void {
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!whole(s.units, 2)) throw new RangeError(`units must be an integer ≥ 2 (got ${s.units})`);
  if (!whole(s.employees, s.units)) throw new RangeError(`employees must be an integer ≥ units (${s.units}), one head per unit (got ${s.employees})`);
  if (!whole(s.targetsPerAppraisal, 1) || s.targetsPerAppraisal > 100) throw new RangeError('targetsPerAppraisal must be 1–100');
  if (!whole(s.indicators, s.targetsPerAppraisal)) throw new RangeError('indicators must be ≥ targetsPerAppraisal (one target per indicator)');
  if (!whole(s.achievementsPerTarget, 0)) throw new RangeError('achievementsPerTarget must be an integer ≥ 0');
  if (!(s.behaviourShare >= 0 && s.behaviourShare <= 1)) throw new RangeError('behaviourShare must be within 0–1');
  if (!(s.seed >= -1 && s.seed <= 1)) throw new RangeError('seed must be within -1–1 (setseed)');
  if (!whole(s.feedbackPerMonth, 0)) throw new RangeError('feedbackPerMonth must be an integer ≥ 0');
  if (!whole(s.feedbackMonthsAround, 0) || s.feedbackMonthsAround > 12) throw new RangeError('feedbackMonthsAround must be an integer 0–12');
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`refusing to drop the database "${name}": not a plain identifier`);
  return name;
}

/** Drops and creates a benchmark database (its name must contain "bench"); shared by every bench script. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  // The database is dropped: refuse names that do not look like a benchmark's, unless told otherwise.
  if (!/bench/i.test(name) && process.env.BENCH_ALLOW_DROP !== '1') {
    throw new Error(`refusing to drop the database "${name}": its name does not contain "bench" (set BENCH_ALLOW_DROP=1 to force)`);
  }
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/** Drops and recreates the database at `url`, runs the migrations and fills one OPEN monthly period. */
export async function generate(url: string = DEFAULT_BENCH_DATABASE_URL, sizes: Partial<BenchSizes> = {}): Promise<GeneratedPeriod> {
  const s: BenchSizes = { ...DENPASAR, ...sizes };
  checkSizes(s);
  const started = performance.now();
  await recreateDatabase(url);

  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    // One session throughout: the temporary tables and setseed() live in it.
    const qr = ds.createQueryRunner();
    await qr.connect();
    try {
      const periodId = await fill(qr, s);
      const counts = await qr.manager.query<{ units: number; employees: number; appraisals: number; targets: number; achievements: number; feedback: number }[]>(
        `SELECT (SELECT count(*)::int FROM units) AS units, (SELECT count(*)::int FROM employees) AS employees,
                (SELECT count(*)::int FROM appraisals) AS appraisals, (SELECT count(*)::int FROM appraisal_targets) AS targets,
                (SELECT count(*)::int FROM achievements) AS achievements, (SELECT count(*)::int FROM public_feedback) AS feedback`,
      );
      // Lets a benchmark reuse the database when it was generated with the same sizes.
      await qr.query(`COMMENT ON DATABASE "${databaseName(url)}" IS '${JSON.stringify({ periodId, sizes: s })}'`);
      return { url, periodId, sizes: s, ...counts[0], seconds: (performance.now() - started) / 1000 };
    } finally {
      await qr.release();
    }
  } finally {
    await ds.destroy();
  }
}

/** The period of an earlier `generate` with exactly these sizes, or null (then generate again). */
export async function findGenerated(url: string, sizes: Partial<BenchSizes> = {}): Promise<GeneratedPeriod | null> {
  const s: BenchSizes = { ...DENPASAR, ...sizes };
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    const rows = await admin.query<{ comment: string | null }>(
      'SELECT shobj_description(oid, \'pg_database\') AS comment FROM pg_database WHERE datname = $1',
      [databaseName(url)],
    );
    const comment = rows.rows[0]?.comment;
    if (!comment) return null;
    const meta = JSON.parse(comment) as { periodId: string; sizes: BenchSizes };
    if (JSON.stringify(meta.sizes) !== JSON.stringify(s)) return null;
    return { url, periodId: meta.periodId, sizes: s, units: 0, employees: 0, appraisals: 0, targets: 0, achievements: 0, feedback: 0, seconds: 0 };
  } finally {
    await admin.end();
  }
}

async function fill(qr: QueryRunner, s: BenchSizes): Promise<string> {
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await qr.query(sql, params);
    if (process.env.BENCH_VERBOSE) console.log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(2)} s`);
  };
  await qr.query('SELECT setseed($1)', [s.seed]);

  // --- Units: the city, its OPDs, and one sub-unit under each of the first OPDs. idx 1 is the root. A sub-unit
  // is a KELURAHAN under a KECAMATAN, a UPTD under a DINAS, else a BIDANG. Public service units (they collect
  // citizen feedback, spec §4): every KECAMATAN, KELURAHAN and UPTD, and two DINAS in three (idx % 3 <> 0);
  // never BADAN, SEKRETARIAT, BAGIAN, BIDANG or the root. So a KELURAHAN nests in a public KECAMATAN, a UPTD may
  // sit under a public DINAS or not, and a BIDANG's nearest public service unit is its OPD or none. No random()
  // here, so the data drawn after the units is the same as before feedback was added. ---
  const opds = Math.max(1, Math.round((s.units - 1) * 0.76));
  const bidang = s.units - 1 - opds;
  await step(
    'units',
    `CREATE TEMP TABLE bench_units (idx int PRIMARY KEY, id uuid NOT NULL DEFAULT gen_random_uuid(), parent_idx int)`,
  );
  await step(
    'units',
    `INSERT INTO bench_units (idx, parent_idx)
     SELECT 1, NULL
     UNION ALL SELECT 1 + g, 1 FROM generate_series(1, $1::int) g
     UNION ALL SELECT 1 + $1::int + g, 2 + (g - 1) % $1::int FROM generate_series(1, $2::int) g`,
    [opds, bidang],
  );
  await step(
    'units',
    `INSERT INTO units (id, code, name, kind, parent_id, public_service)
     SELECT u.id,
            CASE WHEN u.idx = 1 THEN 'PEMKOT-DPS'
                 WHEN u.parent_idx = 1 THEN format('OPD-%s', lpad((u.idx - 1)::text, 3, '0'))
                 ELSE format('%s-%s', CASE k.kind WHEN 'KELURAHAN' THEN 'KEL' WHEN 'UPTD' THEN 'UPTD' ELSE 'BID' END,
                             lpad((u.idx - 1 - $1::int)::text, 3, '0')) END,
            CASE WHEN u.idx = 1 THEN 'Pemerintah Kota Denpasar'
                 WHEN u.parent_idx = 1 THEN format('%s %s', initcap(k.kind::text), u.idx - 1)
                 ELSE format('%s %s', CASE k.kind WHEN 'UPTD' THEN 'UPTD' ELSE initcap(k.kind::text) END, u.idx - 1 - $1::int) END,
            k.kind, p.id,
            k.kind IN ('KECAMATAN', 'KELURAHAN', 'UPTD') OR (k.kind = 'DINAS' AND u.idx % 3 <> 0)
       FROM bench_units u
       LEFT JOIN bench_units p ON p.idx = u.parent_idx
       CROSS JOIN LATERAL (SELECT (ARRAY['DINAS','BADAN','KECAMATAN','DINAS','SEKRETARIAT','BAGIAN','UPTD']) AS opd_kinds) o
       CROSS JOIN LATERAL (SELECT (CASE WHEN u.idx = 1 THEN 'OTHER'
                                        WHEN u.parent_idx = 1 THEN o.opd_kinds[1 + u.idx % 7]
                                        WHEN o.opd_kinds[1 + u.parent_idx % 7] = 'KECAMATAN' THEN 'KELURAHAN'
                                        WHEN o.opd_kinds[1 + u.parent_idx % 7] = 'DINAS' THEN 'UPTD'
                                        ELSE 'BIDANG' END)::unit_kind AS kind) k`,
    [opds],
  );

  // --- Employees: employee n ≤ units heads unit n; the rest are spread unevenly (big OPDs, small bidang). ---
  await step(
    'employees',
    `CREATE TEMP TABLE bench_employees (n int PRIMARY KEY, id uuid NOT NULL DEFAULT gen_random_uuid(), unit_idx int NOT NULL)`,
  );
  await step(
    'employees',
    `INSERT INTO bench_employees (n, unit_idx)
     SELECT n, CASE WHEN n <= $2::int THEN n ELSE 1 + floor(power(random(), 1.6) * $2::int)::int END
       FROM generate_series(1, $1::int) n`,
    [s.employees, s.units],
  );
  // NIP: birth date (8) + TMT CPNS month (6) + gender (1) + sequence (3) = 18 digits. The birth date is a
  // bijection of n mod 10950 and the sequence is n mod 1000, so NIPs are unique up to 219,000 employees.
  await step(
    'employees',
    `INSERT INTO employees (id, nip, name, employment_type, gender, birth_date, rank, rank_since, job_type, position_title,
                            functional_level, unit_id, supervisor_id, service_start, status, potential)
     SELECT e.id,
            to_char(x.birth, 'YYYYMMDD') || to_char(x.tmt, 'YYYYMM') || (1 + e.n % 2)::text || lpad((e.n % 1000)::text, 3, '0'),
            format('Pegawai %s', e.n),
            (CASE WHEN e.n % 9 = 0 THEN 'PPPK' ELSE 'PNS' END)::employment_type,
            (CASE WHEN e.n % 2 = 0 THEN 'MALE' ELSE 'FEMALE' END)::gender,
            x.birth,
            (ARRAY['II/c','II/d','III/a','III/b','III/c','III/d','IV/a','IV/b'])[1 + e.n % 8],
            least(x.tmt + make_interval(years => 4 + e.n % 12), date '2024-10-01'),
            x.job_type,
            CASE WHEN e.n <= $1::int THEN format('Kepala %s', u.name) ELSE format('Staf %s', u.name) END,
            (CASE WHEN x.job_type = 'FUNGSIONAL' THEN 'AHLI_PERTAMA' END)::functional_level,
            u.id,
            CASE WHEN e.n <= $1::int THEN parent_head.id ELSE head.id END,
            x.tmt,
            'ACTIVE',
            (ARRAY['LOW','MEDIUM','HIGH'])[1 + e.n % 3]::potential
       FROM bench_employees e
       JOIN bench_units bu ON bu.idx = e.unit_idx
       JOIN units u ON u.id = bu.id
       JOIN bench_employees head ON head.n = bu.idx
       LEFT JOIN bench_employees parent_head ON parent_head.n = bu.parent_idx
      CROSS JOIN LATERAL (
            SELECT date '1966-01-01' + (e.n * 7919) % 10950 AS birth0,
                   (CASE WHEN e.n = 1 THEN 'JPT_MADYA'
                         WHEN e.n <= $1::int AND bu.parent_idx = 1 THEN 'JPT_PRATAMA'
                         WHEN e.n <= $1::int THEN 'ADMINISTRATOR'
                         ELSE (ARRAY['PELAKSANA','PELAKSANA','FUNGSIONAL','PENGAWAS'])[1 + e.n % 4] END)::job_type AS job_type) j
      CROSS JOIN LATERAL (
            SELECT j.birth0 AS birth, (j.birth0 + make_interval(years => 23, months => e.n % 60))::date AS tmt, j.job_type) x`,
    [s.units],
  );

  // --- Indicators: a mix of all five aggregations and both directions. ---
  const specs = Array.from({ length: s.indicators }, (_, i) => {
    const spec = INDICATORS[i % INDICATORS.length];
    const round = Math.floor(i / INDICATORS.length);
    return round ? { ...spec, code: `${spec.code}-${round + 1}` } : spec;
  });
  await step(
    'indicators',
    `CREATE TEMP TABLE bench_indicators (idx int PRIMARY KEY, id uuid NOT NULL DEFAULT gen_random_uuid(), code text, name text,
                                         uom text, aspect indicator_aspect, direction indicator_direction,
                                         aggregation indicator_aggregation, base numeric)`,
  );
  await step(
    'indicators',
    `INSERT INTO bench_indicators (idx, code, name, uom, aspect, direction, aggregation, base)
     SELECT i - 1, code, name, uom, aspect::indicator_aspect, direction::indicator_direction,
            aggregation::indicator_aggregation, base
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
            WITH ORDINALITY AS v(code, name, uom, aspect, direction, aggregation, base, i)`,
    [
      specs.map((x) => x.code),
      specs.map((x) => x.name),
      specs.map((x) => x.unitOfMeasure),
      specs.map((x) => x.aspect),
      specs.map((x) => x.direction),
      specs.map((x) => x.aggregation),
      specs.map((x) => x.base),
    ],
  );
  await step(
    'indicators',
    `INSERT INTO indicators (id, code, name, unit_of_measure, aspect, direction, aggregation)
     SELECT id, code, name, uom, aspect, direction, aggregation FROM bench_indicators`,
  );

  // --- The period, with the default policy as its snapshot. ---
  const [{ id: periodId }] = await qr.manager.query<{ id: string }[]>(
    `INSERT INTO periods (code, type, start_date, end_date, status, policy)
     VALUES ($1, 'MONTHLY', $2, $3, 'OPEN', $4::jsonb) RETURNING id`,
    [BENCH_PERIOD_CODE, BENCH_PERIOD.start, BENCH_PERIOD.end, JSON.stringify(DEFAULT_SCORING_POLICY)],
  );

  // --- One appraisal per employee: ASSESSED with all seven behaviour ratings, or AGREED. ---
  const rating = `(CASE WHEN random() < 0.2 THEN 'ABOVE_EXPECTATION' WHEN random() < 0.9 THEN 'MEETS_EXPECTATION' ELSE 'BELOW_EXPECTATION' END)`;
  const ratings = `jsonb_build_object(${BEHAVIOUR_ASPECTS.map((a) => `'${a}', ${rating}`).join(', ')})`;
  await step(
    'appraisals',
    `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, reviewer_id, status, agreed_at,
                             behaviour_ratings, assessed_at)
     SELECT e.id, $1::uuid, e.unit_id, e.supervisor_id, s.supervisor_id,
            (CASE WHEN e.assessed THEN 'ASSESSED' ELSE 'AGREED' END)::appraisal_status,
            now() - interval '20 days',
            CASE WHEN e.assessed THEN ${ratings} END,
            CASE WHEN e.assessed THEN now() END
       FROM (SELECT *, random() < $2::float8 AS assessed FROM employees) e
       LEFT JOIN employees s ON s.id = e.supervisor_id`,
    [periodId, s.behaviourShare],
  );

  // --- Targets: indicator (rn + k) mod indicators, so an appraisal's indicators are distinct. ---
  await step(
    'targets',
    `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight)
     SELECT a.id, i.id, round((i.base * (0.8 + 0.4 * random()))::numeric, CASE WHEN i.base < 20 THEN 2 ELSE 0 END),
            ($3::int[])[1 + a.rn % $4::int][1 + k]
       FROM (SELECT id, (row_number() OVER (ORDER BY employee_id))::int AS rn FROM appraisals WHERE period_id = $1::uuid) a
      CROSS JOIN generate_series(0, $2::int - 1) k
       JOIN bench_indicators i ON i.idx = (a.rn + k) % $5::int`,
    [periodId, s.targetsPerAppraisal, weightPatterns(s.targetsPerAppraisal), weightPatterns(s.targetsPerAppraisal).length, s.indicators],
  );

  // --- Achievements: VERIFIED, spread over the month. q is the target's realisation ratio r/t (0.55–1.35),
  // drawn once per target; each aggregation gets values whose combination lands near q·t. ---
  await step(
    'achievements',
    `WITH t AS MATERIALIZED (
       SELECT t.id, t.appraisal_id, t.target, i.aggregation, ap.employee_id, coalesce(ap.assessor_id, ap.employee_id) AS decider,
              0.55 + 0.8 * random() AS q
         FROM appraisal_targets t
         JOIN appraisals ap ON ap.id = t.appraisal_id
         JOIN indicators i ON i.id = t.indicator_id
        WHERE ap.period_id = $1::uuid)
     INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by, decided_by, decided_at,
                               created_at, updated_at)
     SELECT t.id, t.appraisal_id,
            round((t.target * t.q * CASE t.aggregation
                                      WHEN 'SUM' THEN (0.7 + 0.6 * random()) / $2::int
                                      WHEN 'AVERAGE' THEN 0.8 + 0.4 * random()
                                      WHEN 'MAX' THEN 0.75 + 0.25 * random()
                                      WHEN 'MIN' THEN 1 + 0.3 * random()
                                      ELSE 0.9 + 0.2 * random() END)::numeric, 4),
            $3::date + least($5::int - 1, floor(((j - 1) + random()) * $5::int / $2::int))::int,
            'VERIFIED', t.employee_id, t.decider, x.at, x.at, x.at
       FROM t
      CROSS JOIN generate_series(1, $2::int) j
      CROSS JOIN LATERAL (SELECT $4::timestamptz + make_interval(hours => j * 24 * 3) AS at) x`,
    [
      periodId,
      s.achievementsPerTarget,
      BENCH_PERIOD.start,
      `${BENCH_PERIOD.start}T09:00:00+08:00`,
      Math.round((Date.parse(BENCH_PERIOD.end) - Date.parse(BENCH_PERIOD.start)) / 86_400_000) + 1,
    ],
  );

  // Last, so that everything above draws the same random() numbers with or without feedback.
  if (s.feedbackPerMonth > 0) await fillFeedback(step, s);

  // Planner statistics and the visibility map, as a database in use would have them after autovacuum. The
  // visibility map matters to the feedback query: its index-only scans of ix_public_feedback_unit_on /
  // ix_public_feedback_employee_on read the heap for every page not marked all-visible.
  await step(
    'vacuum',
    'VACUUM (ANALYZE) units, employees, indicators, periods, appraisals, appraisal_targets, achievements, service_tickets, public_feedback',
  );
  return periodId;
}

type Step = (label: string, sql: string, params?: unknown[]) => Promise<void>;

/**
 * Citizen feedback (spec §4), about `feedbackPerMonth` responses a month from `feedbackMonthsAround` months before
 * the period to as many after it (May 2025 ± 1: 91 days, ≈ 59,800 responses, ≈ 20,400 of them in the period).
 *
 * - Where: a response is about the unit of a drawn employee (the officer who served), 95 % among employees of units
 *   with a public service unit at or above them, 5 % among the others (the intake accepts any active unit). The
 *   draw is skewed (rank^1.5 over a random order of employees), so front-desk officers collect many responses and
 *   most employees few or none, and big units more than small ones.
 * - Status 50 % PUBLISHED, 35 % VERIFIED, 10 % HELD, 5 % REJECTED. VERIFIED means a used service ticket (one
 *   service_tickets row each, as the intake requires); so do a third of HELD and REJECTED responses. HELD is the
 *   burst hold about an officer, so a HELD response always names one; the others name the officer with
 *   probability 0.5 / 0.9, about 60 % in all. REJECTED ones carry a moderation.
 * - Answers U1–U9 mostly 3 and 4 (≈ 2 % 1, 8 % 2, 45 % 3, 45 % 4; IKM ≈ 83), shifted by a per-unit quality
 *   (±0.1, from a hash of the unit code) and a per-response mood (±0.15), so unit indices differ.
 * - submitted_at between 06:00 and 22:00 WITA, submitted_on its WITA date. Contact and IP hashes are NULL, as the
 *   hourly retention leaves them after 24 hours; some responses have a comment and a respondent profile.
 */
async function fillFeedback(step: Step, s: BenchSizes): Promise<void> {
  // Employees who can be named, in a random order per group: 0 under a public service unit, 1 elsewhere.
  await step(
    'feedback',
    `CREATE TEMP TABLE bench_fb_staff (grp int, k int, employee_id uuid NOT NULL, unit_id uuid NOT NULL, PRIMARY KEY (grp, k))`,
  );
  await step(
    'feedback',
    `WITH RECURSIVE covered AS (
       SELECT id FROM units WHERE public_service
       UNION
       SELECT c.id FROM covered JOIN units c ON c.parent_id = covered.id
     )
     INSERT INTO bench_fb_staff (grp, k, employee_id, unit_id)
     SELECT grp, row_number() OVER (PARTITION BY grp ORDER BY r, id)::int, id, unit_id
       FROM (SELECT e.id, e.unit_id, CASE WHEN e.unit_id IN (SELECT id FROM covered) THEN 0 ELSE 1 END AS grp, random() AS r
               FROM employees e WHERE e.status = 'ACTIVE' ORDER BY e.nip) x`,
  );
  // One row per response with its draws; ids are made here so that tickets and responses can refer to each other.
  await step(
    'feedback',
    `CREATE TEMP TABLE bench_fb AS
     WITH bounds AS (
       SELECT ($1::date - make_interval(months => $3::int))::date AS lo,
              ($2::date + 1 + make_interval(months => $3::int) - interval '1 day')::date AS hi
     ), groups AS (
       SELECT count(*) FILTER (WHERE grp = 0)::int AS n0, count(*) FILTER (WHERE grp = 1)::int AS n1 FROM bench_fb_staff
     ), draws AS (
       SELECT g, random() AS r_grp, random() AS r_emp, random() AS r_status, random() AS r_named, random() AS r_ticket,
              random() AS r_day, random() AS r_time, random() AS r_channel, random() AS r_mood, random() AS r_extra
         FROM bounds, generate_series(1, round($4::int * ((bounds.hi - bounds.lo + 1) / 30.4375))::int) g
     ), picked AS (
       SELECT d.*, CASE WHEN d.r_grp >= 0.95 AND gr.n1 > 0 THEN 1 ELSE 0 END AS grp,
              CASE WHEN d.r_grp >= 0.95 AND gr.n1 > 0 THEN gr.n1 ELSE gr.n0 END AS n,
              (CASE WHEN d.r_status < 0.50 THEN 'PUBLISHED' WHEN d.r_status < 0.85 THEN 'VERIFIED'
                    WHEN d.r_status < 0.95 THEN 'HELD' ELSE 'REJECTED' END)::feedback_status AS status,
              b.lo + floor(d.r_day * (b.hi - b.lo + 1))::int AS day
         FROM draws d CROSS JOIN groups gr CROSS JOIN bounds b
     )
     SELECT gen_random_uuid() AS id, p.status, p.day, st.unit_id, u.code AS unit_code,
            CASE WHEN p.status = 'HELD' OR p.r_named < 0.5 / 0.9 THEN st.employee_id END AS employee_id,
            CASE WHEN p.status = 'VERIFIED' OR (p.status IN ('HELD', 'REJECTED') AND p.r_ticket < 0.35) THEN gen_random_uuid() END AS ticket_id,
            (p.day + time '06:00' + p.r_time * interval '16 hours') AT TIME ZONE 'Asia/Makassar' AS at,
            (CASE WHEN p.r_channel < 0.35 THEN 'WEB' WHEN p.r_channel < 0.65 THEN 'KIOSK' WHEN p.r_channel < 0.90 THEN 'MOBILE'
                  WHEN p.r_channel < 0.95 THEN 'FORUM' ELSE 'OTHER' END)::feedback_channel AS channel,
            -- Threshold between a 3 and a 4: unit quality ±0.1, mood ±0.15 around 0.55.
            0.55 - (abs(hashtext(u.code)) % 201 - 100) / 1000.0 - (p.r_mood - 0.5) * 0.3 AS t34,
            p.r_extra
       FROM picked p
       JOIN bench_fb_staff st ON st.grp = p.grp AND st.k = least(p.n, 1 + floor(power(p.r_emp, 1.5) * p.n)::int)
       JOIN units u ON u.id = st.unit_id`,
    [BENCH_PERIOD.start, BENCH_PERIOD.end, s.feedbackMonthsAround, s.feedbackPerMonth],
  );
  await step(
    'feedback',
    `INSERT INTO service_tickets (id, token_hash, unit_id, employee_id, service_name, issued_by, issuer_id, expires_at, used_at, created_at)
     SELECT f.ticket_id, encode(sha256(convert_to(f.ticket_id::text, 'UTF8')), 'hex'), f.unit_id, f.employee_id, 'Layanan loket',
            'petugas.loket', '00000000-0000-4000-8000-00000000b0c1', f.at - interval '20 minutes' + interval '30 days', f.at, f.at - interval '20 minutes'
       FROM bench_fb f WHERE f.ticket_id IS NOT NULL`,
  );
  const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  // One draw per answer (a CASE over random() would draw again in every branch).
  const answer = (i: number) => `(CASE WHEN f.a${i} < 0.02 THEN 1 WHEN f.a${i} < 0.10 THEN 2 WHEN f.a${i} < f.t34 THEN 3 ELSE 4 END)::smallint`;
  await step(
    'feedback',
    `INSERT INTO public_feedback (id, unit_id, employee_id, service_name, channel, u1, u2, u3, u4, u5, u6, u7, u8, u9, comment,
                                  respondent, ticket_id, contact_hash, ip_hash, status, submitted_at, submitted_on, moderated_at,
                                  moderated_by, moderation_note)
     SELECT f.id, f.unit_id, f.employee_id,
            (ARRAY['Administrasi kependudukan', 'Perizinan', 'Kesehatan', 'Surat keterangan', 'Pengaduan'])[1 + floor(f.r_extra * 5)::int],
            f.channel,
            ${nine.map(answer).join(',\n            ')},
            CASE WHEN f.r_comment < 0.15 THEN (ARRAY['Pelayanan cepat dan ramah', 'Antrean terlalu lama', 'Petugas membantu',
                                                     'Informasi persyaratan kurang jelas'])[1 + floor(f.r_comment / 0.15 * 4)::int] END,
            CASE WHEN f.r_comment < 0.7 THEN jsonb_build_object(
                   'gender', (ARRAY['MALE', 'FEMALE'])[1 + floor(random() * 2)::int],
                   'ageGroup', (ARRAY['UNDER_20', 'AGE_20_29', 'AGE_30_39', 'AGE_40_49', 'AGE_50_59', 'AGE_60_PLUS'])[1 + floor(random() * 6)::int],
                   'education', (ARRAY['SD', 'SMP', 'SMA', 'SMA', 'D1_D3', 'D4_S1', 'D4_S1', 'S2'])[1 + floor(random() * 8)::int],
                   'occupation', (ARRAY['PNS', 'TNI_POLRI', 'SWASTA', 'WIRAUSAHA', 'PELAJAR_MAHASISWA', 'LAINNYA'])[1 + floor(random() * 6)::int]) END,
            f.ticket_id, NULL, NULL, f.status, f.at, f.day,
            CASE WHEN f.status = 'REJECTED' THEN f.at + interval '1 day' END,
            CASE WHEN f.status = 'REJECTED' THEN 'moderator.bench' END,
            CASE WHEN f.status = 'REJECTED' THEN 'Tidak relevan dengan layanan' END
       FROM (SELECT b.*, ${nine.map((i) => `random() AS a${i}`).join(', ')}, random() AS r_comment
               FROM bench_fb b ORDER BY b.at) f`,
  );
}

/** `--name value` or `--name=value` from argv, else undefined. */
export function argValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1];
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return undefined;
}

export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer (got ${value})`);
  return n;
}

export function nonNegativeInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be an integer ≥ 0 (got ${value})`);
  return n;
}

/** The sizes a command line asks for: `--employees N` (BENCH_EMPLOYEES), `--feedback-per-month N` (BENCH_FEEDBACK_PER_MONTH, 0: none). */
export function sizesFromArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Partial<BenchSizes> {
  const employees = positiveInt(argValue(argv, 'employees') ?? env.BENCH_EMPLOYEES, 'employees');
  const feedbackPerMonth = nonNegativeInt(argValue(argv, 'feedback-per-month') ?? env.BENCH_FEEDBACK_PER_MONTH, 'feedback-per-month');
  return { ...(employees !== undefined && { employees }), ...(feedbackPerMonth !== undefined && { feedbackPerMonth }) };
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const g = await generate(url, sizesFromArgs(process.argv.slice(2)));
  console.log(
    `generated ${g.units} units, ${g.employees} employees, ${g.appraisals} appraisals, ${g.targets} targets, ` +
      `${g.achievements} achievements, ${g.feedback} feedback responses in ${g.seconds.toFixed(1)} s ` +
      `(period ${g.periodId}, ${new URL(url).pathname.slice(1)})`,
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
