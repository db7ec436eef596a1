/**
 * Unit heads (spec §5.4) as SQL, in one place for the score inputs, the marks and the override refusal. An appraisal
 * (row `a`) is a head appraisal when its employee heads the appraisal's unit (the unit snapshot taken when it was
 * created).
 */
export const HEADS_OWN_UNIT = (a: string) => `EXISTS (SELECT 1 FROM units hu WHERE hu.id = ${a}.unit_id AND hu.head_employee_id = ${a}.employee_id)`;

/** The organisation predicate that rates a head appraisal: its unit's for its period; null for staff or without one. */
export const HEAD_PREDICATE = (a: string) =>
  `(SELECT op.predicate FROM units hu JOIN organisation_predicates op ON op.unit_id = hu.id AND op.period_id = ${a}.period_id
     WHERE hu.id = ${a}.unit_id AND hu.head_employee_id = ${a}.employee_id)`;
