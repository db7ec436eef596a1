import { API_SCOPES, ApiScope, Role } from '../src/common/auth/principal';

/**
 * The access contract of spec §8 as a table: for every operation of `openapi.yaml`, the answer each caller
 * gets on the standard object of the operation. The object always belongs to the caller's "subject": the
 * appraisee E for most callers, and for the two linked callers the employee they are linked to (E_adm,
 * E_hr; one user per employee). So the callers span the objects too: own (self, adminLinked, hrLinked),
 * in scope (admin, hrIn, the assessor and reviewer of E, API keys), out of scope (hrOut, other).
 */
export const PEOPLE = ['admin', 'adminLinked', 'hrIn', 'hrOut', 'hrLinked', 'self', 'other', 'assessor', 'reviewer'] as const;
export type Person = (typeof PEOPLE)[number];

export const ROLE_OF: Record<Person, Role> = {
  admin: 'ADMIN',
  adminLinked: 'ADMIN', // linked to E_adm, whose objects it is asked about
  hrIn: 'HR_OPERATOR', // subtree of the dinas D; E and the assessor work in U, a bidang below D
  hrOut: 'HR_OPERATOR', // subtree of X, a unit beside D
  hrLinked: 'HR_OPERATOR', // subtree of D, linked to E_hr
  self: 'EMPLOYEE', // E, the appraisee
  other: 'EMPLOYEE', // a colleague of E in U with no part in E's appraisal
  assessor: 'EMPLOYEE', // E's assessor (supervisor)
  reviewer: 'EMPLOYEE', // the assessor's supervisor
};

export type Caller = 'anonymous' | Person | `key:${ApiScope}`;
export const CALLERS: Caller[] = ['anonymous', ...PEOPLE, ...API_SCOPES.map((s) => `key:${s}` as const)];

/** `ok`: any 2xx. A refusal: exact status and problem code. */
export type Expect = 'ok' | { status: 400 | 401 | 403 | 404; code: string };

export const OK = 'ok' as const;
/** Not visible to the caller: 404 as if it did not exist (§8). */
export const NF: Expect = { status: 404, code: 'not-found' };
/** An id outside the caller's scope in a body or query: the same 400 as a missing id (no existence oracle). */
export const BAD: Expect = { status: 400, code: 'validation-failed' };
const forbidden = (code: string): Expect => ({ status: 403, code });
export const RNA = forbidden('role-not-allowed');
export const NYP = forbidden('not-your-part');
/** §8 rule 1. */
export const OWN = forbidden('own-appraisal');
/** §8 rule 4. */
export const REC = forbidden('own-record');
/** §8 rule 5 (the spec names no code; the service answers `own-feedback`). */
export const SELF5 = forbidden('own-feedback');

export interface Row {
  /** Public operations: everyone, anonymous included, gets a 2xx; `people` and `key` are unused. */
  public?: true;
  people: Record<Person, Expect>;
  /** The API-key scope that admits a key (`any`: every key; null: no key). */
  key: ApiScope | 'any' | null;
  /** What a key with that scope gets, when not a 2xx: the matrix's keys are issued by an admin who is no one's employee. */
  keyAnswer?: Expect;
}

type Cols = [Expect, Expect, Expect, Expect, Expect, Expect, Expect, Expect, Expect];
/** One line of the matrix; columns in the order of PEOPLE. */
const row = (key: Row['key'], ...cols: Cols): Row => ({ key, people: Object.fromEntries(PEOPLE.map((p, i) => [p, cols[i]])) as Row['people'] });
const PUBLIC: Row = { public: true, key: null, people: Object.fromEntries(PEOPLE.map((p) => [p, OK])) as Row['people'] };

