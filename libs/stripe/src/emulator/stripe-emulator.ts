import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { STRIPE_API_VERSION } from '../webhook-signing';
import { ApiError, type StripeErrorBody } from './emulator-errors';
import type {
  AccountObject,
  CheckoutSessionObject,
  DisputeObject,
  EmulatorEvent,
  TransferReversalObject,
} from './emulator-objects';
import { EmulatorStore, NO_REQUEST, newId, type CardInput, type PayResult, type RequestInfo, TEST_CARDS } from './emulator-store';
import { FormEncodingError, parseForm, type FormObject } from './form-encoding';
import { checkoutPage, notFoundPage, onboardingPage, unavailableCheckoutPage } from './hosted-pages';
import { Params } from './params';
import { WebhookDispatcher, type DeliveryAttempt, type PostResult, type WebhookRetryOptions } from './webhook-dispatcher';

export interface StripeEmulatorOptions {
  /** When set, only this key is accepted; otherwise any `sk_test_…`/`rk_test_…` key is. */
  secretKey?: string;
  webhookRetry?: Partial<WebhookRetryOptions>;
  /** Per-attempt timeout for webhook POSTs. */
  webhookTimeoutMs?: number;
  /** How long an async test card stays `processing`; `null` means only `settleAsyncPayment()` settles it. */
  asyncPaymentDelayMs?: number | null;
  /** The emulator's clock (ms since epoch), e.g. to create transfers "last month". */
  now?: () => number;
  /** One line per notable thing; silent by default. */
  log?: (line: string) => void;
}

export interface StripeEmulatorStartOptions {
  port?: number;
  host?: string;
  webhookUrl?: string;
  webhookSecret: string;
  /** Base URL put in hosted-page links (checkout `url`, account links) when it differs from where we listen. */
  publicUrl?: string;
}

type PayCard = string | CardInput;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle: (args: { params: Params; match: string[]; request: RequestInfo }) => unknown;
}

interface IdempotentResult {
  path: string;
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
}

const MAX_BODY_BYTES = 1_000_000;

/**
 * A stateful Stripe stand-in speaking Stripe's wire format over plain HTTP, reached by the real
 * `stripe` client through its host/port/protocol options. State lives in memory.
 */
export class StripeEmulator {
  private readonly store: EmulatorStore;
  private readonly dispatcher: WebhookDispatcher;
  private readonly idempotency = new Map<string, IdempotentResult>();
  private readonly pendingSettlements = new Map<string, NodeJS.Timeout>();
  private readonly routes: Route[];
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private server: http.Server | undefined;
  private baseUrl = '';
  private publicBaseUrl: string | undefined;
  private webhookSecret = '';

