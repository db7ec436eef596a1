import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor, Principal } from '../../common/auth/principal';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page, pageOf } from '../../common/pagination/page';
import { markForRecalculation } from '../recalculation/recalculation-marks';
import { RecalculationService } from '../recalculation/recalculation.service';
import { DistributionService } from '../distribution/distribution.service';
import { CreatePeriodDto, PeriodQueryDto, TransitionPeriodDto } from './dto/period.dto';
import { ScoringPolicyPatchDto } from './dto/scoring-policy.dto';
import { PeriodEntity } from './entities/period.entity';
import { checkPeriodCalendar } from './period-calendar';
import { nextStatus } from './period-transitions';
import { PeriodsRepository } from './periods.repository';
import { checkScoringPolicy, DEFAULT_SCORING_POLICY, policyOf, samePolicy, ScoringPolicy, withPolicyChanges } from '../scoring/policy';

/** At most this many blocking appraisal ids are listed in a refused close. */
export const MAX_LISTED_APPRAISALS = 1000;

const isAdminUser = (p: Principal) => p.kind === 'user' && p.role === 'ADMIN';

@Injectable()
export class PeriodsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly periods: PeriodsRepository,
    private readonly audit: AuditService,
    private readonly recalculation: RecalculationService,
    private readonly distribution: DistributionService,
  ) {}

  async get(id: string, m?: EntityManager): Promise<PeriodEntity> {
    const period = await this.periods.findById(id, m);
    if (!period) throw new NotFoundError('Period', id);
    return period;
  }

  async list(q: PeriodQueryDto): Promise<Page<PeriodEntity>> {
    const [items, total] = await this.periods.list(q);
    return pageOf(items, total, q);
  }

  async create(actor: Actor, dto: CreatePeriodDto): Promise<PeriodEntity> {
    const calendarErrors = checkPeriodCalendar(dto);
    if (calendarErrors.length) throw new ValidationFailedError(calendarErrors);
    const policy = withPolicyChanges(DEFAULT_SCORING_POLICY, dto.policy ?? {});
    const policyErrors = checkScoringPolicy(policy);
    if (policyErrors.length) throw new ValidationFailedError(policyErrors.map((e) => ({ ...e, field: `policy.${e.field}` })));
    return this.dataSource
      .transaction(async (m) => {
        if (await this.periods.existsCode(dto.code, m)) throw duplicateCode(dto.code);
        const period = await this.periods.save(
          { code: dto.code, type: dto.type, startDate: dto.startDate, endDate: dto.endDate, status: 'PLANNING', policy, closedAt: null },
          m,
        );
        await this.audit.record(m, actor, { action: 'period.create', entityType: 'period', entityId: period.id, after: period });
        return period;
      })
      .catch(raceOnCode(dto.code));
  }

  /**
   * Changes some policy keys until the period is CLOSED. The merged policy must pass the cross-key rules;
   * a real change marks every non-finalised appraisal of the period for recalculation in the same transaction.
   */
  async updatePolicy(actor: Actor, id: string, dto: ScoringPolicyPatchDto): Promise<ScoringPolicy> {
    return this.dataSource.transaction(async (m) => {
      const period = await this.periods.findByIdForUpdate(id, m);
      if (!period) throw new NotFoundError('Period', id);
      if (period.status === 'CLOSED') {
        throw new ConflictError('period-closed', `Period ${period.code} is CLOSED: its scoring policy can no longer change`);
      }
      const before = period.policy;
      const after = withPolicyChanges(policyOf(period), dto);
      const errors = checkScoringPolicy(after);
      if (errors.length) throw new ValidationFailedError(errors);
      if (samePolicy(policyOf(period), after)) return before;
      await this.periods.setPolicy(id, after, m);
      await markForRecalculation(m, { periodId: id }, 'policy-edit');
      await this.audit.record(m, actor, { action: 'period.policy-update', entityType: 'period', entityId: id, before, after });
      return after;
    });
  }

  /**
   * Moves a period one step forward. Closing finalises its appraisals; while some are DRAFT or AGREED it is
   * refused (409, listing them) unless an admin user forces it. The period row is locked for the whole
   * transition, so two concurrent closes cannot both run.
   */
  async transition(actor: Actor, id: string, dto: TransitionPeriodDto): Promise<PeriodEntity> {
    const force = dto.force === true;
    if (force && dto.to !== 'CLOSED') throw ValidationFailedError.field('force', 'applies only to "to": "CLOSED"');
    if (force && !isAdminUser(actor.principal)) {
      throw new ForbiddenError('Only an admin user may force a period closed', 'force-requires-admin');
    }
    return this.dataSource.transaction(async (m) => {
      const before = await this.periods.findByIdForUpdate(id, m);
      if (!before) throw new NotFoundError('Period', id);
      const allowed = nextStatus(before.status);
      if (allowed !== dto.to) {
        throw new ConflictError(
          'invalid-transition',
          allowed
            ? `Period ${before.code} is ${before.status}; it can only move to ${allowed}`
            : `Period ${before.code} is CLOSED; it cannot move any more`,
          { from: before.status, to: dto.to, allowed: allowed ? [allowed] : [] },
        );
      }

      let finalized: Awaited<ReturnType<PeriodsRepository['finalizeAppraisals']>> = [];
      let forcedCount = 0;
      if (dto.to === 'CLOSED') {
        const unassessed = await this.periods.unassessedAppraisals(id, MAX_LISTED_APPRAISALS, m);
        if (unassessed.count && !force) {
          throw new ConflictError(
            'appraisals-not-assessed',
            `${unassessed.count} appraisal(s) of period ${before.code} are still DRAFT or AGREED: assess them first, ` +
              'or have an admin close with "force": true to finalise them with behaviour unassessed',
            { appraisalIds: unassessed.ids, count: unassessed.count },
          );
        }
        forcedCount = unassessed.count;
        // Scores are computed from the rows as they stand at the close, then frozen with the appraisals.
        await this.recalculation.recalculatePeriod(id, m);
        if (policyOf(before).enforceDistribution) {
          const breaking = await this.distribution.unitsBreakingCurve(id, m);
          if (breaking.length) {
            throw new ConflictError(
              'distribution-curve-broken',
              `${breaking.length} unit(s) break the distribution curve of their organisation predicate (policy enforceDistribution): ` +
                breaking.map((u) => u.unitCode).join(', '),
              { units: breaking },
            );
          }
        }
        finalized = await this.periods.finalizeAppraisals(id, m);
      }
      await this.periods.setStatus(id, dto.to, m);
      const after = (await this.periods.findById(id, m))!;

      await this.audit.record(m, actor, {
        action: 'period.transition',
        entityType: 'period',
        entityId: id,
        before: { status: before.status, closedAt: before.closedAt },
        after: {
          status: after.status,
          closedAt: after.closedAt,
          ...(dto.to === 'CLOSED' ? { force, finalizedAppraisals: finalized.length, forcedAppraisals: forcedCount } : {}),
        },
      });
      await this.audit.recordMany(
        m,
        actor,
        finalized.map((a) => ({
          action: 'appraisal.finalize',
          entityType: 'appraisal',
          entityId: a.id,
          before: { status: a.previousStatus },
          after: {
            status: 'FINALIZED',
            finalizedAt: after.closedAt,
            version: a.version,
            periodId: id,
            reason: 'period-close',
            behaviourUnassessed: a.previousStatus !== 'ASSESSED',
          },
        })),
      );
      return after;
    });
  }
}

const duplicateCode = (code: string) =>
  new ConflictError('duplicate-period-code', `A period with the code ${code} exists`, { field: 'code' });

/** Two concurrent creations of one code: the unique index decides, and the loser gets the same 409. */
const raceOnCode =
  (code: string) =>
  (e: unknown): never => {
    const pg = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : undefined;
    if (pg?.code === '23505' && pg.constraint === 'uq_periods_code') throw duplicateCode(code);
    throw e;
  };
