import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { EmployeesRepository } from '../employees/employees.repository';
import { IndicatorsRepository } from '../indicators/indicators.repository';
import { UnitsRepository } from '../units/units.repository';
import { AppraisalAccessService } from './appraisal-access.service';
import { AppraisalsRepository } from './appraisals.repository';
import { notInStatus } from './appraisals.service';
import { CreateTargetDto, UpdateTargetDto } from './dto/target.dto';
import { AppraisalEntity } from './entities/appraisal.entity';
import { TargetEntity } from './entities/target.entity';
import { markForRecalculation } from '../recalculation/recalculation-marks';

/** Rencana hasil kerja: editable while the appraisal is DRAFT, by the employee, the assessor, HR or an admin. */
@Injectable()
export class TargetsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appraisals: AppraisalsRepository,
    private readonly access: AppraisalAccessService,
    private readonly audit: AuditService,
    private readonly units: UnitsRepository,
    private readonly employees: EmployeesRepository,
    private readonly indicators: IndicatorsRepository,
  ) {}

  async list(actor: Actor, appraisalId: string): Promise<TargetEntity[]> {
    await this.access.get(actor, appraisalId);
    return this.appraisals.targets(appraisalId);
  }

  async add(actor: Actor, appraisalId: string, dto: CreateTargetDto): Promise<TargetEntity> {
    return this.draftWrite(actor, appraisalId, async (appraisal, m) => {
      await this.checkIndicator(appraisal, dto.indicatorId, m);
      if ((await this.appraisals.targets(appraisalId, m)).some((t) => t.indicatorId === dto.indicatorId)) {
        throw new ConflictError('duplicate-target', 'The appraisal already has a target for this indicator', { field: 'indicatorId' });
      }
      await this.checkCascade(appraisal, dto.cascadedFromTargetId, m);
      const target = await this.appraisals.saveTarget(
        {
          appraisalId,
          indicatorId: dto.indicatorId,
          target: dto.target,
          weight: dto.weight,
          cascadedFromTargetId: dto.cascadedFromTargetId ?? null,
        },
        m,
      );
      return { target, audit: { action: 'target.create', after: target } };
    });
  }

  async update(actor: Actor, appraisalId: string, targetId: string, dto: UpdateTargetDto): Promise<TargetEntity> {
    return this.draftWrite(actor, appraisalId, async (appraisal, m) => {
      const before = await this.appraisals.findTarget(appraisalId, targetId, m);
      if (!before) throw new NotFoundError('Target', targetId);
      if (dto.cascadedFromTargetId !== undefined) await this.checkCascade(appraisal, dto.cascadedFromTargetId, m);
      const target = await this.appraisals.saveTarget(
        {
          ...before,
          ...(dto.target !== undefined ? { target: dto.target } : {}),
          ...(dto.weight !== undefined ? { weight: dto.weight } : {}),
          ...(dto.cascadedFromTargetId !== undefined ? { cascadedFromTargetId: dto.cascadedFromTargetId } : {}),
        },
        m,
      );
      return { target, audit: { action: 'target.update', before, after: target } };
    });
  }

  async remove(actor: Actor, appraisalId: string, targetId: string): Promise<void> {
    await this.draftWrite(actor, appraisalId, async (_, m) => {
      const before = await this.appraisals.findTarget(appraisalId, targetId, m);
      if (!before) throw new NotFoundError('Target', targetId);
      const use = await this.appraisals.targetInUse(targetId, m);
      if (use.achievements || use.cascades) {
        throw new ConflictError(
          'target-in-use',
          `The target has ${use.achievements} achievement(s) and ${use.cascades} cascaded target(s) below it`,
          { achievements: use.achievements, cascades: use.cascades },
        );
      }
      await this.appraisals.deleteTarget(targetId, m);
      return { target: before, audit: { action: 'target.delete', before } };
    });
  }

  /** Lock, check the part and the DRAFT state, write, bump the ETag, mark for recalculation, audit. */
  private async draftWrite(
    actor: Actor,
    appraisalId: string,
    write: (
      appraisal: AppraisalEntity,
      m: EntityManager,
    ) => Promise<{ target: TargetEntity; audit: { action: string; before?: object; after?: object } }>,
  ): Promise<TargetEntity> {
    return this.dataSource.transaction(async (m) => {
      const { appraisal, relation } = await this.access.get(actor, appraisalId, m, true);
      this.access.require(relation, ['owner', 'assessor', 'hr', 'admin'], 'edit targets');
      if (appraisal.status !== 'DRAFT') throw notInStatus(appraisal, 'given other targets (only a DRAFT can)');
      const { target, audit } = await write(appraisal, m);
      await this.appraisals.bumpVersion(appraisalId, m);
      await markForRecalculation(m, { appraisalIds: [appraisalId] }, audit.action);
      await this.audit.record(m, actor, { ...audit, entityType: 'target', entityId: target.id });
      return target;
    });
  }

  /** The indicator must be active and apply to the employee's job type and unit. */
  private async checkIndicator(appraisal: AppraisalEntity, indicatorId: string, m: EntityManager): Promise<void> {
    const indicator = await this.indicators.findById(indicatorId, m);
    if (!indicator) throw ValidationFailedError.field('indicatorId', `no indicator has the id ${indicatorId}`);
    if (!indicator.active) throw ValidationFailedError.field('indicatorId', `the indicator ${indicator.code} is inactive`);
    const employee = (await this.employees.findById(appraisal.employeeId, m))!;
    if (indicator.jobTypes.length && !indicator.jobTypes.includes(employee.jobType)) {
      throw ValidationFailedError.field('indicatorId', `the indicator ${indicator.code} does not apply to ${employee.jobType}`);
    }
    if (indicator.unitId && !(await this.units.isWithin(appraisal.unitId, indicator.unitId, m))) {
      throw ValidationFailedError.field('indicatorId', `the indicator ${indicator.code} belongs to another unit`);
    }
  }

  private async checkCascade(appraisal: AppraisalEntity, cascadedFromTargetId: string | null | undefined, m: EntityManager): Promise<void> {
    if (!cascadedFromTargetId) return;
    if (!appraisal.assessorId || !(await this.appraisals.isAssessorTarget(cascadedFromTargetId, appraisal.assessorId, appraisal.periodId, m))) {
      throw ValidationFailedError.field('cascadedFromTargetId', "must be a target of the assessor's appraisal in the same period");
    }
  }
}
