import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE, type AccessRule } from '@fairshare/platform';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';
import {
  expectationFor,
  type Expectation,
  type FixtureContext,
  type FixtureName,
  PRINCIPALS,
  type PrincipalName,
  ROUTES,
  type RouteRule,
} from './authorization-matrix.table';

/**
 * Every route of the API × anonymous, creator, another creator, licensee, another organisation's
 * licensee, both organisations' API keys, finance and admin, against the rules declared in
 * `authorization-matrix.table.ts`; the table is also checked against the code's own access
 * metadata so the two cannot drift.
 */

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof HTTP_METHODS)[number];
const ALL = { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true };
const sha = () => createHash('sha256').update(randomBytes(16)).digest('hex');

async function waitFor<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `v1/works` + `:id/consent` → `/v1/works/{id}/consent`. */
function joinPath(controllerPath: string, methodPath: string): string {
  const parts = [controllerPath, methodPath].flatMap((p) => p.split('/')).filter((p) => p.length > 0);
  return '/' + parts.map((p) => p.replace(/^:(.+)$/, '{$1}')).join('/');
}

/** The routes the running app declares, with the access rule its code carries. */
function codeRoutes(sys: TestSystem): Map<string, AccessRule | undefined> {
  const discovery = sys.api.get(DiscoveryService, { strict: false });
  const scanner = sys.api.get(MetadataScanner, { strict: false });
  const reflector = sys.api.get(Reflector, { strict: false });
  const out = new Map<string, AccessRule | undefined>();
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | string[] | undefined;
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name] as (...args: unknown[]) => unknown;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler, wrapper.metatype as (...args: unknown[]) => unknown]);
      for (const b of [base ?? ''].flat()) for (const p of [path].flat()) out.set(`${method} ${joinPath(b, p)}`, rule);
    }
  }
  return out;
}

function sameRule(code: AccessRule | undefined, table: RouteRule): boolean {
  if (!code) return false;
  if (code.kind === 'public') return !!table.public && !table.authenticated && !table.roles;
  if (code.kind === 'authenticated') return !!table.authenticated && !table.public && !table.roles;
  const roles = [...(table.roles ?? [])].sort().join(',');
  return !table.public && !table.authenticated && roles === [...code.roles].sort().join(',') && code.apiKey === !!table.apiKey;
}

