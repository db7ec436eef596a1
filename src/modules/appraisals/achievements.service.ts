import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor, sodIdentities } from '../../common/auth/principal';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page, pageOf } from '../../common/pagination/page';
import { AssessorTrainingsService } from '../assessor-training/assessor-trainings.service';
import { AchievementsRepository, IdempotencyKeyRef, WriteContextRow } from './achievements.repository';
import { AppraisalAccessService, AppraisalRelation, AppraisalRole } from './appraisal-access.service';
import { appraisalAcceptsResults, periodAcceptsResults } from './appraisal-rules';
import {
  AchievementDto,
  AchievementQueryDto,
  CreateAchievementDto,
  IDEMPOTENCY_KEY_PATTERN,
  RejectAchievementDto,
  UpdateAchievementDto,
} from './dto/achievement.dto';
import { AchievementEntity } from './entities/achievement.entity';
import { markForRecalculation } from '../recalculation/recalculation-marks';

export const CREATE_OPERATION = 'achievements.create';

/** Who may record, change or delete achievements, and who may decide on them (spec §3, §8). */
const SUBMITTER_SIDE: AppraisalRole[] = ['owner', 'assessor', 'hr', 'admin'];
const DECIDER: AppraisalRole[] = ['assessor', 'admin'];

/** The answer to POST /achievements: the resource, and whether it is a replay of an earlier answer. */
export interface CreateResult {
  status: number;
  body: AchievementDto;
  replayed: boolean;
}

/** The appraisal (locked), the caller's part in it and its period, loaded at the start of every write. */
interface WriteContext extends WriteContextRow {
  relation: AppraisalRelation;
}

