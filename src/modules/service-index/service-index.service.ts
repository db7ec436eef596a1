import { Injectable } from '@nestjs/common';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor, isOrgWide } from '../../common/auth/principal';
import { ConflictError, NotFoundError } from '../../common/errors/app-error';
import { IKM_ELEMENTS, IkmElement, ikmOfSums, IkmResult, zeroElementSums } from '../scoring/ikm';
import { FeedbackSums } from '../feedback-index/feedback-index.sql';
import { round2 } from '../scoring/rounding';
import { PREDICATES } from '../scoring/types';
import { EmployeesRepository } from '../employees/employees.repository';
import { PeriodEntity } from '../periods/entities/period.entity';
import { PeriodsRepository } from '../periods/periods.repository';
import { UnitsRepository } from '../units/units.repository';
import {
  EmployeeServiceIndexDto,
  IkmFiguresDto,
  PublicPeriodSummaryDto,
  PublicServiceIndexDto,
  UnitServiceIndexDto,
} from './dto/service-index.dto';
import { RESPONDENT_FIELDS, RespondentField, ServiceIndexRepository } from './service-index.repository';
import { figureKey, inFigure, publishedFigures, slotBounds } from './public-figures';
import { MIN_PUBLIC_APPRAISALS, MIN_PUBLIC_RESPONSES } from './thresholds';

type Figures = Omit<IkmResult, 'nrr'> & { nrr: Record<IkmElement, number> };

/** The figures of §4 as published: IKM and NRR rounded to 2 decimals; null without a response. */
function rounded(sums: FeedbackSums): Figures | null {
  const r = ikmOfSums(sums, sums.responses);
  if (!r) return null;
  const nrr = Object.fromEntries(IKM_ELEMENTS.map((e) => [e, round2(r.nrr[e])])) as Record<IkmElement, number>;
  return { responses: r.responses, ikm: round2(r.ikm), category: r.category, label: r.label, nrr };
}

const addSums = (a: FeedbackSums, b: FeedbackSums): FeedbackSums =>
  ({ responses: a.responses + b.responses, ...Object.fromEntries(IKM_ELEMENTS.map((e) => [e, a[e] + b[e]])) }) as FeedbackSums;

const figuresOf = (sums: FeedbackSums): IkmFiguresDto =>
  rounded(sums) ?? { responses: 0, ikm: null, category: null, label: null, nrr: null };

@Injectable()
export class ServiceIndexService {
  constructor(
    private readonly repo: ServiceIndexRepository,
    private readonly units: UnitsRepository,
    private readonly employees: EmployeesRepository,
    private readonly periods: PeriodsRepository,
  ) {}

  async unitIndex(actor: Actor, unitId: string, periodId: string): Promise<UnitServiceIndexDto> {
    const unit = await this.units.findById(unitId);
    if (!unit || !(await this.units.inScope(dataScopeOf(actor.principal), unitId))) throw new NotFoundError('Unit', unitId);
    await this.period(periodId);
    const respondents = Object.fromEntries(RESPONDENT_FIELDS.map((f) => [f, {}])) as Record<RespondentField, Record<string, number>>;
    for (const r of await this.repo.unitRespondents(unitId, periodId)) respondents[r.field][r.value] = r.count;
    return { unitId, periodId, ...figuresOf(await this.repo.sums('unit', unitId, periodId)), respondents };
  }

  /** Admins and API keys see everyone; an HR operator their subtree; any user their own employee record. */
  async employeeIndex(actor: Actor, employeeId: string, periodId: string): Promise<EmployeeServiceIndexDto> {
    const p = actor.principal;
    const employee = await this.employees.findById(employeeId);
    const visible =
      !!employee &&
      (isOrgWide(p) || (p.kind === 'user' && p.employeeId === employeeId) || (await this.units.inScope(dataScopeOf(p), employee.unitId)));
    if (!visible) throw new NotFoundError('Employee', employeeId);
    await this.period(periodId);
    return { employeeId, periodId, ...figuresOf(await this.repo.sums('employee', employeeId, periodId)) };
  }

  async publicIndex(unitCode: string, periodId: string): Promise<PublicServiceIndexDto> {
    const [unit] = await this.units.findByCodes([unitCode]);
    if (!unit) throw new NotFoundError('Unit', unitCode);
    const period = await this.period(periodId);
    const head = { unitCode: unit.code, unitName: unit.name, periodId, periodCode: period.code };
    // Decided over every figure of the period's island and summed from the same rows, so the decision and the
    // figures cannot disagree. Withheld: no figure at all, the count included (spec §4, §8).
    const island = await this.repo.periodIsland(periodId);
    const cells = await this.repo.feedbackCells(slotBounds(island));
    if (!publishedFigures(island, cells, MIN_PUBLIC_RESPONSES).has(figureKey(unit.code, periodId))) return { ...head, published: false };
    const sums = cells.filter((c) => inFigure(c, unit.code, period)).reduce(addSums, { responses: 0, ...zeroElementSums() });
    return { ...head, published: true, ...rounded(sums)! };
  }

  async publicSummary(periodId: string): Promise<PublicPeriodSummaryDto> {
    const period = await this.period(periodId);
    if (period.status !== 'CLOSED') {
      throw new ConflictError('period-not-closed', `Period ${period.code} is ${period.status}; summaries are published only for CLOSED periods`, {
        periodStatus: period.status,
      });
    }
    const rows = await this.repo.unitSummaries(periodId, MIN_PUBLIC_APPRAISALS);
    return {
      periodId,
      code: period.code,
      type: period.type,
      startDate: period.startDate,
      endDate: period.endDate,
      minAppraisals: MIN_PUBLIC_APPRAISALS,
      units: rows.map((r) => ({
        unitCode: r.unitCode,
        unitName: r.unitName,
        appraisals: r.appraisals,
        predicates: Object.fromEntries(PREDICATES.map((p) => [p, r[p]])) as Record<(typeof PREDICATES)[number], number>,
        withoutPredicate: r.withoutPredicate,
      })),
    };
  }

  private async period(id: string): Promise<PeriodEntity> {
    const period = await this.periods.findById(id);
    if (!period) throw new NotFoundError('Period', id);
    return period;
  }
}
