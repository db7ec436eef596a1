import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import { breakdownOf, type StoredBreakdown } from '../src/modules/scoring/breakdown';

/**
 * The baseline of bench/http.bench.ts: a bare `node:http` + `pg` server doing the same transaction shapes as the API
 * on the same database, with no framework, no authentication and no validation library. Run in its own process
 * (like the API) so that both are measured from outside:
 *
 *   DATABASE_URL=… PORT=… BARE_SUBMITTED_BY=<uuid> node -r ts-node/register/transpile-only bench/bare-server.ts
 *
 * POST /achievements {targetId, value, occurredOn} → 201: one transaction — read the target, lock its appraisal
 * FOR UPDATE (with its period), insert the achievement (SUBMITTED), insert an audit row, upsert the recalculation
 * mark, pg_notify('score_marks', ''), COMMIT: BEGIN + 6 statements + COMMIT, 8 round trips.
 * GET /appraisals/{id}/score → 200: one SELECT of the stored score with its freshness (EXISTS on the marks), its
 * breakdown expanded from the stored form as the API does (`breakdownOf`).
 * GET /health → 200. The pool is the API's (`extra.max` of src/database/data-source-options.ts: 20).
 */
const POOL_MAX = Number(process.env.BARE_POOL_MAX ?? 20);
const SUBMITTED_BY = process.env.BARE_SUBMITTED_BY ?? '00000000-0000-0000-0000-000000000000';
const ACTOR_NAME = process.env.BARE_ACTOR_NAME ?? 'bench bare';
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: POOL_MAX, application_name: 'capaian-bare' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SCORE_PATH = /^\/appraisals\/([^/]+)\/score$/;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': status < 400 ? 'application/json' : 'application/problem+json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const problem = (res: ServerResponse, status: number, title: string) => send(res, status, { type: 'about:blank', title, status });

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString());
}

interface Body {
  targetId: string;
  value: number;
  occurredOn: string;
}

function valid(b: unknown): b is Body {
  const o = b as Partial<Body> | null;
  return (
    !!o && typeof o.targetId === 'string' && UUID.test(o.targetId) && typeof o.value === 'number' && Number.isFinite(o.value) &&
    o.value >= 0 && typeof o.occurredOn === 'string' && DATE.test(o.occurredOn)
  );
}

async function createAchievement(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return problem(res, 400, 'malformed JSON');
  }
  if (!valid(body)) return problem(res, 400, 'invalid fields');
  const c: PoolClient = await pool.connect();
  let done = false;
  try {
    await c.query('BEGIN');
    const target = (await c.query<{ id: string; appraisal_id: string }>('SELECT id, appraisal_id FROM appraisal_targets WHERE id = $1', [body.targetId])).rows[0];
    if (!target) {
      await c.query('ROLLBACK');
      done = true;
      return problem(res, 404, 'no such target');
    }
    const ctx = (
      await c.query<{ status: string; period_status: string; start_date: string; end_date: string }>(
        `SELECT a.status, p.status AS period_status, p.start_date::text, p.end_date::text
           FROM appraisals a JOIN periods p ON p.id = a.period_id WHERE a.id = $1 FOR UPDATE OF a`,
        [target.appraisal_id],
      )
    ).rows[0];
    const refusal =
      !['OPEN', 'EVALUATION'].includes(ctx.period_status) ? 'period not open' :
      !['AGREED', 'ASSESSED'].includes(ctx.status) ? 'appraisal not agreed' :
      body.occurredOn < ctx.start_date || body.occurredOn > ctx.end_date ? 'occurredOn outside the period' : null;
    if (refusal) {
      await c.query('ROLLBACK');
      done = true;
      return problem(res, refusal.startsWith('occurredOn') ? 400 : 409, refusal);
    }
    const created = (
      await c.query<Record<string, unknown>>(
        `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by, contributor_ids)
         VALUES ($1, $2, $3, $4, 'SUBMITTED', $5, ARRAY[$5]::uuid[])
         RETURNING id, target_id AS "targetId", appraisal_id AS "appraisalId", value::float8 AS value, occurred_on::text AS "occurredOn",
                   description, evidence_url AS "evidenceUrl", status, submitted_by AS "submittedBy", decided_by AS "decidedBy",
                   decided_at AS "decidedAt", rejection_reason AS "rejectionReason", created_at AS "createdAt", updated_at AS "updatedAt"`,
        [target.id, target.appraisal_id, body.value, body.occurredOn, SUBMITTED_BY],
      )
    ).rows[0];
    await c.query(
      `INSERT INTO audit_events (actor_type, actor_id, actor_name, action, entity_type, entity_id, after)
       VALUES ('API_KEY', $1, $2, 'achievement.create', 'achievement', $3, $4::jsonb)`,
      [SUBMITTED_BY, ACTOR_NAME, created.id, JSON.stringify(created)],
    );
    await c.query(
      `INSERT INTO score_recalculation_marks (appraisal_id, version, marked_at, reason)
       SELECT a.id, 1, now(), 'achievement.create' FROM appraisals a WHERE a.id = $1 AND a.status <> 'FINALIZED'
       ON CONFLICT (appraisal_id) DO UPDATE
          SET version = score_recalculation_marks.version + 1, marked_at = now(), reason = EXCLUDED.reason, enqueued_at = NULL`,
      [target.appraisal_id],
    );
    await c.query(`SELECT pg_notify('score_marks', '')`);
    await c.query('COMMIT');
    done = true;
    send(res, 201, created);
  } finally {
    if (!done) await c.query('ROLLBACK').catch(() => undefined);
    c.release();
  }
}

async function score(res: ServerResponse, appraisalId: string): Promise<void> {
  if (!UUID.test(appraisalId)) return problem(res, 400, 'invalid id');
  const row = (
    await pool.query<Record<string, unknown> & { breakdown: StoredBreakdown; stale: boolean }>(
      `SELECT s.appraisal_id AS "appraisalId", s.result_score::float8 AS "resultScore", s.behaviour_score::float8 AS "behaviourScore",
              s.final_score::float8 AS "finalScore", s.result_rating AS "resultRating", s.behaviour_rating AS "behaviourRating",
              s.predicate, s.predicate_code AS "predicateCode", s.computed_at AS "computedAt", s.breakdown,
              EXISTS (SELECT 1 FROM score_recalculation_marks m WHERE m.appraisal_id = s.appraisal_id) AS stale
         FROM appraisal_scores s WHERE s.appraisal_id = $1`,
      [appraisalId],
    )
  ).rows[0];
  if (!row) return problem(res, 404, 'no score');
  const { breakdown: stored, stale, ...rest } = row;
  const breakdown = breakdownOf(stored);
  send(res, 200, {
    ...rest,
    resultRatingSource: breakdown.resultRatingSource,
    computedResultRating: breakdown.computedResultRating,
    resultRatingOverridden: breakdown.resultRatingOverridden,
    freshness: stale ? 'STALE' : 'FRESH',
    targets: breakdown.targets,
    aspects: breakdown.aspects,
  });
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const scoreOf = SCORE_PATH.exec(path);
  const handled =
    req.method === 'POST' && path === '/achievements' ? createAchievement(req, res) :
    req.method === 'GET' && scoreOf ? score(res, scoreOf[1]) :
    req.method === 'GET' && path === '/health' ? Promise.resolve(send(res, 200, { status: 'ok' })) :
    Promise.resolve(problem(res, 404, 'no such route'));
  handled.catch((e: unknown) => {
    console.error(e);
    if (!res.headersSent) problem(res, 500, 'internal error');
    else res.destroy();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1', () => console.log('bare server ready'));

const stop = () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
