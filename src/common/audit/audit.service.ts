import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/principal';
import { Page, pageOf } from '../pagination/page';
import { AuditEventEntity } from './audit-event.entity';
import { AuditQueryDto } from './audit-query.dto';
import { AuditRepository, AuditRow } from './audit.repository';

const SECRET_KEYS = new Set(['passwordHash', 'password', 'keyHash', 'key', 'contactHash', 'secret', 'previousSecret']);

/** Plain JSON copy of an entity with secrets removed, for the before/after columns. */
export function auditSnapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  const json = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  for (const k of Object.keys(json)) if (SECRET_KEYS.has(k)) delete json[k];
  return json;
}

/** An anonymous member of the public (citizen feedback), known only by the request id. */
export interface PublicActor {
  public: true;
  requestId: string;
}
export type AuditActor = Actor | PublicActor | null;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
  reason?: string | null;
}

@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  /** Writes the entry inside the caller's transaction, so a mutation and its audit land together. */
  async record(manager: EntityManager, actor: AuditActor, entry: AuditEntry): Promise<void> {
    await this.recordMany(manager, actor, [entry]);
  }

  async recordMany(manager: EntityManager, actor: AuditActor, entries: AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    const p = actor && 'principal' in actor ? actor.principal : null;
    const anonymous = actor !== null && 'public' in actor;
    const rows = entries.map((e): AuditRow => ({
      actorType: anonymous ? ('PUBLIC' as const) : !p ? ('SYSTEM' as const) : p.kind === 'user' ? ('USER' as const) : ('API_KEY' as const),
      actorId: p?.id ?? null,
      actorName: anonymous ? 'public' : !p ? 'system' : p.kind === 'user' ? p.username : p.name,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      before: auditSnapshot(e.before),
      after: auditSnapshot(e.after),
      reason: e.reason ?? null,
      requestId: actor?.requestId ?? null,
    }));
    await this.repo.insertMany(rows, manager);
  }

  async list(q: AuditQueryDto): Promise<Page<AuditEventEntity>> {
    const [items, total] = await this.repo.list(q);
    return pageOf(items, total, q);
  }
}
