import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor, actsAsEmployee } from '../../common/auth/principal';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page } from '../../common/pagination/page';
import { witaDate } from '../../common/time/wita';
import { UnitsRepository } from '../units/units.repository';
import { CandidateDto, CandidateParametersDto, CandidateQueryDto, CreateShortlistDto, DecisionDto, ResolvedParameters, ShortlistDto } from './dto/candidates.dto';
import { compareCandidates, evaluate } from './eligibility';
import { ShortlistDecisionEntity, ShortlistEntity } from './entities/shortlist.entity';
import { PromotionCandidatesRepository } from './promotion-candidates.repository';
import { ShortlistsRepository } from './shortlists.repository';
import { recordShortlistDecision } from '../webhook-outbox/domain-events';

@Injectable()
export class PromotionCandidatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PromotionCandidatesRepository,
    private readonly shortlists: ShortlistsRepository,
    private readonly units: UnitsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, q: CandidateQueryDto): Promise<Page<CandidateDto>> {
    const all = await this.compute(actor, await this.resolve(actor, q));
    const start = (q.page - 1) * q.pageSize;
    return { items: all.slice(start, start + q.pageSize), page: q.page, pageSize: q.pageSize, total: all.length };
  }

  /** Freezes the computed list with its parameters: later score changes do not alter it. */
  async createShortlist(actor: Actor, dto: CreateShortlistDto): Promise<ShortlistDto> {
    const parameters = await this.resolve(actor, dto.parameters);
    const items = await this.compute(actor, parameters);
    const scope = dataScopeOf(actor.principal);
    return this.dataSource.transaction(async (m) => {
      const saved = await this.shortlists.insert(
        {
          name: dto.name,
          parameters,
          items,
          unitId: parameters.withinUnitId ?? (scope.kind === 'subtree' ? scope.rootUnitId : null),
          createdBy: actor.principal.id,
        },
        m,
      );
      await this.audit.record(m, actor, {
        action: 'shortlist.create',
        entityType: 'shortlist',
        entityId: saved.id,
        after: { name: saved.name, parameters, candidates: items.length, eligible: items.filter((i) => i.eligible).length },
      });
      return { id: saved.id, name: saved.name, parameters, createdAt: saved.createdAt, items, decisions: [] };
    });
  }

  async getShortlist(actor: Actor, id: string): Promise<ShortlistDto> {
    const s = await this.visibleShortlist(actor, id);
    const decisions = await this.shortlists.listDecisions(id);
    return { id: s.id, name: s.name, parameters: s.parameters, createdAt: s.createdAt, items: s.items, decisions };
  }

  async decide(actor: Actor, id: string, dto: DecisionDto): Promise<ShortlistDecisionEntity> {
    const s = await this.visibleShortlist(actor, id);
    if (actsAsEmployee(actor.principal, dto.employeeId)) {
      throw new ForbiddenError('Nobody decides on their own place on a promotion shortlist', 'own-appraisal');
    }
    if (!(s.items as CandidateDto[]).some((i) => i.employee.id === dto.employeeId)) {
      throw ValidationFailedError.field('employeeId', 'is not a candidate of this shortlist');
    }
    return this.dataSource.transaction(async (m) => {
      const before = await this.shortlists.findDecision(id, dto.employeeId, m);
      const after = await this.shortlists.saveDecision(
        { shortlistId: id, employeeId: dto.employeeId, decision: dto.decision, note: dto.note, decidedBy: actor.principal.id, decidedAt: new Date() },
        m,
      );
      await this.audit.record(m, actor, { action: 'shortlist.decision', entityType: 'shortlist', entityId: id, before, after });
      await recordShortlistDecision(m, after);
      return after;
    });
  }

  private async visibleShortlist(actor: Actor, id: string): Promise<ShortlistEntity> {
    const s = await this.shortlists.findById(id);
    // A shortlist over the whole organisation (no unit) is for admins only.
    const scope = dataScopeOf(actor.principal);
    const visible = s && (scope.kind === 'all' || (!!s.unitId && (await this.units.inScope(scope, s.unitId))));
    if (!s || !visible) throw new NotFoundError('Shortlist', id);
    return s;
  }

  private async resolve(actor: Actor, p: CandidateParametersDto): Promise<ResolvedParameters> {
    const scope = dataScopeOf(actor.principal);
    if (p.withinUnitId) {
      const known = await this.units.findById(p.withinUnitId);
      if (!known || !(await this.units.inScope(scope, p.withinUnitId))) throw ValidationFailedError.field('withinUnitId', `no unit has the id ${p.withinUnitId}`);
    }
    return {
      periodType: p.periodType ?? 'ANNUAL',
      window: p.window ?? 2,
      minPredicate: p.minPredicate ?? 'BAIK',
      minYearsInRank: p.minYearsInRank ?? 4,
      penaltyYears: p.penaltyYears ?? 2,
      withinUnitId: p.withinUnitId ?? null,
      jobType: p.jobType ?? null,
      asOf: p.asOf ?? witaDate(),
      includeIneligible: p.includeIneligible ?? false,
    };
  }

  /** One query for the facts, the rules of §7 in `evaluate`, then the ranking of §7. */
  private async compute(actor: Actor, p: ResolvedParameters): Promise<CandidateDto[]> {
    const scope = dataScopeOf(actor.principal);
    const window = await this.repo.window(p.periodType, p.window, p.asOf);
    const rows = await this.repo.candidates({
      windowIds: window.map((w) => w.id),
      asOf: p.asOf,
      scopeRoot: scope.kind === 'subtree' ? scope.rootUnitId : undefined,
      withinUnitId: p.withinUnitId,
      jobType: p.jobType,
      activeOnly: !p.includeIneligible,
    });
    const evaluated = rows.map((r) => {
      const results = new Map(r.results.map((x) => [x.periodId, { predicate: x.predicate, finalScore: x.finalScore === null ? null : Number(x.finalScore) }]));
      const e = evaluate({ nip: r.nip, status: r.status, rankSince: r.rank_since, potential: r.potential, results, seriousPenalties: r.penalties }, window, p);
      return { ...e, nip: r.nip, row: r };
    });
    const eligible = evaluated.filter((e) => e.eligible).sort(compareCandidates);
    const rest = p.includeIneligible ? evaluated.filter((e) => !e.eligible).sort(compareCandidates) : [];
    return [...eligible, ...rest].map((e, i) => ({
      rank: e.eligible ? i + 1 : null,
      employee: {
        id: e.row.id,
        nip: e.row.nip,
        name: e.row.name,
        unitId: e.row.unit_id,
        jobType: e.row.job_type,
        rank: e.row.rank,
        rankSince: e.row.rank_since,
        potential: e.row.potential,
      },
      meanFinalScore: e.meanFinalScore,
      periods: e.periods,
      talentBox: e.talentBox,
      eligible: e.eligible,
      reasons: e.reasons,
    }));
  }
}
