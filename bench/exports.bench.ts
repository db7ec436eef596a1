import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { TestRedis, until } from '../test/processes';
import { call, startApi } from './api-process';
import { argValue, generate, nonNegativeInt, positiveInt } from './generate';

/**
 * Spec §10 exports of the bench city (bench/generate.ts: 10,000 appraisals in one MONTHLY period), measured from
 * outside against the real API (`src/main.ts`, production mode, loopback only).
 *
 * Set-up: the city without citizen feedback; the API with its worker computes every score (POST
 * /periods/{id}/recalculate); `--extra N` (0) adds N more appraisals with a BAIK score by SQL, to show that memory
 * does not grow with the rows; then, by SQL in this bench database, every appraisal is FINALIZED and the period
 * CLOSED (the AGREED half of the city has no behaviour, hence no predicate: SIASN leaves it out, the workbook lists it).
 *
 * Measured, for each file, in an API process of its own: `--runs` downloads one after another, time to the last byte
 * (best and worst) and bytes; the API's resident memory (VmRSS) before the downloads and its highest value sampled
 * every 10 ms during them. Baseline in the same run: the SIASN query of the export read whole by `pg` in this process.
 */
const arg = (name: string, env: string) => argValue(process.argv, name) ?? process.env[env];
const DB_URL = process.env.BENCH_EXPORTS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/capaian_bench_exports';
const RUNS = positiveInt(arg('runs', 'BENCH_EXPORTS_RUNS'), '--runs') ?? 3;
const EXTRA = nonNegativeInt(arg('extra', 'BENCH_EXPORTS_EXTRA'), '--extra') ?? 0;
const HEAP_MIB = positiveInt(arg('api-heap-mib', 'BENCH_EXPORTS_API_HEAP_MIB'), '--api-heap-mib');
const ADMIN_PASSWORD = 'bench-admin-password';
const SIZES = { feedbackPerMonth: 0 };

const FILES = [
  ['SIASN CSV', (p: string) => `/periods/${p}/exports/siasn?format=csv`],
  ['SIASN JSON', (p: string) => `/periods/${p}/exports/siasn?format=json`],
  ['results XLSX', (p: string) => `/periods/${p}/exports/results.xlsx`],
] as const;

