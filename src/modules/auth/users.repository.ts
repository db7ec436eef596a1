import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CredentialSetters } from '../../common/auth/principal';
import { offsetOf, PageQueryDto } from '../../common/pagination/page';
import { UserEntity } from './entities/user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(UserEntity);
  }

  findById(id: string, m?: EntityManager): Promise<UserEntity | null> {
    return this.repo(m).findOneBy({ id });
  }

  /** SELECT … FOR UPDATE: serialises the updates of one user. */
  findByIdForUpdate(id: string, m: EntityManager): Promise<UserEntity | null> {
    return this.repo(m).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Whoever set the user's credentials, whoever set theirs, and so on, with the employees they are linked to: each can
   * sign in as the next (spec §8). UNION stops at a cycle; the user itself is never its own setter.
   */
  credentialSettersOf(id: string, m?: EntityManager): Promise<CredentialSetters> {
    return this.settersOf(id, [], m);
  }

  /**
   * An API key's issuer's credential setters now, together with `issuedUnder`, those the key was issued under: who once
   * could sign in as the issuer could issue the key, and still holds it after an outside reset (spec §8).
   */
  keyIssuerSettersOf(issuerId: string, issuedUnder: string[]): Promise<CredentialSetters> {
    return this.settersOf(issuerId, issuedUnder);
  }

  private async settersOf(id: string, also: string[], m?: EntityManager): Promise<CredentialSetters> {
    const rows = await (m ?? this.dataSource.manager).query<{ id: string; employee_id: string | null }[]>(
      `WITH RECURSIVE setters(id) AS (
         SELECT credentials_set_by FROM users WHERE id = $1 AND credentials_set_by IS NOT NULL
         UNION
         SELECT u.credentials_set_by FROM users u JOIN setters s ON s.id = u.id WHERE u.credentials_set_by IS NOT NULL
       )
       SELECT u.id, u.employee_id FROM users u
        WHERE u.id <> $1 AND (u.id IN (SELECT id FROM setters) OR u.id = ANY($2::uuid[])) ORDER BY u.id`,
      [id, also],
    );
    return { userIds: rows.map((r) => r.id), employeeIds: rows.flatMap((r) => (r.employee_id ? [r.employee_id] : [])) };
  }

  /** `username` as stored: lower case. */
  findByUsername(username: string, m?: EntityManager): Promise<UserEntity | null> {
    return this.repo(m).findOneBy({ username });
  }

  existsUsername(username: string, m: EntityManager): Promise<boolean> {
    return this.repo(m).existsBy({ username });
  }

  existsForEmployee(employeeId: string, m: EntityManager): Promise<boolean> {
    return this.repo(m).existsBy({ employeeId });
  }

  list(q: PageQueryDto): Promise<[UserEntity[], number]> {
    return this.repo().findAndCount({ order: { username: 'ASC' }, skip: offsetOf(q), take: q.pageSize });
  }

  /** The id of the new user, or null when the username is taken (nothing is written then). */
  async insertUnlessUsernameTaken(
    user: Pick<UserEntity, 'username' | 'passwordHash' | 'role'>,
    m?: EntityManager,
  ): Promise<string | null> {
    const inserted = await this.repo(m).createQueryBuilder().insert().values(user).orIgnore().returning(['id']).execute();
    const created = inserted.raw as { id: string }[];
    return created[0]?.id ?? null;
  }

  insert(user: Pick<UserEntity, 'username' | 'passwordHash' | 'role' | 'employeeId' | 'unitId' | 'credentialsSetBy'>, m: EntityManager): Promise<UserEntity> {
    return this.repo(m).save(this.repo(m).create(user));
  }

  save(user: UserEntity, m: EntityManager): Promise<UserEntity> {
    return this.repo(m).save(user);
  }

  /** Replaces the password hash only if it is still `oldHash` (no password change meanwhile); true when it did. */
  async replacePasswordHash(id: string, oldHash: string, newHash: string, m: EntityManager): Promise<boolean> {
    const res = await this.repo(m)
      .createQueryBuilder()
      .update()
      .set({ passwordHash: newHash })
      .where('id = :id AND password_hash = :old', { id, old: oldHash })
      .execute();
    return !!res.affected;
  }
}
