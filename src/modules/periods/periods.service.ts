import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page, pageOf } from '../../common/pagination/page';
import { markForRecalculation } from '../recalculation/recalculation-marks';
import { CreatePeriodDto, PeriodQueryDto } from './dto/period.dto';
import { ScoringPolicyPatchDto } from './dto/scoring-policy.dto';
import { PeriodEntity } from './entities/period.entity';
import { checkPeriodCalendar } from './period-calendar';
import { PeriodsRepository } from './periods.repository';
import { checkScoringPolicy, DEFAULT_SCORING_POLICY, policyOf, samePolicy, sameHeadRule, sameScoring, ScoringPolicy, withPolicyChanges } from '../scoring/policy';


@Injectable()
export class PeriodsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly periods: PeriodsRepository,
    private readonly audit: AuditService,
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
   * a change to a period-wide scoring key marks every non-finalised appraisal of the period for recalculation in the same
   * transaction, one to `headRatingFromOrganisation` alone the unit heads' appraisals only.
   */
  async updatePolicy(actor: Actor, id: string, dto: ScoringPolicyPatchDto): Promise<ScoringPolicy> {
    return this.dataSource.transaction(async (m) => {
      const period = await this.periods.findByIdForUpdate(id, m);
      if (!period) throw new NotFoundError('Period', id);
      if (period.status === 'CLOSED') {
        throw new ConflictError('period-closed', `Period ${period.code} is CLOSED: its scoring policy can no longer change`);
      }
      const before = policyOf(period);
      const after = withPolicyChanges(before, dto);
      const errors = checkScoringPolicy(after);
      if (errors.length) throw new ValidationFailedError(errors);
      if (samePolicy(before, after)) return before;
      await this.periods.setPolicy(id, after, m);
      if (!sameScoring(before, after)) await markForRecalculation(m, { periodId: id }, 'policy-edit');
      else if (!sameHeadRule(before, after)) await markForRecalculation(m, { headsIn: { periodId: id } }, 'policy-edit');
      await this.audit.record(m, actor, { action: 'period.policy-update', entityType: 'period', entityId: id, before, after });
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