  constructor(private readonly options: StripeEmulatorOptions = {}) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.dispatcher = new WebhookDispatcher(
      () => this.webhookSecret,
      { attempts: options.webhookRetry?.attempts ?? 5, baseDelayMs: options.webhookRetry?.baseDelayMs ?? 200 },
      options.webhookTimeoutMs ?? 10_000,
    );
    this.store = new EmulatorStore({
      now: () => this.now(),
      publicUrl: () => this.publicBaseUrl ?? this.baseUrl,
      apiVersion: STRIPE_API_VERSION,
      emit: (event) => {
        this.log(`event ${event.id} ${event.type}`);
        this.dispatcher.enqueue(event);
      },
      scheduleAsyncSettlement: (sessionId) => this.scheduleSettlement(sessionId),
    });
    this.routes = this.buildRoutes();
  }

  // ---- Lifecycle --------------------------------------------------------------------------

  async start(opts: StripeEmulatorStartOptions): Promise<{ url: string; port: number }> {
    if (this.server) throw new Error('The emulator is already started.');
    if (!opts.webhookSecret) throw new Error('webhookSecret is required to sign webhooks.');
    this.webhookSecret = opts.webhookSecret;
    this.dispatcher.url = opts.webhookUrl;
    this.publicBaseUrl = opts.publicUrl?.replace(/\/+$/, '');
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
        if (!res.headersSent) sendJson(res, 500, { error: { type: 'api_error', message: 'The emulator failed unexpectedly.' } });
        else res.destroy();
      });
    });
    const host = opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    this.baseUrl = `http://${urlHost}:${port}`;
    return { url: this.baseUrl, port };
  }

  async stop(): Promise<void> {
    for (const timer of this.pendingSettlements.values()) clearTimeout(timer);
    this.pendingSettlements.clear();
    this.dispatcher.stop();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get url(): string {
    return this.baseUrl;
  }

  setWebhookUrl(url: string | undefined): void {
    this.dispatcher.url = url;
  }

  // ---- Test controls ----------------------------------------------------------------------

  /** Pays a checkout session as the hosted form does. `card` defaults to the succeeding test card. */
  pay(sessionId: string, card: PayCard = TEST_CARDS.succeeds): PayResult {
    return structuredClone(this.store.pay(sessionId, typeof card === 'string' ? { number: card } : card));
  }

  /** Settles an async test card now rather than after `asyncPaymentDelayMs`. */
  settleAsyncPayment(sessionId: string): void {
    const timer = this.pendingSettlements.get(sessionId);
    if (timer) clearTimeout(timer);
    this.pendingSettlements.delete(sessionId);
    this.store.settleAsyncPayment(sessionId);
  }

  expireSession(sessionId: string): CheckoutSessionObject {
    return structuredClone(this.store.expireSession(sessionId, NO_REQUEST));
  }

  /** Every event so far, oldest first (copies: changing them changes nothing here). */
  events(): EmulatorEvent[] {
    return structuredClone(this.store.events());
  }

  eventsOfType(type: string): EmulatorEvent[] {
    return this.events().filter((e) => e.type === type);
  }

  /** Every delivery attempt so far, in order. */
  deliveries(): DeliveryAttempt[] {
    return this.dispatcher.attempts();
  }

  /** Queues the very same event (same id, same body) for delivery again. */
  redeliver(eventId: string): void {
    this.dispatcher.enqueue(this.store.event(eventId));
  }

  holdWebhooks(): void {
    this.dispatcher.hold();
  }

  releaseWebhooks(opts: { order?: 'as-created' | 'reverse' } = {}): void {
    this.dispatcher.release(opts.order ?? 'as-created');
  }

  /** Resolves when no async payment is pending and the delivery queue is empty (held events count as pending). */
  async whenDelivered(): Promise<void> {
    for (;;) {
      await this.dispatcher.whenIdle();
      if (this.pendingSettlements.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  failNextTransfers(count: number, error: { code?: string; message?: string } = {}): void {
    this.store.failNextTransfers(count, {
      code: error.code ?? 'balance_insufficient',
      message:
        error.message ??
        'You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.',
    });
  }

  reverseTransfer(transferId: string, amount?: number): TransferReversalObject {
    const params = new Params(amount === undefined ? {} : { amount: String(amount) });
    return structuredClone(this.store.reverseTransfer(transferId, params, NO_REQUEST));
  }

  createDispute(chargeId: string, reason?: string): DisputeObject {
    return structuredClone(this.store.createDispute(chargeId, reason));
  }

  closeDispute(disputeId: string, outcome: 'won' | 'lost'): DisputeObject {
    return structuredClone(this.store.closeDispute(disputeId, outcome));
  }

  completeOnboarding(accountId: string): AccountObject {
    return structuredClone(this.store.completeOnboarding(accountId));
  }

  /**
   * Posts `event` (any JSON-serialisable object) to the webhook URL right away, signed with the
   * webhook secret at `timestamp` (Unix seconds; default now). No queue, no retry: the
   * receiver's answer is returned, e.g. to check a stale signature is refused.
   */
  async signedDelivery(event: unknown, opts: { timestamp?: number; url?: string } = {}): Promise<PostResult> {
    const url = opts.url ?? this.dispatcher.url;
    if (!url) throw new Error('No webhook URL: pass one to start(), setWebhookUrl() or signedDelivery().');
    return this.dispatcher.post(url, typeof event === 'string' ? event : JSON.stringify(event, null, 2), opts.timestamp);
  }

  private scheduleSettlement(sessionId: string): void {
    const delay = this.options.asyncPaymentDelayMs === undefined ? 20 : this.options.asyncPaymentDelayMs;
    if (delay === null) return;
    const timer = setTimeout(() => {
      this.pendingSettlements.delete(sessionId);
      this.store.settleAsyncPayment(sessionId);
    }, delay);
    this.pendingSettlements.set(sessionId, timer);
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    if (path.startsWith('/v1/')) return this.handleApi(req, res, url);
    if (path.startsWith('/_emulator/')) return this.handleControl(req, res, url);
    const checkout = /^\/checkout\/([^/]+)$/.exec(path);
    if (checkout) return this.handleCheckoutPage(req, res, decodeURIComponent(checkout[1]));
    const onboarding = /^\/connect\/onboarding\/([^/]+)$/.exec(path);
    if (onboarding) return this.handleOnboardingPage(req, res, decodeURIComponent(onboarding[1]));
    sendHtml(res, 404, notFoundPage(`Nothing at ${path}.`));
  }

  private async handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const requestId = newId('req', 14);
    res.setHeader('Request-Id', requestId);
    res.setHeader('Stripe-Version', headerValue(req, 'stripe-version') ?? STRIPE_API_VERSION);
    const method = req.method ?? 'GET';
    const body = await readBody(req);

    const apiKey = this.authenticate(req);
    if (typeof apiKey !== 'string') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="Stripe"');
      return sendJson(res, 401, { error: apiKey });
    }

    const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) {
      return sendJson(res, 404, {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        },
      });
    }

    let raw: FormObject;
    try {
      raw = parseForm(method === 'GET' ? url.search.slice(1) : body);
    } catch (err: unknown) {
      if (err instanceof FormEncodingError) return sendJson(res, 400, { error: { type: 'invalid_request_error', message: err.message, param: err.param } });
      throw err;
    }

    const idempotencyKey = method === 'POST' ? (headerValue(req, 'idempotency-key') ?? null) : null;
    const scope = idempotencyKey === null ? null : `${apiKey}\u0000${idempotencyKey}`;
    const fingerprint = canonical(raw);
    if (scope !== null) {
      const previous = this.idempotency.get(scope);
      if (previous) {
        if (previous.path !== url.pathname) {
          return sendJson(res, 400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${url.pathname}' vs '${previous.path}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          });
        }
        if (previous.fingerprint !== fingerprint) {
          return sendJson(res, 400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          });
        }
        res.setHeader('Idempotent-Replayed', 'true');
        res.setHeader('Original-Request', previous.requestId);
        return send(res, previous.status, 'application/json', previous.body);
      }
    }

    const params = new Params(raw);
    let status = 200;
    let payload: unknown;
    let save = true;
    try {
      const match = route.pattern.exec(url.pathname) ?? [];
      const result = route.handle({ params, match: [...match].map((m) => decodeURIComponent(m)), request: { id: requestId, idempotencyKey } });
      payload = this.expand(result, params.expand());
    } catch (err: unknown) {
      if (!(err instanceof ApiError)) throw err;
      status = err.status;
      payload = { error: err.body };
      save = err.saved;
    }
    const json = JSON.stringify(payload, null, 2);
    if (scope !== null && save) this.idempotency.set(scope, { path: url.pathname, fingerprint, status, body: json, requestId });
    send(res, status, 'application/json', json);
  }

  /** Bearer (as the client sends it) or Basic with the key as user name, like Stripe. */
  private authenticate(req: http.IncomingMessage): string | StripeErrorBody {
    const header = headerValue(req, 'authorization');
    let key: string | undefined;
    if (header?.startsWith('Bearer ')) key = header.slice(7).trim();
    else if (header?.startsWith('Basic ')) key = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
    if (!key) {
      return {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      };
    }
    const accepted = this.options.secretKey ? key === this.options.secretKey : /^(sk|rk)_test_\w+$/.test(key);
    if (!accepted) {
      return { type: 'invalid_request_error', code: 'api_key_invalid', message: `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` };
    }
    return key;
  }

  /** `expand[]` for ID fields: any field holding the ID of an object we know, at any depth. */
  private expand(result: unknown, paths: string[]): unknown {
    const out = structuredClone(result);
    for (const path of paths) {
      const segments = path.split('.');
      if (segments.length > 4) throw ApiError.invalid(`You cannot expand more than 4 levels of a property. Property: ${path}`, 'expand');
      this.expandAt(out, segments, path);
    }
    return out;
  }

  private expandAt(node: unknown, segments: string[], path: string): void {
    if (Array.isArray(node)) {
      for (const item of node) this.expandAt(item, segments, path);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const [head, ...rest] = segments;
    let value = record[head];
    if (head === 'line_items' && record['object'] === 'checkout.session' && typeof record['id'] === 'string') {
      value = record[head] = this.store.lineItems(record['id']);
    } else if (typeof value === 'string') {
      const found = this.store.find(value);
      if (!found) throw ApiError.invalid(`This property cannot be expanded (${path}).`, 'expand');
      value = record[head] = structuredClone(found);
    } else if (value === undefined) {
      throw ApiError.invalid(`This property cannot be expanded (${path}).`, 'expand');
    }
    if (rest.length > 0) this.expandAt(value, rest, path);
  }

  private buildRoutes(): Route[] {
    const s = this.store;
    const id = '([A-Za-z0-9_]+)';
    const r = (method: Route['method'], path: string, handle: Route['handle']): Route => ({
      method,
      pattern: new RegExp(`^${path.replace(/:id/g, id)}$`),
      handle,
    });
    const noParams = (p: Params): void => void p.allowOnly();
    return [
      r('POST', '/v1/checkout/sessions', ({ params }) => s.createCheckoutSession(params)),
      r('GET', '/v1/checkout/sessions/:id', ({ params, match }) => (noParams(params), s.session(match[1]))),
      r('GET', '/v1/checkout/sessions/:id/line_items', ({ params, match }) => (params.allowOnly('limit', 'starting_after', 'ending_before'), s.lineItems(match[1]))),
      r('POST', '/v1/checkout/sessions/:id/expire', ({ params, match, request }) => (noParams(params), s.expireSession(match[1], request))),
      r('GET', '/v1/payment_intents/:id', ({ params, match }) => (params.allowOnly('client_secret'), s.paymentIntent(match[1]))),
      r('GET', '/v1/charges/:id', ({ params, match }) => (noParams(params), s.charge(match[1]))),
      r('POST', '/v1/refunds', ({ params, request }) => s.createRefund(params, request)),
      r('GET', '/v1/refunds/:id', ({ params, match }) => (noParams(params), s.refund(match[1]))),
      r('GET', '/v1/balance_transactions/:id', ({ params, match }) => (noParams(params), s.balanceTransaction(match[1]))),
      r('POST', '/v1/accounts', ({ params }) => s.createAccount(params)),
      r('GET', '/v1/accounts/:id', ({ params, match }) => (noParams(params), s.account(match[1]))),
      r('POST', '/v1/account_links', ({ params }) => s.createAccountLink(params)),
      r('POST', '/v1/transfers', ({ params, request }) => s.createTransfer(params, request)),
      r('GET', '/v1/transfers', ({ params }) => s.listTransfers(params)),
      r('GET', '/v1/transfers/:id', ({ params, match }) => (noParams(params), s.transfer(match[1]))),
      r('POST', '/v1/transfers/:id/reversals', ({ params, match, request }) => s.reverseTransfer(match[1], params, request)),
      r('GET', '/v1/events/:id', ({ params, match }) => (noParams(params), s.event(match[1]))),
    ];
  }

  private async handleCheckoutPage(req: http.IncomingMessage, res: http.ServerResponse, sessionId: string): Promise<void> {
    let session: CheckoutSessionObject;
    try {
      session = this.store.session(sessionId);
    } catch (err: unknown) {
      if (err instanceof ApiError) return sendHtml(res, 404, notFoundPage(`No checkout session ${sessionId}.`));
      throw err;
    }
    const productName = this.store.productName(sessionId);
    if (req.method === 'GET') {
      if (session.status !== 'open') return sendHtml(res, 410, unavailableCheckoutPage(session));
      return sendHtml(res, 200, checkoutPage(session, productName));
    }
    if (req.method !== 'POST') return sendHtml(res, 405, notFoundPage('Method not allowed.'));
    const form = parseForm(await readBody(req));
    const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const [expMonth, expYear] = (field('exp') ?? '').split('/').map((x) => Number(x.trim()));
    const result = this.store.pay(sessionId, {
      number: field('card_number') ?? '',
      email: field('email'),
      name: field('name'),
      expMonth: Number.isInteger(expMonth) && expMonth >= 1 && expMonth <= 12 ? expMonth : undefined,
      expYear: Number.isInteger(expYear) && expYear > 0 ? (expYear < 100 ? 2000 + expYear : expYear) : undefined,
    });
    if (result.outcome === 'declined') return sendHtml(res, 402, checkoutPage(result.session, productName, result.error.message));
    if (result.outcome === 'not_open') return sendHtml(res, 410, unavailableCheckoutPage(result.session));
    res.writeHead(303, { Location: result.redirectUrl }).end();
  }

  private async handleOnboardingPage(req: http.IncomingMessage, res: http.ServerResponse, linkId: string): Promise<void> {
    const isPost = req.method === 'POST';
    if (isPost) await readBody(req);
    const link = this.store.useAccountLink(linkId, isPost);
    if (!link) return sendHtml(res, 404, notFoundPage('This onboarding link does not exist.'));
    // Like Stripe: a used or expired link sends the user to refresh_url to get a fresh one.
    if (link.state === 'stale') return void res.writeHead(isPost ? 303 : 302, { Location: link.record.refreshUrl }).end();
    if (!isPost) return sendHtml(res, 200, onboardingPage(linkId, this.store.account(link.record.account)));
    this.store.completeOnboarding(link.record.account);
    res.writeHead(303, { Location: link.record.returnUrl }).end();
  }

  /** The same controls over HTTP (JSON in, JSON out), for the portal demo and other processes. */
  private async handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    // The portal may call these from another origin in the local demo.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const text = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, { error: { type: 'invalid_request_error', message: 'Control requests take a JSON object body.' } });
    }
    const str = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const num = (k: string): number | undefined => (typeof body[k] === 'number' ? (body[k] as number) : undefined);
    const p = url.pathname.slice('/_emulator'.length);
    const m = (re: RegExp): string | undefined => {
      const found = re.exec(p);
      return found ? decodeURIComponent(found[1]) : undefined;
    };
    const get = req.method === 'GET';
    const post = req.method === 'POST';
    try {
      let out: unknown;
      let matched: string | undefined;
      if (get && p === '/health') out = { ok: true };
      else if (get && p === '/events') out = { data: url.searchParams.get('type') ? this.eventsOfType(url.searchParams.get('type') as string) : this.events() };
      else if (get && p === '/webhooks/deliveries') out = { data: this.deliveries() };
      else if (post && p === '/webhooks/hold') out = (this.holdWebhooks(), { ok: true });
      else if (post && p === '/webhooks/release') out = (this.releaseWebhooks({ order: str('order') === 'reverse' ? 'reverse' : 'as-created' }), { ok: true });
      else if (post && p === '/webhooks/url') out = (this.setWebhookUrl(str('url')), { ok: true });
      else if (post && p === '/webhooks/idle') out = (await this.whenDelivered(), { ok: true });
      else if (post && p === '/signed-delivery') out = await this.signedDelivery(body['event'], { timestamp: num('timestamp') });
      else if (post && p === '/transfers/fail-next') out = (this.failNextTransfers(num('count') ?? 1, { code: str('code'), message: str('message') }), { ok: true });
      else if (post && (matched = m(/^\/events\/([^/]+)\/redeliver$/))) out = (this.redeliver(matched), { ok: true });
      else if (post && (matched = m(/^\/checkout\/sessions\/([^/]+)\/pay$/))) out = this.pay(matched, { number: str('card') ?? TEST_CARDS.succeeds, email: str('email') });
      else if (post && (matched = m(/^\/checkout\/sessions\/([^/]+)\/settle$/))) out = (this.settleAsyncPayment(matched), { ok: true });
      else if (post && (matched = m(/^\/checkout\/sessions\/([^/]+)\/expire$/))) out = this.expireSession(matched);
      else if (post && (matched = m(/^\/transfers\/([^/]+)\/reverse$/))) out = this.reverseTransfer(matched, num('amount'));
      else if (post && (matched = m(/^\/charges\/([^/]+)\/dispute$/))) out = this.createDispute(matched, str('reason'));
      else if (post && (matched = m(/^\/disputes\/([^/]+)\/close$/))) {
        const outcome = str('outcome');
        if (outcome !== 'won' && outcome !== 'lost') throw ApiError.invalid('outcome must be "won" or "lost".', 'outcome');
        out = this.closeDispute(matched, outcome);
      } else if (post && (matched = m(/^\/accounts\/([^/]+)\/complete-onboarding$/))) out = this.completeOnboarding(matched);
      else return sendJson(res, 404, { error: { type: 'invalid_request_error', message: `Unknown emulator control: ${req.method} ${url.pathname}` } });
      sendJson(res, 200, out);
    } catch (err: unknown) {
      if (err instanceof ApiError) return sendJson(res, err.status, { error: err.body });
      throw err;
    }
  }
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': `${contentType}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value, null, 2));
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  send(res, status, 'text/html', html);
}

/** Key-order-independent form of the params, to compare idempotent requests. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
