import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';

/**
 * Hostile input against every route of the OpenAPI document, as it grows: random JSON bodies,
 * hostile strings and numbers, random query strings. The API must never answer 5xx, and every
 * refusal must carry a stable code.
 */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '=cmd|" /C calc"!A0', '+SUM(1,1)', '-1', '@import', '\u0000', '\uffff\ud800', '../../etc/passwd', "'; DROP TABLE users; --",
    '9'.repeat(400), '-0', '1e309', 'NaN', 'Infinity', '0x10', ' 12 ', '１２', '<script>alert(1)</script>', 'a'.repeat(5000),
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 1.5, 1e21, -1e21),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const hostileBody = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 20 }), hostileValue, { maxKeys: 8 }),
  hostileValue,
);

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
}

function pathWith(template: string, value: () => string): string {
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(value()));
}

describe('every route refuses hostile input with a 4xx and a code (e2e)', () => {
  let sys: TestSystem;
  let routes: Route[];
  let callers: { name: string; user?: TestUser }[];

  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false });
    const doc = (await sys.http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({ method: method as Route['method'], path })),
    );
    callers = [
      { name: 'anonymous' },
      { name: 'creator', user: await sys.registerCreator() },
      { name: 'licensee', user: await sys.registerLicensee() },
      { name: 'finance', user: await sys.createStaff(['finance']) },
      { name: 'admin', user: await sys.createStaff(['admin']) },
    ];
  });
  afterAll(() => sys.stop());

  const check = (route: Route, status: number, body: { error?: { code?: string } }, sent: unknown) => {
    if (status >= 500 || (status >= 400 && !/^[A-Z][A-Z0-9_]+$/.test(body?.error?.code ?? ''))) {
      throw new Error(`${route.method.toUpperCase()} ${route.path} answered ${status} ${JSON.stringify(body).slice(0, 300)} to ${JSON.stringify(sent)?.slice(0, 300)}`);
    }
  };

  it('lists routes to fuzz', () => {
    expect(routes.length).toBeGreaterThan(10);
  });

  it('random bodies to every write route, from every kind of caller', async () => {
    for (const route of routes.filter((r) => r.method !== 'get')) {
      for (const caller of callers) {
        await fc.assert(
          fc.asyncProperty(hostileBody, fc.constantFrom(() => randomUUID(), () => 'not-a-uuid', () => '0'), async (body, param) => {
            const req = sys.http[route.method](pathWith(route.path, param));
            if (caller.user) req.set(bearer(caller.user));
            const res = await req.set('Idempotency-Key', randomUUID()).set('content-type', 'application/json').send(JSON.stringify(body));
            check(route, res.status, res.body, body);
          }),
          { numRuns: 6 },
        );
      }
    }
  }, 600_000);

  it('random query strings to every read route', async () => {
    const admin = callers.find((c) => c.name === 'admin')!.user!;
    for (const route of routes.filter((r) => r.method === 'get')) {
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom('limit', 'cursor', 'q', 'period', 'from', 'to', 'format', 'offset', 'status', 'page'), hostileString, { maxKeys: 4 }), async (query) => {
          const res = await sys.http.get(pathWith(route.path, () => randomUUID())).query(query).set(bearer(admin));
          // Streams and documents (CSV, PDF, XML) are fine; only errors need the JSON shape.
          check(route, res.status, res.body, query);
        }),
        { numRuns: 8 },
      );
    }
  }, 600_000);

  it('malformed and oversized JSON is refused with a code', async () => {
    const admin = callers.find((c) => c.name === 'admin')!.user!;
    for (const route of routes.filter((r) => r.method === 'post').slice(0, 40)) {
      const path = pathWith(route.path, () => randomUUID());
      for (const raw of ['{"a":', '[' .repeat(5000), '{"a":"\\ud800"}', JSON.stringify({ a: 'x'.repeat(5 * 1024 * 1024) })]) {
        const res = await sys.http.post(path).set(bearer(admin)).set('content-type', 'application/json').set('Idempotency-Key', randomUUID()).send(raw);
        check(route, res.status, res.body, raw.slice(0, 30));
      }
    }
  }, 600_000);
});
