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
  /**
   * Whoever set this account's credentials (created it or last reset its password), whoever set theirs, and so on:
   * they can sign in as it, so it answers for them in the separation of duties (spec §8). Absent or empty for the
   * first admin and for accounts whose setters are no longer recorded.
   */
  credentialSetters?: CredentialSetters;
}

/** Users, and the employees they are linked to, who hold an account's credentials besides its own user. */
export interface CredentialSetters {
  userIds: string[];
  employeeIds: string[];
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
  /**
   * The credential setters of the issuer's account, now and when the key was issued: the key answers for them too,
   * so a later reset by someone outside the chain does not free a key made while a setter held the account.
   */
  issuerCredentialSetters?: CredentialSetters;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** Who is acting, and under which request id: passed from controllers into every service call. */
export interface Actor {
  principal: Principal;
  requestId: string;
}

/** API keys act for the city's systems across the whole organisation, within their scopes. */
export const isOrgWide = (p: Principal): boolean => p.kind === 'api-key' || p.role === 'ADMIN';

/** The employee the caller is linked to (a key: its issuer's), for what the caller may do as that employee. */
export const ownEmployeeId = (p: Principal): string | null => (p.kind === 'user' ? p.employeeId : p.issuerEmployeeId);

const settersOf = (p: Principal): CredentialSetters | undefined => (p.kind === 'user' ? p.credentialSetters : p.issuerCredentialSetters);

/**
 * Every employee the caller acts as in the separation of duties (spec §8): its own (a key: its issuer's), and
 * those of whoever set the credentials of the account (a key: of its issuer's account), who can sign in as it.
 */
export const actingEmployeeIds = (p: Principal): string[] => {
  const own = ownEmployeeId(p);
  return [...new Set([...(own === null ? [] : [own]), ...(settersOf(p)?.employeeIds ?? [])])];
};

/** The users who set the credentials of the caller's account (a key: of its issuer's), who can sign in as it. */
export const setterUserIds = (p: Principal): string[] => settersOf(p)?.userIds ?? [];

/** Whether the caller acts as this employee (see actingEmployeeIds): the test of spec §8 rules 1, 3, 4 and 5. */
export const actsAsEmployee = (p: Principal, employeeId: string | null): boolean =>
  employeeId !== null && actingEmployeeIds(p).includes(employeeId);

/**
 * Every principal id the caller answers for in the separation of duties (spec §8 rule 2): a user is themselves;
 * a key is itself and its issuer, so neither a user nor their key decides on what the other submitted.
 * Credential setters are left out on purpose: the admin who provisions the assessors would otherwise never see
 * anything they or their keys submitted verified (see actingEmployeeIds for the rules they do bind; four eyes on
 * objections adds setterUserIds itself, see ObjectionsService).
 */
export const sodIdentities = (p: Principal): string[] =>
  p.kind === 'user' || p.issuerUserId === null ? [p.id] : [p.id, p.issuerUserId];
