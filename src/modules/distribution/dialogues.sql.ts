/**
 * A performance dialogue counts once the other party acknowledged it (spec §11), as SQL over the dialogue row `alias`:
 * the one definition behind `dialoguesHeld` and the dialogue gaps. The table belongs to performance-dialogue, above
 * this layer; the rule sits here so both reports read it from one place.
 */
export const ACKNOWLEDGED = (alias: string) => `${alias}.acknowledged_at IS NOT NULL`;
