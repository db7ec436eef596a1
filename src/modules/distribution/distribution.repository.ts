import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OrganisationPredicate, OrganisationPredicateEntity } from './entities/organisation-predicate.entity';
import { PREDICATES } from '../scoring/types';
import { PeriodEntity } from '../periods/entities/period.entity';
import { emptyCounts, PredicateCounts } from './curve';
import { TRAINED_ON } from '../assessor-training/trained.sql';
import { ACKNOWLEDGED } from './dialogues.sql';

/** Raw per-assessor numbers; means are numeric text at full precision. */
export interface AssessorStatsRow {
  assessorId: string;
  name: string;
  nip: string;
  /** Over every appraisal of the period with a score: who is in the z population. */
  periodCount: number;
  periodMeanBehaviour: string | null;
  /** Over the appraisals in view (caller's subtree and `withinUnitId`). */
  count: number;
  meanBehaviour: string | null;
  meanResult: string | null;
  rated: number;
  above: number;
  overrides: number;
  /** A training covers the day asked (spec §11). */
  trained: boolean;
  /** Acknowledged dialogues held by the assessor on appraisals in view. */
  dialoguesHeld: number;
}

/** An assessor of appraisals in view, whatever their scores: the candidates of the training needs. */
export interface AssessorInViewRow {
  assessorId: string;
  name: string;
  nip: string;
  appraisees: number;
  trained: boolean;
}

/** Which appraisals are in view: all of the period, none, or those whose unit is in every one of these subtrees. */
export type AppraisalView = { kind: 'all' } | { kind: 'none' } | { kind: 'subtrees'; roots: string[] };

interface OrganisationPredicateRow {
  period_id: string;
  unit_id: string;
  predicate: OrganisationPredicate;
  set_by: string | null;
  set_at: Date;
}

const toEntity = (r: OrganisationPredicateRow): OrganisationPredicateEntity => ({
  periodId: r.period_id,
  unitId: r.unit_id,
  predicate: r.predicate,
  setBy: r.set_by,
  setAt: r.set_at,
});

/** `count(*) FILTER (…) AS "SANGAT_BAIK"`, … and `unscored`, over `appraisals a LEFT JOIN appraisal_scores s`. */
const COUNT_COLUMNS = [
  ...PREDICATES.map((p) => `count(a.id) FILTER (WHERE s.predicate = '${p}')::int AS "${p}"`),
  `count(a.id) FILTER (WHERE s.predicate IS NULL)::int AS "unscored"`,
].join(',\n              ');

const countsOf = (row: Partial<PredicateCounts> | undefined): PredicateCounts => ({ ...emptyCounts(), ...row });

