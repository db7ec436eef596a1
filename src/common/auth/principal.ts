export const ROLES = ['ADMIN', 'HR_OPERATOR', 'EMPLOYEE'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Function-level scopes (spec §8 rule 6): one scope never covers both sides of a check. Submitting
 * (`achievements:write`) and verifying (`achievements:verify`) are apart, and so are the appraisal's
 * lifecycle (`appraisals:write`), the assessor's judgements (`assessments:write`) and the period's
 * frame and policy (`periods:manage`). No scope manages users, API keys or shortlist decisions.
 */
export const API_SCOPES = [
  'org:read',
  'org:write',
  'appraisals:read',
  'appraisals:write',
  'achievements:write',
  'achievements:verify',
  'assessments:write',
  'periods:manage',
  'scores:read',
  'promotion:read',
  'feedback:tickets',
  'feedback:read',
  'audit:read',
  'webhooks:manage',
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
  /**
   * The user who issued the key, and the employee that user is linked to: the key answers for them in the
   * separation of duties (spec §8). Null on keys whose issuer is not recorded.
   */
  issuerUserId: string | null;
  issuerEmployeeId: string | null;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** Who is acting, and under which request id: passed from controllers into every service call. */
export interface Actor {
  principal: Principal;
  requestId: string;
}

/** API keys act for the city's systems across the whole organisation, within their scopes. */
export const isOrgWide = (p: Principal): boolean => p.kind === 'api-key' || p.role === 'ADMIN';

/** The employee the caller is, for the separation of duties (spec §8): a linked user, whatever the role, or a key's issuer. */
export const ownEmployeeId = (p: Principal): string | null => (p.kind === 'user' ? p.employeeId : p.issuerEmployeeId);

/**
 * Every principal id the caller answers for in the separation of duties (spec §8 rule 2): a user is themselves;
 * a key is itself and its issuer, so neither a user nor their key decides on what the other submitted.
 */
export const sodIdentities = (p: Principal): string[] =>
  p.kind === 'user' || p.issuerUserId === null ? [p.id] : [p.id, p.issuerUserId];
