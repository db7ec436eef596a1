import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ACCESS_KEY, AccessRule, AuthenticatedRequest, PUBLIC_KEY } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { ForbiddenError, UnauthorizedError } from '../../common/errors/app-error';
import { ApiKeysService } from './api-keys.service';

type GuardRequest = AuthenticatedRequest & { headers: Record<string, string | string[] | undefined>; user?: Principal };

/**
 * Global guard, deny by default: a route needs `@Public()` or an `@Access` rule. Machine clients present
 * `X-API-Key`; people present a bearer JWT (passport-jwt). Roles and scopes are checked here; which
 * objects a caller may see is the services' concern.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets);
    const req = ctx.switchToHttp().getRequest<GuardRequest>();

    const presentedKey = req.headers['x-api-key'];
    if (presentedKey !== undefined) {
      const principal = typeof presentedKey === 'string' ? await this.apiKeys.authenticate(presentedKey) : null;
      if (!principal) throw new UnauthorizedError('The API key is invalid or revoked');
      req.principal = principal;
    } else {
      await super.canActivate(ctx);
      req.principal = req.user;
    }
    if (!rule) throw new ForbiddenError('This endpoint is not open to any caller', 'endpoint-not-exposed');
    assertAllowed(rule, req.principal!);
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new UnauthorizedError('A valid bearer token or API key is required');
    return user;
  }
}

export function assertAllowed(rule: AccessRule, p: Principal): void {
  if (p.kind === 'api-key') {
    if (!rule.scope) throw new ForbiddenError('API keys cannot call this endpoint', 'api-key-not-allowed');
    if (rule.scope !== 'any' && !p.scopes.includes(rule.scope)) {
      throw new ForbiddenError(`The API key lacks the scope ${rule.scope}`, 'missing-scope');
    }
  } else if (!rule.roles.includes(p.role)) {
    throw new ForbiddenError(`The role ${p.role} cannot call this endpoint`, 'role-not-allowed');
  }
}
