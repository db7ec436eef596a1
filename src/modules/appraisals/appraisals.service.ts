import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor, actsAsEmployee } from '../../common/auth/principal';
import { AppError, ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page, pageOf } from '../../common/pagination/page';
import { EmployeesRepository } from '../employees/employees.repository';
import { PeriodEntity } from '../periods/entities/period.entity';
import { PeriodsRepository } from '../periods/periods.repository';
import { UnitsRepository } from '../units/units.repository';
import { AssessorTrainingsService } from '../assessor-training/assessor-trainings.service';
import { AppraisalAccessService } from './appraisal-access.service';
import { appraisalAcceptsResults, periodAcceptsResults, weightsComplete, weightTotal } from './appraisal-rules';
import { AppraisalsRepository } from './appraisals.repository';
import { refuseOverrideOfHead } from './head-rating';
import {
  AppraisalQueryDto,
  AssessBehaviourDto,
  CreateAppraisalDto,
  etagOf,
  GenerateResultDto,
  ResultRatingOverrideDto,
  UpdateAppraisalDto,
} from './dto/appraisal.dto';
import { AppraisalEntity } from './entities/appraisal.entity';
import { markForRecalculation } from '../recalculation/recalculation-marks';

@Injectable()
export class AppraisalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appraisals: AppraisalsRepository,
    private readonly access: AppraisalAccessService,
    private readonly units: UnitsRepository,
    private readonly employees: EmployeesRepository,
    private readonly periods: PeriodsRepository,
    private readonly trainings: AssessorTrainingsService,
    private readonly audit: AuditService,
  ) {}

  async get(actor: Actor, id: string): Promise<AppraisalEntity> {
    return (await this.access.get(actor, id)).appraisal;
  }

  async list(actor: Actor, q: AppraisalQueryDto): Promise<Page<AppraisalEntity>> {
    const [items, total] = await this.appraisals.list(q, this.access.scopeCondition(actor.principal, 'a'));
    return pageOf(items, total, q);
  }

  async create(actor: Actor, dto: CreateAppraisalDto): Promise<AppraisalEntity> {
    return this.dataSource.transaction(async (m) => {
      const employee = await this.employees.findById(dto.employeeId, m);
      if (!employee || !(await this.units.inScope(dataScopeOf(actor.principal), employee.unitId, m))) throw ValidationFailedError.field('employeeId', `no employee has the id ${dto.employeeId}`);
      if (employee.status !== 'ACTIVE') {
        throw new ConflictError('employee-inactive', `Employee ${employee.nip} is ${employee.status}`, { field: 'employeeId' });
      }
      const period = await this.period(dto.periodId, m, 'periodId');
      if (period.status === 'CLOSED') throw new ConflictError('period-closed', `Period ${period.code} is closed`);
      const existing = await this.appraisals.findByEmployeeAndPeriod(employee.id, period.id, m);
      if (existing) {
        throw new ConflictError('duplicate-appraisal', `Employee ${employee.nip} already has an appraisal for ${period.code}`, {
          appraisalId: existing.id,
        });
      }
      const supervisor = employee.supervisorId ? await this.employees.findById(employee.supervisorId, m) : null;
      const appraisal = await this.appraisals.insert(
        {
          employeeId: employee.id,
          periodId: period.id,
          unitId: employee.unitId,
          assessorId: supervisor?.id ?? null,
          reviewerId: supervisor?.supervisorId ?? null,
          status: 'DRAFT',
        },
        m,
      );
      await this.audit.record(m, actor, { action: 'appraisal.create', entityType: 'appraisal', entityId: appraisal.id, after: appraisal });
      return appraisal;
    });
  }

  /** Idempotent: creates only the missing appraisals of active employees in the caller's scope. */
  async generate(actor: Actor, periodId: string, withinUnitId?: string): Promise<GenerateResultDto> {
    return this.dataSource.transaction(async (m) => {
      const period = await this.period(periodId, m);
      if (period.status === 'CLOSED') throw new ConflictError('period-closed', `Period ${period.code} is closed`);
      const scope = dataScopeOf(actor.principal);
      if (scope.kind === 'self') throw new NotFoundError('Period', periodId);
      // A unit outside the caller's subtree answers as a missing one (no existence oracle, spec §8).
      if (withinUnitId && !((await this.units.findById(withinUnitId, m)) && (await this.units.inScope(scope, withinUnitId, m)))) {
        throw ValidationFailedError.field('withinUnitId', `no unit has the id ${withinUnitId}`);
      }
      const { created, existing } = await this.appraisals.generate(
        period.id,
        { scopeRoot: scope.kind === 'subtree' ? scope.rootUnitId : undefined, withinUnitId },
        m,
      );
      await this.audit.recordMany(
        m,
        actor,
        created.map((a) => ({ action: 'appraisal.generate', entityType: 'appraisal', entityId: a.id, after: a })),
      );
      return { created: created.length, existing };
    });
  }

  /**
   * Reassigns assessor or reviewer (HR or admin), guarded by If-Match, with a reason that is audited
   * (spec §8 rule 3). A request that changes neither changes nothing.
   */
  async update(actor: Actor, id: string, dto: UpdateAppraisalDto, ifMatch?: string): Promise<AppraisalEntity> {
    return this.dataSource.transaction(async (m) => {
      const { appraisal: before, relation } = await this.access.get(actor, id, m, true);
      this.access.requireDecider(actor.principal, before, relation, ['hr', 'admin'], 'reassign the assessor or reviewer');
      this.checkIfMatch(before, ifMatch);
      if (before.status === 'FINALIZED') throw notInStatus(before, 'reassigned');
      const changed = ASSIGNEES.filter((f) => dto[f] !== undefined && dto[f] !== before[f]);
      if (!changed.length) return before;
      if (!dto.reason) throw ValidationFailedError.field('reason', 'is required to reassign the assessor or reviewer');
      const next = { ...before };
      for (const field of changed) {
        next[field] = dto[field] ?? null;
        if (next[field]) await this.checkAssignee(actor, before.employeeId, field, next[field], m);
      }
      if (next.assessorId && next.assessorId === next.reviewerId) {
        throw invalidAssessor(changed.includes('reviewerId') ? 'reviewerId' : 'assessorId', 'assessor-is-reviewer', 'The assessor cannot also be the reviewer');
      }
      const after = await this.appraisals.save(next, m);
      await this.audit.record(m, actor, { action: 'appraisal.update', entityType: 'appraisal', entityId: id, before, after, reason: dto.reason });
      return after;
    });
  }

  /** A new assessor or reviewer is an active employee, neither the appraisee, nor below them, nor the caller. */
  private async checkAssignee(actor: Actor, appraiseeId: string, field: Assignee, candidateId: string, m: EntityManager): Promise<void> {
    const candidate = await this.employees.findById(candidateId, m);
    // Someone outside the caller's subtree answers as a missing employee (no existence oracle, spec §8).
    if (!candidate || !(await this.units.inScope(dataScopeOf(actor.principal), candidate.unitId, m))) {
      throw ValidationFailedError.field(field, `no employee has the id ${candidateId}`);
    }
    if (candidate.status !== 'ACTIVE') throw invalidAssessor(field, 'inactive', `Employee ${candidateId} is ${candidate.status}, not ACTIVE`);
    if (candidateId === appraiseeId) throw invalidAssessor(field, 'appraisee', 'The appraised employee cannot assess or review their own appraisal');
    if (actsAsEmployee(actor.principal, candidateId)) {
      throw invalidAssessor(field, 'caller', 'You cannot make yourself the assessor or reviewer');
    }
    if (await this.employees.isInChainAbove(appraiseeId, candidateId, m)) {
      throw invalidAssessor(field, 'supervised-by-appraisee', `Employee ${candidateId} is supervised (directly or not) by the appraised employee`);
    }
  }

  /** DRAFT → AGREED by the assessor: at least one target and weights summing to 100. */
  async agree(actor: Actor, id: string): Promise<AppraisalEntity> {
    return this.dataSource.transaction(async (m) => {
      const { appraisal: before, relation } = await this.access.get(actor, id, m, true);
      this.access.require(relation, ['assessor', 'admin'], 'agree the targets');
      const period = await this.period(before.periodId, m);
      await this.trainings.requireTrained(actor.principal, period, m);
      if (before.status !== 'DRAFT') throw notInStatus(before, 'agreed');
      if (period.status === 'CLOSED') throw new ConflictError('period-closed', `Period ${period.code} is closed`);
      const weights = (await this.appraisals.targets(id, m)).map((t) => t.weight);
      if (!weightsComplete(weights)) {
        throw new ConflictError(
          weights.length ? 'weights-not-100' : 'no-targets',
          weights.length ? `The target weights sum to ${weightTotal(weights)}, not 100` : 'The appraisal has no targets',
          { weightTotal: weightTotal(weights), targetCount: weights.length },
        );
      }
      const after = await this.appraisals.save({ ...before, status: 'AGREED', agreedAt: new Date() }, m);
      await this.audit.record(m, actor, { action: 'appraisal.agree', entityType: 'appraisal', entityId: id, before, after });
      return after;
    });
  }

  /** The seven BerAKHLAK ratings by the assessor; sets ASSESSED. */
  async assessBehaviour(actor: Actor, id: string, dto: AssessBehaviourDto): Promise<AppraisalEntity> {
    return this.resultWrite(actor, id, 'assess behaviour', 'appraisal.behaviour', (a) => ({
      ...a,
      behaviourRatings: { ...dto.ratings },
      behaviourNotes: dto.notes ?? null,
      assessedAt: new Date(),
      status: 'ASSESSED',
    }));
  }

  async overrideResultRating(actor: Actor, id: string, dto: ResultRatingOverrideDto): Promise<AppraisalEntity> {
    return this.resultWrite(
      actor,
      id,
      'override the result rating',
      'appraisal.result-rating-override',
      (a) => ({ ...a, resultRatingOverride: dto.rating, resultRatingOverrideReason: dto.reason }),
      (m) => refuseOverrideOfHead(this.appraisals, id, m),
    );
  }

  async withdrawOverride(actor: Actor, id: string): Promise<AppraisalEntity> {
    return this.resultWrite(actor, id, 'withdraw the override', 'appraisal.result-rating-override-withdraw', (a) => ({
      ...a,
      resultRatingOverride: null,
      resultRatingOverrideReason: null,
    }));
  }

  /** Assessor writes that move the score: period running, appraisal agreed; marked for recalculation. */
  private async resultWrite(
    actor: Actor,
    id: string,
    what: string,
    action: string,
    change: (a: AppraisalEntity) => AppraisalEntity,
    guard?: (m: EntityManager) => Promise<void>,
  ): Promise<AppraisalEntity> {
    return this.dataSource.transaction(async (m) => {
      const { appraisal: before, relation } = await this.access.get(actor, id, m, true);
      this.access.requireDecider(actor.principal, before, relation, ['assessor', 'admin'], what);
      const period = await this.period(before.periodId, m);
      await this.trainings.requireTrained(actor.principal, period, m);
      if (!periodAcceptsResults(period.status)) {
        throw new ConflictError('period-not-open', `Period ${period.code} is ${period.status}; this needs it OPEN or EVALUATION`);
      }
      if (!appraisalAcceptsResults(before.status)) throw notInStatus(before, 'changed this way');
      await guard?.(m);
      const after = await this.appraisals.save(change({ ...before }), m);
      await markForRecalculation(m, { appraisalIds: [id] }, action);
      await this.audit.record(m, actor, { action, entityType: 'appraisal', entityId: id, before, after });
      return after;
    });
  }

  checkIfMatch(a: AppraisalEntity, ifMatch?: string): void {
    if (ifMatch === undefined || ifMatch.trim() === '*') return;
    const tags = ifMatch.split(',').map((t) => t.trim());
    if (!tags.includes(etagOf(a))) {
      throw new AppError('precondition-failed', 'etag-mismatch', `The appraisal changed since you read it (now ${etagOf(a)}); read it again`, {
        etag: etagOf(a),
      });
    }
  }

  /**
   * The period, share-locked for the rest of the transaction: a concurrent transition (which locks it FOR
   * UPDATE) waits, so nothing lands in a period that closed meanwhile.
   */
  async period(id: string, m: EntityManager, field?: string): Promise<PeriodEntity> {
    const period = await this.periods.findByIdForShare(id, m);
    if (!period) {
      if (field) throw ValidationFailedError.field(field, `no period has the id ${id}`);
      throw new NotFoundError('Period', id);
    }
    return period;
  }
}

const ASSIGNEES = ['assessorId', 'reviewerId'] as const;
type Assignee = (typeof ASSIGNEES)[number];

/** 409 naming the field and the broken condition of spec §8 rule 3. */
const invalidAssessor = (field: Assignee, condition: string, detail: string) =>
  new ConflictError('invalid-assessor', `${field}: ${detail}`, { field, condition });

export const notInStatus = (a: AppraisalEntity, verb: string) =>
  new ConflictError('invalid-appraisal-status', `The appraisal is ${a.status} and cannot be ${verb}`, { appraisalStatus: a.status });