describe('authorization matrix: every route × every kind of caller (e2e)', () => {
  let sys: TestSystem;
  let docRoutes: string[];
  const users = {} as Record<'creator' | 'otherCreator' | 'licensee' | 'otherLicensee' | 'finance' | 'finance2' | 'admin', TestUser>;
  const apiKeys = {} as Record<'apiKey' | 'otherApiKey', string>;
  const ids: Partial<Record<FixtureName, string>> = {};
  let throwaway: TestUser;
  let fx: FixtureContext;

  const as = (who: TestUser) => bearer(who);
  const must = async <T>(what: string, p: Promise<{ status: number; body: T }>, ok: number[] = [200, 201, 202]): Promise<T> => {
    const res = await p;
    if (!ok.includes(res.status)) throw new Error(`fixture ${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
    return res.body;
  };

  beforeAll(async () => {
    sys = await TestSystem.start();
    users.creator = await sys.registerCreator('Owner creator');
    users.otherCreator = await sys.registerCreator('Other creator');
    users.licensee = await sys.registerLicensee('Owner org');
    users.otherLicensee = await sys.registerLicensee('Other org');
    users.finance = await sys.createStaff(['finance'], 'Finance');
    users.finance2 = await sys.createStaff(['finance'], 'Finance two');
    users.admin = await sys.createStaff(['admin'], 'Admin');
    throwaway = await sys.registerCreator('Throwaway');
    ids.throwawayUser = throwaway.id;

    const key = (u: TestUser, name: string) => must<{ id: string; key: string }>(`api key ${name}`, sys.http.post('/v1/organisations/me/api-keys').set(as(u)).send({ name }));
    apiKeys.apiKey = (await key(users.licensee, 'matrix')).key;
    apiKeys.otherApiKey = (await key(users.otherLicensee, 'matrix-other')).key;
    ids.spareApiKey = (await key(users.licensee, 'spare')).id;

    // Catalogue: a draft in one catalogue, a listed work in another (what the offer sells).
    ids.catalogue = (await must<{ id: string }>('catalogue', sys.http.post('/v1/catalogues').set(as(users.creator)).send({ name: 'Drafts' }))).id;
    const work = (catId: string, title: string) =>
      must<{ id: string }>(`work ${title}`, sys.http.post(`/v1/catalogues/${catId}/works`).set(as(users.creator)).send({ title, mediaType: 'text', language: 'en', contentHash: sha() }));
    ids.draftWork = (await work(ids.catalogue, 'A draft')).id;
    const listedCatalogue = (await must<{ id: string }>('listed catalogue', sys.http.post('/v1/catalogues').set(as(users.creator)).send({ name: 'Listed' }))).id;
    ids.listedWork = (await work(listedCatalogue, 'Listed work')).id;
    await must('consent', sys.http.put(`/v1/works/${ids.listedWork}/consent`).set(as(users.creator)).send(ALL));
    const imp = await must<{ id: string }>(
      'works import',
      sys.http.post(`/v1/catalogues/${ids.catalogue}/imports`).set(as(users.creator)).set('content-type', 'text/csv').send(`title,mediaType,language,contentHash\nImported,text,en,${sha()}\n`),
    );
    ids.worksImport = imp.id;

    // Licensing: an offer of the listed work, bought by the licensee through the emulator.
    ids.offer = (
      await must<{ id: string }>(
        'offer',
        sys.http.post('/v1/offers').set(as(users.admin)).send({
          kind: 'dataset', name: 'Matrix', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: '100000',
          termDays: 365, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens', workIds: [ids.listedWork],
        }),
      )
    ).id;
    const purchase = await must<{ licence: { id: string }; checkoutUrl: string }>(
      'licence',
      sys.http.post('/v1/licences').set(as(users.licensee)).set('Idempotency-Key', randomUUID()).send({ offerId: ids.offer }),
    );
    ids.licence = purchase.licence.id;
    sys.stripe.pay(purchase.checkoutUrl.split('/').pop()!);
    await sys.stripe.whenDelivered();
    const active = await waitFor(
      () => sys.http.get(`/v1/licences/${ids.licence}`).set(as(users.licensee)),
      (r) => r.body?.status === 'active',
    );
    if (active.body?.status !== 'active') throw new Error(`fixture licence never became active: ${JSON.stringify(active.body)}`);
    const now = new Date();
    const period = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;

    // Usage: one report of the licence.
    ids.usageReport = (
      await must<{ id: string }>(
        'usage report',
        sys.http.post('/v1/usage-reports').set(as(users.licensee)).set('Idempotency-Key', randomUUID()).send({ licenceId: ids.licence, period, lines: [{ workId: ids.listedWork, units: '100' }] }),
      )
    ).id;

    // Payouts: a run started by another finance user (so "finance" may approve it: four-eyes).
    ids.payoutRun = (
      await must<{ id: string }>('payout run', sys.http.post('/v1/payout-runs').set(as(users.finance2)).set('Idempotency-Key', randomUUID()).send({ currency: 'EUR' }))
    ).id;

    // Royalties: last month's run, started by another finance user (four-eyes again).
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const previousPeriod = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
    ids.royaltyRun = (
      await must<{ id: string }>('royalty run', sys.http.post('/v1/royalty-runs').set(as(users.finance2)).set('Idempotency-Key', randomUUID()).send({ period: previousPeriod }))
    ).id;
    await waitFor(() => sys.http.get(`/v1/royalty-runs/${ids.royaltyRun}`).set(as(users.finance2)), (r) => r.body?.status === 'computed');

    fx = {
      id: (name) => ids[name] ?? randomUUID(),
      userId: (who) => users[who].id,
      uniqueHash: sha,
      uniqueEmail: () => `matrix-${randomBytes(5).toString('hex')}@example.test`,
      freshRefreshToken: async () => (await sys.http.post('/v1/auth/login').send({ email: throwaway.email, password: throwaway.password })).body.refreshToken as string,
      throwawayCredentials: () => ({ email: throwaway.email, password: throwaway.password }),
      period,
      previousPeriod,
    };

    const doc = (await sys.http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    docRoutes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => (HTTP_METHODS as readonly string[]).includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
  }, 120_000);
  afterAll(() => sys?.stop(), 60_000);

  it('every route of the OpenAPI document and of the code declares its rule in the table, and every table entry exists', () => {
    const code = codeRoutes(sys);
    const undeclared = [...new Set([...docRoutes, ...code.keys()])].filter((r) => !ROUTES[r]).sort();
    const stale = Object.entries(ROUTES)
      .filter(([r, rule]) => (rule.mounted ? false : !code.has(r)))
      .map(([r]) => r);
    expect({ undeclared: undeclared.map((r) => `${r}: declare its rule in authorization-matrix.table.ts`), stale }).toEqual({ undeclared: [], stale: [] });
  });

  it('the table agrees with the code’s own access metadata (@Public, @Authenticated, @Roles, @RolesOrApiKey)', () => {
    const code = codeRoutes(sys);
    const drift = [...code.entries()]
      .filter(([route, rule]) => ROUTES[route] && !sameRule(rule, ROUTES[route]))
      .map(([route, rule]) => `${route}: code says ${JSON.stringify(rule)}, table says ${JSON.stringify({ ...ROUTES[route], params: undefined })}`);
    expect(drift).toEqual([]);
  });

  it('answers every caller of every route as its rule says', async () => {
    const bearerOf = (p: PrincipalName): Record<string, string> => {
      if (p === 'anonymous') return {};
      if (p === 'apiKey' || p === 'otherApiKey') return { Authorization: `Bearer ${apiKeys[p]}` };
      return as(users[p]);
    };
    const failures: string[] = [];
    let calls = 0;
    for (const [route, rule] of Object.entries(ROUTES)) {
      const [verb, template] = route.split(' ');
      const method = verb.toLowerCase() as Method;
      let missingFixture = false;
      const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const p = rule.params?.[name];
        if (!p) throw new Error(`${route}: no fixture for path parameter "${name}" (add params to its table entry)`);
        if (typeof p === 'object') return encodeURIComponent(p.literal);
        if (!ids[p]) missingFixture = true;
        return encodeURIComponent(fx.id(p));
      });
      // Refused callers first: a refusal must change nothing the allowed callers then see.
      const order = [...PRINCIPALS].sort((a, b) => Number(expectationFor(rule, a) === 'allowed') - Number(expectationFor(rule, b) === 'allowed'));
      for (const principal of order) {
        const expected: Expectation = expectationFor(rule, principal);
        let req = sys.http[method](path).set(bearerOf(principal));
        if (rule.query) req = req.query(rule.query(fx));
        if (method !== 'get') req = req.set('Idempotency-Key', randomUUID());
        let res;
        if (rule.raw) {
          const { contentType, data } = rule.raw(fx);
          res = await req.set('content-type', contentType).send(data);
        } else if (rule.body) {
          res = await req.send((await rule.body(fx)) as object);
        } else {
          res = await req;
        }
        calls++;
        const s = res.status;
        const coded = /^[A-Z][A-Z0-9_]+$/.test(res.body?.error?.code ?? '');
        const ok =
          s < 500 &&
          (expected === 'allowed'
            ? s !== 401 && s !== 403 && (missingFixture ? s === 404 : method !== 'get' || (s >= 200 && s < 300) || !!rule.allowedAnswers?.includes(s))
            : expected === 'unauthenticated'
              ? s === 401 && coded
              : expected === 'forbidden'
                ? s === 403 && coded
                : (s === 403 || s === 404) && coded);
        if (!ok) {
          const want = expected === 'allowed' ? (missingFixture ? '404 (no fixture yet)' : method === 'get' ? '2xx' : 'not 401/403') : { unauthenticated: '401', forbidden: '403', hidden: '403 or 404' }[expected];
          failures.push(`${route} as ${principal}: expected ${want}, got ${s} ${JSON.stringify(res.body?.error ?? '').slice(0, 160)}`);
        }
      }
    }
    expect(calls).toBeGreaterThan(Object.keys(ROUTES).length * 8);
    expect(failures).toEqual([]);
  }, 300_000);

  it('the ledger still balances after every caller tried every route', async () => {
    const rows = await sys.dataSource.query(`SELECT currency, sum(amount)::text AS total FROM postings GROUP BY currency`);
    for (const r of rows as { total: string }[]) expect(r.total).toBe('0');
  });
});
