import { DataSource } from 'typeorm';
import { TestApp } from './app';

export type Answers = [number, number, number, number, number, number, number, number, number];

/** The same answer for all nine elements, e.g. all(4). */
export const all = (value: number): Answers => [value, value, value, value, value, value, value, value, value];

/**
 * Feedback rows written straight to the table, for specs whose subject is what is computed from them (the
 * service index, scoring), not the intake. `submittedOn` is the WITA date that places it in periods.
 */
export async function insertFeedback(
  t: TestApp,
  opts: { unitId: string; employeeId?: string | null; status: string; submittedOn: string; answers?: Answers; count?: number; respondent?: object },
): Promise<string[]> {
  const answers = opts.answers ?? all(4);
  const ids: string[] = [];
  for (let i = 0; i < (opts.count ?? 1); i++) {
    const [row] = await t.app.get(DataSource).query<{ id: string }[]>(
      `INSERT INTO public_feedback (unit_id, employee_id, channel, u1, u2, u3, u4, u5, u6, u7, u8, u9, status, submitted_on, respondent)
       VALUES ($1, $2, 'WEB', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [opts.unitId, opts.employeeId ?? null, ...answers, opts.status, opts.submittedOn, opts.respondent ? JSON.stringify(opts.respondent) : null],
    );
    ids.push(row.id);
  }
  return ids;
}