@Injectable()
export class AchievementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly achievements: AchievementsRepository,
    private readonly access: AppraisalAccessService,
    private readonly trainings: AssessorTrainingsService,
    private readonly audit: AuditService,
  ) {}

  /** An achievement whose appraisal the caller may see, else 404 as if it did not exist. */
  async get(actor: Actor, id: string): Promise<AchievementEntity> {
    const a = await this.achievements.findById(id);
    if (!a) throw new NotFoundError('Achievement', id);
    await this.access.get(actor, a.appraisalId).catch(as404('Achievement', id));
    return a;
  }

  async list(actor: Actor, q: AchievementQueryDto): Promise<Page<AchievementEntity>> {
    if (!q.appraisalId && !q.targetId) {
      throw new ValidationFailedError(
        [
          { field: 'appraisalId', message: 'appraisalId or targetId is required' },
          { field: 'targetId', message: 'appraisalId or targetId is required' },
        ],
        'Name the appraisal (appraisalId) or the target (targetId) whose achievements to list',
      );
    }
    if (q.appraisalId) await this.access.get(actor, q.appraisalId);
    if (q.targetId) {
      const target = await this.achievements.findTarget(q.targetId);
      if (!target) throw new NotFoundError('Target', q.targetId);
      await this.access.get(actor, target.appraisalId).catch(as404('Target', q.targetId));
    }
    const [items, total] = await this.achievements.list(q);
    return pageOf(items, total, q);
  }

  /**
   * Records an achievement. With an `Idempotency-Key`, the key is claimed in the same transaction as the
   * insert: a retry of a committed request gets the first answer back and no second row; the same key with
   * another body is refused. A failed request stores nothing, so its key stays free for a corrected retry.
   */
  async create(actor: Actor, dto: CreateAchievementDto, idempotencyKey?: string): Promise<CreateResult> {
    const key = idempotencyKey === undefined ? null : checkIdempotencyKey(idempotencyKey);
    return this.dataSource.transaction(async (m) => {
      const ref: IdempotencyKeyRef | null = key === null ? null : { principalId: actor.principal.id, operation: CREATE_OPERATION, key };
      if (ref) {
        const hash = requestHash(dto);
        if (!(await this.achievements.claimIdempotencyKey(ref, hash, m))) return this.replay(ref, hash, m);
      }

      const ctx = await this.lockForWrite(actor, { targetId: dto.targetId }, m).catch(as404('Target', dto.targetId));
      this.access.require(ctx.relation, SUBMITTER_SIDE, 'record achievements of this appraisal');
      assertWritable(ctx);
      assertWithinPeriod(dto.occurredOn, ctx.period);

      const created = await this.achievements.insert(
        {
          targetId: dto.targetId,
          appraisalId: ctx.appraisal.id,
          value: dto.value,
          occurredOn: dto.occurredOn,
          description: dto.description ?? null,
          evidenceUrl: dto.evidenceUrl ?? null,
          status: 'SUBMITTED',
          submittedBy: actor.principal.id,
          contributorIds: sodIdentities(actor.principal),
          decidedBy: null,
          decidedAt: null,
          rejectionReason: null,
        },
        m,
      );
      await this.audit.record(m, actor, { action: 'achievement.create', entityType: 'achievement', entityId: created.id, after: created });
      await markForRecalculation(m, { appraisalIds: [created.appraisalId] }, 'achievement.create');
      // The stored answer is exactly the JSON sent now, so a replay is byte-for-byte the same resource.
      const body = JSON.parse(JSON.stringify(AchievementDto.of(created))) as AchievementDto;
      if (ref) await this.achievements.storeIdempotentResponse(ref, 201, body, m);
      return { status: 201, body, replayed: false };
    });
  }

  /** Changes a SUBMITTED or REJECTED achievement (a REJECTED one is submitted again); the caller becomes its submitter and a contributor. */
  async update(actor: Actor, id: string, dto: UpdateAchievementDto): Promise<AchievementEntity> {
    return this.dataSource.transaction(async (m) => {
      const { before, ctx } = await this.loadForWrite(actor, id, m);
      this.access.require(ctx.relation, SUBMITTER_SIDE, 'change achievements of this appraisal');
      assertNotVerified(before);
      assertWritable(ctx);
      const changes: Partial<AchievementEntity> = {};
      if (dto.value !== undefined) changes.value = dto.value;
      if (dto.occurredOn !== undefined) {
        assertWithinPeriod(dto.occurredOn, ctx.period);
        changes.occurredOn = dto.occurredOn;
      }
      if (dto.description !== undefined) changes.description = dto.description;
      if (dto.evidenceUrl !== undefined) changes.evidenceUrl = dto.evidenceUrl;
      if (before.status === 'REJECTED') {
        Object.assign(changes, { status: 'SUBMITTED', decidedBy: null, decidedAt: null, rejectionReason: null });
      }
      const changed = Object.entries(changes).some(([k, v]) => before[k as keyof AchievementEntity] !== v);
      if (!changed) return before;
      // Whoever shaped the evidence answers for it, alongside those before them: none may decide on it (four eyes).
      changes.submittedBy = actor.principal.id;
      changes.contributorIds = [...new Set([...before.contributorIds, ...sodIdentities(actor.principal)])];

      const after = await this.achievements.save({ ...before, ...changes }, m);
      await this.audit.record(m, actor, { action: 'achievement.update', entityType: 'achievement', entityId: id, before, after });
      await markForRecalculation(m, { appraisalIds: [after.appraisalId] }, 'achievement.update');
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { before, ctx } = await this.loadForWrite(actor, id, m);
      this.access.require(ctx.relation, SUBMITTER_SIDE, 'delete achievements of this appraisal');
      assertNotVerified(before);
      assertWritable(ctx);
      await this.achievements.delete(id, m);
      await this.audit.record(m, actor, { action: 'achievement.delete', entityType: 'achievement', entityId: id, before });
      await markForRecalculation(m, { appraisalIds: [before.appraisalId] }, 'achievement.delete');
    });
  }

  verify(actor: Actor, id: string): Promise<AchievementEntity> {
    return this.decide(actor, id, 'verify', { status: 'VERIFIED', rejectionReason: null });
  }

  reject(actor: Actor, id: string, dto: RejectAchievementDto): Promise<AchievementEntity> {
    return this.decide(actor, id, 'reject', { status: 'REJECTED', rejectionReason: dto.reason });
  }

  /** The assessor's decision on a SUBMITTED achievement. */
  private async decide(
    actor: Actor,
    id: string,
    verb: 'verify' | 'reject',
    decision: Pick<AchievementEntity, 'status' | 'rejectionReason'>,
  ): Promise<AchievementEntity> {
    return this.dataSource.transaction(async (m) => {
      const { before, ctx } = await this.loadForWrite(actor, id, m);
      this.access.requireDecider(actor.principal, ctx.appraisal, ctx.relation, DECIDER, `${verb} achievements`);
      if (sodIdentities(actor.principal).some((who) => before.contributorIds.includes(who))) {
        throw new ForbiddenError(`You submitted or changed achievement ${id}: someone else must ${verb} it (four eyes)`, 'four-eyes');
      }
      await this.trainings.requireTrained(actor.principal, ctx.period, m);
      if (before.status !== 'SUBMITTED') {
        throw new ConflictError(
          'achievement-not-submitted',
          `Achievement ${id} is ${before.status}: only a SUBMITTED achievement can be verified or rejected`,
          { achievementStatus: before.status },
        );
      }
      assertWritable(ctx);
      const after = await this.achievements.decide(before, { ...decision, decidedBy: actor.principal.id, decidedAt: new Date() }, m);
      await this.audit.record(m, actor, { action: `achievement.${verb}`, entityType: 'achievement', entityId: id, before, after });
      await markForRecalculation(m, { appraisalIds: [after.appraisalId] }, `achievement.${verb}`);
      return after;
    });
  }

  /**
   * Locks the achievement's appraisal first (which serialises every write to one appraisal), then reads the
   * achievement again under that lock: it may have changed, or gone, while we waited.
   */
  private async loadForWrite(actor: Actor, id: string, m: EntityManager): Promise<{ before: AchievementEntity; ctx: WriteContext }> {
    const found = await this.achievements.findById(id, m);
    if (!found) throw new NotFoundError('Achievement', id);
    const ctx = await this.lockForWrite(actor, { appraisalId: found.appraisalId }, m).catch(as404('Achievement', id));
    const before = await this.achievements.findByIdForUpdate(id, m);
    if (!before) throw new NotFoundError('Achievement', id);
    return { before, ctx };
  }

  private async lockForWrite(actor: Actor, by: { targetId: string } | { appraisalId: string }, m: EntityManager): Promise<WriteContext> {
    const row = await this.achievements.lockContext(by, m);
    const relation = await this.access.visible(actor, row?.appraisal ?? null, 'appraisalId' in by ? by.appraisalId : by.targetId, m);
    return { ...row!, relation };
  }

  private async replay(ref: IdempotencyKeyRef, hash: string, m: EntityManager): Promise<CreateResult> {
    const stored = await this.achievements.findIdempotencyKey(ref, m);
    if (stored && stored.requestHash !== hash) {
      throw new ConflictError(
        'idempotency-key-reused',
        `The Idempotency-Key ${ref.key} was already used for a different request body; send a new key for a new achievement`,
      );
    }
    if (!stored || stored.responseStatus === null || stored.responseBody === null) {
      // Not reachable while keys are only written together with their answer; refuse rather than guess.
      throw new ConflictError('idempotency-key-in-progress', `The request with the Idempotency-Key ${ref.key} has not completed; retry`);
    }
    return { status: stored.responseStatus, body: stored.responseBody as AchievementDto, replayed: true };
  }
}

