import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, AuditService } from '../../common/audit/audit.service';
import { dataScopeOf } from '../../common/auth/data-scope';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import {
  ImportRejectedError,
  ImportResult,
  ImportRowError,
  spreadFailures,
  validateRow,
} from '../../common/import/import-result';
import { Page, pageOf } from '../../common/pagination/page';
import { createsCycle, findCycle, parentsFirst } from '../../common/tree/tree';
import { GraphLock, lockGraph } from '../../database/advisory-locks';
import { markForUnitChanges } from '../recalculation/feedback-marks';
import { ImportUnitsDto, UnitImportRow } from './dto/import-units.dto';
import { CreateUnitDto, UnitQueryDto, UpdateUnitDto } from './dto/unit.dto';
import { UnitEntity } from './entities/unit.entity';
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
      const before = (await this.units.findByIdForUpdate(id, m))!;
      if (dto.code && dto.code !== before.code && (await this.units.existsCode(dto.code, m))) {
        throw new ConflictError('duplicate-unit-code', `A unit with the code ${dto.code} exists`, { field: 'code' });
      }
      if (moving && dto.parentId) {
        await this.requireParent(actor, dto.parentId, m);
        const links = await this.units.parentLinks(m);
        if (createsCycle(id, dto.parentId, (u) => links.get(u))) {
          throw new ConflictError('unit-cycle', `Unit ${before.code} cannot be placed under its own descendant`, {
            field: 'parentId',
          });
        }
      }
      const after = await this.units.save({ ...before, ...dto }, m);
      // Unit indices of citizen feedback follow the tree and the publicService flags (spec §5.3).
      await markForUnitChanges(m, [{ before, after }], 'unit.update');
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

  /**
   * Upserts units by code. Rows may name parents defined later in the same request; a row whose parent
   * failed fails too. Without `atomic`, good rows are written and bad rows reported.
   */
  async import(actor: Actor, dto: ImportUnitsDto, atomic: boolean): Promise<ImportResult> {
    return this.dataSource.transaction(async (m) => {
      await lockGraph(m, GraphLock.UnitTree);
      const errors = new Map<number, string>();
      const rows = new Map<number, UnitImportRow>();
      const indexOfCode = new Map<string, number>();
      const invalidRowOfCode = new Map<string, number>();
      dto.units.forEach((raw, index) => {
        const v = validateRow(UnitImportRow, raw);
        if (v.error !== null) {
          const code = keyOf(raw, 'code')?.trim().toUpperCase();
          if (code && !invalidRowOfCode.has(code)) invalidRowOfCode.set(code, index);
          return errors.set(index, v.error);
        }
        if (indexOfCode.has(v.row.code)) {
          return errors.set(index, `code: ${v.row.code} already appears in row ${indexOfCode.get(v.row.code)}`);
        }
        if (v.row.parentCode === v.row.code) return errors.set(index, 'parentCode: a unit cannot be its own parent');
        indexOfCode.set(v.row.code, index);
        rows.set(index, v.row);
      });

      const codes = [...rows.values()].flatMap((r) => [r.code, ...(r.parentCode ? [r.parentCode] : [])]);
      const existing = new Map((await this.units.findByCodes([...new Set(codes)], m)).map((u) => [u.code, u]));
      const links = await this.units.parentLinks(m);
      const idOfCode = new Map<string, string>();
      for (const u of existing.values()) idOfCode.set(u.code, u.id);
      for (const r of rows.values()) if (!idOfCode.has(r.code)) idOfCode.set(r.code, randomUUID());

      // The graph after the import, then rows that would close a cycle or hang under a missing parent.
      for (const [index, r] of rows) {
        if (r.parentCode && !idOfCode.has(r.parentCode)) {
          const failedRow = invalidRowOfCode.get(r.parentCode);
          errors.set(
            index,
            failedRow !== undefined
              ? `parentCode: the row ${failedRow} defining ${r.parentCode} failed`
              : `parentCode: no unit or row has the code ${r.parentCode}`,
          );
          rows.delete(index);
          continue;
        }
        links.set(idOfCode.get(r.code)!, r.parentCode ? idOfCode.get(r.parentCode)! : null);
      }
      for (const [index, r] of rows) {
        if (findCycle(idOfCode.get(r.code)!, (id) => links.get(id))) {
          errors.set(index, `parentCode: placing ${r.code} under ${r.parentCode} would make it its own ancestor`);
        }
      }
      spreadFailures(
        rows,
        (r) => (r.parentCode && !existing.has(r.parentCode) ? indexOfCode.get(r.parentCode) : undefined),
        errors,
        (r, failed) => `parentCode: the row ${failed} defining ${r.parentCode} failed`,
      );

      const rowErrors: ImportRowError[] = [...errors]
        .sort(([a], [b]) => a - b)
        .map(([index, message]) => ({ index, key: keyOf(dto.units[index], 'code'), message }));
      if (atomic && rowErrors.length) throw new ImportRejectedError('units', rowErrors);

      const good = [...rows].filter(([index]) => !errors.has(index)).map(([, r]) => r);
      const toInsert: UnitEntity[] = [];
      const toUpdate: { before: UnitEntity; after: UnitEntity }[] = [];
      let unchanged = 0;
      for (const r of good) {
        const values = {
          name: r.name,
          kind: r.kind,
          parentId: r.parentCode ? idOfCode.get(r.parentCode)! : null,
          publicService: r.publicService ?? existing.get(r.code)?.publicService ?? false,
        };
        const before = existing.get(r.code);
        if (!before) {
          toInsert.push({ id: idOfCode.get(r.code)!, code: r.code, active: true, ...values } as UnitEntity);
        } else if (Object.entries(values).some(([k, v]) => before[k as keyof UnitEntity] !== v)) {
          toUpdate.push({ before, after: { ...before, ...values } });
        } else unchanged++;
      }
      const inserted = new Map(toInsert.map((u) => [u.id, u]));
      await this.units.insertMany(parentsFirst(toInsert, (u) => (u.parentId ? inserted.get(u.parentId) : null)), m);
      await this.units.updateMany(toUpdate.map((u) => u.after), m);
      await markForUnitChanges(m, toUpdate, 'unit.import-update');
      const audit: AuditEntry[] = [
        ...toInsert.map((u) => ({ action: 'unit.import-create', entityType: 'unit', entityId: u.id, after: u })),
        ...toUpdate.map((u) => ({ action: 'unit.import-update', entityType: 'unit', entityId: u.before.id, ...u })),
      ];
      await this.audit.recordMany(m, actor, audit);
      return { created: toInsert.length, updated: toUpdate.length, unchanged, errors: rowErrors };
    });
  }

  private async requireParent(actor: Actor, parentId: string, m: EntityManager): Promise<void> {
    const parent = await this.units.findById(parentId, m);
    if (!parent || !(await this.units.inScope(dataScopeOf(actor.principal), parentId, m))) {
      throw ValidationFailedError.field('parentId', `no unit has the id ${parentId}`);
    }
  }

}

export function keyOf(raw: unknown, field: string): string | null {
  const v = (raw as Record<string, unknown> | null)?.[field];
  return typeof v === 'string' ? v : null;
}
