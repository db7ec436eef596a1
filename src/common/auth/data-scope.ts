import { Principal } from './principal';

/** Which rows a caller may see: everything, a unit subtree, or only their own employee record. */
export type DataScope =
  | { kind: 'all' }
  | { kind: 'subtree'; rootUnitId: string }
  | { kind: 'self'; employeeId: string | null };

export function dataScopeOf(p: Principal): DataScope {
  if (p.kind === 'api-key') return { kind: 'all' };
  switch (p.role) {
    case 'ADMIN':
      return { kind: 'all' };
    case 'HR_OPERATOR':
      return p.unitId ? { kind: 'subtree', rootUnitId: p.unitId } : { kind: 'self', employeeId: p.employeeId };
    case 'EMPLOYEE':
      return { kind: 'self', employeeId: p.employeeId };
  }
}
