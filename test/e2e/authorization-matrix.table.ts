import type { Role } from '@fairshare/domain';

/**
 * Who may call each route: the table `authorization-matrix.e2e-spec.ts` checks against the running
 * API and against the code's own `fairshare:access` metadata. A route missing here fails the test
 * ("declare its rule"), and so does an entry for a route that no longer exists.
 *
 * Keys are `METHOD /path` with OpenAPI-style parameters (`/v1/works/{id}`).
 */
export interface RouteRule {
  /** Anyone, anonymous included (`@Public`). */
  public?: true;
  /** Any signed-in user, whatever their roles; API keys refused (`@Authenticated`). */
  authenticated?: true;
  /** Users holding one of these roles (`@Roles`), */
  roles?: Role[];
  /** … and the organisation's API keys too (`@RolesOrApiKey`). */
  apiKey?: true;
  /**
   * The resource in the path (or body) belongs to "creator" or to "licensee's organisation": the
   * counterpart (another creator; another organisation's licensee or API key) gets 403 or 404.
   */
  owner?: 'creator' | 'organisation';
  /**
   * The resource is private (a draft): besides its owner only these roles see it; everyone else,
   * anonymous included, gets 403 or 404.
   */
  visibleTo?: Role[];
  /** Not a Nest controller (mounted middleware): checked by calling it, not against metadata. */
  mounted?: true;
  /** Path parameters: a fixture's name, or `{ literal }`. A fixture not built yet → a random UUID, and allowed callers must get 404. */
  params?: Record<string, FixtureName | { literal: string }>;
  query?: (fx: FixtureContext) => Record<string, string>;
  /** A minimal valid JSON body (a fresh one per call). */
  body?: (fx: FixtureContext) => unknown | Promise<unknown>;
  /** A non-JSON body. */
  raw?: (fx: FixtureContext) => { contentType: string; data: string | Buffer };
  /**
   * Reads (GET) of an existing fixture must answer allowed callers 2xx (so an owner really sees
   * its own resource, and a table that forgets `owner` fails); these statuses are accepted too.
   */
  allowedAnswers?: number[];
  /** Why a surprising rule is right (read in review). */
  why?: string;
}

export type FixtureName =
  | 'catalogue'
  | 'draftWork'
  | 'listedWork'
  | 'worksImport'
  | 'spareApiKey'
  | 'throwawayUser'
  | 'offer'
  | 'licence'
  | 'usageReport'
  | 'payoutRun'
  | 'royaltyRun';

/** What bodies may use: the fixtures' IDs and fresh values. */
export interface FixtureContext {
  id(name: FixtureName): string;
  userId(who: 'creator' | 'otherCreator' | 'licensee'): string;
  uniqueHash(): string;
  uniqueEmail(): string;
  /** A fresh refresh token of a throwaway user (for refresh and logout). */
  freshRefreshToken(): Promise<string>;
  throwawayCredentials(): { email: string; password: string };
  period: string;
  /** The month before the current one (ended: a royalty run may start). */
  previousPeriod: string;
}

const NONE = { train: false, fineTune: false, retrieval: false, evaluation: false, commercial: false, collective: false };
const PASSWORD = 'correct horse battery staple';
const FINANCE: Role[] = ['finance', 'admin'];

