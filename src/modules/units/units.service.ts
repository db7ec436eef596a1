import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, AuditService } from '../../common/audit/audit.service';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor, actingEmployeeIds } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { ImportRejectedError, ImportResult, validateRow } from '../../common/import/import-result';
import { Page, pageOf } from '../../common/pagination/page';
import { createsCycle } from '../../common/tree/tree';
import { GraphLock, lockGraph } from '../../database/advisory-locks';
import { markForUnitChanges } from '../recalculation/feedback-marks';
import { followHeadChanges } from '../recalculation/unit-head-marks';
import { ImportUnitsDto, UnitImportRow } from './dto/import-units.dto';
import { CreateUnitDto, UnitQueryDto, UpdateUnitDto } from './dto/unit.dto';
import { UnitEntity } from './entities/unit.entity';
import { planUnitImport, readUnitRows, unitCodesNamed, unitHeadNipsNamed } from './unit-import-plan';
import { canHead, HeadCandidate } from './unit-heads';
import { ownHeadRefusal, reshapeRefusal } from './unit-rules';
import { UnitsRepository } from './units.repository';

@Injectable()
export class UnitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly units: UnitsRepository,
    private readonly audit: AuditService,
  ) {}

  /** A unit the caller may see, else 404 as if it did not exist. */
  async get(actor: Actor, id: string, m?: EntityManager): Promise<UnitEntity> {
    const unit = await this.units.findById(id, m);
    if (!unit || !(await this.units.inScope(dataScopeOf(actor.principal), unit.id, m))) throw new NotFoundError('Unit', id);
    return unit;
  }

  async list(actor: Actor, q: UnitQueryDto): Promise<Page<UnitEntity>> {
    const [items, total] = await this.units.list(q, dataScopeOf(actor.principal));
    return pageOf(items, total, q);
  }

  async create(actor: Actor, dto: CreateUnitDto): Promise<UnitEntity> {
    return this.dataSource.transaction(async (m) => {
      if (dto.parentId) await this.requireParent(actor, dto.parentId, m);
      if (await this.units.existsCode(dto.code, m)) {
        throw new ConflictError('duplicate-unit-code', `A unit with the code ${dto.code} exists`, { field: 'code' });
      }
      const unit = await this.units.save(
        {
          code: dto.code,
          name: dto.name,
          kind: dto.kind,
          parentId: dto.parentId ?? null,
          publicService: dto.publicService ?? false,
          active: true,
        },
        m,
      );
      await this.audit.record(m, actor, { action: 'unit.create', entityType: 'unit', entityId: unit.id, after: unit });
      return unit;
    });
  }

  async update(actor: Actor, id: string, dto: UpdateUnitDto): Promise<UnitEntity> {
    return this.dataSource.transaction(async (m) => {
      const moving = dto.parentId !== undefined;
      if (moving) await lockGraph(m, GraphLock.UnitTree);
      await this.get(actor, id, m);
      // The candidate is share-locked before the unit row: employee writes lock the employee, then the units they vacate.
      const [candidate] = dto.headEmployeeId ? await this.units.headCandidates({ ids: [dto.headEmployeeId] }, m) : [];
      const before = (await this.units.findByIdForUpdate(id, m))!;
      if (dto.code && dto.code !== before.code && (await this.units.existsCode(dto.code, m))) {
        throw new ConflictError('duplicate-unit-code', `A unit with the code ${dto.code} exists`, { field: 'code' });
      }
      const links = moving ? await this.units.parentLinks(m) : new Map<string, string | null>();
      if (moving && dto.parentId) {
        await this.requireParent(actor, dto.parentId, m);
        if (createsCycle(id, dto.parentId, (u) => links.get(u))) {
          throw new ConflictError('unit-cycle', `Unit ${before.code} cannot be placed under its own descendant`, {
            field: 'parentId',
          });
        }
      }
      const moves = moving && (dto.parentId ?? null) !== before.parentId;
      const reshapes = (dto.publicService !== undefined && dto.publicService !== before.publicService) || moves;
      if (reshapes) {
        const holding = await this.units.unitsHolding(actingEmployeeIds(actor.principal), m);
        const change = { parentId: moving ? (dto.parentId ?? null) : before.parentId, publicService: dto.publicService };
        const refused = reshapeRefusal(holding, before, change, (u) => links.get(u));
        if (refused) throw refused;
      }
      const headChanges = dto.headEmployeeId !== undefined && dto.headEmployeeId !== before.headEmployeeId;
      if (headChanges) {
        const refused = ownHeadRefusal(actingEmployeeIds(actor.principal), before.headEmployeeId, dto.headEmployeeId ?? null);
        if (refused) throw refused;
        if (dto.headEmployeeId) requireHead(dto.headEmployeeId, candidate, before);
      }
      const after = await this.units.save({ ...before, ...dto }, m);
      // Unit indices of citizen feedback follow the tree and the publicService flags (spec §5.3).
      await markForUnitChanges(m, [{ before, after }], 'unit.update');
      if (headChanges) await followHeadChanges(m, [{ unitId: id, before: before.headEmployeeId, after: after.headEmployeeId }], 'unit.head');
      const action = dto.active === false && before.active ? 'unit.deactivate' : 'unit.update';
      await this.audit.record(m, actor, { action, entityType: 'unit', entityId: id, before, after });
      return after;
    });
  }

  /** Deletes a unit nothing refers to; one with children, employees or users must be deactivated instead. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await lockGraph(m, GraphLock.UnitTree);
      const unit = await this.get(actor, id, m);
      const deps = Object.entries(await this.units.countDependants(id, m)).filter(([, n]) => n > 0);
      if (deps.length) {
        throw new ConflictError(
          'unit-in-use',
          `Unit ${unit.code} has ${deps.map(([what, n]) => `${n} ${what}`).join(', ')}: deactivate it with PATCH {"active": false} instead`,
          { dependants: Object.fromEntries(deps) },
        );
      }
      await this.units.delete(id, m);
      await this.audit.record(m, actor, { action: 'unit.delete', entityType: 'unit', entityId: id, before: unit });
    });
  }

  /** Upserts units by code as `planUnitImport` decides; without `atomic`, good rows are written and bad rows reported. */
  async import(actor: Actor, dto: ImportUnitsDto, atomic: boolean): Promise<ImportResult> {
    return this.dataSource.transaction(async (m) => {
      await lockGraph(m, GraphLock.UnitTree);
      const read = readUnitRows(dto.units.map((raw) => ({ raw, ...validateRow(UnitImportRow, raw) })));
      const existing = await this.units.findByCodes(unitCodesNamed(read), m);
      const heads = await this.units.headCandidates({ nips: unitHeadNipsNamed(read) }, m);
      const acting = actingEmployeeIds(actor.principal);
      const plan = planUnitImport(read, existing, await this.units.parentLinks(m), randomUUID, heads, acting, await this.units.unitsHolding(acting, m));
      if (atomic && plan.errors.length) throw new ImportRejectedError('units', plan.errors);

      await this.units.insertMany(plan.create, m);
      await this.units.updateMany(plan.update.map((u) => u.after), m);
      await markForUnitChanges(m, plan.update, 'unit.import-update');
      const headChanges = plan.update.filter(({ before, after }) => before.headEmployeeId !== after.headEmployeeId);
      await followHeadChanges(m, headChanges.map(({ before, after }) => ({ unitId: after.id, before: before.headEmployeeId, after: after.headEmployeeId })), 'unit.import-head');
      const audit: AuditEntry[] = [
        ...plan.create.map((u) => ({ action: 'unit.import-create', entityType: 'unit', entityId: u.id, after: u })),
        ...plan.update.map((u) => ({ action: 'unit.import-update', entityType: 'unit', entityId: u.before.id, ...u })),
      ];
      await this.audit.recordMany(m, actor, audit);
      return { created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged, errors: plan.errors };
    });
  }

  /**
   * Spec §5.4, inside the transaction that wrote `employeeIds`: every unit one of them heads but may no longer head
   * (moved away, not ACTIVE) loses its head, and their appraisals there follow. A constant number of statements for any
   * number of employees. Moving back restores nothing: the unit's head is named again.
   */
  async vacateHeads(m: EntityManager, actor: Actor, employeeIds: string[]): Promise<void> {
    const vacated = await this.units.vacateHeads(employeeIds, m);
    if (!vacated.length) return;
    await followHeadChanges(m, vacated.map(({ before }) => ({ unitId: before.id, before: before.headEmployeeId, after: null })), 'unit.head-vacated');
    await this.audit.recordMany(
      m,
      actor,
      vacated.map((u) => ({ action: 'unit.update', entityType: 'unit', entityId: u.before.id, ...u, reason: 'The head left the unit or is no longer ACTIVE' })),
    );
  }

  private async requireParent(actor: Actor, parentId: string, m: EntityManager): Promise<void> {
    const parent = await this.units.findById(parentId, m);
    if (!parent || !(await this.units.inScope(dataScopeOf(actor.principal), parentId, m))) {
      throw ValidationFailedError.field('parentId', `no unit has the id ${parentId}`);
    }
  }
}

/** Spec §5.4: the head is an ACTIVE employee of the unit; an unknown id answers 400 like any missing id in a body. */
function requireHead(employeeId: string, candidate: HeadCandidate | undefined, unit: UnitEntity): void {
  if (!candidate) throw ValidationFailedError.field('headEmployeeId', `no employee has the id ${employeeId}`);
  if (!canHead(candidate, unit.id)) {
    throw new ConflictError(
      'invalid-unit-head',
      `Employee ${candidate.nip} is ${candidate.status}${candidate.unitId === unit.id ? '' : ` in another unit`}: the head of ${unit.code} must be an ACTIVE employee of it`,
      { field: 'headEmployeeId' },
    );
  }
}
