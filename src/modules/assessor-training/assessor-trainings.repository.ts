import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DataScope } from '../../common/auth/data-scope';
import { offsetOf } from '../../common/pagination/page';
import { AssessorTrainingQueryDto } from './dto/assessor-training.dto';
import { AssessorTrainingEntity } from './entities/assessor-training.entity';
import { COVERS, TRAINED_ON } from './trained.sql';
import { NOT_FROZEN } from '../recalculation/recalculation-marks';

/** A training with the unit of its employee, for scope checks. */
export type TrainingWithUnit = AssessorTrainingEntity & { unitId: string };

@Injectable()
export class AssessorTrainingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager): Repository<AssessorTrainingEntity> {
    return (m ?? this.dataSource.manager).getRepository(AssessorTrainingEntity);
  }

  insert(t: Omit<AssessorTrainingEntity, 'id' | 'recordedAt'>, m: EntityManager): Promise<AssessorTrainingEntity> {
    return this.repo(m).save(this.repo(m).create(t));
  }

  async findWithUnit(id: string, m: EntityManager): Promise<TrainingWithUnit | null> {
    const t = await this.repo(m).createQueryBuilder('t').setLock('pessimistic_write', undefined, ['t']).where('t.id = :id', { id }).getOne();
    if (!t) return null;
    const [row] = await m.query<{ unit_id: string }[]>('SELECT unit_id FROM employees WHERE id = $1', [t.employeeId]);
    return { ...t, unitId: row.unit_id };
  }

  async delete(id: string, m: EntityManager): Promise<void> {
    await this.repo(m).delete({ id });
  }

  /** Whether the employee assesses or reviews an appraisal of any of `appraiseeIds` that is not FINALIZED. */
  async assessesAnyOf(employeeId: string, appraiseeIds: string[], m: EntityManager): Promise<boolean> {
    if (!appraiseeIds.length) return false;
    const [row] = await m.query<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM appraisals
                       WHERE employee_id = ANY($2::uuid[]) AND ${NOT_FROZEN('appraisals')}
                         AND (assessor_id = $1 OR reviewer_id = $1)) AS found`,
      [employeeId, appraiseeIds],
    );
    return row.found;
  }

  async isTrained(employeeId: string, on: string, m?: EntityManager): Promise<boolean> {
    const [row] = await (m ?? this.dataSource.manager).query<{ trained: boolean }[]>(`SELECT ${TRAINED_ON('$1::uuid', '$2::date')} AS trained`, [employeeId, on]);
    return row.trained;
  }

  async list(q: AssessorTrainingQueryDto, scope: DataScope): Promise<[AssessorTrainingEntity[], number]> {
    const qb = this.repo().createQueryBuilder('t').innerJoin('employees', 'e', 'e.id = t.employee_id');
    if (scope.kind === 'subtree') qb.andWhere('e.unit_id IN (SELECT unit_subtree(:scopeRoot))', { scopeRoot: scope.rootUnitId });
    else if (scope.kind === 'self') qb.andWhere('t.employee_id = :self', { self: scope.employeeId ?? '00000000-0000-0000-0000-000000000000' });
    if (q.employeeId) qb.andWhere('t.employee_id = :employeeId', { employeeId: q.employeeId });
    if (q.unitId) qb.andWhere('e.unit_id IN (SELECT unit_subtree(:unitId))', { unitId: q.unitId });
    if (q.validOn) qb.andWhere(COVERS('t', ':validOn'), { validOn: q.validOn });
    return qb
      .orderBy('t.completed_on', 'DESC')
      .addOrderBy('t.id', 'ASC')
      .offset(offsetOf(q))
      .limit(q.pageSize)
      .getManyAndCount();
  }
}
