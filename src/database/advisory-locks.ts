import { EntityManager } from 'typeorm';

/*
 * Every namespace of pg_advisory_xact_lock the service takes is listed here, so two can never share a number.
 */

/** Transaction-scoped locks that serialise changes to a whole graph, so two concurrent moves cannot form a cycle. */
export enum GraphLock {
  UnitTree = 1001,
  SupervisorChain = 1002,
}

/** A lock of one number, held to the end of the transaction. */
async function lockWhole(m: EntityManager, lock: GraphLock | ClaimLock): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock($1)', [lock]);
}

export const lockGraph: (m: EntityManager, lock: GraphLock) => Promise<void> = lockWhole;

/** Transaction-scoped locks that let one process at a time take work from a shared backlog. */
export enum ClaimLock {
  /** The webhook relays: two claiming at once could both fill the same endpoint's slots. */
  WebhookDeliveries = 3001,
  /** The hourly clean-up, which every process runs at the same minute: one deletes, the others leave it. */
  Retention = 3002,
}

export const lockClaim: (m: EntityManager, lock: ClaimLock) => Promise<void> = lockWhole;

/** The lock if free, else false at once (another process holds it). */
export async function tryLockClaim(m: EntityManager, lock: ClaimLock): Promise<boolean> {
  const [{ locked }] = await m.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [lock]);
  return locked;
}

/**
 * Transaction-scoped locks on one key within a namespace (the key is hashed): they make a count-then-insert
 * check race-free, e.g. the feedback intake's abuse checks and the daily ticket caps.
 */
export enum KeyedLock {
  FeedbackIp = 2001,
  FeedbackContact = 2002,
  FeedbackEmployee = 2003,
  TicketIssuer = 2004,
  TicketOfficer = 2005,
}

export async function lockKey(m: EntityManager, lock: KeyedLock, key: string): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lock, key]);
}