export const ROUTES: Record<string, RouteRule> = {
  // Health and public documents
  'GET /health': { public: true },
  'GET /.well-known/tdmrep.json': { public: true },

  // Identity
  'POST /v1/auth/register': { public: true, body: (fx) => ({ email: fx.uniqueEmail(), password: PASSWORD, displayName: 'New', role: 'creator' }) },
  'POST /v1/auth/login': { public: true, body: (fx) => fx.throwawayCredentials() },
  'POST /v1/auth/refresh': { public: true, body: async (fx) => ({ refreshToken: await fx.freshRefreshToken() }) },
  'POST /v1/auth/logout': { public: true, body: async (fx) => ({ refreshToken: await fx.freshRefreshToken() }) },
  'GET /v1/me': { authenticated: true },
  'POST /v1/organisations/me/api-keys': { roles: ['licensee'], body: () => ({ name: 'matrix' }) },
  'GET /v1/organisations/me/api-keys': { roles: ['licensee'] },
  'POST /v1/organisations/me/api-keys/{id}/revoke': { roles: ['licensee'], owner: 'organisation', params: { id: 'spareApiKey' } },
  'POST /v1/organisations/me/invites': { roles: ['licensee'] },
  'POST /v1/admin/users': { roles: ['admin'], body: (fx) => ({ email: fx.uniqueEmail(), displayName: 'Staff', password: PASSWORD, roles: ['finance'] }) },
  'GET /v1/admin/users': { roles: ['admin'] },
  'POST /v1/admin/users/{id}/roles': { roles: ['admin'], params: { id: 'throwawayUser' }, body: () => ({ roles: ['creator'] }) },
  'GET /v1/admin/audit-log': { roles: ['admin'] },
  'GET /v1/test-clock': { authenticated: true },
  'POST /v1/test-clock': { roles: ['admin'], body: () => ({ reset: true }) },
  'GET /admin/queues': { roles: ['admin'], mounted: true, why: 'Bull Board, behind queueBoardGuard' },

  // Ledger
  'GET /v1/ledger/trial-balance': { roles: FINANCE },
  'GET /v1/ledger/accounts/{account}/entries': { roles: FINANCE, params: { account: { literal: 'cash:stripe' } } },

  // Catalogue
  'POST /v1/catalogues': { roles: ['creator'], body: () => ({ name: 'Matrix catalogue' }) },
  'GET /v1/catalogues': { roles: ['creator'] },
  'GET /v1/catalogues/{id}': { public: true, params: { id: 'catalogue' }, why: 'counts of listed works are public; owners and admins also count drafts' },
  'PATCH /v1/catalogues/{id}': { roles: ['creator'], owner: 'creator', params: { id: 'catalogue' }, body: () => ({ description: 'edited' }) },
  'POST /v1/catalogues/{id}/works': {
    roles: ['creator'], owner: 'creator', params: { id: 'catalogue' },
    body: (fx) => ({ title: 'Matrix work', mediaType: 'text', language: 'en', contentHash: fx.uniqueHash() }),
  },
  'POST /v1/catalogues/{id}/consent': { roles: ['creator'], owner: 'creator', params: { id: 'catalogue' }, body: () => ({ consent: NONE }) },
  'POST /v1/catalogues/{id}/imports': {
    roles: ['creator'], owner: 'creator', params: { id: 'catalogue' },
    raw: (fx) => ({ contentType: 'text/csv', data: `title,mediaType,language,contentHash\nImported,text,en,${fx.uniqueHash()}\n` }),
  },
  'GET /v1/catalogues/{id}/rsl.xml': { public: true, params: { id: 'catalogue' } },
  'GET /v1/me/creator-profile': { roles: ['creator'] },
  'PUT /v1/me/creator-profile': { roles: ['creator'], body: () => ({ displayName: 'Creator', country: 'FR', payoutCurrency: 'EUR' }) },
  'GET /v1/admin/disputes': { roles: ['admin'] },
  'POST /v1/admin/disputes/{hash}/resolve': {
    roles: ['admin'], params: { hash: { literal: 'a'.repeat(64) } }, body: (fx) => ({ keepWorkId: fx.id('draftWork') }),
    why: 'no disputed hash in the fixtures: admins get 404/409/422, never 401/403',
  },
  'GET /v1/works': { public: true },
  'GET /v1/works/{id}': { public: true, owner: 'creator', visibleTo: ['admin'], params: { id: 'draftWork' }, why: 'a draft: owner, holders and admins only' },
  'POST /v1/works/{id}/content': {
    roles: ['creator'], owner: 'creator', params: { id: 'draftWork' },
    raw: () => ({ contentType: 'application/octet-stream', data: Buffer.from('not the declared content') }),
  },
  'PUT /v1/works/{id}/consent': { roles: ['creator'], owner: 'creator', params: { id: 'draftWork' }, body: () => NONE },
  'GET /v1/works/{id}/consent-history': { authenticated: true, owner: 'creator', visibleTo: ['admin'], params: { id: 'draftWork' } },
  'GET /v1/works/{id}/splits': { authenticated: true, owner: 'creator', visibleTo: ['admin'], params: { id: 'draftWork' } },
  'PUT /v1/works/{id}/splits': {
    roles: ['creator'], owner: 'creator', params: { id: 'draftWork' },
    body: (fx) => ({ holders: [{ creatorId: fx.userId('creator'), shareBps: 10000 }] }),
  },
  'POST /v1/holder-invitations/accept': { roles: ['creator'], body: () => ({ token: 'no-such-invitation-token' }) },
  'GET /v1/works-imports/{id}': { roles: ['creator', 'admin'], owner: 'creator', params: { id: 'worksImport' } },
  'GET /v1/works-imports/{id}/rejections': { roles: ['creator', 'admin'], owner: 'creator', params: { id: 'worksImport' } },

  // Licensing
  'POST /v1/offers': {
    roles: FINANCE,
    body: (fx) => ({
      kind: 'dataset', name: 'Matrix offer', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: '1000',
      termDays: 30, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens', workIds: [fx.id('listedWork')],
    }),
  },
  'GET /v1/offers': { public: true },
  'GET /v1/offers/{id}': { public: true, params: { id: 'offer' } },
  'GET /v1/offers/{id}/works': { public: true, params: { id: 'offer' } },
  'POST /v1/offers/{id}/active': { roles: FINANCE, params: { id: 'offer' }, body: () => ({ active: true }) },
  'GET /v1/licensing/public-key': { public: true },
  'POST /v1/licences': { roles: ['licensee'], body: (fx) => ({ offerId: fx.id('offer') }) },
  'GET /v1/licences': { roles: ['licensee', ...FINANCE], apiKey: true },
  'GET /v1/licences/{id}': { roles: ['licensee', ...FINANCE], apiKey: true, owner: 'organisation', params: { id: 'licence' } },
  'GET /v1/licences/{id}/manifest': { roles: ['licensee', ...FINANCE], apiKey: true, owner: 'organisation', params: { id: 'licence' } },
  'GET /v1/licences/{id}/certificate': { roles: ['licensee', ...FINANCE], apiKey: true, owner: 'organisation', params: { id: 'licence' } },
  'GET /v1/licences/{id}/works/{workId}/content': {
    roles: ['licensee'], apiKey: true, owner: 'organisation', params: { id: 'licence', workId: 'listedWork' }, allowedAnswers: [422],
    why: 'the work has no stored content: members get 422 CONTENT_NOT_STORED, never 401/403',
  },
  'POST /v1/licences/{id}/refunds': { roles: ['admin'], params: { id: 'licence' }, body: () => ({ amountMinor: '1' }) },
  'GET /v1/register/licences': { public: true },
  'GET /v1/register/works/{id}': { public: true, params: { id: 'listedWork' } },
  'GET /v1/register/stats': { public: true },
  'GET /v1/me/works/{id}/licences': { roles: ['creator'], owner: 'creator', params: { id: 'listedWork' } },
  'POST /v1/stripe/webhook': { public: true, why: 'Stripe authenticates by signature, not bearer: unsigned bodies get 400 with a code', raw: () => ({ contentType: 'application/json', data: '{"id":"evt_matrix"}' }) },

  // Usage
  'POST /v1/usage-reports': {
    roles: ['licensee'], apiKey: true, owner: 'organisation',
    body: (fx) => ({ licenceId: fx.id('licence'), period: fx.period, lines: [{ workId: fx.id('listedWork'), units: '10' }] }),
    why: 'the owned resource is the licence in the body',
  },
  'POST /v1/usage-reports/upload': {
    roles: ['licensee'], apiKey: true, owner: 'organisation',
    query: (fx) => ({ licenceId: fx.id('licence'), period: fx.period }),
    raw: (fx) => ({ contentType: 'application/x-ndjson', data: JSON.stringify({ workId: fx.id('listedWork'), units: '5' }) + '\n' }),
  },
  'GET /v1/usage-reports': { roles: ['licensee', ...FINANCE], apiKey: true },
  'GET /v1/usage-reports/{id}': { roles: ['licensee', ...FINANCE], apiKey: true, owner: 'organisation', params: { id: 'usageReport' } },
  'GET /v1/usage-reports/{id}/rejections': { roles: ['licensee', ...FINANCE], apiKey: true, owner: 'organisation', params: { id: 'usageReport' } },

  // Royalties
  'POST /v1/royalty-runs': { roles: ['finance'], body: (fx) => ({ period: fx.previousPeriod }) },
  'GET /v1/royalty-runs': { roles: ['finance'] },
  'GET /v1/royalty-runs/{id}': { roles: ['finance'], params: { id: 'royaltyRun' } },
  'GET /v1/royalty-runs/{id}/lines': { roles: ['finance'], params: { id: 'royaltyRun' } },
  'GET /v1/royalty-runs/{id}/creators': { roles: ['finance'], params: { id: 'royaltyRun' }, query: () => ({ q: 'creator' }) },
  // Before recompute: whoever re-computes may not approve (four eyes), and "finance" did not start it.
  'POST /v1/royalty-runs/{id}/approve': { roles: ['finance'], params: { id: 'royaltyRun' }, why: 'started by another finance user, so four-eyes lets "finance" approve' },
  'POST /v1/royalty-runs/{id}/recompute': { roles: ['finance'], params: { id: 'royaltyRun' } },
  'GET /v1/me/statements': {
    roles: ['creator', 'finance'], owner: 'creator', query: (fx) => ({ creatorId: fx.userId('creator') }),
    why: 'the owned resource is ?creatorId=: another creator asking for it is refused; finance reads any creator',
  },
  'GET /v1/me/statements/{runId}': { roles: ['creator', 'finance'], owner: 'creator', params: { runId: 'royaltyRun' }, query: (fx) => ({ creatorId: fx.userId('creator') }) },
  'GET /v1/me/balance': { roles: ['creator'] },

  // Payouts
  'POST /v1/me/payout-account': { roles: ['creator'] },
  'GET /v1/me/payout-account': { roles: ['creator'] },
  'GET /v1/me/payouts': { roles: ['creator'] },
  'GET /v1/payouts/reconciliation': { roles: ['finance'], query: () => ({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }) },
  'GET /v1/royalties/unclaimed': { roles: ['finance'] },
  'POST /v1/payout-runs': { roles: ['finance'], body: () => ({ currency: 'EUR' }) },
  'GET /v1/payout-runs': { roles: ['finance'] },
  'GET /v1/payout-runs/{id}': { roles: ['finance'], params: { id: 'payoutRun' } },
  'POST /v1/payout-runs/{id}/approve': { roles: ['finance'], params: { id: 'payoutRun' }, why: 'started by another finance user, so four-eyes lets "finance" approve' },
  'GET /v1/payout-runs/{id}/export.csv': { roles: ['finance'], params: { id: 'payoutRun' } },
};