@Injectable()
export class DistributionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private manager(m?: EntityManager): EntityManager {
    return m ?? this.dataSource.manager;
  }

  findPeriod(id: string, m?: EntityManager): Promise<PeriodEntity | null> {
    return this.manager(m).getRepository(PeriodEntity).findOneBy({ id });
  }

  /**
   * The period row locked FOR NO KEY UPDATE: serialises organisation-predicate writes of the period with each
   * other and with its close (which locks FOR UPDATE), without blocking foreign-key checks of new appraisals.
   */
  async lockPeriod(id: string, m: EntityManager): Promise<Pick<PeriodEntity, 'id' | 'code' | 'status'> | null> {
    const [row] = await m.query<Pick<PeriodEntity, 'id' | 'code' | 'status'>[]>(
      'SELECT id, code, status FROM periods WHERE id = $1 FOR NO KEY UPDATE',
      [id],
    );
    return row ?? null;
  }

  async findOrganisationPredicate(periodId: string, unitId: string, m?: EntityManager): Promise<OrganisationPredicateEntity | null> {
    const [row] = await this.manager(m).query<OrganisationPredicateRow[]>(
      'SELECT period_id, unit_id, predicate, set_by, set_at FROM organisation_predicates WHERE period_id = $1 AND unit_id = $2',
      [periodId, unitId],
    );
    return row ? toEntity(row) : null;
  }

  /** Inserts or replaces the organisation predicate of a unit in a period, stamping who and when (transaction time). */
  async upsertOrganisationPredicate(
    row: Pick<OrganisationPredicateEntity, 'periodId' | 'unitId' | 'predicate' | 'setBy'>,
    m: EntityManager,
  ): Promise<OrganisationPredicateEntity> {
    const [saved] = await m.query<OrganisationPredicateRow[]>(
      `INSERT INTO organisation_predicates (period_id, unit_id, predicate, set_by, set_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (period_id, unit_id)
       DO UPDATE SET predicate = EXCLUDED.predicate, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at
       RETURNING period_id, unit_id, predicate, set_by, set_at`,
      [row.periodId, row.unitId, row.predicate, row.setBy],
    );
    return toEntity(saved);
  }

  /** Appraisals of the period in the subtree of `rootUnitId` (by the unit they were created in), per predicate. */
  async predicateCounts(periodId: string, rootUnitId: string, m?: EntityManager): Promise<PredicateCounts> {
    const [row] = await this.manager(m).query<PredicateCounts[]>(
      `SELECT ${COUNT_COLUMNS}
         FROM appraisals a
         LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id
        WHERE a.period_id = $1 AND a.unit_id IN (SELECT unit_subtree($2))`,
      [periodId, rootUnitId],
    );
    return countsOf(row);
  }

  /** For every unit with an organisation predicate in the period: its predicate and the predicate counts of its subtree. */
  async predicateCountsOfRatedUnits(
    periodId: string,
    m: EntityManager,
  ): Promise<{ unitId: string; unitCode: string; predicate: OrganisationPredicate; counts: PredicateCounts }[]> {
    const units = await this.predicateCountsOfSubtrees(periodId, 'SELECT unit_id FROM organisation_predicates WHERE period_id = $1', [], m);
    return units.map((u) => ({ ...u, predicate: u.predicate! }));
  }

  /** For each of these units (ids): its name, its organisation predicate in the period (or null) and the predicate counts of its subtree. */
  predicateCountsOfUnits(
    periodId: string,
    unitIds: string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ unitId: string; unitCode: string; unitName: string; predicate: OrganisationPredicate | null; counts: PredicateCounts }[]> {
    return this.predicateCountsOfSubtrees(periodId, 'SELECT unnest($2::uuid[])', [unitIds], m);
  }

  /** The subtrees of the units `rootsSql` selects, counted in one query (one recursive walk of the tree from all of them at once), by unit code. */
  private async predicateCountsOfSubtrees(periodId: string, rootsSql: string, params: unknown[], m: EntityManager) {
    const rows = await m.query<({ unit_id: string; unit_code: string; unit_name: string; predicate: OrganisationPredicate | null } & PredicateCounts)[]>(
      `WITH RECURSIVE roots(unit_id) AS (${rootsSql}), tree(root_id, unit_id) AS (
         SELECT unit_id, unit_id FROM roots
         UNION ALL
         SELECT tree.root_id, u.id FROM units u JOIN tree ON u.parent_id = tree.unit_id
       )
       SELECT r.unit_id, u.code AS unit_code, u.name AS unit_name, op.predicate,
              ${COUNT_COLUMNS}
         FROM roots r
         JOIN units u ON u.id = r.unit_id
         LEFT JOIN organisation_predicates op ON op.unit_id = r.unit_id AND op.period_id = $1
         JOIN tree t ON t.root_id = r.unit_id
         LEFT JOIN appraisals a ON a.unit_id = t.unit_id AND a.period_id = $1
         LEFT JOIN appraisal_scores s ON s.appraisal_id = a.id
        GROUP BY r.unit_id, u.code, u.name, op.predicate
        ORDER BY u.code`,
      [periodId, ...params],
    );
    return rows.map(({ unit_id, unit_code, unit_name, predicate, ...counts }) => ({
      unitId: unit_id,
      unitCode: unit_code,
      unitName: unit_name,
      predicate,
      counts: countsOf(counts),
    }));
  }

  /**
   * Per assessor of the period with at least `minAppraisees` appraisals with a score (over the whole period),
   * in one GROUP BY: the period-wide count and mean behaviourScore (the z population), and the numbers over
   * the appraisals in `view`.
   */
  async assessorStats(periodId: string, view: AppraisalView, minAppraisees: number, on: string, m?: EntityManager): Promise<AssessorStatsRow[]> {
    const params: unknown[] = [periodId, minAppraisees, on];
    const inView = viewCondition(view, params);
    return this.manager(m).query<AssessorStatsRow[]>(
      `SELECT a.assessor_id AS "assessorId", e.name, e.nip,
              count(*)::int AS "periodCount",
              avg(s.behaviour_score)::text AS "periodMeanBehaviour",
              count(*) FILTER (WHERE ${inView('a')})::int AS "count",
              (avg(s.behaviour_score) FILTER (WHERE ${inView('a')}))::text AS "meanBehaviour",
              (avg(s.result_score) FILTER (WHERE ${inView('a')}))::text AS "meanResult",
              count(*) FILTER (WHERE ${inView('a')} AND s.behaviour_rating IS NOT NULL)::int AS "rated",
              count(*) FILTER (WHERE ${inView('a')} AND s.behaviour_rating = 'ABOVE_EXPECTATION')::int AS "above",
              count(*) FILTER (WHERE ${inView('a')} AND a.result_rating_override IS NOT NULL)::int AS "overrides",
              ${TRAINED_ON('a.assessor_id', '$3::date')} AS "trained",
              (SELECT count(*) FROM performance_dialogues d JOIN appraisals da ON da.id = d.appraisal_id
                WHERE d.assessor_id = a.assessor_id AND da.period_id = $1 AND ${ACKNOWLEDGED('d')} AND ${inView('da')})::int AS "dialoguesHeld"
         FROM appraisals a
         JOIN appraisal_scores s ON s.appraisal_id = a.id
         JOIN employees e ON e.id = a.assessor_id
        WHERE a.period_id = $1
        GROUP BY a.assessor_id, e.name, e.nip
       HAVING count(*) >= $2
        ORDER BY e.name, e.nip, a.assessor_id`,
      params,
    );
  }

  /** Every assessor of appraisals of the period in view, with their appraisees there and whether trained on `on`. */
  async assessorsInView(periodId: string, view: AppraisalView, on: string, m?: EntityManager): Promise<AssessorInViewRow[]> {
    const params: unknown[] = [periodId, on];
    const inView = viewCondition(view, params);
    return this.manager(m).query<AssessorInViewRow[]>(
      `SELECT a.assessor_id AS "assessorId", e.name, e.nip, count(*)::int AS "appraisees",
              ${TRAINED_ON('a.assessor_id', '$2::date')} AS "trained"
         FROM appraisals a
         JOIN employees e ON e.id = a.assessor_id
        WHERE a.period_id = $1 AND ${inView('a')}
        GROUP BY a.assessor_id, e.name, e.nip
        ORDER BY e.name, e.nip, a.assessor_id`,
      params,
    );
  }
}

/** The SQL condition of the view over the appraisals row `alias`; subtree roots become parameters appended to `params`. */
export function viewCondition(view: AppraisalView, params: unknown[]): (alias: string) => string {
  switch (view.kind) {
    case 'all':
      return () => 'true';
    case 'none':
      return () => 'false';
    case 'subtrees': {
      const roots = view.roots.map((root) => `$${params.push(root)}`);
      return (alias) => roots.map((r) => `${alias}.unit_id IN (SELECT unit_subtree(${r}))`).join(' AND ') || 'true';
    }
  }
}
