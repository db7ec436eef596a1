import { EntityManager } from 'typeorm';
import { ikmOfTotal } from '../scoring/ikm';
import { MAX_UNIT_DEPTH } from './feedback-marks';
import { PublicFeedbackInput } from '../scoring/types';

interface FeedbackRow {
  appraisal_id: string;
  employee_responses: string;
  employee_total: string | null;
  service_unit_id: string | null;
  unit_responses: string | null;
  unit_total: string | null;
}


const ANSWER_SUM = 'f.u1 + f.u2 + f.u3 + f.u4 + f.u5 + f.u6 + f.u7 + f.u8 + f.u9';

/**
 * Citizen feedback behind the BERORIENTASI_PELAYANAN aspect (spec §4, §5.3) for a chunk of appraisals, in one
 * query. The employee index counts the appraisal employee's VERIFIED feedback; the unit index is that of the
 * nearest publicService unit among the appraisal's unit (its snapshot) and its ancestors, over that unit's whole
 * subtree, with PUBLISHED and VERIFIED feedback. Both take feedback submitted within the period's dates.
 *
 * The unit index is computed once per distinct (service unit, period) and the employee index once per distinct
 * (employee, period), through the partial indexes ix_public_feedback_unit_on and ix_public_feedback_employee_on.
 * The LATERAL subqueries force one index range scan per (subtree unit, period) and per (employee, period): the
 * planner cannot estimate the recursive subtree and otherwise merge-joins the whole unit index (a year of
 * feedback) for every chunk.
 */
export async function feedbackInputs(appraisalIds: string[], m: EntityManager): Promise<Map<string, PublicFeedbackInput>> {
  if (!appraisalIds.length) return new Map();
  const rows = await m.query<FeedbackRow[]>(
    `WITH RECURSIVE ap AS (
       SELECT a.id, a.employee_id, a.unit_id, a.period_id, p.start_date, p.end_date
         FROM appraisals a JOIN periods p ON p.id = a.period_id
        WHERE a.id = ANY($1::uuid[])
     ), up AS (
       -- From each unit of the chunk upwards, stopping at the first publicService unit.
       SELECT u.id AS origin, u.id, u.parent_id, u.public_service, 0 AS depth
         FROM units u WHERE u.id IN (SELECT unit_id FROM ap)
       UNION ALL
       SELECT up.origin, p.id, p.parent_id, p.public_service, up.depth + 1
         FROM up JOIN units p ON p.id = up.parent_id
        WHERE NOT up.public_service AND up.depth < ${MAX_UNIT_DEPTH}
     ), nearest AS (
       SELECT origin, id AS service_unit_id FROM up WHERE public_service
     ), subtree AS (
       SELECT s.service_unit_id AS root, s.service_unit_id AS id, 0 AS depth
         FROM (SELECT DISTINCT service_unit_id FROM nearest) s
       UNION ALL
       SELECT st.root, c.id, st.depth + 1
         FROM subtree st JOIN units c ON c.parent_id = st.id
        WHERE st.depth < ${MAX_UNIT_DEPTH}
     ), unit_periods AS (
       SELECT DISTINCT n.service_unit_id, ap.period_id, ap.start_date, ap.end_date
         FROM ap JOIN nearest n ON n.origin = ap.unit_id
     ), unit_index AS (
       SELECT upr.service_unit_id, upr.period_id, sum(x.responses) AS responses, sum(x.total) AS total
         FROM unit_periods upr
         JOIN subtree st ON st.root = upr.service_unit_id
         CROSS JOIN LATERAL (
           SELECT count(*) AS responses, sum(${ANSWER_SUM}) AS total
             FROM public_feedback f
            WHERE f.unit_id = st.id AND f.status IN ('PUBLISHED', 'VERIFIED')
              AND f.submitted_on BETWEEN upr.start_date AND upr.end_date
         ) x
        GROUP BY upr.service_unit_id, upr.period_id
     ), employee_periods AS (
       SELECT DISTINCT employee_id, period_id, start_date, end_date FROM ap
     ), employee_index AS (
       SELECT ep.employee_id, ep.period_id, x.responses, x.total
         FROM employee_periods ep
         CROSS JOIN LATERAL (
           SELECT count(*) AS responses, sum(${ANSWER_SUM}) AS total
             FROM public_feedback f
            WHERE f.employee_id = ep.employee_id AND f.status = 'VERIFIED'
              AND f.submitted_on BETWEEN ep.start_date AND ep.end_date
         ) x
     )
     SELECT ap.id AS appraisal_id, coalesce(ei.responses, 0) AS employee_responses, ei.total AS employee_total,
            n.service_unit_id, coalesce(ui.responses, 0) AS unit_responses, ui.total AS unit_total
       FROM ap
       LEFT JOIN employee_index ei ON ei.employee_id = ap.employee_id AND ei.period_id = ap.period_id
       LEFT JOIN nearest n ON n.origin = ap.unit_id
       LEFT JOIN unit_index ui ON ui.service_unit_id = n.service_unit_id AND ui.period_id = ap.period_id`,
    [appraisalIds],
  );
  return new Map(
    rows.map((r): [string, PublicFeedbackInput] => [
      r.appraisal_id,
      {
        employee: index(r.employee_responses, r.employee_total),
        unit: r.service_unit_id === null ? null : index(r.unit_responses, r.unit_total),
      },
    ]),
  );
}

/** pg returns bigint counts and sums as strings. */
function index(responsesText: string | null, totalText: string | null): { responses: number; ikm: number | null } {
  const responses = Number(responsesText ?? 0);
  return { responses, ikm: responses ? ikmOfTotal(Number(totalText), responses) : null };
}
