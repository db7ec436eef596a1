import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor, actingEmployeeIds } from '../../common/auth/principal';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { OrganisationPredicateEntity } from './entities/organisation-predicate.entity';
import { PeriodEntity } from '../periods/entities/period.entity';
import { UnitEntity } from '../units/entities/unit.entity';
import { UnitsRepository } from '../units/units.repository';
import { calibrationFlag, MIN_APPRAISEES, spread, zScores } from './calibration';
import { checkCurve, CurveFailure, predicateShares, scoredTotal } from './curve';
import { AppraisalView, DistributionRepository } from './distribution.repository';
import { AssessorStatsReportDto, TrainingNeedDto, TrainingNeedReason, TrainingNeedsQueryDto } from './dto/assessor-stats.dto';
import { offsetOf, Page, pageOf } from '../../common/pagination/page';
import { witaDate } from '../../common/time/wita';
import { DistributionDto } from './dto/distribution.dto';
import { SetOrganisationPredicateDto } from './dto/organisation-predicate.dto';
import { roundedShare, roundTo } from './numbers';
import { markForRecalculation } from '../recalculation/recalculation-marks';

export interface UnitBreakingCurve {
  unitId: string;
  unitCode: string;
  failures: CurveFailure[];
}

const numberOrNull = (v: string | null): number | null => (v === null ? null : Number(v));
const round2OrNull = (v: number | null): number | null => (v === null ? null : roundTo(v, 2));

