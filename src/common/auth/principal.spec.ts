import { actingEmployeeIds, actsAsEmployee, ApiKeyPrincipal, sodIdentities, UserPrincipal } from './principal';

const user = (over: Partial<UserPrincipal> = {}): UserPrincipal => ({
  kind: 'user',
  id: 'u',
  username: 'u',
  role: 'ADMIN',
  employeeId: null,
  unitId: null,
  ...over,
});
const key = (over: Partial<ApiKeyPrincipal> = {}): ApiKeyPrincipal => ({
  kind: 'api-key',
  id: 'k',
  name: 'k',
  scopes: [],
  issuerUserId: null,
  issuerEmployeeId: null,
  ...over,
});

describe('separation-of-duties identity (spec §8)', () => {
  it('makes a user act as their own employee and as those of whoever set their credentials', () => {
    const p = user({ employeeId: 'e-self', credentialSetters: { userIds: ['a', 'b'], employeeIds: ['e-a'] } });
    expect(actingEmployeeIds(p)).toEqual(['e-self', 'e-a']);
    expect([actsAsEmployee(p, 'e-self'), actsAsEmployee(p, 'e-a'), actsAsEmployee(p, 'e-other'), actsAsEmployee(p, null)]).toEqual([true, true, false, false]);
    // Four eyes is not widened: the admin who provisioned an assessor still has what they submit verified by them.
    expect(sodIdentities(p)).toEqual(['u']);
  });

  it('makes an unlinked user without setters act as nobody and answer for themselves only', () => {
    expect(actingEmployeeIds(user())).toEqual([]);
    expect(actsAsEmployee(user(), null)).toBe(false);
  });

  it('makes a key act as its issuer and as whoever set the issuer\'s credentials', () => {
    const p = key({ issuerUserId: 'i', issuerEmployeeId: 'e-i', issuerCredentialSetters: { userIds: ['a'], employeeIds: ['e-a'] } });
    expect(actingEmployeeIds(p)).toEqual(['e-i', 'e-a']);
    expect(sodIdentities(p)).toEqual(['k', 'i']);
    expect(sodIdentities(key())).toEqual(['k']);
  });
});
