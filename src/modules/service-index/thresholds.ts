/**
 * Privacy thresholds of the transparency endpoints (spec §4). Below them nothing is published, so no
 * figure can be traced back to a handful of citizens or civil servants.
 */

/** A unit subtree's IKM is public only with at least this many PUBLISHED + VERIFIED responses in the period. */
export const MIN_PUBLIC_RESPONSES = 10;

/** A unit appears in a public period summary only with at least this many FINALIZED appraisals of its own. */
export const MIN_PUBLIC_APPRAISALS = 5;
