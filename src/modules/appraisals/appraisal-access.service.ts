import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, actsAsEmployee, Principal } from '../../common/auth/principal';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error';
import { UnitsRepository } from '../units/units.repository';
import { AppraisalsRepository } from './appraisals.repository';
import { AppraisalEntity } from './entities/appraisal.entity';

/** How the caller stands to one appraisal (spec §8): rights come from the appraisal, not from a role. */
export interface AppraisalRelation {
  admin: boolean;
  owner: boolean;
  assessor: boolean;
  reviewer: boolean;
  hr: boolean;
}
export type AppraisalRole = keyof AppraisalRelation;

/** What the relation is judged on. */
export type AppraisalParties = Pick<AppraisalEntity, 'employeeId' | 'assessorId' | 'reviewerId' | 'unitId'>;

const NONE: AppraisalRelation = { admin: false, owner: false, assessor: false, reviewer: false, hr: false };

const PART_NAMES: Record<AppraisalRole, string> = {
  admin: 'an admin',
  owner: 'the appraised employee',
  assessor: 'the assessor',
  reviewer: 'the reviewer',
  hr: 'an HR operator of the unit',
};

export const canSee = (r: AppraisalRelation) => Object.values(r).some(Boolean);

@Injectable()
export class AppraisalAccessService {
  constructor(
    private readonly appraisals: AppraisalsRepository,
    private readonly units: UnitsRepository,
  ) {}

  async relationOf(p: Principal, a: AppraisalParties, m?: EntityManager): Promise<AppraisalRelation> {
    if (p.kind === 'api-key' || p.role === 'ADMIN') return { ...NONE, admin: true };
    const me = p.employeeId;
    return {
      ...NONE,
      owner: !!me && a.employeeId === me,
      assessor: !!me && a.assessorId === me,
      reviewer: !!me && a.reviewerId === me,
      hr: p.role === 'HR_OPERATOR' && !!p.unitId && (await this.units.isWithin(a.unitId, p.unitId, m)),
    };
  }

  /**
   * The appraisal with the caller's relation to it, or 404 as if it did not exist. With `lock` (inside the
   * transaction `m`), the row is locked FOR UPDATE, which serialises concurrent writes to one appraisal.
   */
  async get(
    actor: Actor,
    id: string,
    m?: EntityManager,
    lock = false,
  ): Promise<{ appraisal: AppraisalEntity; relation: AppraisalRelation }> {
    const appraisal = await (lock ? this.appraisals.findByIdForUpdate(id, m!) : this.appraisals.findById(id, m));
    return { appraisal: appraisal!, relation: await this.visible(actor, appraisal, id, m) };
  }

  /** The caller's relation to an appraisal read by other means (null: none has the id), or 404 as if it did not exist. */
  async visible(actor: Actor, appraisal: AppraisalParties | null, id: string, m?: EntityManager): Promise<AppraisalRelation> {
    const relation = appraisal ? await this.relationOf(actor.principal, appraisal, m) : NONE;
    if (!appraisal || !canSee(relation)) throw new NotFoundError('Appraisal', id);
    return relation;
  }

  /** Refuses (403) a caller who may see the appraisal but holds none of the given parts in it. */
  require(relation: AppraisalRelation, allowed: AppraisalRole[], what: string): void {
    if (!allowed.some((r) => relation[r])) {
      const who = allowed.map((r) => PART_NAMES[r]).join(', ').replace(/, ([^,]*)$/, ' or $1');
      throw new ForbiddenError(`Only ${who} may ${what}`, 'not-your-part');
    }
  }

  /**
   * Every decision on an appraisal (verifying or rejecting evidence, behaviour, override, resolving the
   * objection, reassigning) calls this: it is refused first to a caller acting as the appraised employee
   * (actsAsEmployee), whatever their role, admins included (spec §8 rule 1), and then needs one of the given parts.
   */
  requireDecider(p: Principal, a: Pick<AppraisalEntity, 'employeeId'>, relation: AppraisalRelation, allowed: AppraisalRole[], what: string): void {
    if (actsAsEmployee(p, a.employeeId)) {
      throw new ForbiddenError(`Nobody may ${what} on their own appraisal`, 'own-appraisal');
    }
    this.require(relation, allowed, what);
  }

  /** SQL condition limiting a list to the appraisals the caller may see; `alias` names the appraisals table. */
  scopeCondition(p: Principal, alias: string): { sql: string; params: Record<string, unknown> } {
    if (p.kind === 'api-key' || p.role === 'ADMIN') return { sql: 'true', params: {} };
    const parts: string[] = [];
    const params: Record<string, unknown> = {};
    if (p.employeeId) {
      parts.push(`${alias}.employee_id = :scopeMe OR ${alias}.assessor_id = :scopeMe OR ${alias}.reviewer_id = :scopeMe`);
      params.scopeMe = p.employeeId;
    }
    if (p.role === 'HR_OPERATOR' && p.unitId) {
      parts.push(`${alias}.unit_id IN (SELECT unit_subtree(:scopeRoot))`);
      params.scopeRoot = p.unitId;
    }
    return { sql: parts.length ? `(${parts.join(' OR ')})` : 'false', params };
  }
}
