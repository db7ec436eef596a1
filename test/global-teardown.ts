import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Prints how many answers were checked against openapi.yaml in this run (see test/response-validation.ts). */
export default function globalTeardown(): void {
  const dir = process.env.OPENAPI_VALIDATION_DIR;
  if (!dir) return;
  let lines: string[] = [];
  try {
    lines = readFileSync(join(dir, 'counts'), 'utf8').split('\n').filter(Boolean);
  } catch {
    // no spec file finished
  }
  const total = lines.reduce((sum, n) => sum + Number(n), 0);
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`\nResponses validated against openapi.yaml: ${total} (${lines.length} spec files)\n`);
}
