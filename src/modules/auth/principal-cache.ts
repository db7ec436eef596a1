import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/** Bounds memory whatever the number of distinct credentials; the oldest entries go first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  expiresAt: number;
  /** The user ids and key ids whose change makes it stale. */
  owners: string[];
}

/**
 * Verified callers by credential for PRINCIPAL_CACHE_MS, so that a request needs no query to know who is calling.
 * Whatever changes a principal in this process (deactivation, password, role or link of a user; a key's revocation)
 * drops its entries once committed; other processes see the change when their entry expires.
 */
@Injectable()
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  /**
   * Grows with every `forget`. A caller reads it before loading a principal and hands it to `set`, which keeps
   * nothing if a change committed meanwhile: a read that raced a revocation must not outlive it.
   */
  private generation = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.ttlMs = config.auth.principalCacheMs;
  }

  get(credential: string): Principal | undefined {
    const entry = this.entries.get(credential);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(credential);
      return undefined;
    }
    return entry.principal;
  }

  /** Read before loading a principal from the database; see `set`. */
  get version(): number {
    return this.generation;
  }

  set(credential: string, principal: Principal, owners: string[], readAt: number): void {
    if (this.ttlMs === 0 || readAt !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(credential, { principal, owners, expiresAt: Date.now() + this.ttlMs });
  }

  /** Drops every entry a user or key owns. */
  forget(ownerId: string): void {
    this.generation++;
    for (const [credential, entry] of this.entries) if (entry.owners.includes(ownerId)) this.entries.delete(credential);
  }
}
