/**
 * Unit heads (spec §5.4) as SQL, in one place for the score inputs, the marks and the override refusal. Each appraisal
 * keeps whether its employee heads its unit (`heads_unit`, the unit snapshot taken at creation): set when it is
 * created, followed by every head change until it is finalised, and frozen after, so an objection recomputed years
 * later rates whoever headed the unit then.
 */
export const HEADS_OWN_UNIT = (a: string) => `${a}.heads_unit`;

/** Whether employee `employee` heads unit `unit` now (SQL expressions): what a new appraisal starts with. */
export const HEADS_NOW = (employee: string, unit: string) =>
  `EXISTS (SELECT 1 FROM units hu WHERE hu.id = ${unit} AND hu.head_employee_id = ${employee})`;

/** The organisation predicate that rates a head appraisal: its unit's for its period; null for staff or without one. */
export const HEAD_PREDICATE = (a: string) =>
  `(SELECT op.predicate FROM organisation_predicates op
     WHERE ${HEADS_OWN_UNIT(a)} AND op.unit_id = ${a}.unit_id AND op.period_id = ${a}.period_id)`;
