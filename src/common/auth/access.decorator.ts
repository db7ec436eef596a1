import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemResponse } from '../http/problem.dto';
import { Actor, ApiScope, Principal, Role } from './principal';

export const ACCESS_KEY = 'capaian:access';
export const PUBLIC_KEY = 'capaian:public';
export const ACCESS_EXTENSION = 'x-capaian-access';

export interface AccessRule {
  /** User roles that may call the endpoint. */
  roles: Role[];
  /** API-key scope that admits a machine client (`any`: every valid key); without one, API keys are refused. */
  scope?: ApiScope | 'any';
}

/**
 * Declares who may call an endpoint. An endpoint without `@Access` or `@Public` is refused to everyone
 * (deny by default). Object-level scoping (subtree, own record) is the service's job and answers 404.
 */
export function Access(rule: AccessRule) {
  const who = [`roles: ${rule.roles.join(', ')}`, rule.scope ? `API key scope: \`${rule.scope}\`` : 'no API keys'];
  return applyDecorators(
    SetMetadata(ACCESS_KEY, rule),
    // Read back by the OpenAPI builder, which names the rule in every operation's description.
    ApiExtension(ACCESS_EXTENSION, { roles: rule.roles, scope: rule.scope ?? null }),
    ApiBearerAuth('bearer'),
    // No scopes in the requirement: OpenAPI 3.0 allows them only for OAuth2; the extension names the scope.
    ...(rule.scope ? [ApiSecurity('apiKey', [])] : []),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired credentials', type: ProblemResponse }),
    ApiForbiddenResponse({ description: `Not allowed (${who.join('; ')})`, type: ProblemResponse }),
  );
}

export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface AuthenticatedRequest {
  id: string;
  principal?: Principal;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!req.principal) throw new Error('CurrentActor used on an endpoint without authentication');
  return { principal: req.principal, requestId: String(req.id) };
});
