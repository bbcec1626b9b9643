import { ConfigError, loadConfig } from './app-config';

const productionEnv = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(40),
  STRIPE_SECRET_KEY: 'sk_live_abc123',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
  MANIFEST_SIGNING_KEY: 'L'.repeat(60),
};

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies defaults and generates development secrets', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.NODE_ENV).toBe('development');
    expect(c.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(c.STRIPE_WEBHOOK_SECRET).toMatch(/^whsec_/);
    expect(Buffer.from(c.MANIFEST_SIGNING_KEY, 'base64').toString()).toContain('BEGIN PRIVATE KEY');
    expect(c.TEST_CLOCK_ENABLED).toBe(false);
  });

  it('parses numbers and booleans from strings', () => {
    const c = loadConfig({ PORT: '8080', TEST_CLOCK_ENABLED: 'true' });
    expect(c.PORT).toBe(8080);
    expect(c.TEST_CLOCK_ENABLED).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ TEST_CLOCK_ENABLED: 'maybe' }, 'TEST_CLOCK_ENABLED'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ STRIPE_SECRET_KEY: 'pk_test_123' }, 'STRIPE_SECRET_KEY'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('refuses %j naming %s', (env, variable) => {
    const problems = problemsOf(env);
    expect(problems.map((p) => p.variable)).toContain(variable);
    expect(() => loadConfig(env)).toThrow(new RegExp(variable));
  });

  it('never generates secrets in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([
        { variable: 'JWT_SECRET', message: 'is required in production' },
        { variable: 'STRIPE_SECRET_KEY', message: 'is required in production' },
        { variable: 'STRIPE_WEBHOOK_SECRET', message: 'is required in production' },
        { variable: 'MANIFEST_SIGNING_KEY', message: 'is required in production' },
      ]),
    );
    expect(problemsOf(productionEnv)).toEqual([]);
  });

  it('refuses the test clock in production', () => {
    expect(problemsOf({ ...productionEnv, TEST_CLOCK_ENABLED: 'true' })).toEqual([
      { variable: 'TEST_CLOCK_ENABLED', message: 'must not be true when NODE_ENV=production' },
    ]);
  });
});
