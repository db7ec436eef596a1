import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ACCESS_EXTENSION, AccessRule } from './common/auth/access.decorator';
import { PROBLEM_CONTENT_TYPE } from './common/http/problem';
import { MAX_JSON_DEPTH } from './common/http/safe-input.middleware';

const DESCRIPTION = `Achievement-based performance appraisal of the civil servants (ASN) of the city government of Denpasar.

**Authentication.** People send \`Authorization: Bearer <accessToken>\` from \`POST /auth/login\`. Machine clients send
\`X-API-Key: <key>\`; keys are issued by admins at \`POST /api-keys\` with scopes and act across the whole organisation.

**Errors** are RFC 9457 \`application/problem+json\` with \`type\`, \`title\`, \`status\`, \`detail\`, \`instance\`, a stable
\`code\`, the \`requestId\` (also in the \`X-Request-Id\` header) and, for validation, \`errors[]\` of \`{field, message}\`.
Unknown body fields answer 400. Objects outside the caller's scope answer 404, as if they did not exist.

**Input** is refused with 400 naming the field when a string (body, query or path) holds the NUL character, when a
body nests deeper than ${MAX_JSON_DEPTH} levels, when any object has a \`__proto__\`, \`constructor\` or \`prototype\` key,
and when a field is \`null\` that the schema does not mark \`nullable\`. Leaving an optional field out keeps its value.

**Lists** take \`page\` and \`pageSize\` (at most 200) and answer \`{items, page, pageSize, total}\`.`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Capaian API')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  return withAccessInDescriptions(withProblemMediaType(doc));
}

type Operation = {
  description?: string;
  [ACCESS_EXTENSION]?: { roles: AccessRule['roles']; scope: AccessRule['scope'] | null };
  parameters?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
};

/**
 * Error answers are served as application/problem+json; say so in the document. Every operation that
 * takes input can answer 400, so that is added where a controller did not spell it out.
 */
function withProblemMediaType(doc: OpenAPIObject): OpenAPIObject {
  const problem = { schema: { $ref: '#/components/schemas/ProblemResponse' } };
  for (const path of Object.values(doc.paths)) {
    for (const op of Object.values(path) as Operation[]) {
      const responses = op.responses;
      if (!responses) continue;
      if ((op.requestBody || op.parameters?.length) && !responses['400']) {
        responses['400'] = { description: 'Invalid input: `errors[]` names each offending field', content: { [PROBLEM_CONTENT_TYPE]: problem } };
      }
      for (const [status, res] of Object.entries(responses)) {
        if (Number(status) >= 400 && res.content?.['application/json']) {
          res.content = { [PROBLEM_CONTENT_TYPE]: res.content['application/json'] };
        }
      }
    }
  }
  return doc;
}

/** Every operation's description names who may call it, with the API-key scope (spec §8 rule 6). */
function withAccessInDescriptions(doc: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(doc.paths)) {
    for (const op of Object.values(path) as Operation[]) {
      const rule = op[ACCESS_EXTENSION];
      if (!rule) continue;
      const key = rule.scope === 'any' ? 'any API key' : rule.scope ? `API key scope \`${rule.scope}\`` : 'no API key';
      const access = `**Access:** ${rule.roles.join(', ')}; ${key}.`;
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
