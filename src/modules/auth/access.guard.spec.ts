import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Access } from '../../common/auth/access.decorator';
import { ApiKeyPrincipal, Principal, UserPrincipal } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { AccessGuard, assertAllowed } from './access.guard';
import { ApiKeysService } from './api-keys.service';

const user = (role: UserPrincipal['role']): UserPrincipal => ({ kind: 'user', id: 'u', username: 'u', role, employeeId: null, unitId: null });
const key = (...scopes: ApiKeyPrincipal['scopes']): ApiKeyPrincipal => ({ kind: 'api-key', id: 'k', name: 'k', scopes, issuerUserId: null, issuerEmployeeId: null });

describe('assertAllowed', () => {
  const rule = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'org:write' as const };
  it.each<[string, Principal, string | null]>([
    ['admin', user('ADMIN'), null],
    ['HR operator', user('HR_OPERATOR'), null],
    ['employee', user('EMPLOYEE'), 'role-not-allowed'],
    ['key with the scope', key('org:read', 'org:write'), null],
    ['key without the scope', key('org:read'), 'missing-scope'],
  ])('%s', (_, principal, code) => {
    const run = () => assertAllowed(rule, principal);
    if (code) expect(run).toThrow(expect.objectContaining({ code }) as AppError);
    else expect(run).not.toThrow();
  });

  it('refuses API keys on endpoints without a scope', () => {
    expect(() => assertAllowed({ roles: ['ADMIN'] }, key('org:write'))).toThrow(expect.objectContaining({ code: 'api-key-not-allowed' }) as AppError);
  });
});

describe('AccessGuard', () => {
  class Routes {
    undeclared() {}
    @Access({ roles: ['ADMIN'], scope: 'org:read' })
    declared() {}
  }
  const apiKeys = { authenticate: (k: string) => Promise.resolve(k === 'good' ? key('org:read') : null) } as ApiKeysService;
  const guard = new AccessGuard(new Reflector(), apiKeys);
  const ctx = (handler: keyof Routes, headers: Record<string, string>) =>
    ({
      getHandler: () => Routes.prototype[handler],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => ({ headers }) }),
    }) as unknown as ExecutionContext;

  it('denies an endpoint that declares no access rule, even to valid credentials', async () => {
    await expect(guard.canActivate(ctx('undeclared', { 'x-api-key': 'good' }))).rejects.toMatchObject({ code: 'endpoint-not-exposed' });
  });

  it('admits a valid key on a declared endpoint and refuses an unknown key', async () => {
    await expect(guard.canActivate(ctx('declared', { 'x-api-key': 'good' }))).resolves.toBe(true);
    await expect(guard.canActivate(ctx('declared', { 'x-api-key': 'bad' }))).rejects.toMatchObject({ kind: 'unauthorized' });
  });
});
