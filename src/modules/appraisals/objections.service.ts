import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor, ownEmployeeId, Principal, setterUserIds, sodIdentities } from '../../common/auth/principal';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { UsersRepository } from '../auth/users.repository';
import { AppraisalAccessService } from './appraisal-access.service';
import { objectionWindowOpen, OBJECTION_WINDOW_DAYS } from './appraisal-rules';
import { AppraisalsRepository } from './appraisals.repository';
import { refuseOverrideOfHead } from './head-rating';
import { FileObjectionDto, ResolveObjectionDto } from './dto/objection.dto';
import { ObjectionEntity } from './entities/objection.entity';
import { markForRecalculation } from '../recalculation/recalculation-marks';
import { recordAppraisalEvent } from '../webhook-outbox/domain-events';

/** Keberatan (PP 30/2019 art. 59): filed by the employee, decided once and for all by the reviewer (or an admin), never by its filer. */
@Injectable()
export class ObjectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appraisals: AppraisalsRepository,
    private readonly access: AppraisalAccessService,
    private readonly audit: AuditService,
    private readonly users: UsersRepository,
  ) {}

  async get(actor: Actor, appraisalId: string): Promise<ObjectionEntity> {
    await this.access.get(actor, appraisalId);
    const objection = await this.appraisals.findObjection(appraisalId);
    if (!objection) throw new NotFoundError('Objection of appraisal', appraisalId);
    return objection;
  }

  async file(actor: Actor, appraisalId: string, dto: FileObjectionDto, now = new Date()): Promise<ObjectionEntity> {
    return this.dataSource.transaction(async (m) => {
      const { appraisal } = await this.access.get(actor, appraisalId, m, true);
      // Spec §3: the employee files (PP 30/2019 art. 59): their own account, whatever its role, or a key they issued;
      // their own identity, not actsAsEmployee, so whoever set their password cannot file for them. An objection filed
      // by an admin could be resolved by nobody the four-eyes rule admits once that admin had set up every account.
      if (ownEmployeeId(actor.principal) !== appraisal.employeeId) {
        throw new ForbiddenError('Only the appraised employee (or a key they issued) may file an objection', 'not-your-part');
      }
      if (appraisal.status !== 'FINALIZED' || !appraisal.finalizedAt) {
        throw new ConflictError('appraisal-not-finalized', 'An objection can be filed only against a finalised appraisal');
      }
      if (!objectionWindowOpen(appraisal.finalizedAt, now)) {
        throw new ConflictError(
          'objection-window-closed',
          `Objections are filed within ${OBJECTION_WINDOW_DAYS} days after finalisation (${appraisal.finalizedAt.toISOString()})`,
        );
      }
      if (await this.appraisals.findObjection(appraisalId, m)) {
        throw new ConflictError('objection-exists', 'This appraisal already has an objection');
      }
      const objection = await this.appraisals.saveObjection(
        {
          appraisalId,
          reason: dto.reason,
          filedBy: actor.principal.id,
          filerIds: sodIdentities(actor.principal),
          filerSetterIds: setterUserIds(actor.principal),
          status: 'PENDING',
        },
        m,
      );
      await this.audit.record(m, actor, { action: 'objection.file', entityType: 'objection', entityId: objection.id, after: objection });
      await recordAppraisalEvent(m, 'appraisal.objection_filed', appraisalId, { objectionId: objection.id, filedAt: objection.filedAt });
      return objection;
    });
  }

  async resolve(actor: Actor, appraisalId: string, dto: ResolveObjectionDto): Promise<ObjectionEntity> {
    if (dto.decision === 'REJECTED') {
      for (const field of ['behaviourRatings', 'resultRatingOverride'] as const) {
        if (dto[field] !== undefined) throw ValidationFailedError.field(field, 'only an ACCEPTED objection changes the appraisal');
      }
    }
    return this.dataSource.transaction(async (m) => {
      const { appraisal, relation } = await this.access.get(actor, appraisalId, m, true);
      this.access.requireDecider(actor.principal, appraisal, relation, ['reviewer', 'admin'], 'resolve the objection');
      const before = await this.appraisals.findObjectionForUpdate(appraisalId, m);
      if (!before) throw new NotFoundError('Objection of appraisal', appraisalId);
      await this.refuseOwnObjection(actor.principal, before, m);
      if (before.status !== 'PENDING') {
        throw new ConflictError('objection-resolved', `The objection was already ${before.status}; the decision is final`);
      }
      if (dto.decision === 'ACCEPTED' && dto.resultRatingOverride) await refuseOverrideOfHead(this.appraisals, appraisalId, m);
      const after = await this.appraisals.saveObjection(
        {
          ...before,
          status: dto.decision,
          decisionNote: dto.note,
          behaviourRatings: dto.behaviourRatings ? { ...dto.behaviourRatings } : null,
          resultRatingOverride: dto.resultRatingOverride ?? null,
          resolvedBy: actor.principal.id,
          resolvedAt: new Date(),
        },
        m,
      );
      if (dto.decision === 'ACCEPTED') {
        const changed = await this.appraisals.save(
          {
            ...appraisal,
            ...(dto.behaviourRatings ? { behaviourRatings: { ...dto.behaviourRatings } } : {}),
            ...(dto.resultRatingOverride ? { resultRatingOverride: dto.resultRatingOverride, resultRatingOverrideReason: dto.note } : {}),
          },
          m,
        );
        // The one way a finalised appraisal is recalculated (spec §6).
        await markForRecalculation(m, { appraisalIds: [appraisalId] }, 'objection.accepted', { includeFinalized: true });
        await this.audit.record(m, actor, {
          action: 'appraisal.objection-applied',
          entityType: 'appraisal',
          entityId: appraisalId,
          before: appraisal,
          after: changed,
        });
      }
      await this.audit.record(m, actor, { action: 'objection.resolve', entityType: 'objection', entityId: after.id, before, after });
      await recordAppraisalEvent(m, 'appraisal.objection_resolved', appraisalId, { objectionId: after.id, decision: after.status, resolvedAt: after.resolvedAt });
      return after;
    });
  }

  /**
   * Four eyes: whoever filed the objection (a user, or a key and its issuer) cannot resolve it, nor can anyone who set
   * the filer's password, then or since, or whose password the filer set: one of them could have signed in as the
   * other. Two accounts that merely share a setter (one admin created both) are two people. The filer themselves and
   * accounts they set up already meet own-appraisal (requireDecider) for objections filed by the appraisee; the first
   * two tests still serve objections filed by admins or their keys before filing was the appraisee's alone.
   */
  private async refuseOwnObjection(p: Principal, objection: ObjectionEntity, m: EntityManager): Promise<void> {
    const now = (await Promise.all(objection.filerIds.map((id) => this.users.credentialSettersOf(id, m)))).flatMap((s) => s.userIds);
    const filerSetters = [...objection.filerSetterIds, ...now];
    const mine = sodIdentities(p);
    if (mine.some((who) => objection.filerIds.includes(who) || filerSetters.includes(who)) || setterUserIds(p).some((who) => objection.filerIds.includes(who))) {
      throw new ForbiddenError('You filed this objection, or one of you can sign in as the other: someone else must resolve it (four eyes)', 'four-eyes');
    }
  }
}
