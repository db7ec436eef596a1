import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, PublicActor } from '../../common/audit/audit.service';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor, actingEmployeeIds, actsAsEmployee, Principal } from '../../common/auth/principal';
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, ValidationFailedError } from '../../common/errors/app-error';
import { mapPage, Page, pageOf } from '../../common/pagination/page';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EmployeesRepository } from '../employees/employees.repository';
import { EmployeeEntity } from '../employees/entities/employee.entity';
import { UnitEntity } from '../units/entities/unit.entity';
import { UnitsRepository } from '../units/units.repository';
import { CreateTicketDto, FeedbackQueryDto, FeedbackViewDto, ModerationDto, ReceiptDto, SubmitFeedbackDto, TicketDto } from './dto/feedback.dto';
import { answerColumns, answersOf, FeedbackStatus, PublicFeedbackEntity } from './entities/public-feedback.entity';
import { ServiceTicketEntity } from './entities/service-ticket.entity';
import { countsInAnIndex } from '../feedback-index/feedback-index.sql';
import { markForFeedback } from '../recalculation/feedback-marks';
import { keyedHash, newTicket, normalizeContact, ticketHash } from './feedback-secrets';
import { PublicFeedbackRepository } from './public-feedback.repository';
import { ServiceTicketsRepository, TicketCap } from './service-tickets.repository';
import { recordEvent } from '../webhook-outbox/outbox';

/** How long a service ticket can be used (spec §4). */
export const TICKET_VALIDITY_DAYS = 30;

export function feedbackView(f: PublicFeedbackEntity): FeedbackViewDto {
  return {
    id: f.id,
    unitId: f.unitId,
    employeeId: f.employeeId,
    serviceName: f.serviceName,
    channel: f.channel,
    answers: answersOf(f),
    comment: f.comment,
    respondent: f.respondent,
    status: f.status,
    ticketed: f.ticketId !== null,
    submittedAt: f.submittedAt,
    submittedOn: f.submittedOn,
    moderatedAt: f.moderatedAt,
    moderatedBy: f.moderatedBy,
    moderationNote: f.moderationNote,
  };
}

/** What the audit log keeps of a response: never the comment, contact or profile of a citizen. */
const auditOf = (f: PublicFeedbackEntity) => ({
  id: f.id,
  unitId: f.unitId,
  employeeId: f.employeeId,
  channel: f.channel,
  status: f.status,
  ticketed: f.ticketId !== null,
  moderationNote: f.moderationNote,
});

