import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DataScope } from '../../common/auth/data-scope';
import { offsetOf } from '../../common/pagination/page';
import { parentsFirst } from '../../common/tree/tree';
import { UnitQueryDto } from './dto/unit.dto';
import { HeadCandidate } from './unit-heads';
import { NOT_FROZEN, STILL_SCORED } from '../recalculation/recalculation-marks';
import { UnitEntity } from './entities/unit.entity';

@Injectable()
export class UnitsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(UnitEntity);
  }

  findById(id: string, m?: EntityManager): Promise<UnitEntity | null> {
    return this.repo(m).findOneBy({ id });
  }

  findByIdForUpdate(id: string, m: EntityManager): Promise<UnitEntity | null> {
    return this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByCodes(codes: string[], m?: EntityManager): Promise<UnitEntity[]> {
    return codes.length ? this.repo(m).findBy({ code: In(codes) }) : Promise.resolve([]);
  }

  existsCode(code: string, m: EntityManager): Promise<boolean> {
    return this.repo(m).existsBy({ code });
  }

  /** Every unit's parent link, for cycle checks (units number in the hundreds). */
  async parentLinks(m: EntityManager): Promise<Map<string, string | null>> {
    const rows = await this.repo(m).find({ select: { id: true, parentId: true } });
    return new Map(rows.map((r) => [r.id, r.parentId]));
  }

  /** The ids of `rootId` and its descendants. */
  async subtreeIds(rootId: string, m: EntityManager): Promise<Set<string>> {
    const rows = await m.query<{ id: string }[]>('SELECT unit_subtree($1) AS id', [rootId]);
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The units that hold one of these employees, their own and every one above it: their unit, and the unit of each of
   * their appraisals whose score may still change (STILL_SCORED: an accepted objection recomputes a finalised one from
   * the tree as it then stands); with `periodId` (a predicate, which counts only in its period), the unit of each that
   * is not finalised and of each of theirs in that period whatever its status. A unit's organisation predicate, public-service flag and place in the
   * tree reach the scores of those below it (spec §5.3 unit index, §5.4 heads, the distribution curve).
   */
  async unitsHolding(employeeIds: readonly string[], m?: EntityManager, periodId: string | null = null): Promise<Set<string>> {
    if (!employeeIds.length) return new Set();
    const rows = await (m ?? this.dataSource.manager).query<{ id: string }[]>(
      `WITH RECURSIVE up(id) AS (
         SELECT unit_id FROM employees WHERE id = ANY($1::uuid[])
         UNION SELECT unit_id FROM appraisals
          WHERE employee_id = ANY($1::uuid[]) AND ${periodId === null ? STILL_SCORED('appraisals') : `(${NOT_FROZEN('appraisals')} OR period_id = $2)`}
         UNION SELECT u.parent_id FROM units u JOIN up ON u.id = up.id WHERE u.parent_id IS NOT NULL
       )
       SELECT id FROM up`,
      periodId === null ? [employeeIds] : [employeeIds, periodId],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Is `unitId` the root or a descendant of `rootId`? */
  async isWithin(unitId: string, rootId: string, m?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (m ?? this.dataSource.manager).query(
      'SELECT 1 FROM unit_subtree($1) AS s(id) WHERE s.id = $2',
      [rootId, unitId],
    );
    return rows.length > 0;
  }

  /** May a caller with this scope see or use the unit? Everything, their subtree, or (own record only) none. */
  async inScope(scope: DataScope, unitId: string, m?: EntityManager): Promise<boolean> {
    switch (scope.kind) {
      case 'all':
        return true;
      case 'subtree':
        return this.isWithin(unitId, scope.rootUnitId, m);
      case 'self':
        return false;
    }
  }

  /** Rows that refer to the unit, by kind; a unit with any of them is deactivated, never deleted. */
  async countDependants(id: string, m: EntityManager): Promise<Record<string, number>> {
    const [row] = await m.query<Record<string, number>[]>(
      `SELECT (SELECT count(*) FROM units WHERE parent_id = $1)::int AS "child unit(s)",
              (SELECT count(*) FROM employees WHERE unit_id = $1)::int AS "employee(s)",
              (SELECT count(*) FROM users WHERE unit_id = $1)::int AS "user(s)",
              (SELECT count(*) FROM indicators WHERE unit_id = $1)::int AS "indicator(s)",
              (SELECT count(*) FROM appraisals WHERE unit_id = $1)::int AS "appraisal(s)",
              (SELECT count(*) FROM organisation_predicates WHERE unit_id = $1)::int AS "organisation predicate(s)"`,
      [id],
    );
    return row;
  }

  async list(q: UnitQueryDto, scope: DataScope): Promise<[UnitEntity[], number]> {
    const qb = this.repo().createQueryBuilder('u');
    if (scope.kind === 'subtree') {
      qb.andWhere('u.id IN (SELECT unit_subtree(:scopeRoot))', { scopeRoot: scope.rootUnitId });
    } else if (scope.kind === 'self') {
      qb.andWhere('false');
    }
    if (q.withinUnitId) qb.andWhere('u.id IN (SELECT unit_subtree(:within))', { within: q.withinUnitId });
    if (q.parentId) qb.andWhere('u.parentId = :parentId', { parentId: q.parentId });
    if (q.kind) qb.andWhere('u.kind = :kind', { kind: q.kind });
    if (q.active !== undefined) qb.andWhere('u.active = :active', { active: q.active });
    if (q.q) qb.andWhere('(u.code ILIKE :q OR u.name ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    return qb.orderBy('u.code', 'ASC').offset(offsetOf(q)).limit(q.pageSize).getManyAndCount();
  }

  save(unit: Partial<UnitEntity>, m: EntityManager): Promise<UnitEntity> {
    return this.repo(m).save(unit);
  }

  /** Inserts parents before their children, whatever the order given: the parent key is checked per statement. */
  async insertMany(units: UnitEntity[], m: EntityManager): Promise<void> {
    const byId = new Map(units.map((u) => [u.id, u]));
    const rows = parentsFirst(units, (u) => (u.parentId ? byId.get(u.parentId) : null));
    for (let i = 0; i < rows.length; i += 1000) {
      await this.repo(m).createQueryBuilder().insert().values(rows.slice(i, i + 1000)).execute();
    }
  }

  /** One set-based UPDATE for many rows (imports). */
  async updateMany(rows: Pick<UnitEntity, 'id' | 'name' | 'kind' | 'parentId' | 'publicService' | 'headEmployeeId'>[], m: EntityManager): Promise<void> {
    if (!rows.length) return;
    await m.query(
      `UPDATE units u
          SET name = v.name, kind = v.kind, parent_id = v.parent_id, public_service = v.public_service,
              head_employee_id = v.head_employee_id, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, name varchar, kind unit_kind, parent_id uuid, public_service boolean, head_employee_id uuid)
        WHERE u.id = v.id`,
      [
        JSON.stringify(
          rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, parent_id: r.parentId, public_service: r.publicService, head_employee_id: r.headEmployeeId })),
        ),
      ],
    );
  }

  /**
   * Employees who could head units: their unit and status, by id or by NIP, share-locked so neither changes before
   * the transaction commits. The employees table sits above this module; only these columns are read.
   */
  async headCandidates(by: { ids: string[] } | { nips: string[] }, m: EntityManager): Promise<HeadCandidate[]> {
    const [column, values] = 'ids' in by ? ['id', by.ids] : ['nip', by.nips];
    if (!values.length) return [];
    return m.query<HeadCandidate[]>(
      `SELECT id, nip, unit_id AS "unitId", status FROM employees WHERE ${column} = ANY($1::${column === 'id' ? 'uuid' : 'varchar'}[]) FOR SHARE`,
      [values],
    );
  }

  /**
   * Clears the head of every unit headed by one of `employeeIds` who may no longer head it (spec §5.4, `canHead`
   * negated: moved away or not ACTIVE), in one statement; answers each unit before and after.
   */
  async vacateHeads(employeeIds: string[], m: EntityManager): Promise<{ before: UnitEntity; after: UnitEntity }[]> {
    if (!employeeIds.length) return [];
    const [rows] = await m.query<[(UnitEntity & { vacatedAt: Date })[], number]>(
      `WITH vacated AS (
         SELECT u.id, u.code, u.name, u.kind, u.parent_id AS "parentId", u.public_service AS "publicService", u.active,
                u.head_employee_id AS "headEmployeeId", u.created_at AS "createdAt", u.updated_at AS "updatedAt"
           FROM units u JOIN employees e ON e.id = u.head_employee_id
          WHERE e.id = ANY($1::uuid[]) AND NOT (e.status = 'ACTIVE' AND e.unit_id = u.id)
          ORDER BY u.id
            FOR UPDATE OF u
       )
       UPDATE units u SET head_employee_id = NULL, updated_at = now() FROM vacated v WHERE u.id = v.id
       RETURNING v.*, u.updated_at AS "vacatedAt"`,
      [employeeIds],
    );
    return rows.map(({ vacatedAt, ...before }) => ({ before, after: { ...before, headEmployeeId: null, updatedAt: vacatedAt } }));
  }

  delete(id: string, m: EntityManager): Promise<unknown> {
    return this.repo(m).delete({ id });
  }

  exists(id: string, m: EntityManager): Promise<boolean> {
    return this.repo(m).existsBy({ id });
  }
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
