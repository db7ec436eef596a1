import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { DataScope, dataScopeOf } from '../../common/auth/data-scope';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { ImportRejectedError, ImportResult, validateRow } from '../../common/import/import-result';
import { Page, pageOf } from '../../common/pagination/page';
import { GraphLock, lockGraph } from '../../database/advisory-locks';
import { UnitEntity } from '../units/entities/unit.entity';
import { UnitsRepository } from '../units/units.repository';
import { UnitsService } from '../units/units.service';
import { CreateEmployeeDto, EmployeeImportRow, EmployeeQueryDto, UpdateEmployeeDto } from './dto/employee.dto';
import { ImportEmployeesDto } from './dto/import-employees.dto';
import { CreatePenaltyDto } from './dto/penalty.dto';
import { employeeLookups, planEmployeeImport, readEmployeeRows, WRITE_FIELDS } from './employee-import-plan';
import { checkEmployeeIdentity, ownRecordChanges, ownRecordRefusal, supervisorChoiceRefusal } from './employee-rules';
import { EmployeesRepository } from './employees.repository';
import { EmployeeEntity, Potential } from './entities/employee.entity';
import { PenaltyEntity } from './entities/penalty.entity';

@Injectable()
export class EmployeesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly employees: EmployeesRepository,
    private readonly units: UnitsRepository,
    private readonly unitHeads: UnitsService,
    private readonly audit: AuditService,
  ) {}

  /** An employee the caller may see, else 404 as if it did not exist. */
  async get(actor: Actor, id: string, m?: EntityManager): Promise<EmployeeEntity> {
    const e = await this.employees.findById(id, m);
    if (!e || !(await this.visible(dataScopeOf(actor.principal), e, m))) throw new NotFoundError('Employee', id);
    return e;
  }

  async getByNip(actor: Actor, nip: string): Promise<EmployeeEntity> {
    if (!/^\d{18}$/.test(nip)) throw ValidationFailedError.field('nip', 'must be exactly 18 digits');
    const e = await this.employees.findByNip(nip);
    if (!e || !(await this.visible(dataScopeOf(actor.principal), e))) throw new NotFoundError('Employee with NIP', nip);
    return e;
  }

  async list(actor: Actor, q: EmployeeQueryDto): Promise<Page<EmployeeEntity>> {
    const [items, total] = await this.employees.list(q, dataScopeOf(actor.principal));
    return pageOf(items, total, q);
  }

  async create(actor: Actor, dto: CreateEmployeeDto): Promise<EmployeeEntity> {
    return this.dataSource.transaction(async (m) => {
      const { errors, derived } = checkEmployeeIdentity(dto);
      if (errors.length) throw new ValidationFailedError(errors);
      const unit = await this.resolveUnit(actor, { unitId: dto.unitId, unitCode: dto.unitCode }, m);
      const supervisorId = await this.resolveSupervisor(actor, dto, m);
      if (supervisorId) refuse(supervisorChoiceRefusal(actor.principal, { employeeId: null, supervisorId }, new Map()));
      if (await this.employees.findByNip(dto.nip, m)) throw duplicateNip(dto.nip);
      const employee = await this.employees.save(
        {
          nip: dto.nip,
          name: dto.name,
          employmentType: dto.employmentType,
          gender: derived.gender,
          birthDate: derived.birthDate,
          rank: dto.rank,
          rankSince: dto.rankSince,
          jobType: dto.jobType,
          positionTitle: dto.positionTitle,
          functionalLevel: dto.functionalLevel ?? null,
          unitId: unit.id,
          supervisorId: supervisorId ?? null,
          serviceStart: dto.serviceStart ?? derived.tmtCpns,
          status: 'ACTIVE',
          potential: null,
        },
        m,
      );
      await this.audit.record(m, actor, { action: 'employee.create', entityType: 'employee', entityId: employee.id, after: employee });
      return employee;
    }).catch(raceOnNip(dto.nip));
  }

  async update(actor: Actor, id: string, dto: UpdateEmployeeDto): Promise<EmployeeEntity> {
    return this.dataSource.transaction(async (m) => {
      const changesSupervisor = dto.supervisorId !== undefined || dto.supervisorNip !== undefined;
      if (changesSupervisor) await lockGraph(m, GraphLock.SupervisorChain);
      if (dto.unitId !== undefined || dto.unitCode !== undefined || dto.status !== undefined) await lockHeads(m);
      await this.get(actor, id, m);
      const before = (await this.employees.findByIdForUpdate(id, m))!;
      const merged = { ...before, ...pick(dto, WRITE_FIELDS), ...(dto.status ? { status: dto.status } : {}) };

      // Derived identity is recomputed from the merged record; a PNS NIP overrides stale gender and birth date.
      // A PPPK's gender and birth date come from the body, so they survive a new number.
      const identityChanged = dto.nip !== undefined || dto.employmentType !== undefined;
      const keepStored = !identityChanged || merged.employmentType === 'PPPK';
      const { errors, derived } = checkEmployeeIdentity({
        ...merged,
        gender: dto.gender ?? (keepStored ? merged.gender : undefined),
        birthDate: dto.birthDate ?? (keepStored ? merged.birthDate : undefined),
      });
      if (errors.length) throw new ValidationFailedError(errors);
      Object.assign(merged, { gender: derived.gender, birthDate: derived.birthDate });

      if (dto.unitId !== undefined || dto.unitCode !== undefined) {
        merged.unitId = (await this.resolveUnit(actor, { unitId: dto.unitId, unitCode: dto.unitCode }, m, before.unitId)).id;
      }
      if (changesSupervisor) {
        merged.supervisorId = (await this.resolveSupervisor(actor, dto, m)) ?? null;
        if (merged.supervisorId === id) {
          throw new ConflictError('supervisor-cycle', 'An employee cannot supervise themself', { field: 'supervisorId' });
        }
        if (merged.supervisorId && (await this.employees.isInChainAbove(id, merged.supervisorId, m))) {
          throw new ConflictError('supervisor-cycle', `${before.nip} already supervises, directly or not, the proposed supervisor`, {
            field: 'supervisorId',
          });
        }
      }
      if (merged.nip !== before.nip && (await this.employees.findByNip(merged.nip, m))) throw duplicateNip(merged.nip);
      refuse(ownRecordRefusal(actor.principal, id, ownRecordChanges(before, merged)));
      if (merged.supervisorId !== before.supervisorId) {
        refuse(supervisorChoiceRefusal(actor.principal, { employeeId: id, supervisorId: merged.supervisorId }, await this.employees.supervisorLinks(m)));
      }

      const after = await this.employees.save(merged, m);
      if (after.unitId !== before.unitId || after.status !== before.status) await this.unitHeads.vacateHeads(m, actor, [id]);
      const action = dto.status && dto.status !== 'ACTIVE' && before.status === 'ACTIVE' ? 'employee.deactivate' : 'employee.update';
      await this.audit.record(m, actor, { action, entityType: 'employee', entityId: id, before, after });
      return after;
    }).catch(raceOnNip(dto.nip));
  }

  async setPotential(actor: Actor, id: string, potential: Potential | null): Promise<EmployeeEntity> {
    return this.dataSource.transaction(async (m) => {
      await this.get(actor, id, m);
      refuse(ownRecordRefusal(actor.principal, id, ['potential']));
      const before = (await this.employees.findByIdForUpdate(id, m))!;
      const after = await this.employees.save({ ...before, potential }, m);
      await this.audit.record(m, actor, { action: 'employee.potential', entityType: 'employee', entityId: id, before, after });
      return after;
    });
  }

  async addPenalty(actor: Actor, id: string, dto: CreatePenaltyDto): Promise<PenaltyEntity> {
    return this.dataSource.transaction(async (m) => {
      await this.get(actor, id, m);
      refuse(ownRecordRefusal(actor.principal, id, ['penalties']));
      const penalty = await this.employees.addPenalty({ employeeId: id, ...dto }, m);
      await this.audit.record(m, actor, { action: 'penalty.create', entityType: 'penalty', entityId: penalty.id, after: penalty });
      return penalty;
    });
  }

  async listPenalties(actor: Actor, id: string): Promise<PenaltyEntity[]> {
    await this.get(actor, id);
    return this.employees.listPenalties(id);
  }

  /** Upserts employees by NIP as `planEmployeeImport` decides; without `atomic`, good rows are written and bad rows reported. */
  async import(actor: Actor, dto: ImportEmployeesDto, atomic: boolean): Promise<ImportResult> {
    return this.dataSource.transaction(async (m) => {
      await lockGraph(m, GraphLock.SupervisorChain);
      await lockHeads(m);
      const read = readEmployeeRows(dto.employees.map((raw) => ({ raw, ...validateRow(EmployeeImportRow, raw) })));
      const { unitCodes, nips } = employeeLookups(read);
      const plan = planEmployeeImport(read, {
        units: await this.units.findByCodes(unitCodes, m),
        inScope: await this.unitScope(dataScopeOf(actor.principal), m),
        existing: await this.employees.findByNips(nips, m),
        supervisorLinks: await this.employees.supervisorLinks(m),
        principal: actor.principal,
        newId: randomUUID,
      });
      if (atomic && plan.errors.length) throw new ImportRejectedError('employees', plan.errors);

      await this.employees.insertMany(plan.create, m);
      await this.employees.updateMany(plan.update.map((u) => u.after), m);
      await this.unitHeads.vacateHeads(m, actor, plan.update.filter((u) => u.after.unitId !== u.before.unitId).map((u) => u.before.id));
      await this.audit.recordMany(m, actor, [
        ...plan.create.map((w) => ({ action: 'employee.import-create', entityType: 'employee', entityId: w.id, after: w })),
        ...plan.update.map((u) => ({
          action: 'employee.import-update',
          entityType: 'employee',
          entityId: u.before.id,
          before: u.before,
          after: { ...u.before, ...u.after },
        })),
      ]);
      return { created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged, errors: plan.errors };
    });
  }

  /** `currentUnitId`: the employee's unit, which may be restated even when it has been deactivated since. */
  private async resolveUnit(
    actor: Actor,
    ref: { unitId?: string; unitCode?: string },
    m: EntityManager,
    currentUnitId?: string,
  ): Promise<UnitEntity> {
    const field = ref.unitId !== undefined ? 'unitId' : 'unitCode';
    const unit = ref.unitId ? await this.units.findById(ref.unitId, m) : (await this.units.findByCodes([ref.unitCode!], m))[0];
    if (!unit || !(await this.units.inScope(dataScopeOf(actor.principal), unit.id, m))) {
      throw ValidationFailedError.field(field, `no unit has the ${field === 'unitId' ? 'id' : 'code'} ${ref.unitId ?? ref.unitCode}`);
    }
    if (!unit.active && unit.id !== currentUnitId) throw new ConflictError('unit-inactive', `The unit ${unit.code} is inactive`, { field });
    return unit;
  }

  /** The supervisor named by id or NIP; one the caller may not see answers as a missing one (no existence oracle, spec §8). */
  private async resolveSupervisor(
    actor: Actor,
    ref: { supervisorId?: string | null; supervisorNip?: string | null },
    m: EntityManager,
  ): Promise<string | null | undefined> {
    if (ref.supervisorId !== undefined && ref.supervisorNip !== undefined) {
      throw ValidationFailedError.field('supervisorId', 'send either supervisorId or supervisorNip, not both');
    }
    if (ref.supervisorId === null || ref.supervisorNip === null) return null;
    const scope = dataScopeOf(actor.principal);
    if (ref.supervisorId) {
      const sup = await this.employees.findById(ref.supervisorId, m);
      if (!sup || !(await this.visible(scope, sup, m))) {
        throw ValidationFailedError.field('supervisorId', `no employee has the id ${ref.supervisorId}`);
      }
      return ref.supervisorId;
    }
    if (ref.supervisorNip) {
      const sup = await this.employees.findByNip(ref.supervisorNip, m);
      if (!sup || !(await this.visible(scope, sup, m))) {
        throw ValidationFailedError.field('supervisorNip', `no employee has the NIP ${ref.supervisorNip}`);
      }
      return sup.id;
    }
    return undefined;
  }

  /** Which units the caller may place employees in: everything, or their subtree (fetched once, for a whole import). */
  private async unitScope(scope: DataScope, m: EntityManager): Promise<(unitId: string) => boolean> {
    switch (scope.kind) {
      case 'all':
        return () => true;
      case 'subtree': {
        const subtree = await this.units.subtreeIds(scope.rootUnitId, m);
        return (id) => subtree.has(id);
      }
      case 'self':
        return () => false;
    }
  }

  private async visible(scope: DataScope, e: EmployeeEntity, m?: EntityManager): Promise<boolean> {
    switch (scope.kind) {
      case 'all':
        return true;
      case 'subtree':
        return this.units.isWithin(e.unitId, scope.rootUnitId, m);
      case 'self':
        return scope.employeeId === e.id;
    }
  }
}

/**
 * A move or status change may end a unit's head (spec §5.4). The unit import reads heads without row locks under this
 * lock, so taking it first keeps an import from writing back a head vacated meanwhile.
 */
const lockHeads = (m: EntityManager) => lockGraph(m, GraphLock.UnitTree);

const refuse = (error: Error | null): void => {
  if (error) throw error;
};

const duplicateNip = (nip: string) =>
  new ConflictError('duplicate-nip', `An employee with the NIP ${nip} exists`, { field: 'nip' });

/** Two writers with one NIP pass the look-up together; the unique index decides, and the loser hears duplicate-nip. */
const raceOnNip =
  (nip: string | undefined) =>
  (e: unknown): never => {
    const pg = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : undefined;
    if (nip !== undefined && pg?.code === '23505' && pg.constraint === 'uq_employees_nip') throw duplicateNip(nip);
    throw e;
  };

function pick<T extends object, K extends keyof T>(o: Partial<T>, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}
