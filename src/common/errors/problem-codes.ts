/**
 * Every problem `code` the API answers, with its status and meaning: the one table the OpenAPI
 * description (and the README) render. Errors take their code from here (`ProblemCode`), and
 * problem-codes.spec.ts fails when the source raises a code that is missing or has another status.
 */
export const PROBLEM_CODES = {
  'bad-request': { status: 400, meaning: 'The request cannot be read: the body is not valid JSON, or a parameter is malformed' },
  'validation-failed': { status: 400, meaning: 'Invalid input; `errors[]` names each offending field with a message' },
  'import-rejected': { status: 400, meaning: 'With `atomic=true` at least one import row failed and nothing was imported; `rowErrors` names the rows' },
  unauthorized: { status: 401, meaning: 'No valid bearer token or API key, a revoked key, or a wrong username or password' },
  forbidden: { status: 403, meaning: 'The caller may not do this' },
  'role-not-allowed': { status: 403, meaning: "The caller's role may not call this operation" },
  'api-key-not-allowed': { status: 403, meaning: 'API keys cannot call this operation; sign in as a person' },
  'missing-scope': { status: 403, meaning: 'The API key lacks the scope this operation needs' },
  'endpoint-not-exposed': { status: 403, meaning: 'The operation is open to no caller' },
  'not-your-part': { status: 403, meaning: 'The caller sees the appraisal but holds no part in it (assessor, reviewer, ...) that may take this step' },
  'own-appraisal': { status: 403, meaning: 'Nobody decides on their own appraisal' },
  'four-eyes': { status: 403, meaning: 'Whoever submitted or corrected an achievement cannot verify or reject it; whoever recorded a performance dialogue cannot acknowledge it' },
  'own-record': { status: 403, meaning: 'Nobody changes the parts of their own employee record that drive appraisal or promotion, nor records or deletes an assessor training of their own' },
  'own-feedback': { status: 403, meaning: 'Nobody moderates feedback about themselves or issues a service ticket naming themselves' },
  'force-requires-admin': { status: 403, meaning: 'Only an admin user may force a period closed' },
  'cross-site-request': { status: 403, meaning: 'The queue dashboard takes changes only from its own page' },
  'not-found': { status: 404, meaning: "No such resource, or it is outside the caller's scope (answered alike)" },
  'method-not-allowed': { status: 405, meaning: 'The queue dashboard is read-only (QUEUE_DASHBOARD_WRITE is off)' },
  conflict: { status: 409, meaning: 'A concurrent change won (same key written twice); read again and retry' },
  'duplicate-username': { status: 409, meaning: 'The username is taken' },
  'employee-has-user': { status: 409, meaning: 'The employee already has a user' },
  'cannot-deactivate-self': { status: 409, meaning: 'An admin cannot deactivate their own user' },
  'duplicate-unit-code': { status: 409, meaning: 'A unit with this code exists' },
  'unit-cycle': { status: 409, meaning: 'A unit cannot be placed under its own descendant' },
  'unit-in-use': { status: 409, meaning: 'The unit has children, employees or users; deactivate it instead of deleting it' },
  'unit-inactive': { status: 409, meaning: 'The unit is inactive and takes no new employees' },
  'duplicate-nip': { status: 409, meaning: 'An employee with this NIP exists' },
  'supervisor-cycle': { status: 409, meaning: 'The employee would supervise themself, directly or not' },
  'duplicate-indicator-code': { status: 409, meaning: 'An indicator with this code exists' },
  'indicator-locked': { status: 409, meaning: 'The indicator is used in a CLOSED period: its scoring fields cannot change' },
  'duplicate-training': { status: 409, meaning: 'The employee has this assessor course completed on this date already' },
  'assessor-untrained': { status: 409, meaning: 'The period requires a trained assessor (policy `requireTrainedAssessor`) and the caller holds no assessor training valid today (spec §11)' },
  'dialogue-acknowledged': { status: 409, meaning: 'The performance dialogue was acknowledged already' },
  'duplicate-period-code': { status: 409, meaning: 'A period with this code exists' },
  'invalid-transition': { status: 409, meaning: 'The period cannot move to the requested status from its current one' },
  'appraisals-not-assessed': { status: 409, meaning: 'Appraisals of the period are still DRAFT or AGREED; assess them, or an admin forces the close' },
  'distribution-curve-broken': { status: 409, meaning: 'Units break the distribution curve of their organisation predicate (policy `enforceDistribution`)' },
  'period-closed': { status: 409, meaning: 'The period is CLOSED; its appraisals, scores, policy and predicates are final' },
  'period-not-open': { status: 409, meaning: 'The step needs the period OPEN or EVALUATION' },
  'period-not-closed': { status: 409, meaning: 'Summaries are published only for CLOSED periods' },
  'employee-inactive': { status: 409, meaning: 'The employee is not ACTIVE' },
  'duplicate-appraisal': { status: 409, meaning: 'The employee already has an appraisal for the period' },
  'invalid-appraisal-status': { status: 409, meaning: 'The appraisal is not in a status that allows this step' },
  'invalid-assessor': { status: 409, meaning: 'The proposed assessor or reviewer is inactive, the appraisee, supervised by the appraisee, the caller, or both roles at once' },
  'no-targets': { status: 409, meaning: 'Targets cannot be agreed: the appraisal has none' },
  'weights-not-100': { status: 409, meaning: 'Targets cannot be agreed: their weights do not sum to 100' },
  'duplicate-target': { status: 409, meaning: 'The appraisal already has a target for this indicator' },
  'target-in-use': { status: 409, meaning: 'The target has achievements or cascaded targets' },
  'appraisal-not-agreed': { status: 409, meaning: 'Achievements are recorded only once the appraisal is AGREED (or ASSESSED)' },
  'period-not-open-for-achievements': { status: 409, meaning: 'Achievements are recorded only while the period is OPEN or EVALUATION' },
  'achievement-verified': { status: 409, meaning: 'A VERIFIED achievement can no longer be changed or deleted' },
  'achievement-not-submitted': { status: 409, meaning: 'Only a SUBMITTED achievement can be verified or rejected' },
  'idempotency-key-reused': { status: 409, meaning: 'The Idempotency-Key was used for a different body; send a new key' },
  'idempotency-key-in-progress': { status: 409, meaning: 'The request with this Idempotency-Key has not completed; retry' },
  'appraisal-not-finalized': { status: 409, meaning: 'An objection can be filed only against a finalised appraisal' },
  'objection-window-closed': { status: 409, meaning: 'The days for filing an objection after finalisation have passed' },
  'objection-exists': { status: 409, meaning: 'The appraisal already has an objection' },
  'objection-resolved': { status: 409, meaning: 'The objection was already decided; the decision is final' },
  'duplicate-feedback': { status: 409, meaning: 'This contact already gave feedback on this unit and officer within 24 hours' },
  'feedback-state': { status: 409, meaning: 'The feedback is already published (publish) or rejected (reject)' },
  'ticket-used': { status: 409, meaning: 'The service ticket has already been used' },
  'ticket-expired': { status: 409, meaning: 'The service ticket has expired' },
  'etag-mismatch': { status: 412, meaning: 'The resource changed since the ETag sent in If-Match; read it again' },
  'precondition-failed': { status: 412, meaning: 'A precondition of the request does not hold' },
  'payload-too-large': { status: 413, meaning: 'The body is larger than the limit (imports have a larger one)' },
  'unsupported-media-type': { status: 415, meaning: 'Send the body as `application/json`' },
  'too-many-requests': { status: 429, meaning: 'Too many requests or failed sign-ins; wait the seconds of `Retry-After`' },
  'sign-in-busy': { status: 429, meaning: 'Too many passwords are being checked at this moment; wait the seconds of `Retry-After`' },
  'feedback-rate-limited': { status: 429, meaning: 'Too many responses without a service ticket from one address; wait `Retry-After`' },
  'ticket-rate-limited': { status: 429, meaning: 'The daily cap of service tickets per issuer or per officer is reached; wait `Retry-After` (next midnight WITA)' },
  'internal-error': { status: 500, meaning: 'An unexpected error; quote the `requestId` when reporting it' },
  'not-ready': { status: 503, meaning: 'A dependency (database, Redis) is down; `checks` tells which' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The table as Markdown, ordered by status: code (its problem `type` is `urn:capaian:problem:<code>`), status, meaning. */
export function problemCodeTable(): string {
  const rows = Object.entries(PROBLEM_CODES)
    .sort(([, a], [, b]) => a.status - b.status)
    .map(([code, { status, meaning }]) => `| \`${code}\` | ${status} | ${meaning} |`);
  return ['| `code` | Status | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
