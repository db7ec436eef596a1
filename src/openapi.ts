import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ACCESS_EXTENSION, AccessRule } from './common/auth/access.decorator';
import { problemCodeTable } from './common/errors/problem-codes';
import { PROBLEM_CONTENT_TYPE } from './common/http/problem';
import { MAX_JSON_DEPTH } from './common/http/safe-input';
import { addWebhookEventSchemas, EVENT_DATA } from './webhook-events.openapi';

const DESCRIPTION = `Achievement-based performance appraisal of the civil servants (ASN) of the city government of Denpasar.

**Authentication.** People send \`Authorization: Bearer <accessToken>\` from \`POST /auth/login\`. Machine clients send
\`X-API-Key: <key>\`; keys are issued by admins at \`POST /api-keys\` with scopes and act across the whole organisation.
Each operation's description ends with an **Access:** line naming the roles and the API-key scope it admits; the same
rule is in the operation's \`x-capaian-access\` extension (\`{roles, scope}\`, scope \`null\` when no API key is admitted).

**Errors** are RFC 9457 \`application/problem+json\` with \`type\`, \`title\`, \`status\`, \`detail\`, \`instance\`, a stable
\`code\`, the \`requestId\` (also in the \`X-Request-Id\` header) and, for validation, \`errors[]\` of \`{field, message}\`.
Some codes add members of their own (the field, ids or statuses in conflict): each is described in \`ProblemResponse\`.
A 429 answer says in \`Retry-After\` how many seconds to wait.
Unknown body fields answer 400. An id outside the caller's scope answers exactly as a missing one: 404 in the path, 400
naming the field in a body or query.

**Input** is refused with 400 naming the field when a string (body, query or path) holds the NUL character, when a
body nests deeper than ${MAX_JSON_DEPTH} levels, when any object has a \`__proto__\`, \`constructor\` or \`prototype\` key,
and when a field is \`null\` that the schema does not mark \`nullable\`. Leaving an optional field out keeps its value.
Every operation, also one that takes no input, checks a query and a body sent to it: a body larger than \`BODY_LIMIT\`
(\`IMPORT_BODY_LIMIT\` for the imports) answers 413, and one that is not \`application/json\` answers 415.

**Query flags** are booleans sent as \`true\` or \`false\`; any other text answers 400.

**Lists** take \`page\` and \`pageSize\` (at most 200) and answer \`{items, page, pageSize, total}\`.

**Examples.** Every request body has an example. On a fresh installation the examples that need no id succeed when tried
in this order: sign in, import units, create a unit, import employees, create an employee, an indicator and periods, then
users, API keys, shortlists, service tickets and public feedback. Ids in the other examples are placeholders: replace them
with ids your own calls returned.

**Webhooks** (Standard Webhooks 1.0). Subscribe at \`POST /webhooks\`; every delivery is a POST of a \`WebhookEvent\`
(\`{type, timestamp, data}\`, the schema of \`data\` named by \`type\`: \`score.changed\` → \`ScoreChangedEvent\`, …) with
the headers \`webhook-id\` (the event's id, the same on every retry: de-duplicate on it), \`webhook-timestamp\` and
\`webhook-signature\` (\`v1,\` + base64 HMAC-SHA256 of \`id.timestamp.body\` with the endpoint's secret; two entries while a
rotated secret still signs). An event is written in the transaction of the change it reports. A 2xx within 15 s
delivers it; otherwise it is retried after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h; a 410 or 5 days of
failures disables the endpoint.

**Problem types.** An error's \`type\` is \`urn:capaian:problem:<code>\`; the codes:

${problemCodeTable()}`;

