import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor, ApiKeyPrincipal } from '../../common/auth/principal';
import { NotFoundError } from '../../common/errors/app-error';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeyEntity } from './entities/api-key.entity';
import { PrincipalCache } from './principal-cache';
import { UsersRepository } from './users.repository';

const KEY_PATTERN = /^cap_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** last_used_at has minute precision (touchLastUsed). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Machine-client keys: `cap_<prefix>_<secret>`, shown once. Only the SHA-256 of the whole key is stored:
 * keys carry 256 random bits, so a fast hash is enough and a slow one would tax every request.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCache,
    private readonly users: UsersRepository,
  ) {}

  /** When this process last recorded each key's use: last_used_at is kept to the minute, not per request. */
  private readonly touched = new Map<string, number>();

  async create(actor: Actor, dto: CreateApiKeyDto): Promise<{ key: ApiKeyEntity; secret: string }> {
    const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
    const secret = `cap_${prefix}_${randomBytes(32).toString('base64url')}`;
    const key = await this.dataSource.transaction(async (m) => {
      // Whoever can sign in as the issuer now may be issuing the key: it answers for them even after a later reset.
      const issuerSetterIds = (await this.users.credentialSettersOf(actor.principal.id, m)).userIds;
      const saved = await this.keys.insert(
        { name: dto.name, prefix, keyHash: sha256(secret), scopes: [...new Set(dto.scopes)], createdBy: actor.principal.id, issuerSetterIds },
        m,
      );
      await this.audit.record(m, actor, { action: 'api-key.create', entityType: 'api-key', entityId: saved.id, after: saved });
      return saved;
    });
    return { key, secret };
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.keys.list();
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyEntity> {
    const revoked = await this.dataSource.transaction(async (m) => {
      const before = await this.keys.findByIdForUpdate(id, m);
      if (!before) throw new NotFoundError('API key', id);
      if (before.revokedAt) return before;
      const after = await this.keys.save({ ...before, revokedAt: new Date() }, m);
      await this.audit.record(m, actor, { action: 'api-key.revoke', entityType: 'api-key', entityId: id, before, after });
      return after;
    });
    this.principals.forget(id);
    return revoked;
  }

  /** Resolves a presented key to its principal, or null when unknown, malformed, revoked or its issuer deactivated. */
  async authenticate(presented: string): Promise<ApiKeyPrincipal | null> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) return null;
    const hash = sha256(presented);
    // Keyed by the hash of the whole key: an entry is found only with the very key that was verified.
    const credential = `key:${hash}`;
    let principal = this.principals.get(credential) as ApiKeyPrincipal | undefined;
    if (!principal) {
      const readAt = this.principals.version;
      const found = await this.keys.findUnrevokedByPrefix(match[1]);
      if (!found || !timingSafeEqual(Buffer.from(hash), Buffer.from(found.key.keyHash))) return null;
      const { key, issuerEmployeeId } = found;
      const issuerCredentialSetters = key.createdBy
        ? await this.users.keyIssuerSettersOf(key.createdBy, key.issuerSetterIds)
        : { userIds: [], employeeIds: [] };
      principal = { kind: 'api-key', id: key.id, name: key.name, scopes: key.scopes, issuerUserId: key.createdBy, issuerEmployeeId, issuerCredentialSetters };
      // The issuer's deactivation or reset, or a change to a setter of theirs (now or at issue), changes what the key answers for.
      this.principals.set(credential, principal, [key.id, ...(key.createdBy ? [key.createdBy] : []), ...issuerCredentialSetters.userIds], readAt);
    }
    if (Date.now() - (this.touched.get(principal.id) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(principal.id, Date.now());
      await this.keys.touchLastUsed(principal.id);
    }
    return principal;
  }
}
