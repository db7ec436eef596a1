import { ConfigError, listenHost, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('uses development defaults with a warning for each missing secret', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ nodeEnv: 'development', http: { port: 3000 }, database: { url: undefined }, redis: { url: undefined } });
    expect(c.auth.jwtSecret).toHaveLength(64);
    expect(c.warnings.join('\n')).toMatch(/JWT_SECRET[\s\S]*ADMIN_PASSWORD/);
  });

  it('names every bad variable in one error', () => {
    const run = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', JWT_SECRET: 'short', LOG_LEVEL: 'loud' });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      const problems = (e as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'LOG_LEVEL']) expect(problems).toContain(name);
    }
  });

  it('refuses to start in production without its secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required in production[\s\S]*ADMIN_PASSWORD is required in production/);
  });

  it('parses numbers and booleans', () => {
    const c = loadConfig({ PORT: '8080', TRUST_PROXY: 'true', DATABASE_URL: 'postgres://u@h/db', JWT_SECRET: 'x'.repeat(32), ADMIN_PASSWORD: 'p'.repeat(12) });
    expect(c.http).toMatchObject({ port: 8080, trustProxy: true });
    expect(c.warnings).toEqual([]);
  });

  it.each<[string, boolean | number | string[]]>([
    ['false', false],
    ['', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['loopback, 10.0.0.0/8 ,192.168.1.7', ['loopback', '10.0.0.0/8', '192.168.1.7']],
  ])('reads TRUST_PROXY=%j as Express trust proxy %j', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).http.trustProxy).toEqual(expected);
  });

  it('refuses a TRUST_PROXY entry that is no address, subnet or Express name', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'loopback,proxy.example.id' })).toThrow(/TRUST_PROXY[^\n]*proxy\.example\.id/);
  });

  it('reads the feedback limits and derives the hash key from the JWT secret when it is not set', () => {
    const base = { JWT_SECRET: 'x'.repeat(32) };
    const c = loadConfig({ ...base, FEEDBACK_IP_LIMIT: '7', FEEDBACK_IP_WINDOW_SECONDS: '60', FEEDBACK_EMPLOYEE_BURST: '3' });
    expect(c.feedback).toMatchObject({ ipLimit: 7, ipWindowSeconds: 60, employeeBurst: 3 });
    expect(c.feedback.hashKey).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig(base).feedback.hashKey).toBe(c.feedback.hashKey);
    expect(loadConfig({ JWT_SECRET: 'y'.repeat(32) }).feedback.hashKey).not.toBe(c.feedback.hashKey);
    expect(loadConfig({ ...base, FEEDBACK_HASH_KEY: 'k'.repeat(32) }).feedback.hashKey).toBe('k'.repeat(32));
    expect(() => loadConfig({ FEEDBACK_IP_LIMIT: '0', FEEDBACK_HASH_KEY: 'short' })).toThrow(/FEEDBACK_IP_LIMIT[\s\S]*FEEDBACK_HASH_KEY/);
  });

  it('listens on loopback only while the first admin has the development password, whatever HOST says', () => {
    const dev = loadConfig({ HOST: '0.0.0.0' });
    expect(dev.http.host).toBe('127.0.0.1');
    expect(dev.warnings.join('\n')).toMatch(/listening on 127\.0\.0\.1 only, not HOST=0\.0\.0\.0.*ADMIN_PASSWORD/);
    expect(loadConfig({}).http.host).toBe('127.0.0.1'); // HOST's default is 0.0.0.0
    const set = loadConfig({ HOST: '0.0.0.0', ADMIN_PASSWORD: 'p'.repeat(12) });
    expect(set.http.host).toBe('0.0.0.0');
    expect(set.warnings.join('\n')).not.toContain('listening on');
  });

  it.each([
    ['0.0.0.0', true, '127.0.0.1'],
    ['::', true, '127.0.0.1'],
    ['192.168.1.10', true, '127.0.0.1'],
    ['127.0.0.1', true, '127.0.0.1'],
    ['::1', true, '::1'],
    ['localhost', true, 'localhost'],
    ['0.0.0.0', false, '0.0.0.0'],
    ['192.168.1.10', false, '192.168.1.10'],
  ])('HOST=%s with the development password %s listens on %s', (host, developmentPassword, expected) => {
    const r = listenHost(host, developmentPassword);
    expect(r.host).toBe(expected);
    expect(Boolean(r.warning)).toBe(expected !== host);
  });

  it('reads the login limits and the dashboard switch', () => {
    const c = loadConfig({ LOGIN_THROTTLE_LIMIT: '4', LOGIN_THROTTLE_USERNAME_LIMIT: '6', LOGIN_THROTTLE_ADDRESS_LIMIT: '9', QUEUE_DASHBOARD_WRITE: 'true' });
    expect(c.auth.loginThrottle).toEqual({ limit: 4, usernameLimit: 6, addressLimit: 9, ttlSeconds: 60 });
    expect(c.recalculation.dashboardWrite).toBe(true);
    expect(loadConfig({}).recalculation.dashboardWrite).toBe(false);
    expect(() => loadConfig({ LOGIN_THROTTLE_ADDRESS_LIMIT: '0', LOGIN_THROTTLE_USERNAME_LIMIT: 'many' })).toThrow(
      /LOGIN_THROTTLE_USERNAME_LIMIT[\s\S]*LOGIN_THROTTLE_ADDRESS_LIMIT|LOGIN_THROTTLE_ADDRESS_LIMIT[\s\S]*LOGIN_THROTTLE_USERNAME_LIMIT/,
    );
  });

  it('reads the metrics settings: a token of at least 32 characters, a port other than the API port', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_TOKEN: '', METRICS_PORT: '' }).metrics).toEqual({ token: undefined, port: undefined, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_TOKEN: 't'.repeat(32), METRICS_PORT: '9464' }).metrics).toEqual({ token: 't'.repeat(32), port: 9464, host: '127.0.0.1' });
    expect(() => loadConfig({ METRICS_TOKEN: 'short', METRICS_PORT: 'ninety' })).toThrow(/METRICS_TOKEN[\s\S]*METRICS_PORT|METRICS_PORT[\s\S]*METRICS_TOKEN/);
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must differ from PORT/);
    // METRICS_PORT listens on METRICS_HOST, else on HOST; either held to 127.0.0.1 while the development password is in use.
    const password = { ADMIN_PASSWORD: 'p'.repeat(12) };
    expect(loadConfig({ ...password, HOST: '0.0.0.0', METRICS_PORT: '9464' }).metrics.host).toBe('0.0.0.0');
    expect(loadConfig({ ...password, HOST: '0.0.0.0', METRICS_HOST: '10.1.2.3', METRICS_PORT: '9464' }).metrics.host).toBe('10.1.2.3');
    expect(loadConfig({ ...password, HOST: '10.1.2.3', METRICS_HOST: '127.0.0.1', METRICS_PORT: '9464' }).metrics.host).toBe('127.0.0.1');
    const dev = loadConfig({ HOST: '127.0.0.1', METRICS_HOST: '0.0.0.0', METRICS_PORT: '9464' });
    expect(dev.metrics.host).toBe('127.0.0.1');
    expect(dev.warnings.join('\n')).toMatch(/not METRICS_HOST=0\.0\.0\.0/);
  });

  it('reads the webhook settings and refuses a wrong key, schedule or sweep', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const w = loadConfig({ WEBHOOK_SECRET_KEY: key, WEBHOOK_RETRY_SCHEDULE: '200ms, 5s,2m,1h', WEBHOOK_ALLOWED_HOSTS: 'Hooks.Internal, 10.0.0.5' }).webhooks;
    expect(w.secretKey).toEqual(Buffer.alloc(32, 7));
    expect(w.retryScheduleMs).toEqual([200, 5000, 120_000, 3_600_000]);
    expect(w.allowedHosts).toEqual(['hooks.internal', '10.0.0.5']);
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/WEBHOOK_SECRET_KEY must be the base64 of 32 bytes/);
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: 'not base64!' })).toThrow(/WEBHOOK_SECRET_KEY must be the base64 of 32 bytes/);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '5s,5 minutes' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '20000', WEBHOOK_SWEEP_AFTER_MS: '20000' })).toThrow(/WEBHOOK_SWEEP_AFTER_MS must exceed WEBHOOK_TIMEOUT_MS/);
  });

  it('bounds RECALC_BATCH_PARALLEL to 1–6: each lane holds a connection of the pool', () => {
    expect(loadConfig({ RECALC_BATCH_PARALLEL: '6' }).recalculation.batchParallel).toBe(6);
    for (const v of ['0', '7', 'three']) expect(() => loadConfig({ RECALC_BATCH_PARALLEL: v })).toThrow(/RECALC_BATCH_PARALLEL/);
  });

  it('reads the download settings: an idle timeout, a cap on the whole download, and at most 6 downloads at once (each holds a connection of the pool)', () => {
    expect(loadConfig({}).exports).toEqual({ idleTimeoutMs: 30000, maxDurationMs: 600000, concurrency: 4 });
    expect(loadConfig({ EXPORT_IDLE_TIMEOUT_MS: '500', EXPORT_MAX_DURATION_MS: '1000', EXPORT_CONCURRENCY: '6' }).exports).toEqual({
      idleTimeoutMs: 500,
      maxDurationMs: 1000,
      concurrency: 6,
    });
    expect(loadConfig({ EXPORT_MAX_DURATION_MS: '86400000' }).exports.maxDurationMs).toBe(86_400_000);
    for (const v of ['0', '7', 'four']) expect(() => loadConfig({ EXPORT_CONCURRENCY: v })).toThrow(/EXPORT_CONCURRENCY/);
    for (const v of ['99', '3600001', 'soon']) expect(() => loadConfig({ EXPORT_IDLE_TIMEOUT_MS: v })).toThrow(/EXPORT_IDLE_TIMEOUT_MS/);
    for (const v of ['999', '86400001', 'ten minutes']) expect(() => loadConfig({ EXPORT_MAX_DURATION_MS: v })).toThrow(/EXPORT_MAX_DURATION_MS/);
  });
});