// prettier-ignore
export const ACCESS_MATRIX: Record<string, Row> = {
  //                                     key                    admin adminLinked hrIn hrOut hrLinked self  other assessor reviewer
  // Appraisals (object: the subject's appraisal)
  listAppraisals:               row('appraisals:read',     OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  getAppraisal:                 row('appraisals:read',     OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  createAppraisal:              row('appraisals:write',    OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  generateAppraisals:           row('appraisals:write',    OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  updateAppraisal:              row('appraisals:write',    OK,  OWN,  OK,  NF,  OWN,  RNA, RNA, RNA, RNA),
  agreeAppraisal:               row('appraisals:write',    OK,  OK,   NYP, NF,  NYP,  NYP, NF,  OK,  NYP),
  listTargets:                  row('appraisals:read',     OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  createTarget:                 row('appraisals:write',    OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  NYP),
  updateTarget:                 row('appraisals:write',    OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  NYP),
  deleteTarget:                 row('appraisals:write',    OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  NYP),
  assessBehaviour:              row('assessments:write',   OK,  OWN,  NYP, NF,  OWN,  OWN, NF,  OK,  NYP),
  overrideResultRating:         row('assessments:write',   OK,  OWN,  NYP, NF,  OWN,  OWN, NF,  OK,  NYP),
  withdrawResultRatingOverride: row('assessments:write',   OK,  OWN,  NYP, NF,  OWN,  OWN, NF,  OK,  NYP),
  getAppraisalScore:            row('scores:read',         OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  getEvaluationDocument:        row('scores:read',         OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  getObjection:                 row('appraisals:read',     OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  // Only the appraisee side files (spec §3): a key files only when its issuer is the appraisee.
  fileObjection:                { ...row('appraisals:write', NYP, OK,   NYP, NF,  OK,   OK,  NF,  NYP, NYP), keyAnswer: NYP },
  resolveObjection:             row('assessments:write',   OK,  OWN,  NYP, NF,  OWN,  OWN, NF,  NYP, OK),
  // Performance dialogue and continuous feedback (§11; object: the subject's appraisal, a dialogue of it)
  listDialogues:                row('appraisals:read',     OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  recordDialogue:               row('assessments:write',   OK,  OK,   NYP, NF,  OK,   OK,  NF,  OK,  NYP),
  // The dialogue was recorded by the employee's side, so the assessor's side (the assessor, an admin, a key) acknowledges;
  // the linked callers are the employee of their subject's appraisal, the side that recorded it.
  acknowledgeDialogue:          row('assessments:write',   OK,  NYP,  NYP, NF,  NYP,  NYP, NF,  OK,  NYP),
  listFeedbackNotes:            row('appraisals:read',     OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  writeFeedbackNote:            row('assessments:write',   OK,  OWN,  NYP, NF,  OWN,  OWN, NF,  OK,  OK),
  // Achievements (object: an achievement of the subject's appraisal)
  listAchievements:             row('appraisals:read',     OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  getAchievement:               row('appraisals:read',     OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  OK),
  createAchievement:            row('achievements:write',  OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  NYP),
  updateAchievement:            row('achievements:write',  OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  NYP),
  deleteAchievement:            row('achievements:write',  OK,  OK,   OK,  NF,  OK,   OK,  NF,  OK,  NYP),
  verifyAchievement:            row('achievements:verify', OK,  OWN,  NYP, NF,  OWN,  OWN, NF,  OK,  NYP),
  rejectAchievement:            row('achievements:verify', OK,  OWN,  NYP, NF,  OWN,  OWN, NF,  OK,  NYP),
  // Employees (object: the subject's employee record)
  listEmployees:                row('org:read',            OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  getEmployee:                  row('org:read',            OK,  OK,   OK,  NF,  OK,   OK,  NF,  NF,  NF),
  getEmployeeByNip:             row('org:read',            OK,  OK,   OK,  NF,  OK,   OK,  NF,  NF,  NF),
  listPenalties:                row('org:read',            OK,  OK,   OK,  NF,  OK,   OK,  NF,  NF,  NF),
  getEmployeeServiceIndex:      row('scores:read',         OK,  OK,   OK,  NF,  OK,   OK,  NF,  NF,  NF),
  createEmployee:               row('org:write',           OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  importEmployees:              row('org:write',           OK,  OK,   OK,  { status: 400, code: 'import-rejected' }, OK, RNA, RNA, RNA, RNA),
  updateEmployee:               row('org:write',           OK,  REC,  OK,  NF,  REC,  RNA, RNA, RNA, RNA),
  setEmployeePotential:         row('org:write',           OK,  REC,  OK,  NF,  REC,  RNA, RNA, RNA, RNA),
  createPenalty:                row('org:write',           OK,  REC,  OK,  NF,  REC,  RNA, RNA, RNA, RNA),
  // Assessor trainings (§11; object: a training of the subject's employee)
  listAssessorTrainings:        row('org:read',            OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  createAssessorTraining:       row('org:write',           OK,  REC,  OK,  BAD, REC,  RNA, RNA, RNA, RNA),
  deleteAssessorTraining:       row('org:write',           OK,  REC,  OK,  NF,  REC,  RNA, RNA, RNA, RNA),
  // Units (object: U, the subject's unit, inside the subtree of D)
  listUnits:                    row('org:read',            OK,  OK,   OK,  OK,  OK,   RNA, RNA, RNA, RNA),
  getUnit:                      row('org:read',            OK,  OK,   OK,  NF,  OK,   RNA, RNA, RNA, RNA),
  getUnitServiceIndex:          row('scores:read',         OK,  OK,   OK,  NF,  OK,   RNA, RNA, RNA, RNA),
  createUnit:                   row('org:write',           OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  updateUnit:                   row('org:write',           OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  deleteUnit:                   row('org:write',           OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  importUnits:                  row('org:write',           OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  // Periods, policy, distribution, recalculation (periods are organisation-wide; the unit is U)
  listPeriods:                  row('appraisals:read',     OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  getPeriod:                    row('appraisals:read',     OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  getPeriodPolicy:              row('appraisals:read',     OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  createPeriod:                 row('periods:manage',      OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  transitionPeriod:             row('periods:manage',      OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  updatePeriodPolicy:           row('periods:manage',      OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  recalculatePeriod:            row('periods:manage',      OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  getRecalculation:             row('scores:read',         OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  getOrganisationPredicate:     row('appraisals:read',     OK,  OK,   OK,  NF,  OK,   RNA, RNA, RNA, RNA),
  setOrganisationPredicate:     row('periods:manage',      OK,  OWN,  RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  getDistribution:              row('scores:read',         OK,  OK,   OK,  NF,  OK,   RNA, RNA, RNA, RNA),
  getAssessorStats:             row('scores:read',         OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  getTrainingNeeds:             row('scores:read',         OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  getDialogueGaps:              row('appraisals:read',     OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  // Period exports (§10): a period-level read; an HR operator outside U gets the rows of their own subtree (none of U's)
  exportSiasn:                  row('scores:read',         OK,  OK,   OK,  OK,  OK,   RNA, RNA, RNA, RNA),
  exportResults:                row('scores:read',         OK,  OK,   OK,  OK,  OK,   RNA, RNA, RNA, RNA),
  // Indicators (an organisation-wide catalogue)
  listIndicators:               row('appraisals:read',     OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  getIndicator:                 row('appraisals:read',     OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  createIndicator:              row('periods:manage',      OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  updateIndicator:              row('periods:manage',      OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  // Citizen feedback (object: feedback in U about the subject; tickets for U naming the subject)
  listPublicFeedback:           row('feedback:read',       OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  getPublicFeedback:            row('feedback:read',       OK,  OK,   OK,  NF,  OK,   RNA, RNA, RNA, RNA),
  publishPublicFeedback:        row(null,                  OK,  SELF5, OK, NF,  SELF5, RNA, RNA, RNA, RNA),
  rejectPublicFeedback:         row(null,                  OK,  SELF5, OK, NF,  SELF5, RNA, RNA, RNA, RNA),
  issueServiceTicket:           row('feedback:tickets',    OK,  SELF5, OK, BAD, SELF5, RNA, RNA, RNA, RNA),
  submitPublicFeedback:         PUBLIC,
  getPublicServiceIndex:        PUBLIC,
  getPublicPeriodSummary:       PUBLIC,
  // Promotion (object: the candidates and a shortlist of U)
  listPromotionCandidates:      row('promotion:read',      OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  createShortlist:              row(null,                  OK,  OK,   OK,  BAD, OK,   RNA, RNA, RNA, RNA),
  getShortlist:                 row('promotion:read',      OK,  OK,   OK,  NF,  OK,   RNA, RNA, RNA, RNA),
  recordShortlistDecision:      row(null,                  OK,  OWN,  OK,  NF,  OWN,  RNA, RNA, RNA, RNA),
  // Users, API keys, audit: admins only
  createUser:                   row(null,                  OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  listUsers:                    row(null,                  OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  getUser:                      row(null,                  OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  updateUser:                   row(null,                  OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  createApiKey:                 row(null,                  OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  listApiKeys:                  row(null,                  OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  revokeApiKey:                 row(null,                  OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  listAuditEvents:              row('audit:read',          OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  // Webhooks (spec §10; org-wide, admins and webhooks:manage keys only)
  createWebhook:                row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  listWebhooks:                 row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  getWebhook:                   row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  updateWebhook:                row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  deleteWebhook:                row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  rotateWebhookSecret:          row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  testWebhook:                  row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  listWebhookDeliveries:        row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  retryWebhookDelivery:         row('webhooks:manage',     OK,  OK,   RNA, RNA, RNA,  RNA, RNA, RNA, RNA),
  // Authentication and health
  login:                        PUBLIC,
  me:                           row('any',                 OK,  OK,   OK,  OK,  OK,   OK,  OK,  OK,  OK),
  live:                         PUBLIC,
  ready:                        PUBLIC,
};

/** The expected answer of one cell. */
export function expected(r: Row, caller: Caller): Expect {
  if (r.public) return OK;
  if (caller === 'anonymous') return { status: 401, code: 'unauthorized' };
  if (caller.startsWith('key:')) {
    if (r.key === null) return forbidden('api-key-not-allowed');
    return r.key === 'any' || caller === `key:${r.key}` ? (r.keyAnswer ?? OK) : forbidden('missing-scope');
  }
  return r.people[caller as Person];
}
