import { EntityManager } from 'typeorm';

/** Transaction-scoped locks that serialise changes to a whole graph, so two concurrent moves cannot form a cycle. */
export enum GraphLock {
  UnitTree = 1001,
  SupervisorChain = 1002,
}

export async function lockGraph(m: EntityManager, lock: GraphLock): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock($1)', [lock]);
}
