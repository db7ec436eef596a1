/** The pure parts of a bulk import shared by units and employees: no Nest, no I/O, so the import plans stay pure. */

/** An import row as sent, with what its DTO made of it: the row when valid, else the validation message. */
export type CheckedRow<R> = { raw: unknown } & ({ row: R; error: null } | { row: null; error: string });

/** The row key (code or NIP) as sent, for error reports; null when the row has none. */
export function keyOf(raw: unknown, field: string): string | null {
  const v = (raw as Record<string, unknown> | null)?.[field];
  return typeof v === 'string' ? v : null;
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