// ---------------------------------------------------------------------------------------------
// Who calls, and what each caller should get.

export const PRINCIPALS = ['anonymous', 'creator', 'otherCreator', 'licensee', 'otherLicensee', 'apiKey', 'otherApiKey', 'finance', 'admin'] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

interface PrincipalTraits {
  kind: 'anonymous' | 'user' | 'apiKey';
  roles: Role[];
  /** Which side of an owned resource this caller is on. */
  side: Partial<Record<'creator' | 'organisation', 'owner' | 'counterpart'>>;
}

export const PRINCIPAL_TRAITS: Record<PrincipalName, PrincipalTraits> = {
  anonymous: { kind: 'anonymous', roles: [], side: {} },
  creator: { kind: 'user', roles: ['creator'], side: { creator: 'owner' } },
  otherCreator: { kind: 'user', roles: ['creator'], side: { creator: 'counterpart' } },
  licensee: { kind: 'user', roles: ['licensee'], side: { organisation: 'owner' } },
  otherLicensee: { kind: 'user', roles: ['licensee'], side: { organisation: 'counterpart' } },
  apiKey: { kind: 'apiKey', roles: ['licensee'], side: { organisation: 'owner' } },
  otherApiKey: { kind: 'apiKey', roles: ['licensee'], side: { organisation: 'counterpart' } },
  finance: { kind: 'user', roles: ['finance'], side: {} },
  admin: { kind: 'user', roles: ['admin'], side: {} },
};

/**
 * allowed: anything but 401/403 (2xx for reads of an existing fixture; 404 when the fixture does
 * not exist yet); unauthenticated: 401; forbidden: 403; hidden: 403 or 404.
 */
export type Expectation = 'allowed' | 'unauthenticated' | 'forbidden' | 'hidden';

export function expectationFor(rule: RouteRule, principal: PrincipalName): Expectation {
  const p = PRINCIPAL_TRAITS[principal];
  if (p.kind === 'anonymous') {
    if (!rule.public) return 'unauthenticated';
    return rule.visibleTo ? 'hidden' : 'allowed';
  }
  if (rule.authenticated && p.kind === 'apiKey') return 'forbidden';
  if (rule.roles) {
    if (p.kind === 'apiKey' && !rule.apiKey) return 'forbidden';
    if (!p.roles.some((r) => rule.roles!.includes(r))) return 'forbidden';
  }
  if (rule.owner) {
    const side = p.side[rule.owner];
    if (side === 'counterpart') return 'hidden';
    if (side === 'owner') return 'allowed';
    if (rule.visibleTo && !p.roles.some((r) => rule.visibleTo!.includes(r))) return 'hidden';
  }
  return 'allowed';
}
