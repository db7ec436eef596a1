/**
 * The one definition of a training covering a date (spec §11), as SQL over the trainings row `alias`: completed on
 * or before the date (an SQL expression) and valid through it, or open-ended.
 */
export const COVERS = (alias: string, date: string) =>
  `(${alias}.completed_on <= ${date} AND (${alias}.valid_until IS NULL OR ${alias}.valid_until >= ${date}))`;

/** The employee (an SQL expression) is a trained assessor on the date: some training of theirs covers it. */
export const TRAINED_ON = (employee: string, date: string) =>
  `EXISTS (SELECT 1 FROM assessor_trainings tr WHERE tr.employee_id = ${employee} AND ${COVERS('tr', date)})`;
