import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor, actingEmployeeIds, actsAsEmployee, ownEmployeeId, Principal } from '../../common/auth/principal';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page, pageOf } from '../../common/pagination/page';
import { witaDate } from '../../common/time/wita';
import { EmployeesRepository } from '../employees/employees.repository';
import { policyOf, ScoringPolicy } from '../scoring/policy';
import { UnitsRepository } from '../units/units.repository';
import { AssessorTrainingsRepository } from './assessor-trainings.repository';
import { AssessorTrainingQueryDto, CreateAssessorTrainingDto } from './dto/assessor-training.dto';
import { AssessorTrainingEntity } from './entities/assessor-training.entity';
import { recordTrainingEvent } from '../webhook-outbox/domain-events';

@Injectable()
export class AssessorTrainingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly trainings: AssessorTrainingsRepository,
    private readonly employees: EmployeesRepository,
    private readonly units: UnitsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Admins and keys: anyone; HR operators: employees of their subtree; nobody records their own (spec §11). */
  async create(actor: Actor, dto: CreateAssessorTrainingDto): Promise<AssessorTrainingEntity> {
    const today = witaDate();
    if (dto.completedOn > today) throw ValidationFailedError.field('completedOn', `must not be after today (${today}, WITA)`);
    const validUntil = dto.validUntil ?? null;
    if (validUntil !== null && validUntil < dto.completedOn) {
      throw ValidationFailedError.field('validUntil', `must not be before completedOn (${dto.completedOn})`);
    }
    return this.dataSource
      .transaction(async (m) => {
        const employee = await this.employees.findById(dto.employeeId, m);
        // Someone outside the caller's subtree answers as a missing employee (no existence oracle, spec §8).
        if (!employee || !(await this.units.inScope(dataScopeOf(actor.principal), employee.unitId, m))) {
          throw ValidationFailedError.field('employeeId', `no employee has the id ${dto.employeeId}`);
        }
        await this.refuseOwn(actor.principal, employee.id, 'record', m);
        const created = await this.trainings.insert(
          {
            employeeId: employee.id,
            course: dto.course,
            completedOn: dto.completedOn,
            validUntil,
            certificateUrl: dto.certificateUrl ?? null,
            recordedBy: actor.principal.id,
          },
          m,
        );
        await this.audit.record(m, actor, { action: 'assessor-training.create', entityType: 'assessor-training', entityId: created.id, after: created });
        await recordTrainingEvent(m, created);
        return created;
      })
      // The unique index decides a duplicate, also between two concurrent requests.
      .catch((e: unknown) => {
        const pg = (e as { driverError?: { code?: string; constraint?: string } }).driverError;
        if (pg?.code === '23505' && pg.constraint === 'uq_assessor_trainings_course') throw duplicate(dto);
        throw e;
      });
  }

  async list(actor: Actor, q: AssessorTrainingQueryDto): Promise<Page<AssessorTrainingEntity>> {
    const [items, total] = await this.trainings.list(q, dataScopeOf(actor.principal));
    return pageOf(items, total, q);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.trainings.findWithUnit(id, m);
      if (!before || !(await this.units.inScope(dataScopeOf(actor.principal), before.unitId, m))) throw new NotFoundError('Assessor training', id);
      await this.refuseOwn(actor.principal, before.employeeId, 'delete', m);
      await this.trainings.delete(id, m);
      const { unitId: _, ...record } = before;
      await this.audit.record(m, actor, { action: 'assessor-training.delete', entityType: 'assessor-training', entityId: id, before: record });
    });
  }

  /**
   * Spec §11: with the period's `requireTrainedAssessor`, an assessor action needs a training covering today (WITA).
   * The acting employee is the caller's own (a key's: its issuer's); a caller linked to no employee is not held.
   */
  async requireTrained(p: Principal, period: { policy: Partial<ScoringPolicy> }, m: EntityManager): Promise<void> {
    if (!policyOf(period).requireTrainedAssessor) return;
    const employeeId = ownEmployeeId(p);
    if (employeeId === null) return;
    const today = witaDate();
    if (await this.trainings.isTrained(employeeId, today, m)) return;
    throw new ConflictError(
      'assessor-untrained',
      `The period requires a trained assessor, and employee ${employeeId} holds no assessor training valid on ${today}`,
    );
  }

  /**
   * Nobody records or deletes their own training (spec §11), nor one of whoever assesses or reviews their appraisal
   * while it runs: with `requireTrainedAssessor` that decides whether the assessor may rate them at all (spec §8 rule 1).
   */
  private async refuseOwn(p: Principal, employeeId: string, verb: string, m: EntityManager): Promise<void> {
    if (actsAsEmployee(p, employeeId)) throw new ForbiddenError(`Nobody may ${verb} an assessor training of their own`, 'own-record');
    if (await this.trainings.assessesAnyOf(employeeId, actingEmployeeIds(p), m)) {
      throw new ForbiddenError(`Nobody may ${verb} an assessor training of the assessor or reviewer of their own appraisal`, 'own-appraisal');
    }
  }
}

const duplicate = (dto: CreateAssessorTrainingDto) =>
  new ConflictError('duplicate-training', `Employee ${dto.employeeId} already has the training "${dto.course}" completed on ${dto.completedOn}`);
