import { ConfigError, loadConfig } from './app-config';

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
});
