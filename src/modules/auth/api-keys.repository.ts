import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(ApiKeyEntity);
  }

  /** SELECT … FOR UPDATE: serialises revocations of one key. */
  findByIdForUpdate(id: string, m: EntityManager): Promise<ApiKeyEntity | null> {
    return this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * The unrevoked key with this prefix, and the employee its issuer is linked to (one query, joined); null also when
   * its issuer is deactivated, whose keys stop with them.
   */
  async findUnrevokedByPrefix(prefix: string): Promise<{ key: ApiKeyEntity; issuerEmployeeId: string | null } | null> {
    const key = await this.repo().findOne({ where: { prefix, revokedAt: IsNull() }, relations: { creator: true } });
    if (!key || key.creator?.active === false) return null;
    return { key, issuerEmployeeId: key.creator?.employeeId ?? null };
  }

  /** Newest first. */
  list(): Promise<ApiKeyEntity[]> {
    return this.repo().find({ order: { createdAt: 'DESC' } });
  }

  insert(key: Pick<ApiKeyEntity, 'name' | 'prefix' | 'keyHash' | 'scopes' | 'createdBy' | 'issuerSetterIds'>, m: EntityManager): Promise<ApiKeyEntity> {
    return this.repo(m).save(this.repo(m).create(key));
  }

  save(key: ApiKeyEntity, m: EntityManager): Promise<ApiKeyEntity> {
    return this.repo(m).save(key);
  }

  /** Stamps last_used_at at most once a minute, so a busy key does not write on every request. */
  async touchLastUsed(id: string): Promise<void> {
    await this.repo()
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where("id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", { id })
      .execute();
  }
}
