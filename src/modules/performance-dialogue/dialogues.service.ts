import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor, actsAsEmployee, ownEmployeeId, sodIdentities } from '../../common/auth/principal';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page, pageOf, PageQueryDto } from '../../common/pagination/page';
import { witaDate } from '../../common/time/wita';
import { AppraisalAccessService, AppraisalRelation } from '../appraisals/appraisal-access.service';
import { periodAcceptsResults } from '../appraisals/appraisal-rules';
import { AppraisalEntity } from '../appraisals/entities/appraisal.entity';
import { PeriodEntity } from '../periods/entities/period.entity';
import { PeriodsRepository } from '../periods/periods.repository';
import { policyOf } from '../scoring/policy';
import { UnitsRepository } from '../units/units.repository';
import { DialoguesRepository } from './dialogues.repository';
import { CreateDialogueDto, CreateFeedbackNoteDto, DialogueGapDto, DialogueGapsQueryDto } from './dto/dialogue.dto';
import { DialogueEntity, DialogueParty } from './entities/dialogue.entity';
import { FeedbackNoteAuthor, FeedbackNoteEntity } from './entities/feedback-note.entity';
import { recordAppraisalEvent } from '../webhook-outbox/domain-events';

/**
 * The performance dialogue and continuous feedback of spec §11. They follow the access rules of the appraisal (§8)
 * and never touch a score: nothing here marks an appraisal for recalculation.
 */
