import { IKM_ELEMENTS, IkmElement } from '../scoring/ikm';

/*
 * The SQL of the service index (IKM, spec §4) that the staff and public service index (service-index) and the
 * BERORIENTASI_PELAYANAN aspect of the score with its recalculation marks (recalculation) must share, or the IKM an
 * HR officer sees and the one blended into a score drift apart (spec §5.3): which feedback each index counts, how
 * its answers add up, and which subtree a unit's index is over. Fragments name the feedback row `f`.
 */

/** Guards the unit walks against a corrupt parent cycle; real trees are a handful of levels deep. */
export const MAX_UNIT_DEPTH = 64;

/** The statuses of the feedback each index counts (spec §4). */
const UNIT_INDEX_STATUSES = ['PUBLISHED', 'VERIFIED'] as const;
const EMPLOYEE_INDEX_STATUSES = ['VERIFIED'] as const;

const COUNTED: ReadonlySet<string> = new Set([...UNIT_INDEX_STATUSES, ...EMPLOYEE_INDEX_STATUSES]);

/** Whether some index counts feedback in this status: a change into or out of it moves scores. */
export const countsInAnIndex = (status: string): boolean => COUNTED.has(status);

/**
 * Written exactly as the predicates of the partial indexes ix_public_feedback_unit_on and
 * ix_public_feedback_employee_on (migration PublicFeedback), so the planner can use them.
 */
const statusTest = (statuses: readonly string[]): string =>
  statuses.length === 1 ? `f.status = '${statuses[0]}'` : `f.status IN (${statuses.map((s) => `'${s}'`).join(', ')})`;
export const UNIT_INDEX_COUNTS = statusTest(UNIT_INDEX_STATUSES);
export const EMPLOYEE_INDEX_COUNTS = statusTest(EMPLOYEE_INDEX_STATUSES);

/** The column holding an element's answer: U1 … U9 are u1 … u9. */
export type AnswerColumn = Lowercase<IkmElement>;
export const answerColumn = (e: IkmElement): AnswerColumn => e.toLowerCase() as AnswerColumn;

/** The sum of the nine answers of one response, as `ikmOfTotal` takes it summed over the responses. */
export const ANSWER_TOTAL = IKM_ELEMENTS.map((e) => `f.${answerColumn(e)}`).join(' + ');

/** Per-element sums of the answers and the number of responses, as `ikmOfSums` takes them. */
export type FeedbackSums = Record<IkmElement, number> & { responses: number };

/** Select list of FeedbackSums over a group of feedback. int is safe: a sum is at most 4 × count(*). */
export const FEEDBACK_SUMS = [
  `count(*)::int AS responses`,
  ...IKM_ELEMENTS.map((e) => `coalesce(sum(f.${answerColumn(e)}), 0)::int AS "${e}"`),
].join(', ');

/**
 * CTEs `up` and `nearest(origin, service_unit_id)`, inside WITH RECURSIVE: from each unit the query `origins`
 * answers, upwards to the first publicService unit, the one whose subtree its unit index is over (spec §4). A unit
 * with no publicService unit above it has no unit index and no row.
 */
export const nearestServiceUnits = (origins: string): string => `up AS (
       SELECT u.id AS origin, u.id, u.parent_id, u.public_service, 0 AS depth
         FROM units u WHERE u.id IN (${origins})
       UNION ALL
       SELECT up.origin, p.id, p.parent_id, p.public_service, up.depth + 1
         FROM up JOIN units p ON p.id = up.parent_id
        WHERE NOT up.public_service AND up.depth < ${MAX_UNIT_DEPTH}
     ), nearest AS (
       SELECT origin, id AS service_unit_id FROM up WHERE public_service
     )`;

/**
 * CTE `subtree(root, id)`, inside WITH RECURSIVE: each unit the query `roots` answers with every unit below it and
 * itself, the units its unit index counts the feedback of (nested publicService units included).
 */
export const subtrees = (roots: string): string => `subtree AS (
       SELECT s.id AS root, s.id, 0 AS depth
         FROM (${roots}) AS s(id)
       UNION ALL
       SELECT st.root, c.id, st.depth + 1
         FROM subtree st JOIN units c ON c.parent_id = st.id
        WHERE st.depth < ${MAX_UNIT_DEPTH}
     )`;

/**
 * CTEs `ancestors` and `indexed`, inside WITH RECURSIVE: from the units in the uuid[] parameter `$n` up to the root,
 * and then every unit whose nearest publicService unit is one of those ancestors, i.e. every unit whose unit index
 * is over a subtree containing a starting unit: the inverse of nearestServiceUnits. The walk down never enters
 * another publicService unit: its own subtree, not containing the starting unit, is what its units use.
 */
export const unitsIndexingSubtreesOf = (n: number): string => `
  ancestors AS (
    SELECT u.id, u.parent_id, u.public_service, 0 AS depth FROM units u WHERE u.id = ANY($${n}::uuid[])
    UNION
    SELECT p.id, p.parent_id, p.public_service, a.depth + 1
      FROM ancestors a JOIN units p ON p.id = a.parent_id
     WHERE a.depth < ${MAX_UNIT_DEPTH}
  ), indexed AS (
    SELECT id, 0 AS depth FROM ancestors WHERE public_service
    UNION
    SELECT c.id, i.depth + 1
      FROM indexed i JOIN units c ON c.parent_id = i.id AND NOT c.public_service
     WHERE i.depth < ${MAX_UNIT_DEPTH}
  )`;
