export const ROLES = ['ADMIN', 'HR_OPERATOR', 'EMPLOYEE'] as const;
export type Role = (typeof ROLES)[number];

export const API_SCOPES = [
  'org:read',
  'org:write',
  'appraisals:read',
  'appraisals:write',
  'achievements:write',
  'scores:read',
  'feedback:tickets',
  'feedback:read',
  'audit:read',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface UserPrincipal {
  kind: 'user';
  id: string;
  username: string;
  role: Role;
  employeeId: string | null;
  unitId: string | null;
}

export interface ApiKeyPrincipal {
  kind: 'api-key';
  id: string;
  name: string;
  scopes: ApiScope[];
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** Who is acting, and under which request id: passed from controllers into every service call. */
export interface Actor {
  principal: Principal;
  requestId: string;
}

/** API keys act for the city's systems across the whole organisation, within their scopes. */
export const isOrgWide = (p: Principal): boolean => p.kind === 'api-key' || p.role === 'ADMIN';