/** Downloads a file to the last byte, counting bytes and keeping none. */
function download(port: number, path: string, token: string): Promise<{ status: number; bytes: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const generated = await generate(DB_URL, SIZES);
  const periodId = generated.periodId;
  console.log(`city: ${generated.appraisals} appraisals, ${generated.units} units, generated in ${generated.seconds.toFixed(0)} s`);
  const redis = await TestRedis.start();
  const db = new Client({ connectionString: DB_URL });
  await db.connect();
  const agent = new Agent({ keepAlive: true });
  try {
    const setup = await startApi(DB_URL, redis.url, { RECALC_WORKER: 'true' });
    try {
      const token = await login(setup.port, agent);
      {
        await db.query(`UPDATE periods SET status = 'EVALUATION' WHERE id = $1`, [periodId]);
        const run = await call(agent, setup.port, 'POST', `/periods/${periodId}/recalculate`, { token });
        if (run.status !== 202) throw new Error(`recalculate: ${run.status} ${JSON.stringify(run.body)}`);
        let status: unknown;
        await until(
          async () => (status = (await call(agent, setup.port, 'GET', `/recalculations/${String(run.body!.id)}`, { token })).body?.status) === 'COMPLETED',
          120_000,
          'the batch recalculation',
          () => (status === 'FAILED' ? 'the batch recalculation FAILED' : null),
        );
        if (EXTRA) await addAppraisals(db, periodId, EXTRA);
        await db.query(`UPDATE appraisals SET status = 'FINALIZED', finalized_at = now() WHERE period_id = $1`, [periodId]);
        await db.query(`UPDATE periods SET status = 'CLOSED', closed_at = now() WHERE id = $1`, [periodId]);
      }
    } finally {
      await setup.stop();
    }
    const counts = (
      await db.query<{ appraisals: number; rows: number }>(
        `SELECT count(*)::int AS appraisals, count(s.predicate_code)::int AS rows FROM appraisals a LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id WHERE a.period_id = $1`,
        [periodId],
      )
    ).rows[0];
    console.log(`period CLOSED: ${counts.appraisals} appraisals FINALIZED, ${counts.rows} with a predicate (the SIASN rows)`);

    const floor: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await db.query(
        `SELECT e.nip, s.result_rating, s.behaviour_rating, s.predicate_code, ae.nip, ae.name, ae.rank, ae.position_title, au.name
           FROM appraisals a JOIN employees e ON e.id = a.employee_id JOIN appraisal_scores s ON s.appraisal_id = a.id
           LEFT JOIN employees ae ON ae.id = a.assessor_id LEFT JOIN units au ON au.id = ae.unit_id
          WHERE a.period_id = $1 AND a.status = 'FINALIZED' AND s.predicate_code IS NOT NULL ORDER BY e.nip`,
        [periodId],
      );
      floor.push(performance.now() - started);
    }
    console.log(`floor: the SIASN query read whole by pg here, best ${Math.min(...floor).toFixed(0)} ms\n`);
    console.log('file           runs  best ms  worst ms      bytes  RSS before MiB  RSS max during MiB');
    for (const [name, path] of FILES) {
      const api = await startApi(DB_URL, redis.url, HEAP_MIB ? { NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB}` } : {});
      try {
        const token = await login(api.port, agent);
        // Warm: the route, the pool, the period lookup; then the baseline memory.
        const warm = await download(api.port, `/periods/${periodId}/distribution?unitId=00000000-0000-4000-8000-000000000000`, token);
        if (warm.status !== 404) throw new Error(`warm-up: ${warm.status}`);
        const before = rssMiB(api.pid);
        let max = before;
        const sampler = setInterval(() => (max = Math.max(max, rssMiB(api.pid))), 10);
        const runs: { ms: number; bytes: number }[] = [];
        try {
          for (let i = 0; i < RUNS; i++) {
            const r = await download(api.port, path(periodId), token);
            if (r.status !== 200) throw new Error(`${name}: ${r.status}`);
            runs.push(r);
          }
        } finally {
          clearInterval(sampler);
        }
        const ms = runs.map((r) => r.ms);
        console.log(
          `${name.padEnd(14)} ${String(RUNS).padStart(4)} ${Math.min(...ms).toFixed(0).padStart(8)} ${Math.max(...ms).toFixed(0).padStart(9)} ` +
            `${String(runs[0].bytes).padStart(10)} ${String(before).padStart(15)} ${String(max).padStart(19)}`,
        );
      } finally {
        await api.stop();
      }
    }
  } finally {
    agent.destroy();
    await db.end();
    await redis.stop();
  }
}

/** The process's resident memory now (VmRSS), in MiB. */
function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kib) / 1024);
}

/** `n` more employees of the root unit, each with an appraisal of the period scored BAIK, set-based. */
async function addAppraisals(db: Client, periodId: string, n: number): Promise<void> {
  await db.query(
    `WITH head AS (
       SELECT e.id, e.unit_id FROM employees e JOIN units u ON u.id = e.unit_id WHERE u.parent_id IS NULL ORDER BY e.nip LIMIT 1
     ), e AS (
       INSERT INTO employees (nip, name, employment_type, rank, rank_since, job_type, position_title, unit_id, supervisor_id)
       SELECT lpad((900000000000000000 + g)::text, 18, '0'), 'Pegawai Tambahan ' || g, 'PNS', 'II/c', '2020-01-01', 'PELAKSANA',
              'Pengadministrasi', head.unit_id, head.id
         FROM generate_series(1, $2) g, head
       RETURNING id, unit_id, supervisor_id
     ), a AS (
       INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status) SELECT id, $1, unit_id, supervisor_id, 'ASSESSED' FROM e RETURNING id
     )
     INSERT INTO appraisal_scores (appraisal_id, result_score, behaviour_score, final_score, result_rating, behaviour_rating, predicate, predicate_code, breakdown, computed_at)
     SELECT id, 100, 100, 100, 'MEETS_EXPECTATION', 'MEETS_EXPECTATION', 'BAIK', 2, '{}', now() FROM a`,
    [periodId, n],
  );
  await db.query('VACUUM (ANALYZE) employees, appraisals, appraisal_scores');
}

async function login(port: number, agent: Agent): Promise<string> {
  const res = await call(agent, port, 'POST', '/auth/login', {}, { username: 'admin', password: ADMIN_PASSWORD });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  return String(res.body!.accessToken);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
