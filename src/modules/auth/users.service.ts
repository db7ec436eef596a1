import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { length } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { Actor, CredentialSetters, UserPrincipal } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors/app-error';
import { unsafeInput } from '../../common/http/safe-input';
import { Page, PageQueryDto, pageOf } from '../../common/pagination/page';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EmployeesRepository } from '../employees/employees.repository';
import { UnitsRepository } from '../units/units.repository';
import { LOGIN_PASSWORD_LENGTH, LOGIN_USERNAME_LENGTH } from './dto/login.dto';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { UserEntity } from './entities/user.entity';
import { PrincipalCache } from './principal-cache';
import { LoginLimiter } from './login-limiter';
import { hashPassword, hashScheme, needsRehash, verifyPassword } from './password';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);
  /** Checked for unknown usernames, so they cost the same work as known ones. */
  private dummyHash: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly employees: EmployeesRepository,
    private readonly units: UnitsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly limiter: LoginLimiter,
    private readonly principals: PrincipalCache,
  ) {}

  /** Creates the first admin from ADMIN_USERNAME/ADMIN_PASSWORD once; never resets an existing password. */
  async onApplicationBootstrap(): Promise<void> {
    this.dummyHash = await hashPassword(randomBytes(16).toString('hex'));
    const { adminUsername, adminPassword } = this.config.auth;
    const id = await this.users.insertUnlessUsernameTaken({
      username: adminUsername,
      passwordHash: await hashPassword(adminPassword),
      role: 'ADMIN',
    });
    if (id) {
      await this.audit.record(this.dataSource.manager, null, {
        action: 'user.bootstrap-admin',
        entityType: 'user',
        entityId: id,
        after: { username: adminUsername, role: 'ADMIN' },
      });
      this.logger.log(`created the first admin "${adminUsername}"`);
    }
  }

  /**
   * The principal for valid credentials of an active user, else null (same work either way: an unknown
   * username is checked against a dummy hash of the same algorithm). Each sign-in counts as failed against
   * the login limits before any hash is computed, and is given back when it succeeds (429 beyond a limit).
   * Credentials no user can have are null at once, uncounted and unhashed (see impossibleCredentials).
   */
  async verifyCredentials(
    username: string,
    password: string,
    clientAddress: string | undefined,
  ): Promise<(UserPrincipal & { tokenVersion: number }) | null> {
    if (impossibleCredentials(username, password)) return null;
    const name = username.toLowerCase();
    const giveBack = await this.limiter.reserve(name, clientAddress);
    let user: UserEntity | null;
    let ok: boolean;
    try {
      user = await this.users.findByUsername(name);
      ok = await verifyPassword(password, user?.passwordHash ?? this.dummyHash);
    } catch (e) {
      await giveBack(); // no password was checked
      throw e;
    }
    if (!user || !ok || !user.active) return null;
    await giveBack();
    if (needsRehash(user.passwordHash)) {
      // The sign-in stands either way; a failed upgrade is tried again at the next one.
      await this.rehash(user, password).catch((e: unknown) => this.logger.warn(`could not re-hash the password of ${user.username}: ${String(e)}`));
    }
    return { ...toPrincipal(user, await this.users.credentialSettersOf(user.id)), tokenVersion: user.tokenVersion };
  }

  /** Stores a hash with the current algorithm and parameters, unless the password changed meanwhile. */
  private async rehash(user: UserEntity, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (m) => {
      if (!(await this.users.replacePasswordHash(user.id, user.passwordHash, passwordHash, m))) return;
      await this.audit.record(m, null, {
        action: 'user.password-rehash',
        entityType: 'user',
        entityId: user.id,
        before: { passwordScheme: hashScheme(user.passwordHash) },
        after: { passwordScheme: hashScheme(passwordHash) },
      });
    });
  }

  /**
   * Current principal of a token's subject. A deactivated user loses access at once, and a token issued
   * before the last password change or deactivation stays dead even after a reactivation.
   */
  async principalOf(id: string, tokenVersion: number): Promise<UserPrincipal | null> {
    const credential = `token:${id}:${tokenVersion}`;
    const cached = this.principals.get(credential);
    if (cached) return cached as UserPrincipal;
    const readAt = this.principals.version;
    const user = await this.users.findById(id);
    if (!(user?.active && user.tokenVersion === tokenVersion)) return null;
    const setters = await this.users.credentialSettersOf(id);
    const principal = toPrincipal(user, setters);
    // A reset of any setter's password changes who can sign in as them, and so whom this user answers for.
    this.principals.set(credential, principal, [id, ...setters.userIds], readAt);
    return principal;
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserEntity> {
    if (dto.role !== 'HR_OPERATOR' && dto.unitId) {
      throw ValidationFailedError.field('unitId', 'is only for HR_OPERATOR users');
    }
    const passwordHash = await hashPassword(dto.password);
    return this.dataSource.transaction(async (m) => {
      await this.assertLinks(m, dto.employeeId, dto.unitId);
      const username = dto.username.toLowerCase();
      if (await this.users.existsUsername(username, m)) {
        throw new ConflictError('duplicate-username', `The username ${username} is taken`);
      }
      if (dto.employeeId && (await this.users.existsForEmployee(dto.employeeId, m))) {
        throw new ConflictError('employee-has-user', `Employee ${dto.employeeId} already has a user`);
      }
      const user = await this.users.insert(
        {
          username,
          passwordHash,
          role: dto.role,
          employeeId: dto.employeeId ?? null,
          unitId: dto.unitId ?? null,
          // Whoever chose the password can sign in as the new user (spec §8).
          credentialsSetBy: actor.principal.id,
        },
        m,
      );
      await this.audit.record(m, actor, { action: 'user.create', entityType: 'user', entityId: user.id, after: user });
      return user;
    });
  }

  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserEntity> {
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    const updated = await this.dataSource.transaction(async (m) => {
      const before = await this.users.findByIdForUpdate(id, m);
      if (!before) throw new NotFoundError('User', id);
      if (dto.unitId !== undefined) {
        if (before.role !== 'HR_OPERATOR') throw ValidationFailedError.field('unitId', 'is only for HR_OPERATOR users');
        await this.assertLinks(m, undefined, dto.unitId);
      }
      if (dto.active === false && actor.principal.id === id) {
        throw new ConflictError('cannot-deactivate-self', 'An admin cannot deactivate their own user');
      }
      const after = await this.users.save(
        {
          ...before,
          ...(passwordHash ? { passwordHash } : {}),
          // Another admin's reset moves who holds the credentials; one's own change must not launder them (spec §8).
          ...(passwordHash && actor.principal.id !== id ? { credentialsSetBy: actor.principal.id } : {}),
          ...(passwordHash || (dto.active === false && before.active) ? { tokenVersion: before.tokenVersion + 1 } : {}),
          ...(dto.active !== undefined ? { active: dto.active } : {}),
          ...(dto.unitId !== undefined ? { unitId: dto.unitId } : {}),
        },
        m,
      );
      await this.audit.record(m, actor, {
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        before,
        after: { ...after, ...(passwordHash ? { passwordChanged: true } : {}) },
      });
      return after;
    });
    // The user's tokens and keys answer as they now are (a key's issuer link is part of its principal).
    this.principals.forget(id);
    return updated;
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  async list(q: PageQueryDto): Promise<Page<UserEntity>> {
    const [items, total] = await this.users.list(q);
    return pageOf(items, total, q);
  }

  private async assertLinks(m: EntityManager, employeeId?: string, unitId?: string): Promise<void> {
    if (employeeId && !(await this.employees.exists(employeeId, m))) {
      throw ValidationFailedError.field('employeeId', `no employee has the id ${employeeId}`);
    }
    if (unitId && !(await this.units.exists(unitId, m))) {
      throw ValidationFailedError.field('unitId', `no unit has the id ${unitId}`);
    }
  }
}

/**
 * Credentials that LoginDto or the safe-input check (checkSafeInput) would refuse at POST /auth/login. The queue dashboard's
 * Basic credentials pass neither, so they are refused here too: a NUL would fail the query, and a long name
 * would cost an attempt and a hash.
 */
function impossibleCredentials(username: string, password: string): boolean {
  return (
    unsafeInput({ username, password }) !== undefined ||
    !length(username, LOGIN_USERNAME_LENGTH.min, LOGIN_USERNAME_LENGTH.max) ||
    !length(password, LOGIN_PASSWORD_LENGTH.min, LOGIN_PASSWORD_LENGTH.max)
  );
}

function toPrincipal(u: UserEntity, credentialSetters: CredentialSetters): UserPrincipal {
  return { kind: 'user', id: u.id, username: u.username, role: u.role, employeeId: u.employeeId, unitId: u.unitId, credentialSetters };
}