@Injectable()
export class DialoguesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: DialoguesRepository,
    private readonly access: AppraisalAccessService,
    private readonly periods: PeriodsRepository,
    private readonly units: UnitsRepository,
    private readonly audit: AuditService,
  ) {}

  async listDialogues(actor: Actor, appraisalId: string, q: PageQueryDto): Promise<Page<DialogueEntity>> {
    await this.access.get(actor, appraisalId);
    const [items, total] = await this.repo.listDialogues(appraisalId, q);
    return pageOf(items, total, q);
  }

  /** By the appraised employee (requestedBy EMPLOYEE) or by the assessor or an admin (ASSESSOR); the other party acknowledges. */
  async recordDialogue(actor: Actor, appraisalId: string, dto: CreateDialogueDto): Promise<DialogueEntity> {
    return this.dataSource.transaction(async (m) => {
      const { appraisal, relation, period } = await this.lock(actor, appraisalId, m);
      const party = partyOf(actor, appraisal, relation);
      if (party === null) throw new ForbiddenError('Only the appraised employee, the assessor or an admin may record a performance dialogue', 'not-your-part');
      requireOpen(period);
      const today = witaDate();
      if (dto.heldOn < period.startDate || dto.heldOn > period.endDate || dto.heldOn > today) {
        throw ValidationFailedError.field(
          'heldOn',
          `must lie within the period ${period.code} (${period.startDate} to ${period.endDate}) and not after today (${today}, WITA); got ${dto.heldOn}`,
        );
      }
      const actions = (dto.agreedActions ?? []).map((a) => ({ action: a.action, dueOn: a.dueOn ?? null }));
      const early = actions.findIndex((a) => a.dueOn !== null && a.dueOn < dto.heldOn);
      if (early >= 0) throw ValidationFailedError.field(`agreedActions.${early}.dueOn`, `must not be before heldOn (${dto.heldOn})`);
      const created = await this.repo.insertDialogue(
        {
          appraisalId,
          assessorId: appraisal.assessorId,
          heldOn: dto.heldOn,
          topics: dto.topics,
          notes: dto.notes,
          agreedActions: actions,
          requestedBy: party,
          recordedBy: actor.principal.id,
          recorderIds: sodIdentities(actor.principal),
          acknowledgedBy: null,
          acknowledgedAt: null,
        },
        m,
      );
      await this.audit.record(m, actor, { action: 'dialogue.record', entityType: 'dialogue', entityId: created.id, after: created });
      await recordAppraisalEvent(m, 'dialogue.recorded', appraisalId, { dialogueId: created.id, heldOn: created.heldOn, requestedBy: created.requestedBy });
      return created;
    });
  }

  /** By the other party only: the employee for a dialogue the assessor's side recorded, the assessor or an admin for the employee's. */
  async acknowledge(actor: Actor, appraisalId: string, dialogueId: string): Promise<DialogueEntity> {
    return this.dataSource.transaction(async (m) => {
      const { appraisal, relation, period } = await this.lock(actor, appraisalId, m);
      const before = await this.repo.findDialogueForUpdate(appraisalId, dialogueId, m);
      if (!before) throw new NotFoundError('Dialogue', dialogueId);
      if (sodIdentities(actor.principal).some((who) => before.recorderIds.includes(who))) {
        throw new ForbiddenError('You recorded this dialogue: the other party acknowledges it (four eyes)', 'four-eyes');
      }
      const party = partyOf(actor, appraisal, relation);
      if (party === null || party === before.requestedBy) {
        const other = before.requestedBy === 'ASSESSOR' ? 'the appraised employee' : 'the assessor or an admin';
        throw new ForbiddenError(`Only ${other} may acknowledge a dialogue recorded by the ${before.requestedBy.toLowerCase()}'s side`, 'not-your-part');
      }
      if (before.acknowledgedAt !== null) {
        throw new ConflictError('dialogue-acknowledged', `Dialogue ${dialogueId} was acknowledged at ${before.acknowledgedAt.toISOString()}`);
      }
      requireOpen(period);
      const after = await this.repo.saveDialogue({ ...before, acknowledgedBy: actor.principal.id, acknowledgedAt: new Date() }, m);
      await this.audit.record(m, actor, { action: 'dialogue.acknowledge', entityType: 'dialogue', entityId: dialogueId, before, after });
      return after;
    });
  }

  async listNotes(actor: Actor, appraisalId: string, q: PageQueryDto): Promise<Page<FeedbackNoteEntity>> {
    await this.access.get(actor, appraisalId);
    const [items, total] = await this.repo.listNotes(appraisalId, q);
    return pageOf(items, total, q);
  }

  /** By the assessor, the reviewer or an admin, never on the writer's own appraisal, while the period runs. */
  async writeNote(actor: Actor, appraisalId: string, dto: CreateFeedbackNoteDto): Promise<FeedbackNoteEntity> {
    return this.dataSource.transaction(async (m) => {
      const { appraisal, relation, period } = await this.lock(actor, appraisalId, m);
      this.access.requireDecider(actor.principal, appraisal, relation, ['assessor', 'reviewer', 'admin'], 'write feedback notes');
      requireOpen(period);
      const author: FeedbackNoteAuthor = relation.assessor ? 'ASSESSOR' : relation.reviewer ? 'REVIEWER' : 'ADMIN';
      const created = await this.repo.insertNote({ appraisalId, kind: dto.kind, note: dto.note, author, writtenBy: actor.principal.id }, m);
      await this.audit.record(m, actor, { action: 'feedback-note.write', entityType: 'feedback-note', entityId: created.id, after: created });
      return created;
    });
  }

  /** Appraisals of the period in the caller's view with fewer acknowledged dialogues than the policy's minDialogues. */
  async gaps(actor: Actor, periodId: string, q: DialogueGapsQueryDto): Promise<Page<DialogueGapDto>> {
    const period = await this.periods.findById(periodId);
    if (!period) throw new NotFoundError('Period', periodId);
    if (q.withinUnitId && !((await this.units.findById(q.withinUnitId)) && (await this.units.inScope(dataScopeOf(actor.principal), q.withinUnitId)))) {
      throw ValidationFailedError.field('withinUnitId', `no unit has the id ${q.withinUnitId}`);
    }
    const [items, total] = await this.repo.gaps(periodId, policyOf(period).minDialogues, this.access.scopeCondition(actor.principal, 'a'), q);
    return pageOf(items, total, q);
  }

  /** The appraisal locked (serialising writes to it), the caller's part in it, and its period share-locked against a transition. */
  private async lock(
    actor: Actor,
    appraisalId: string,
    m: EntityManager,
  ): Promise<{ appraisal: AppraisalEntity; relation: AppraisalRelation; period: PeriodEntity }> {
    const { appraisal, relation } = await this.access.get(actor, appraisalId, m, true);
    const period = await this.periods.findByIdForShare(appraisal.periodId, m);
    if (!period) throw new Error(`Appraisal ${appraisal.id} refers to the missing period ${appraisal.periodId}`);
    return { appraisal, relation, period };
  }
}

function requireOpen(period: PeriodEntity): void {
  if (!periodAcceptsResults(period.status)) {
    throw new ConflictError('period-not-open', `Period ${period.code} is ${period.status}; this needs it OPEN or EVALUATION`);
  }
}

/**
 * The side the caller speaks for, by its own identity: the appraised employee (their user, or a key they issued), else
 * the assessor's side (the assessor, an admin or a key); null for anyone else. A caller acting as the employee only
 * through credential setters (spec §8) is neither: it may not stand in for the employee, nor judge them as assessor.
 */
function partyOf(actor: Actor, a: AppraisalEntity, relation: AppraisalRelation): DialogueParty | null {
  if (ownEmployeeId(actor.principal) === a.employeeId) return 'EMPLOYEE';
  if (!(relation.assessor || relation.admin)) return null;
  if (actsAsEmployee(actor.principal, a.employeeId)) {
    throw new ForbiddenError("Nobody may take the assessor's side in a performance dialogue on their own appraisal", 'own-appraisal');
  }
  return 'ASSESSOR';
}
