/** An employee who could head a unit: what the rule of spec §5.4 looks at. */
export interface HeadCandidate {
  id: string;
  nip: string;
  unitId: string;
  status: string;
}

/** Spec §5.4: a unit's head is an ACTIVE employee of that unit. */
export const canHead = (e: HeadCandidate, unitId: string) => e.status === 'ACTIVE' && e.unitId === unitId;
