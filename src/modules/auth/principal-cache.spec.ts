import { Principal } from '../../common/auth/principal';
import { AppConfig } from '../../config/app-config';
import { PrincipalCache } from './principal-cache';

const config = (principalCacheMs: number) => ({ auth: { principalCacheMs } }) as AppConfig;
const user = (id: string): Principal => ({ kind: 'user', id, username: id, role: 'EMPLOYEE', employeeId: null, unitId: null });

describe('PrincipalCache', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('answers a principal until its time is up, then asks again', () => {
    const cache = new PrincipalCache(config(5000));
    cache.set('token:u1:0', user('u1'), ['u1'], cache.version);
    jest.advanceTimersByTime(4999);
    expect(cache.get('token:u1:0')).toEqual(user('u1'));
    jest.advanceTimersByTime(1);
    expect(cache.get('token:u1:0')).toBeUndefined();
  });

  it('forgets every entry an owner has, and only those', () => {
    const cache = new PrincipalCache(config(5000));
    cache.set('token:u1:0', user('u1'), ['u1'], cache.version);
    cache.set('key:h1', user('k1'), ['k1', 'u1'], cache.version);
    cache.set('token:u2:0', user('u2'), ['u2'], cache.version);
    cache.forget('u1');
    expect([cache.get('token:u1:0'), cache.get('key:h1'), cache.get('token:u2:0')]).toEqual([undefined, undefined, user('u2')]);
  });

  it('keeps nothing when the time is 0', () => {
    const cache = new PrincipalCache(config(0));
    cache.set('token:u1:0', user('u1'), ['u1'], cache.version);
    expect(cache.get('token:u1:0')).toBeUndefined();
  });

  it('holds at most 10,000 entries, dropping the oldest first', () => {
    const cache = new PrincipalCache(config(5000));
    for (let i = 0; i <= 10_000; i++) cache.set(`c${i}`, user(`u${i}`), [`u${i}`], cache.version);
    expect(cache.get('c0')).toBeUndefined();
    expect(cache.get('c1')).toEqual(user('u1'));
    expect(cache.get('c10000')).toEqual(user('u10000'));
  });

  it('keeps nothing read before a change that committed meanwhile (a read racing a revocation)', () => {
    const cache = new PrincipalCache(config(5000));
    const readAt = cache.version;
    cache.forget('k1'); // the revocation commits while the key row is being read
    cache.set('key:h1', user('k1'), ['k1'], readAt);
    expect(cache.get('key:h1')).toBeUndefined();
    cache.set('key:h1', user('k1'), ['k1'], cache.version);
    expect(cache.get('key:h1')).toEqual(user('k1'));
  });
});