/** Tags in the order of a working cycle: set up the organisation, plan, record, score, publish. */
const TAGS: [name: string, description: string][] = [
  ['auth', 'Sign in with a username and password for a bearer token; who am I'],
  ['users', 'People who sign in: their role (ADMIN, HR_OPERATOR, EMPLOYEE), their employee, an HR operator\'s unit subtree'],
  ['api-keys', 'Keys for machine clients, with scopes; the secret is shown once, at creation'],
  ['units', 'The organisation tree (perangkat daerah, bidang, UPTD); bulk import by code'],
  ['employees', 'Civil servants (ASN) with NIP, rank, position and supervisor; bulk import by NIP; penalties and potential'],
  ['indicators', 'The catalogue of individual performance indicators (IKI) that targets measure'],
  ['periods', 'Appraisal periods, their status (PLANNING → OPEN → EVALUATION → CLOSED) and scoring policy'],
  ['appraisals', 'One employee in one period (SKP): targets, agreement, behaviour, override, objection, score'],
  ['achievements', 'Results recorded against targets with evidence, verified or rejected by the assessor (four eyes)'],
  ['assessor-trainings', 'Completed assessor courses (pelatihan penilai): who may act as a trained assessor, and until when'],
  ['performance-dialogue', 'Performance dialogues acknowledged by the other party, dialogue gaps, and continuous feedback notes to the employee'],
  ['recalculation', 'Asynchronous recalculation of the scores of a period, and its progress'],
  ['distribution', 'Organisation predicates, the distribution curve of employee predicates, assessor statistics and training needs'],
  ['exports', 'Files for other systems and for reading: the SIASN performance rows of a CLOSED period (JSON, CSV) and the results workbook (XLSX)'],
  ['promotion-candidates', 'Consistently high performers, and shortlists with decisions for the promotion board'],
  ['public-feedback', 'Citizen satisfaction survey (SKM): submission without login, service tickets, moderation'],
  ['service-index', 'Service index (IKM) of a unit or an employee, for signed-in callers'],
  ['public', 'Published figures without login: unit service indices and period summaries, never individual data'],
  ['webhooks', 'Subscriptions to events (Standard Webhooks): signed deliveries, retries, the delivery log; event bodies are the `WebhookEvent` schema'],
  ['audit', 'The audit trail of every change'],
  ['health', 'Liveness and readiness probes'],
];

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Capaian API')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey');
  for (const [name, description] of TAGS) config.addTag(name, description);
  const doc = SwaggerModule.createDocument(app, config.build(), {
    operationIdFactory: (_controller, method) => method,
    extraModels: Object.values(EVENT_DATA),
  });
  addWebhookEventSchemas(doc.components!.schemas!);
  return withAccessInDescriptions(withProblemMediaType(doc));
}

type Operation = {
  description?: string;
  [ACCESS_EXTENSION]?: { roles: AccessRule['roles']; scope: AccessRule['scope'] | null };
  parameters?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, { description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
};

const RETRY_AFTER = { required: true, description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } };

/** checkSafeInput's refusals (safe-input.ts), which any query or body can meet. */
const UNSAFE_INPUT =
  `Unsafe input in the query or the body, also where the operation takes none: a NUL character, a \`__proto__\`, ` +
  `\`constructor\` or \`prototype\` key, or nesting deeper than ${MAX_JSON_DEPTH} levels; \`errors[]\` names the field`;

/**
 * Error answers are served as application/problem+json; say so in the document. The HTTP layer runs before
 * the route on every operation, with or without parameters or a body (registerHttpLayer, http-layer.ts): the JSON body
 * parser (413, and 415 for another media type) and the safe-input check (400), so their answers are added to every
 * operation here.
 */
function withProblemMediaType(doc: OpenAPIObject): OpenAPIObject {
  const problem = { schema: { $ref: '#/components/schemas/ProblemResponse' } };
  for (const path of Object.values(doc.paths)) {
    for (const op of Object.values(path) as Operation[]) {
      const responses = op.responses;
      if (!responses) continue;
      const add = (status: string, description: string) => {
        responses[status] ??= { description, content: { [PROBLEM_CONTENT_TYPE]: problem } };
      };
      const validation = responses['400']?.description ?? (op.requestBody || op.parameters?.length ? 'Invalid input: `errors[]` names each offending field' : undefined);
      add('400', UNSAFE_INPUT);
      if (validation) responses['400'].description = `${validation}\n\n${UNSAFE_INPUT}`;
      add('413', 'The body is larger than `BODY_LIMIT` (`IMPORT_BODY_LIMIT` for the imports), also where the operation takes no body');
      add('415', 'A body that is not `application/json`, also where the operation takes no body');
      for (const [status, res] of Object.entries(responses)) {
        if (Number(status) >= 400 && res.content?.['application/json']) {
          res.content = { [PROBLEM_CONTENT_TYPE]: res.content['application/json'] };
        }
      }
      // Every 429 (throttler, login limiter, busy hashing) sends Retry-After; the filter and the guard set it.
      if (responses['429']) responses['429'].headers = { ...responses['429'].headers, 'Retry-After': RETRY_AFTER };
    }
  }
  return doc;
}

/**
 * Every operation's description names who may call it, with the API-key scope (spec §8 rule 6); operations
 * without a rule are the @Public ones. The scope is named here and in the extension: OpenAPI 3.0 allows scopes
 * in a security requirement only for OAuth2 and OpenID Connect schemes, so @Access lists `apiKey: []`.
 */
function withAccessInDescriptions(doc: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(doc.paths)) {
    for (const op of Object.values(path) as Operation[]) {
      const rule = op[ACCESS_EXTENSION];
      const key = rule?.scope === 'any' ? 'any API key' : rule?.scope ? `API key scope \`${rule.scope}\`` : 'no API key';
      const access = rule ? `**Access:** ${rule.roles.join(', ')}; ${key}.` : '**Access:** no sign-in.';
      op.description = op.description ? `${op.description}\n\n${access}` : access;
    }
  }
  return doc;
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Capaian API',
  });
}
