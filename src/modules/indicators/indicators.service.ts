import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { Page, pageOf } from '../../common/pagination/page';
import { markForRecalculation } from '../recalculation/recalculation-marks';
import { UnitsRepository } from '../units/units.repository';
import { CreateIndicatorDto, IndicatorQueryDto, UpdateIndicatorDto } from './dto/indicator.dto';
import { IndicatorEntity } from './entities/indicator.entity';
import { IndicatorsRepository } from './indicators.repository';

/** What scoring of a finalised appraisal depends on: frozen once a CLOSED period used the indicator (spec §3). */
export const LOCKED_INDICATOR_FIELDS = ['direction', 'aggregation', 'aspect'] as const;

/** The fields the capaian of a target is computed with (spec §5.1): a change moves the scores of its appraisals (spec §6). */
const SCORED_INDICATOR_FIELDS = ['direction', 'aggregation'] as const;

@Injectable()
export class IndicatorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: IndicatorsRepository,
    private readonly units: UnitsRepository,
    private readonly audit: AuditService,
  ) {}

  async get(id: string, m?: EntityManager): Promise<IndicatorEntity> {
    const indicator = await this.indicators.findById(id, m);
    if (!indicator) throw new NotFoundError('Indicator', id);
    return indicator;
  }

  async list(q: IndicatorQueryDto): Promise<Page<IndicatorEntity>> {
    const [items, total] = await this.indicators.list(q);
    return pageOf(items, total, q);
  }

  async create(actor: Actor, dto: CreateIndicatorDto): Promise<IndicatorEntity> {
    return this.dataSource
      .transaction(async (m) => {
        if (dto.unitId) await this.requireUnit(dto.unitId, m);
        if (await this.indicators.existsCode(dto.code, m)) throw duplicateCode(dto.code);
        const indicator = await this.indicators.save(
          {
            code: dto.code,
            name: dto.name,
            description: dto.description ?? null,
            unitOfMeasure: dto.unitOfMeasure,
            aspect: dto.aspect,
            direction: dto.direction,
            aggregation: dto.aggregation,
            jobTypes: dto.jobTypes ?? [],
            unitId: dto.unitId ?? null,
            active: dto.active ?? true,
          },
          m,
        );
        await this.audit.record(m, actor, { action: 'indicator.create', entityType: 'indicator', entityId: indicator.id, after: indicator });
        return indicator;
      })
      .catch(raceOnCode(dto.code));
  }

  async update(actor: Actor, id: string, dto: UpdateIndicatorDto): Promise<IndicatorEntity> {
    return this.dataSource
      .transaction(async (m) => {
        const before = await this.indicators.findByIdForUpdate(id, m);
        if (!before) throw new NotFoundError('Indicator', id);
        if (dto.code !== undefined && dto.code !== before.code && (await this.indicators.existsCode(dto.code, m))) {
          throw duplicateCode(dto.code);
        }
        if (dto.unitId) await this.requireUnit(dto.unitId, m);
        const changedLocked = LOCKED_INDICATOR_FIELDS.filter((f) => dto[f] !== undefined && dto[f] !== before[f]);
        if (changedLocked.length) {
          const closed = await this.indicators.closedPeriodCodesUsing(id, m);
          if (closed.length) {
            throw new ConflictError(
              'indicator-locked',
              `Indicator ${before.code} is used by targets of the CLOSED period(s) ${closed.join(', ')}: its ` +
                `${changedLocked.join(', ')} cannot change; deactivate it and create a new indicator instead`,
              { fields: changedLocked, closedPeriods: closed },
            );
          }
        }
        const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<IndicatorEntity>;
        const after = await this.indicators.save({ ...before, ...changes }, m);
        if (SCORED_INDICATOR_FIELDS.some((f) => after[f] !== before[f])) {
          await markForRecalculation(m, { appraisalIds: await this.indicators.openAppraisalIdsUsing(id, m) }, 'indicator.update');
        }
        await this.audit.record(m, actor, { action: 'indicator.update', entityType: 'indicator', entityId: id, before, after });
        return after;
      })
      .catch(raceOnCode(dto.code));
  }

  private async requireUnit(unitId: string, m: EntityManager): Promise<void> {
    if (!(await this.units.findById(unitId, m))) throw ValidationFailedError.field('unitId', `no unit has the id ${unitId}`);
  }
}

const duplicateCode = (code: string) =>
  new ConflictError('duplicate-indicator-code', `An indicator with the code ${code} exists`, { field: 'code' });

/** Two concurrent writers of one code: the unique index decides, and the loser gets the same 409. */
const raceOnCode =
  (code: string | undefined) =>
  (e: unknown): never => {
    const pg = e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : undefined;
    if (code !== undefined && pg?.code === '23505' && pg.constraint === 'uq_indicators_code') throw duplicateCode(code);
    throw e;
  };
