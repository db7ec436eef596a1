/**
 * Rules for parent links (units' parents, employees' supervisors): no node may become its own ancestor.
 * `parentOf` is the whole graph after the proposed change.
 */
export function findCycle(start: string, parentOf: (id: string) => string | null | undefined): string[] | null {
  const path: string[] = [start];
  const seen = new Set([start]);
  for (let cur = parentOf(start); cur; cur = parentOf(cur)) {
    path.push(cur);
    if (cur === start) return path;
    // A cycle further up that does not pass through `start` is not this node's doing.
    if (seen.has(cur)) return null;
    seen.add(cur);
  }
  return null;
}

/** The nodes above `start` (and `start` itself with `includeSelf`), nearest first; none for no node. Stops at a loop. */
export function ancestorsOf(
  start: string | null,
  parentOf: (id: string) => string | null | undefined,
  { includeSelf }: { includeSelf: boolean },
): Set<string> {
  const chain = new Set<string>();
  for (let cur = start; cur && !chain.has(cur); cur = parentOf(cur) ?? null) chain.add(cur);
  if (!includeSelf && start) chain.delete(start);
  return chain;
}

/** Would setting `parentOf(child) = newParent` make `child` its own ancestor? */
export function createsCycle(
  child: string,
  newParent: string | null,
  parentOf: (id: string) => string | null | undefined,
): boolean {
  if (!newParent) return false;
  return findCycle(child, (id) => (id === child ? newParent : parentOf(id))) !== null;
}

/** Orders keys so that every parent in the set comes before its children (parents outside the set are ignored). */
export function parentsFirst<K>(keys: K[], parentOf: (k: K) => K | null | undefined): K[] {
  const inSet = new Set(keys);
  const done = new Set<K>();
  const out: K[] = [];
  const visit = (k: K, depth: number) => {
    if (done.has(k) || depth > keys.length) return;
    const p = parentOf(k);
    if (p !== null && p !== undefined && inSet.has(p)) visit(p, depth + 1);
    done.add(k);
    out.push(k);
  };
  keys.forEach((k) => visit(k, 0));
  return out;
}
