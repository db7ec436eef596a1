import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor, Principal } from '../../common/auth/principal';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { DistributionService } from '../distribution/distribution.service';
import { TransitionPeriodDto } from '../periods/dto/period.dto';
import { PeriodEntity } from '../periods/entities/period.entity';
import { nextStatus } from '../periods/period-transitions';
import { PeriodsRepository } from '../periods/periods.repository';
import { RecalculationService } from '../recalculation/recalculation.service';
import { policyOf } from '../scoring/policy';
import { recordFinalizedEvents } from '../webhook-outbox/domain-events';
import { recordEvent } from '../webhook-outbox/outbox';
import { UNASSESSED_APPRAISAL_STATUSES } from './appraisal-rules';
import { AppraisalsRepository, FinalizedAppraisal } from './appraisals.repository';

/** At most this many blocking appraisal ids are listed in a refused close. */
export const MAX_LISTED_APPRAISALS = 1000;

const isAdminUser = (p: Principal) => p.kind === 'user' && p.role === 'ADMIN';

/**
 * The transitions of a period (spec §2), of which closing is the one that matters: it finalises the period's
 * appraisals, so it lives with them. The steps of the close, in one transaction: the blocking check, the
 * recomputation from the rows as they stand, the distribution check, the finalisation.
 */
@Injectable()
export class PeriodCloseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly periods: PeriodsRepository,
    private readonly appraisals: AppraisalsRepository,
    private readonly recalculation: RecalculationService,
    private readonly distribution: DistributionService,
    private readonly audit: AuditService,
  ) {}

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

      let finalized: FinalizedAppraisal[] = [];
      let forcedCount = 0;
      if (dto.to === 'CLOSED') {
        const unassessed = await this.appraisals.unassessedInPeriod(id, MAX_LISTED_APPRAISALS, m);
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
        finalized = await this.appraisals.finalizeAllInPeriod(id, m);
      }
      await this.periods.setStatus(id, dto.to, m);
      const after = (await this.periods.findById(id, m))!;
      await recordEvent(m, 'period.transitioned', { periodId: id, periodCode: after.code, from: before.status, to: after.status });
      await recordFinalizedEvents(
        m,
        finalized.map((a) => a.id),
        'period-close',
      );

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
            behaviourUnassessed: UNASSESSED_APPRAISAL_STATUSES.includes(a.previousStatus),
          },
        })),
      );
      return after;
    });
  }
}