/** The Idempotency-Key header as sent: 1–200 visible ASCII characters. */
export function checkIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw ValidationFailedError.field('Idempotency-Key', 'must be 1-200 visible ASCII characters (no spaces)');
  }
  return key;
}

/** SHA-256 of the validated body as canonical JSON (sorted keys, absent and null texts alike). */
export function requestHash(dto: CreateAchievementDto): string {
  const canonical = {
    description: dto.description ?? null,
    evidenceUrl: dto.evidenceUrl ?? null,
    occurredOn: dto.occurredOn,
    targetId: dto.targetId.toLowerCase(),
    value: dto.value,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Maps "the appraisal is not visible" onto the resource the caller named, so nothing leaks about it. */
function as404(resource: string, id: string) {
  return (e: unknown): never => {
    if (e instanceof AppError && e.kind === 'not-found') throw new NotFoundError(resource, id);
    throw e;
  };
}

function assertNotVerified(a: AchievementEntity): void {
  if (a.status === 'VERIFIED') {
    throw new ConflictError('achievement-verified', `Achievement ${a.id} is VERIFIED and can no longer be changed or deleted`);
  }
}

function assertWritable({ appraisal, period }: WriteContext): void {
  if (!periodAcceptsResults(period.status)) {
    throw new ConflictError(
      'period-not-open-for-achievements',
      `Period ${period.code} is ${period.status}: achievements can be recorded only while it is OPEN or EVALUATION`,
      { periodId: period.id, periodStatus: period.status },
    );
  }
  if (!appraisalAcceptsResults(appraisal.status)) {
    throw new ConflictError(
      'appraisal-not-agreed',
      `Appraisal ${appraisal.id} is ${appraisal.status}: achievements can be recorded only once it is AGREED (or ASSESSED)`,
      { appraisalId: appraisal.id, appraisalStatus: appraisal.status },
    );
  }
}

function assertWithinPeriod(occurredOn: string, period: WriteContextRow['period']): void {
  if (occurredOn < period.startDate || occurredOn > period.endDate) {
    throw ValidationFailedError.field(
      'occurredOn',
      `must lie within the period ${period.code} (${period.startDate} to ${period.endDate}); got ${occurredOn}`,
    );
  }
}
