/** The pure parts of a bulk import shared by units and employees: no Nest, no I/O, so the import plans stay pure. */

/** An import row as sent, with what its DTO made of it: the row when valid, else the validation message. */
export type CheckedRow<R> = { raw: unknown } & ({ row: R; error: null } | { row: null; error: string });

/** The row key (code or NIP) as sent, for error reports; null when the row has none. */
function keyOf(raw: unknown, field: string): string | null {
  const v = (raw as Record<string, unknown> | null)?.[field];
  return typeof v === 'string' ? v : null;
}

/** An import read on its own, before anything is looked up: its rows by index, keyed by one field (code or NIP). */
export interface ReadRows<R> {
  /** Each row's key as sent, by index, for error reports. */
  keys: (string | null)[];
  /** Rows still in the running, in index order. */
  rows: Map<number, R>;
  /** Rows refused already, by index. */
  errors: Map<number, string>;
  indexOfKey: Map<string, number>;
  /** The first invalid row naming each key, so that rows depending on it can say which row failed. */
  invalidRowOfKey: Map<string, number>;
}

/**
 * Reads validated import rows: an invalid row keeps its validation message, a key seen in an earlier row is a
 * duplicate, and `refuse` may turn a row down on its own (e.g. a unit naming itself as parent). `normalise` makes
 * the key of an invalid row comparable with valid ones, as its DTO would have.
 */
export function readRows<R>(
  checked: CheckedRow<R>[],
  field: string,
  keyOfRow: (row: R) => string,
  normalise: (key: string) => string,
  refuse: (row: R) => string | null = () => null,
): ReadRows<R> {
  const read: ReadRows<R> = {
    keys: checked.map((c) => keyOf(c.raw, field)),
    rows: new Map(),
    errors: new Map(),
    indexOfKey: new Map(),
    invalidRowOfKey: new Map(),
  };
  checked.forEach((c, index) => {
    if (c.error !== null) {
      const raw = read.keys[index];
      const key = raw === null ? '' : normalise(raw);
      if (key && !read.invalidRowOfKey.has(key)) read.invalidRowOfKey.set(key, index);
      return read.errors.set(index, c.error);
    }
    const key = keyOfRow(c.row);
    if (read.indexOfKey.has(key)) return read.errors.set(index, `${field}: ${key} already appears in row ${read.indexOfKey.get(key)}`);
    const refused = refuse(c.row);
    if (refused) return read.errors.set(index, refused);
    read.indexOfKey.set(key, index);
    read.rows.set(index, c.row);
  });
  return read;
}

/**
 * A row that depends on another row of the same request (its parent or supervisor) fails when that row
 * failed; repeated until no failure spreads further. `dependsOn` answers the index of the row it needs.
 */
export function spreadFailures<R>(
  rows: Iterable<[number, R]>,
  dependsOn: (row: R) => number | undefined,
  errors: Map<number, string>,
  message: (row: R, failedIndex: number) => string,
): void {
  const list = [...rows];
  for (let spread = true; spread; ) {
    spread = false;
    for (const [index, row] of list) {
      const needed = dependsOn(row);
      if (!errors.has(index) && needed !== undefined && errors.has(needed)) {
        errors.set(index, message(row, needed));
        spread = true;
      }
    }
  }
}
