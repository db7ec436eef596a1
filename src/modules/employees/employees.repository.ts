import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DataScope } from '../../common/auth/data-scope';
import { offsetOf } from '../../common/pagination/page';
import { parentsFirst } from '../../common/tree/tree';
import { escapeLike } from '../units/units.repository';
import { EmployeeQueryDto } from './dto/employee.dto';
import { EmployeeEntity } from './entities/employee.entity';
import { PenaltyEntity } from './entities/penalty.entity';

/** Columns an import or PATCH may write, in the order of the bulk statements below. */
export type EmployeeWrite = Pick<
  EmployeeEntity,
  | 'id'
  | 'nip'
  | 'name'
  | 'employmentType'
  | 'gender'
  | 'birthDate'
  | 'rank'
  | 'rankSince'
  | 'jobType'
  | 'positionTitle'
  | 'functionalLevel'
  | 'unitId'
  | 'supervisorId'
  | 'serviceStart'
>;

@Injectable()
export class EmployeesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(EmployeeEntity);
  }

  findById(id: string, m?: EntityManager): Promise<EmployeeEntity | null> {
    return this.repo(m).findOneBy({ id });
  }

  findByIdForUpdate(id: string, m: EntityManager): Promise<EmployeeEntity | null> {
    return this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByNip(nip: string, m?: EntityManager): Promise<EmployeeEntity | null> {
    return this.repo(m).findOneBy({ nip });
  }

  findByNips(nips: string[], m?: EntityManager): Promise<EmployeeEntity[]> {
    return nips.length ? this.repo(m).findBy({ nip: In(nips) }) : Promise.resolve([]);
  }

  /** Every supervisor link, for cycle checks over a whole import (10,000 rows of two uuids). */
  async supervisorLinks(m: EntityManager): Promise<Map<string, string | null>> {
    const rows = await this.repo(m).find({ select: { id: true, supervisorId: true } });
    return new Map(rows.map((r) => [r.id, r.supervisorId]));
  }

  /** Would `employeeId` be found walking up the supervisor chain from `supervisorId`? */
  async isInChainAbove(employeeId: string, supervisorId: string, m: EntityManager): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `WITH RECURSIVE up(id, supervisor_id) AS (
         SELECT id, supervisor_id FROM employees WHERE id = $1
         UNION ALL
         SELECT e.id, e.supervisor_id FROM employees e JOIN up ON e.id = up.supervisor_id
       ) CYCLE id SET looped USING path
       SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
      [supervisorId, employeeId],
    );
    return rows.length > 0;
  }

  async list(q: EmployeeQueryDto, scope: DataScope): Promise<[EmployeeEntity[], number]> {
    const qb = this.repo().createQueryBuilder('e');
    if (scope.kind === 'subtree') {
      qb.andWhere('e.unitId IN (SELECT unit_subtree(:scopeRoot))', { scopeRoot: scope.rootUnitId });
    } else if (scope.kind === 'self') {
      qb.andWhere('e.id = :self', { self: scope.employeeId ?? '00000000-0000-0000-0000-000000000000' });
    }
    if (q.withinUnitId) qb.andWhere('e.unitId IN (SELECT unit_subtree(:within))', { within: q.withinUnitId });
    if (q.jobType) qb.andWhere('e.jobType = :jobType', { jobType: q.jobType });
    if (q.rank) qb.andWhere('e.rank = :rank', { rank: q.rank });
    if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    if (q.employmentType) qb.andWhere('e.employmentType = :employmentType', { employmentType: q.employmentType });
    if (q.supervisorId) qb.andWhere('e.supervisorId = :supervisorId', { supervisorId: q.supervisorId });
    if (q.q) {
      qb.andWhere('(e.name ILIKE :contains OR e.nip LIKE :prefix)', {
        contains: `%${escapeLike(q.q)}%`,
        prefix: `${escapeLike(q.q)}%`,
      });
    }
    return qb.orderBy('e.name', 'ASC').addOrderBy('e.nip', 'ASC').offset(offsetOf(q)).limit(q.pageSize).getManyAndCount();
  }

  save(e: Partial<EmployeeEntity>, m: EntityManager): Promise<EmployeeEntity> {
    return this.repo(m).save(e);
  }

  /** Inserts supervisors before those they supervise, whatever the order given: the key is checked per statement. */
  async insertMany(employees: EmployeeWrite[], m: EntityManager): Promise<void> {
    const byId = new Map(employees.map((e) => [e.id, e]));
    const rows = parentsFirst(employees, (e) => (e.supervisorId ? byId.get(e.supervisorId) : null));
    for (let i = 0; i < rows.length; i += 1000) {
      await this.repo(m).insert(rows.slice(i, i + 1000));
    }
  }

  /** One set-based UPDATE per chunk, for imports. */
  async updateMany(rows: EmployeeWrite[], m: EntityManager): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      await m.query(
        `UPDATE employees e
            SET name = v.name, employment_type = v.employment_type, gender = v.gender, birth_date = v.birth_date,
                rank = v.rank, rank_since = v.rank_since, job_type = v.job_type, position_title = v.position_title,
                functional_level = v.functional_level, unit_id = v.unit_id, supervisor_id = v.supervisor_id,
                service_start = v.service_start, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS v(
                id uuid, name varchar, employment_type employment_type, gender gender, birth_date date, rank varchar,
                rank_since date, job_type job_type, position_title varchar, functional_level functional_level,
                unit_id uuid, supervisor_id uuid, service_start date)
          WHERE e.id = v.id`,
        [
          JSON.stringify(
            rows.slice(i, i + 1000).map((r) => ({
              id: r.id,
              name: r.name,
              employment_type: r.employmentType,
              gender: r.gender,
              birth_date: r.birthDate,
              rank: r.rank,
              rank_since: r.rankSince,
              job_type: r.jobType,
              position_title: r.positionTitle,
              functional_level: r.functionalLevel,
              unit_id: r.unitId,
              supervisor_id: r.supervisorId,
              service_start: r.serviceStart,
            })),
          ),
        ],
      );
    }
  }

  addPenalty(p: Partial<PenaltyEntity>, m: EntityManager): Promise<PenaltyEntity> {
    return m.getRepository(PenaltyEntity).save(p);
  }

  listPenalties(employeeId: string): Promise<PenaltyEntity[]> {
    return this.dataSource.getRepository(PenaltyEntity).find({
      where: { employeeId },
      order: { imposedOn: 'DESC', createdAt: 'DESC' },
    });
  }

  exists(id: string, m: EntityManager): Promise<boolean> {
    return this.repo(m).existsBy({ id });
  }
}
