import { PassThrough } from 'node:stream';
import { bearer, TestSystem } from '@fairshare/testing';

describe('security: headers, CORS, rate limits, secrets in logs (e2e)', () => {
  let sys: TestSystem;
  const logLines: string[] = [];
  beforeAll(async () => {
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    sys = await TestSystem.start({
      worker: false,
      logStream,
      env: { LOG_LEVEL: 'debug', CORS_ORIGINS: 'https://portal.example.org', AUTH_RATE_LIMIT_PER_MINUTE: '8' },
    });
  });
  afterAll(() => sys.stop());

  it('sends security headers and no X-Powered-By', async () => {
    const r = await sys.http.get('/health').expect(200);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-powered-by']).toBeUndefined();
    // Also on the queue board, which is an Express app of its own (admins, HTTP Basic).
    const admin = await sys.createStaff(['admin']);
    const board = await sys.http.get('/admin/queues').auth(admin.email, admin.password).expect(200);
    expect(board.headers['x-powered-by']).toBeUndefined();
    await sys.http.get('/admin/queues').expect(401);
  });

  it('locks CORS to the configured origins', async () => {
    const allowed = await sys.http.options('/v1/auth/login').set('Origin', 'https://portal.example.org').set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.org');
    const other = await sys.http.options('/v1/auth/login').set('Origin', 'https://evil.example.com').set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never logs passwords, tokens, API keys or secrets', async () => {
    const lic = await sys.registerLicensee();
    const login = await sys.http.post('/v1/auth/login').send({ email: lic.email, password: lic.password }).expect(200);
    const key = await sys.http.post('/v1/organisations/me/api-keys').set(bearer(lic)).send({ name: 'k' }).expect(201);
    await sys.http.get('/v1/organisations/me/api-keys').set({ Authorization: `Bearer ${key.body.key}` }).expect(403);
    await sys.http.post('/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    await sys.http.get('/v1/me').set(bearer({ token: login.body.accessToken })).expect(200);
    await new Promise((r) => setTimeout(r, 50));
    const all = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(3); // the logs were captured at all
    expect(all).toContain('"requestId"');
    for (const secret of [lic.password, login.body.accessToken, login.body.refreshToken, key.body.key, sys.config.JWT_SECRET, sys.config.STRIPE_SECRET_KEY, sys.config.STRIPE_WEBHOOK_SECRET]) {
      expect(all).not.toContain(secret);
    }
  });

  it('rate-limits authentication routes with 429, a code and Retry-After', async () => {
    let limited: { status: number; headers: Record<string, string>; body: { error: { code: string } } } | undefined;
    for (let i = 0; i < 12 && !limited; i++) {
      const r = await sys.http.post('/v1/auth/login').send({ email: 'nobody@example.test', password: 'not the password' });
      if (r.status === 429) limited = r as never;
      else expect(r.status).toBe(401);
    }
    expect(limited).toBeDefined();
    expect(limited!.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    // Other routes keep their own, looser limit.
    await sys.http.get('/health').expect(200);
  });
});