@Injectable()
export class DistributionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: DistributionRepository,
    private readonly units: UnitsRepository,
    private readonly audit: AuditService,
  ) {}

  async getOrganisationPredicate(actor: Actor, periodId: string, unitId: string): Promise<OrganisationPredicateEntity> {
    await this.period(periodId);
    await this.unit(actor, unitId);
    const current = await this.repo.findOrganisationPredicate(periodId, unitId);
    if (!current) throw new NotFoundError(`Organisation predicate of unit ${unitId} in period`, periodId);
    return current;
  }

  /**
   * Sets (inserts or replaces) the organisation predicate of a unit for a period until the period is CLOSED.
   * The same value again changes and audits nothing and keeps the original setBy/setAt.
   */
  async setOrganisationPredicate(actor: Actor, periodId: string, unitId: string, dto: SetOrganisationPredicateDto): Promise<OrganisationPredicateEntity> {
    return this.dataSource.transaction(async (m) => {
      const period = await this.repo.lockPeriod(periodId, m);
      if (!period) throw new NotFoundError('Period', periodId);
      const unit = await this.unit(actor, unitId, m);
      // The predicate is the result rating of the unit's head (spec §5.4) and bounds the ratings of its subtree (the
      // curve): nobody in the subtree sets it (§8 rule 1), the head included.
      if ((await this.units.unitsHolding(actingEmployeeIds(actor.principal), m, periodId)).has(unit.id)) {
        throw new ForbiddenError(
          `Unit ${unit.code} holds your own appraisal (you work in it or below it): its organisation predicate bounds your rating`,
          'own-appraisal',
        );
      }
      if (period.status === 'CLOSED') {
        throw new ConflictError('period-closed', `Period ${period.code} is CLOSED: organisation predicates can no longer change`);
      }
      const before = await this.repo.findOrganisationPredicate(periodId, unitId, m);
      if (before?.predicate === dto.predicate) return before;
      const after = await this.repo.upsertOrganisationPredicate({ periodId, unitId, predicate: dto.predicate, setBy: actor.principal.id }, m);
      // The unit's head takes their result rating from it (spec §5.4); nobody else's score moves.
      await markForRecalculation(m, { headsIn: { periodId, unitId } }, 'organisation-predicate.set');
      await this.audit.record(m, actor, {
        action: 'organisation-predicate.set',
        entityType: 'organisation-predicate',
        entityId: `${periodId}/${unitId}`,
        before,
        after,
      });
      return after;
    });
  }

  /** Predicate counts and shares over the unit subtree in the period, and the rules of its curve that fail. */
  async distribution(actor: Actor, periodId: string, unitId: string): Promise<DistributionDto> {
    await this.period(periodId);
    await this.unit(actor, unitId);
    const [counts, organisation] = await Promise.all([
      this.repo.predicateCounts(periodId, unitId),
      this.repo.findOrganisationPredicate(periodId, unitId),
    ]);
    const organisationPredicate = organisation?.predicate ?? null;
    return {
      periodId,
      unitId,
      organisationPredicate,
      total: scoredTotal(counts),
      counts,
      shares: predicateShares(counts),
      failures: checkCurve(organisationPredicate, counts),
    };
  }

  /**
   * Every unit with an organisation predicate in the period whose subtree breaks its curve, by unit code,
   * counted in one set-based query. For the period close when the policy has `enforceDistribution`: pass the
   * close's transaction so the counts are those it finalises.
   */
  async unitsBreakingCurve(periodId: string, m: EntityManager): Promise<UnitBreakingCurve[]> {
    const units = await this.repo.predicateCountsOfRatedUnits(periodId, m);
    return units
      .map((u) => ({ unitId: u.unitId, unitCode: u.unitCode, failures: checkCurve(u.predicate, u.counts) }))
      .filter((u) => u.failures.length > 0);
  }

  /**
   * Calibration numbers of every assessor with at least 5 appraisees with a score among the appraisals in view
   * (an HR operator's subtree, narrowed by `withinUnitId`). z compares each listed assessor's mean
   * behaviourScore in view with the assessors of the whole period that have 5 or more appraisees with a score.
   */
  async assessorStats(actor: Actor, periodId: string, withinUnitId?: string): Promise<AssessorStatsReportDto> {
    return this.statsOver(periodId, withinUnitId, await this.view(actor, periodId, withinUnitId));
  }

  private async statsOver(periodId: string, withinUnitId: string | undefined, view: AppraisalView): Promise<AssessorStatsReportDto> {
    const rows = await this.repo.assessorStats(periodId, view, MIN_APPRAISEES, witaDate());

    const reference = rows.map((r) => numberOrNull(r.periodMeanBehaviour)).filter((v): v is number => v !== null);
    const population = spread(reference);
    const listed = rows.filter((r) => r.count >= MIN_APPRAISEES);
    const zs = zScores(listed.map((r) => numberOrNull(r.meanBehaviour)), reference);
    return {
      periodId,
      withinUnitId: withinUnitId ?? null,
      minAppraisees: MIN_APPRAISEES,
      population: {
        assessors: population.count,
        meanBehaviourScore: round2OrNull(population.mean),
        sdBehaviourScore: round2OrNull(population.sd),
      },
      items: listed.map((r, i) => {
        const z = round2OrNull(zs[i]);
        return {
          assessorId: r.assessorId,
          name: r.name,
          nip: r.nip,
          count: r.count,
          meanBehaviourScore: round2OrNull(numberOrNull(r.meanBehaviour)),
          meanResultScore: roundTo(Number(r.meanResult), 2),
          shareAboveBehaviour: r.rated ? roundedShare(r.above, r.rated) : null,
          overrides: r.overrides,
          z,
          flag: calibrationFlag(z),
          trained: r.trained,
          dialoguesHeld: r.dialoguesHeld,
        };
      }),
    };
  }

  /**
   * The assessors to train (spec §11), in the view of assessor-stats: those of appraisals in view who hold no
   * training valid today, and those calibration flags LENIENT or STRICT. By name, then NIP.
   */
  async trainingNeeds(actor: Actor, periodId: string, q: TrainingNeedsQueryDto): Promise<Page<TrainingNeedDto>> {
    const view = await this.view(actor, periodId, q.withinUnitId);
    const [assessors, stats] = await Promise.all([this.repo.assessorsInView(periodId, view, witaDate()), this.statsOver(periodId, q.withinUnitId, view)]);
    const flags = new Map(stats.items.map((s) => [s.assessorId, s.flag]));
    const needs = assessors.flatMap((a): TrainingNeedDto[] => {
      const flag = flags.get(a.assessorId) ?? null;
      const reasons: TrainingNeedReason[] = [...(a.trained ? [] : ['UNTRAINED' as const]), ...(flag ? [flag] : [])];
      if (!reasons.length) return [];
      return [{ assessor: { id: a.assessorId, nip: a.nip, name: a.name }, trained: a.trained, flag, reasons, appraisees: a.appraisees }];
    });
    const start = offsetOf(q);
    return pageOf(needs.slice(start, start + q.pageSize), needs.length, q);
  }

  /** Which appraisals of the period a report covers: the caller's scope, narrowed by a unit they may see. */
  private async view(actor: Actor, periodId: string, withinUnitId?: string): Promise<AppraisalView> {
    await this.period(periodId);
    if (withinUnitId && !(await this.visibleUnit(actor, withinUnitId))) {
      throw ValidationFailedError.field('withinUnitId', `no unit has the id ${withinUnitId}`);
    }
    return appraisalViewOf(actor, withinUnitId);
  }

  /**
   * The distribution of each of these units in the period, as distribution() answers it, in one query; for callers
   * that chose the units in their view (the results workbook), on their connection if given (`m`). By unit code.
   */
  async ofUnits(periodId: string, unitIds: string[], m?: EntityManager): Promise<(DistributionDto & { unitCode: string; unitName: string })[]> {
    const units = await this.repo.predicateCountsOfUnits(periodId, unitIds, m);
    return units.map((u) => ({
      periodId,
      unitId: u.unitId,
      unitCode: u.unitCode,
      unitName: u.unitName,
      organisationPredicate: u.predicate,
      total: scoredTotal(u.counts),
      counts: u.counts,
      shares: predicateShares(u.counts),
      failures: checkCurve(u.predicate, u.counts),
    }));
  }

  private async period(id: string, m?: EntityManager): Promise<PeriodEntity> {
    const period = await this.repo.findPeriod(id, m);
    if (!period) throw new NotFoundError('Period', id);
    return period;
  }

  /** The unit if the caller may see it (admins and API keys: any; HR operators: their subtree), else null. */
  private async visibleUnit(actor: Actor, id: string, m?: EntityManager): Promise<UnitEntity | null> {
    const unit = await this.units.findById(id, m);
    if (!unit) return null;
    return (await this.units.inScope(dataScopeOf(actor.principal), id, m)) ? unit : null;
  }

  /** The unit, or 404 as if it did not exist when the caller may not see it. */
  private async unit(actor: Actor, id: string, m?: EntityManager): Promise<UnitEntity> {
    const unit = await this.visibleUnit(actor, id, m);
    if (!unit) throw new NotFoundError('Unit', id);
    return unit;
  }
}

/**
 * The appraisals of a period a caller's reports cover (spec §8): admins and API keys all, HR operators their subtree,
 * employees none; `withinUnitId` (a unit the caller may see) narrows it further.
 */
export function appraisalViewOf(actor: Actor, withinUnitId?: string): AppraisalView {
  const scope = dataScopeOf(actor.principal);
  const roots = [...(scope.kind === 'subtree' ? [scope.rootUnitId] : []), ...(withinUnitId ? [withinUnitId] : [])];
  return scope.kind === 'self' ? { kind: 'none' } : roots.length ? { kind: 'subtrees', roots } : { kind: 'all' };
}
