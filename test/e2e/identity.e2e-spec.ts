import { bearer, TestSystem } from '@fairshare/testing';

describe('identity (e2e)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false });
  });
  afterAll(() => sys.stop());

  it('serves health, the OpenAPI document and a request id', async () => {
    const health = await sys.http.get('/health').expect(200);
    expect(health.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
    expect(health.headers['x-request-id']).toMatch(/[0-9a-f-]{36}/);
    const doc = await sys.http.get('/docs-json').expect(200);
    expect(doc.body.paths['/v1/auth/login']).toBeDefined();
    await sys.http.get('/docs').expect(200);
  });

  it('registers a creator, logs in, refreshes with rotation and revokes on logout', async () => {
    const creator = await sys.registerCreator('Ada');
    const me = await sys.http.get('/v1/me').set(bearer(creator)).expect(200);
    expect(me.body).toMatchObject({ email: creator.email, roles: ['creator'], organisationId: null });

    const login = await sys.http.post('/v1/auth/login').send({ email: creator.email, password: creator.password }).expect(200);
    const first = login.body.refreshToken as string;
    const refreshed = await sys.http.post('/v1/auth/refresh').send({ refreshToken: first }).expect(200);
    expect(refreshed.body.refreshToken).not.toEqual(first);
    // The rotated token is dead; reusing it revokes the whole family, including the new one.
    const reuse = await sys.http.post('/v1/auth/refresh').send({ refreshToken: first }).expect(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REVOKED');
    await sys.http.post('/v1/auth/refresh').send({ refreshToken: refreshed.body.refreshToken }).expect(401);

    const again = await sys.http.post('/v1/auth/login').send({ email: creator.email, password: creator.password }).expect(200);
    await sys.http.post('/v1/auth/logout').send({ refreshToken: again.body.refreshToken }).expect(204);
    const after = await sys.http.post('/v1/auth/refresh').send({ refreshToken: again.body.refreshToken }).expect(401);
    expect(after.body.error.code).toBe('REFRESH_TOKEN_REVOKED');
  });

  it('answers bad credentials generically and locks out after repeated failures', async () => {
    const creator = await sys.registerCreator();
    const unknown = await sys.http.post('/v1/auth/login').send({ email: 'nobody@example.test', password: 'whatever-password' }).expect(401);
    expect(unknown.body.error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect.' });
    for (let i = 0; i < 5; i++) {
      const r = await sys.http.post('/v1/auth/login').send({ email: creator.email, password: 'wrong password!' }).expect(401);
      expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const locked = await sys.http.post('/v1/auth/login').send({ email: creator.email, password: creator.password }).expect(429);
    expect(locked.body.error.code).toBe('LOGIN_LOCKED');
    const audit = await sys.dataSource.query(`SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY id`, [creator.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['user.registered', ...Array(4).fill('user.login_failed'), 'user.locked_out']);
  });

  it('validates input with stable codes and changes nothing', async () => {
    const r = await sys.http.post('/v1/auth/register').send({ email: 'not-an-email', password: 'short', displayName: '', role: 'admin' }).expect(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.requestId).toBeTruthy();
    const unknownField = await sys.http
      .post('/v1/auth/register')
      .send({ email: 'x@example.test', password: 'long enough password', displayName: 'X', role: 'creator', isAdmin: true })
      .expect(400);
    expect(unknownField.body.error.code).toBe('UNKNOWN_FIELD');
    const badJson = await sys.http.post('/v1/auth/login').set('content-type', 'application/json').send('{"email":').expect(400);
    expect(badJson.body.error.code).toBe('MALFORMED_JSON');
    const users = await sys.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = 'x@example.test'`);
    expect(users[0].n).toBe(0);
  });

  it('licensees create an organisation; joining one takes a member’s invitation', async () => {
    const lic = await sys.registerLicensee('Acme AI');
    expect(lic.organisationId).toBeTruthy();
    const taken = await sys.http
      .post('/v1/auth/register')
      .send({ email: 'intruder@example.test', password: 'long enough password', displayName: 'I', role: 'licensee', organisationName: 'ACME ai' })
      .expect(409);
    expect(taken.body.error.code).toBe('ORGANISATION_EXISTS');
    const invite = await sys.http.post('/v1/organisations/me/invites').set(bearer(lic)).expect(201);
    const colleague = await sys.register({ role: 'licensee', displayName: 'Colleague', organisationInviteCode: invite.body.code });
    expect(colleague.organisationId).toBe(lic.organisationId);
    const reused = await sys.http
      .post('/v1/auth/register')
      .send({ email: 'second@example.test', password: 'long enough password', displayName: 'S', role: 'licensee', organisationInviteCode: invite.body.code })
      .expect(400);
    expect(reused.body.error.code).toBe('INVITE_INVALID');
  });

  it('API keys: shown once, hashed, usable as bearer, revocable, with last-used time', async () => {
    const lic = await sys.registerLicensee();
    const created = await sys.http.post('/v1/organisations/me/api-keys').set(bearer(lic)).send({ name: 'reporter' }).expect(201);
    expect(created.body.key).toMatch(/^fs_live_[A-Za-z0-9_-]{40,}$/);
    const stored = await sys.dataSource.query(`SELECT key_hash, prefix FROM api_keys WHERE id = $1`, [created.body.id]);
    expect(stored[0].key_hash).not.toContain(created.body.key);
    expect(created.body.key.startsWith(stored[0].prefix)).toBe(true);

    const asKey = { Authorization: `Bearer ${created.body.key}` };
    // API keys may only call routes that allow them: managing keys is for signed-in members.
    const denied = await sys.http.get('/v1/organisations/me/api-keys').set(asKey).expect(403);
    expect(denied.body.error.code).toBe('API_KEY_NOT_ALLOWED');
    const list = await sys.http.get('/v1/organisations/me/api-keys').set(bearer(lic)).expect(200);
    expect(list.body.data[0]).toMatchObject({ id: created.body.id, name: 'reporter', revokedAt: null });
    expect(list.body.data[0].lastUsedAt).not.toBeNull();
    expect(list.body.data[0].key).toBeUndefined();

    await sys.http.post(`/v1/organisations/me/api-keys/${created.body.id}/revoke`).set(bearer(lic)).expect(201);
    const revoked = await sys.http.get('/v1/organisations/me/api-keys').set(asKey).expect(401);
    expect(revoked.body.error.code).toBe('API_KEY_INVALID');

    const other = await sys.registerLicensee();
    const foreign = await sys.http.post(`/v1/organisations/me/api-keys/${created.body.id}/revoke`).set(bearer(other)).expect(404);
    expect(foreign.body.error.code).toBe('API_KEY_NOT_FOUND');
  });

  it('admins create staff and grant roles; others are refused', async () => {
    const admin = await sys.createStaff(['admin']);
    const creator = await sys.registerCreator();
    await sys.http.post('/v1/admin/users').send({}).expect(401);
    const refused = await sys.http.get('/v1/admin/users').set(bearer(creator)).expect(403);
    expect(refused.body.error.code).toBe('ROLE_REQUIRED');
    const fin = await sys.http
      .post('/v1/admin/users')
      .set(bearer(admin))
      .send({ email: 'finance@example.test', displayName: 'Fin', password: 'long enough password', roles: ['finance'] })
      .expect(201);
    expect(fin.body.roles).toEqual(['finance']);
    const granted = await sys.http.post(`/v1/admin/users/${creator.id}/roles`).set(bearer(admin)).send({ roles: ['creator', 'finance'] }).expect(200);
    expect(granted.body.roles).toEqual(['creator', 'finance']);
    // Takes effect at once: roles are read on every request.
    await sys.http.get('/v1/admin/users').set(bearer(creator)).expect(403);
    const audit = await sys.dataSource.query(`SELECT actor_id, request_id FROM audit_log WHERE action = 'user.roles_changed' AND resource_id = $1`, [creator.id]);
    expect(audit).toEqual([{ actor_id: admin.id, request_id: expect.any(String) }]);
  });

  it('the test clock can be frozen and advanced by admins only', async () => {
    const admin = await sys.createStaff(['admin']);
    const creator = await sys.registerCreator();
    await sys.http.post('/v1/test-clock').set(bearer(creator)).send({ reset: true }).expect(403);
    const frozen = await sys.http.post('/v1/test-clock').set(bearer(admin)).send({ frozenAt: '2026-01-31T23:00:00Z' }).expect(200);
    expect(frozen.body.now).toBe('2026-01-31T23:00:00.000Z');
    const advanced = await sys.http.post('/v1/test-clock').set(bearer(admin)).send({ advanceSeconds: 7200 }).expect(200);
    expect(advanced.body.now).toBe('2026-02-01T01:00:00.000Z');
    const both = await sys.http.post('/v1/test-clock').set(bearer(admin)).send({ reset: true, advanceSeconds: 5 }).expect(400);
    expect(both.body.error.code).toBe('TEST_CLOCK_ONE_ACTION');
    await sys.http.post('/v1/test-clock').set(bearer(admin)).send({ reset: true }).expect(200);
  });

  it('unknown routes answer the error shape', async () => {
    const r = await sys.http.get('/v1/nope').expect(404);
    expect(r.body.error).toMatchObject({ code: 'ROUTE_NOT_FOUND', requestId: expect.any(String) });
  });
});