@Injectable()
export class PublicFeedbackService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: PublicFeedbackRepository,
    private readonly tickets: ServiceTicketsRepository,
    private readonly units: UnitsRepository,
    private readonly employees: EmployeesRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Anonymous intake (spec §4). One transaction: the abuse checks, the row, the ticket's use, the audit entry
   * and the recalculation marks of the appraisals it can move (spec §6) land together or not at all.
   */
  async submit(dto: SubmitFeedbackDto, clientIp: string, requestId: string): Promise<ReceiptDto> {
    const contact = dto.contact === undefined ? null : normalizeContact(dto.contact);
    if (dto.contact !== undefined && contact === null) throw ValidationFailedError.field('contact', 'must be an e-mail address or a phone number');
    const { hashKey, ipLimit, ipWindowSeconds, employeeBurst } = this.config.feedback;
    return this.dataSource.transaction(async (m) => {
      // The ticket or the address limit first: past the limit, nobody learns which units or NIPs exist.
      const ticket = dto.serviceTicket === undefined ? null : await this.usableTicket(dto.serviceTicket, m);
      const ipHash = keyedHash(hashKey, 'ip', clientIp);
      if (!ticket) {
        await this.repo.lock(m, 'Ip', ipHash);
        const usage = await this.repo.ipUsage(m, ipHash, ipWindowSeconds);
        if (usage.count >= ipLimit) {
          throw new TooManyRequestsError(
            'feedback-rate-limited',
            `At most ${ipLimit} responses without a service ticket per ${ipWindowSeconds / 60} minutes from one address; retry after ${usage.retryAfter} s`,
            usage.retryAfter,
          );
        }
      }
      const unit = await this.unitByCode(dto.unitCode, 'unitCode', m);
      const employee = ticket
        ? await this.officerOfTicket(ticket, unit, dto.employeeNip, m)
        : dto.employeeNip
          ? await this.officerOf(unit, dto.employeeNip, m)
          : null;
      const contactHash = contact === null ? null : keyedHash(hashKey, 'contact', contact);
      if (contactHash) {
        await this.repo.lock(m, 'Contact', contactHash);
        if (await this.repo.duplicateContact(m, contactHash, unit.id, employee?.id ?? null)) {
          throw new ConflictError('duplicate-feedback', 'This contact already gave feedback on this unit and officer within the last 24 hours');
        }
      }
      let held = false;
      if (employee) {
        await this.repo.lock(m, 'Employee', employee.id);
        held = (await this.repo.recentAboutEmployee(m, employee.id)) >= employeeBurst;
      }
      const saved = await this.repo.insert(m, {
        unitId: unit.id,
        employeeId: employee?.id ?? null,
        serviceName: dto.serviceName ?? ticket?.serviceName ?? null,
        channel: dto.channel,
        ...answerColumns(dto.answers),
        comment: dto.comment ?? null,
        respondent: dto.respondent ? { ...dto.respondent } : null,
        ticketId: ticket?.id ?? null,
        contactHash,
        ipHash: ticket ? null : ipHash,
        status: held ? 'HELD' : ticket ? 'VERIFIED' : 'PUBLISHED',
      });
      if (ticket) await this.tickets.markUsed(m, ticket.id, saved.submittedAt);
      if (countsInAnIndex(saved.status)) await markForFeedback(m, saved, 'feedback.submit');
      const actor: PublicActor = { public: true, requestId };
      await this.audit.record(m, actor, { action: 'public-feedback.submit', entityType: 'public-feedback', entityId: saved.id, after: auditOf(saved) });
      if (held) await recordEvent(m, 'feedback.held', { feedbackId: saved.id, unitCode: unit.code, employeeNip: employee!.nip });
      return { receiptId: saved.id, status: saved.status };
    });
  }

  async issueTicket(actor: Actor, dto: CreateTicketDto): Promise<TicketDto> {
    const { ticketsPerIssuerDay, ticketsPerOfficerDay } = this.config.feedback;
    const p = actor.principal;
    return this.dataSource.transaction(async (m) => {
      const unit = await this.unitByCode(dto.unitCode, 'unitCode', m);
      if (!(await this.units.inScope(dataScopeOf(p), unit.id, m))) {
        throw ValidationFailedError.field('unitCode', `no active unit has the code ${dto.unitCode}`);
      }
      const employee = dto.employeeNip ? await this.officerOf(unit, dto.employeeNip, m) : null;
      refuseOwnFeedback(p, employee?.id ?? null, 'issue a service ticket naming themselves');
      await this.withinTicketCap(m, 'issuerId', p.id, ticketsPerIssuerDay, 'by one issuer');
      if (employee) await this.withinTicketCap(m, 'employeeId', employee.id, ticketsPerOfficerDay, 'naming one officer');
      const ticket = newTicket();
      const saved = await this.tickets.insert(m, {
        tokenHash: ticketHash(ticket),
        unitId: unit.id,
        employeeId: employee?.id ?? null,
        serviceName: dto.serviceName ?? null,
        issuedBy: p.kind === 'user' ? p.username : p.name,
        issuerId: p.id,
        expiresAt: new Date(Date.now() + TICKET_VALIDITY_DAYS * 86_400_000),
        usedAt: null,
      });
      const view = { id: saved.id, unitId: saved.unitId, employeeId: saved.employeeId, serviceName: saved.serviceName, expiresAt: saved.expiresAt, createdAt: saved.createdAt };
      await this.audit.record(m, actor, { action: 'service-ticket.create', entityType: 'service-ticket', entityId: saved.id, after: view });
      return { ...view, ticket };
    });
  }

  async list(actor: Actor, q: FeedbackQueryDto): Promise<Page<FeedbackViewDto>> {
    const scope = dataScopeOf(actor.principal);
    if (q.withinUnitId && !(await this.units.inScope(scope, q.withinUnitId))) {
      throw ValidationFailedError.field('withinUnitId', `no unit has the id ${q.withinUnitId}`);
    }
    const [items, total] = await this.repo.list(q, scope);
    return mapPage(pageOf(items, total, q), feedbackView);
  }

  async get(actor: Actor, id: string): Promise<FeedbackViewDto> {
    return feedbackView(await this.visible(actor, id));
  }

  /**
   * Moderation (spec §4). Publishing restores what the response would have been without the hold: VERIFIED with
   * a ticket, else PUBLISHED. Rejecting also takes down a published or verified response: abuse that passed the
   * intake checks (README "Abuse control"). Either way the appraisals it can move are marked in the same
   * transaction (spec §6).
   */
  async moderate(actor: Actor, id: string, decision: 'publish' | 'reject', dto: ModerationDto): Promise<FeedbackViewDto> {
    return this.dataSource.transaction(async (m) => {
      const f = await this.visible(actor, id, m, true);
      refuseOwnFeedback(actor.principal, f.employeeId, `${decision} feedback about themselves`);
      await this.refuseOwnUnitIndex(m, actor.principal, f, decision);
      const before = auditOf(f);
      const to: FeedbackStatus = decision === 'reject' ? 'REJECTED' : f.ticketId ? 'VERIFIED' : 'PUBLISHED';
      const allowed = decision === 'reject' ? f.status !== 'REJECTED' : f.status === 'HELD' || f.status === 'REJECTED';
      if (!allowed) {
        throw new ConflictError('feedback-state', `Feedback that is ${f.status} cannot be ${decision === 'reject' ? 'rejected' : 'published'}`, {
          feedbackStatus: f.status,
        });
      }
      const p = actor.principal;
      Object.assign(f, { status: to, moderatedAt: new Date(), moderatedBy: p.kind === 'user' ? p.username : p.name, moderationNote: dto.note ?? null });
      await this.repo.saveModeration(m, f);
      if (countsInAnIndex(before.status) || countsInAnIndex(to)) await markForFeedback(m, f, `feedback.${decision}`);
      await this.audit.record(m, actor, { action: `public-feedback.${decision}`, entityType: 'public-feedback', entityId: id, before, after: auditOf(f) });
      return feedbackView(f);
    });
  }

  /**
   * Spec §8 rule 5 with §5.3: the unit index of the caller's own nearest publicService unit feeds their own
   * BERORIENTASI_PELAYANAN aspect, so feedback counted in it is not theirs to moderate either.
   */
  private async refuseOwnUnitIndex(m: EntityManager, p: Principal, f: PublicFeedbackEntity, decision: 'publish' | 'reject'): Promise<void> {
    if (await this.repo.inUnitIndexOf(m, actingEmployeeIds(p), f.unitId, f.submittedOn)) {
      throw new ForbiddenError(`Nobody may ${decision} feedback counted in the service index of their own unit`, 'own-feedback');
    }
  }

  /** Staff see responses about their subtree; anything else is 404, as if it did not exist (spec §8). */
  private async visible(actor: Actor, id: string, m?: EntityManager, forUpdate = false): Promise<PublicFeedbackEntity> {
    const f = forUpdate && m ? await this.repo.findByIdForUpdate(id, m) : await this.repo.findById(id, m);
    if (!f || !(await this.units.inScope(dataScopeOf(actor.principal), f.unitId, m))) throw new NotFoundError('Feedback', id);
    return f;
  }

  /**
   * Spec §8 rule 5: the tickets of one WITA day per issuer, and naming one officer, are capped. The count runs
   * under a lock held until commit (issuer before officer), so a burst cannot pass the cap together.
   */
  private async withinTicketCap(m: EntityManager, by: TicketCap, id: string, limit: number, what: string): Promise<void> {
    await this.tickets.lock(m, by, id);
    const today = await this.tickets.countToday(m, by, id);
    if (today.count >= limit) {
      throw new TooManyRequestsError(
        'ticket-rate-limited',
        `At most ${limit} service tickets ${what} per WITA day; retry after ${today.retryAfter} s, at the next midnight WITA`,
        today.retryAfter,
      );
    }
  }

  private async unitByCode(code: string, field: string, m: EntityManager): Promise<UnitEntity> {
    const [unit] = await this.units.findByCodes([code], m);
    if (!unit || !unit.active) throw ValidationFailedError.field(field, `no active unit has the code ${code}`);
    return unit;
  }

  /** The officer who served must be active and work in the unit or below it. */
  private async officerOf(unit: UnitEntity, nip: string, m: EntityManager): Promise<EmployeeEntity> {
    const e = await this.employees.findByNip(nip, m);
    if (!e || e.status !== 'ACTIVE' || !(await this.units.isWithin(e.unitId, unit.id, m))) {
      throw ValidationFailedError.field('employeeNip', `no active officer of ${unit.code} has this NIP`);
    }
    return e;
  }

  /** A ticket this service issued, unused and unexpired, locked until the transaction ends. */
  private async usableTicket(raw: string, m: EntityManager): Promise<ServiceTicketEntity> {
    const ticket = await this.tickets.findByTokenForUpdate(m, ticketHash(raw));
    if (!ticket) throw ValidationFailedError.field('serviceTicket', 'is not a ticket this service issued');
    if (ticket.usedAt) throw new ConflictError('ticket-used', 'This service ticket has already been used');
    if (ticket.expiresAt.getTime() <= Date.now()) throw new ConflictError('ticket-expired', `This service ticket expired at ${ticket.expiresAt.toISOString()}`);
    return ticket;
  }

  /**
   * Ticketed feedback is about the unit and the officer the ticket names, and nothing else: a ticket naming nobody
   * cannot make feedback about an officer VERIFIED, or it would sidestep rule 5 of spec §8 (no ticket naming
   * oneself, the per-officer cap). A NIP sent along is compared with the ticket's officer, never looked up.
   */
  private async officerOfTicket(ticket: ServiceTicketEntity, unit: UnitEntity, nip: string | undefined, m: EntityManager): Promise<EmployeeEntity | null> {
    if (ticket.unitId !== unit.id) throw ValidationFailedError.field('serviceTicket', `was issued for another unit than ${unit.code}`);
    if (!ticket.employeeId) {
      if (nip !== undefined) throw ValidationFailedError.field('employeeNip', 'the ticket names no officer: it verifies feedback about the unit only');
      return null;
    }
    const officer = (await this.employees.findById(ticket.employeeId, m))!;
    if (nip !== undefined && nip !== officer.nip) throw ValidationFailedError.field('employeeNip', 'is not the officer the ticket was issued for');
    return officer;
  }
}

/** Spec §8 rule 5: nobody moderates citizen feedback about themselves nor issues a ticket naming themselves. */
function refuseOwnFeedback(p: Principal, employeeId: string | null, what: string): void {
  if (actsAsEmployee(p, employeeId)) throw new ForbiddenError(`Nobody may ${what}`, 'own-feedback');
}
