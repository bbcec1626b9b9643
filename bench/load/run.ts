// `npm run bench -- load [--duration=60] [--connections=200]`
//
// Starts a system of its own (a migrated database, the API and the worker as child processes, the
// Stripe emulator in this process), seeds a creator with works and consent and a licensee with an
// active licence bought through the emulator, then drives the API with N concurrent clients for D
// seconds, mixing catalogue searches, usage report POSTs (JSON, unique Idempotency-Keys) and signed
// webhook deliveries (duplicates of the real payment event and unknown event types). Prints
// throughput, p50/p95/p99 per kind, errors (non-2xx where 2xx was expected, timeouts), then waits
// for every accepted usage report to be `processed` and prints "lost reports: N" (goal 0), with the
// units counted against the units sent. Baseline in the same run: GET /health at the same
// concurrency. Asserts nothing on time (docs/benchmarks.md); exits 1 if anything was lost or wrong.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { signPayload, StripeEmulator } from '@fairshare/stripe';
import { environmentOf, testInfrastructure, WorkerProcess, createMigratedDatabase, testConfig } from '@fairshare/testing';
import { numberArg } from '../lib/args';

const { printMachine } = require('../lib/machine.js') as { printMachine: (url?: string) => unknown };
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => AutocannonInstance;
interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

const DURATION = numberArg('duration', 60);
const CONNECTIONS = numberArg('connections', 200);
const WORKS = numberArg('works', 200);
const LINES_PER_REPORT = 10;
const DRAIN_TIMEOUT_S = numberArg('drain-timeout', 900);
const ROOT = join(__dirname, '..', '..');
const PASSWORD = 'correct horse battery staple';
// Of the connections: searches, usage posts, webhooks.
const SHARE = { search: 0.5, usage: 0.3, webhook: 0.2 };

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const fmt = (n: number) => n.toFixed(1);
const sha = () => createHash('sha256').update(randomBytes(16)).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function startApi(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
  return new Promise((resolve, reject) => {
    const until = Date.now() + 120_000;
    const tick = async () => {
      if (child.exitCode !== null) return reject(new Error(`API exited: ${err}`));
      try {
        const r = await fetch(`http://127.0.0.1:${env.PORT}/health`);
        if (r.ok) return resolve(child);
      } catch {
        // not listening yet
      }
      if (Date.now() > until) return reject(new Error(`API did not start: ${err}`));
      setTimeout(tick, 300);
    };
    void tick();
  });
}

/** A tiny JSON client for the seeding (fails loudly). */
function client(base: string) {
  return async <T = Record<string, unknown>>(method: string, path: string, opts: { token?: string; body?: unknown; expect?: number[]; idem?: boolean } = {}): Promise<T> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.idem) headers['idempotency-key'] = randomUUID();
    const res = await fetch(base + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    if (!(opts.expect ?? [200, 201, 202]).includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 400)}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
}

interface KindStats {
  latencies: number[];
  statuses: Map<number, number>;
}
const newStats = (): KindStats => ({ latencies: [], statuses: new Map() });

function run(opts: { url: string; connections: number; duration: number; stats: KindStats; request: Record<string, unknown> }): PromiseLike<AutocannonResult> {
  const instance = autocannon({ url: opts.url, connections: opts.connections, duration: opts.duration, timeout: 30, requests: [opts.request] });
  instance.on('response', (_c, status, _b, ms) => {
    opts.stats.latencies.push(ms);
    opts.stats.statuses.set(status, (opts.stats.statuses.get(status) ?? 0) + 1);
  });
  return instance;
}

function report(name: string, stats: KindStats, r: AutocannonResult, expected: number, seconds: number): { errors: number; line: string } {
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  const unexpected = [...stats.statuses.entries()].filter(([s]) => s !== expected).reduce((n, [, c]) => n + c, 0);
  const errors = unexpected + r.errors + r.timeouts;
  const statuses = [...stats.statuses.entries()].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(' ');
  return {
    errors,
    line:
      `  ${name.padEnd(22)} ${String(r.requests.total).padStart(7)} req  ${fmt(r.requests.total / seconds).padStart(7)} req/s  ` +
      `p50 ${fmt(pct(sorted, 50))} ms  p95 ${fmt(pct(sorted, 95))} ms  p99 ${fmt(pct(sorted, 99))} ms  ` +
      `errors ${errors} (unexpected status ${unexpected}, socket errors ${r.errors}, timeouts ${r.timeouts}) [${statuses}]`,
  };
}

async function main(): Promise<void> {
  const infra = testInfrastructure();
  const dbName = `fairshare_bench_load_${Date.now().toString(36)}`;
  const { url, drop } = await createMigratedDatabase(dbName);
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const prefix = 'benchload' + randomBytes(3).toString('hex');
  const secretKey = 'sk_test_' + randomBytes(8).toString('hex');
  const webhookSecret = 'whsec_' + randomBytes(16).toString('hex');
  const emulator = new StripeEmulator({ secretKey });
  let api: ChildProcess | null = null;
  let worker: WorkerProcess | null = null;
  let failed: boolean;
  try {
    printMachine(url);
    console.log(`load: ${CONNECTIONS} connections for ${DURATION} s (search ${SHARE.search * 100} %, usage POST ${SHARE.usage * 100} %, webhooks ${SHARE.webhook * 100} % of the connections)`);

    const { url: stripeUrl } = await emulator.start({ webhookSecret });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const adminEmail = `admin-${prefix}@bench.test`;
    const config = testConfig({
      databaseUrl: url, queuePrefix: prefix, storageDir: join(dir, 'storage'),
      env: { DATABASE_POOL_SIZE: '20', LOG_LEVEL: 'warn', TEST_CLOCK_ENABLED: 'false', PUBLIC_URL: base, STRIPE_API_URL: stripeUrl, STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret },
    });
    const env = { ...environmentOf(config), PORT: String(port), RATE_LIMIT_PER_MINUTE: '1000000', AUTH_RATE_LIMIT_PER_MINUTE: '10000' };
    const cli = spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'apps/cli/src/main.ts'), 'admin:ensure'], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env, ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: PASSWORD }, encoding: 'utf8',
    });
    if (cli.status !== 0) throw new Error(`admin:ensure failed: ${cli.stderr}`);
    api = await startApi(env);
    emulator.setWebhookUrl(`${base}/v1/stripe/webhook`);
    worker = await WorkerProcess.start(config);
    const http = client(base);

    // Seed through the API: a creator's works with consent, an offer, a licence paid through Stripe.
    let t = Date.now();
    const reg = (role: string, extra: Record<string, string> = {}) =>
      http<{ accessToken: string; user: { id: string; organisationId: string | null } }>('POST', '/v1/auth/register', {
        body: { email: `${role}-${randomBytes(4).toString('hex')}@bench.test`, password: PASSWORD, displayName: role, role, ...extra },
      });
    const creator = await reg('creator');
    const adminToken = (await http<{ accessToken: string }>('POST', '/v1/auth/login', { body: { email: adminEmail, password: PASSWORD } })).accessToken;
    const cat = await http<{ id: string }>('POST', '/v1/catalogues', { token: creator.accessToken, body: { name: 'Bench works' } });
    const words = ['river', 'mountain', 'ocean', 'forest', 'machine', 'language', 'music', 'garden', 'winter', 'city'];
    const workIds: string[] = [];
    for (let i = 0; i < WORKS; i++) {
      const w = await http<{ id: string }>('POST', `/v1/catalogues/${cat.id}/works`, {
        token: creator.accessToken,
        body: { title: `${words[i % 10]} ${words[(i * 7) % 10]} ${i}`, description: `A work about the ${words[(i * 3) % 10]}.`, mediaType: 'text', language: 'en', contentHash: sha() },
      });
      workIds.push(w.id);
    }
    await http('POST', `/v1/catalogues/${cat.id}/consent`, {
      token: creator.accessToken,
      body: { consent: { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true } },
    });
    const offer = await http<{ id: string }>('POST', '/v1/offers', {
      token: adminToken,
      body: { kind: 'dataset', name: 'Bench', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: '100000', termDays: 365, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens', workIds },
    });
    const licensee = await reg('licensee', { organisationName: 'Bench AI' });
    const purchase = await http<{ licence: { id: string }; checkoutUrl: string }>('POST', '/v1/licences', { token: licensee.accessToken, body: { offerId: offer.id }, idem: true });
    const licenceId = purchase.licence.id;
    emulator.pay(purchase.checkoutUrl.split('/').pop()!);
    await emulator.whenDelivered();
    for (let i = 0; ; i++) {
      const l = await http<{ status: string }>('GET', `/v1/licences/${licenceId}`, { token: licensee.accessToken });
      if (l.status === 'active') break;
      if (i > 300) throw new Error(`licence never became active: ${JSON.stringify(l)}`);
      await sleep(100);
    }
    const apiKey = (await http<{ key: string }>('POST', '/v1/organisations/me/api-keys', { token: licensee.accessToken, body: { name: 'bench' } })).key;
    const completed = emulator.eventsOfType('checkout.session.completed')[0];
    const completedPayload = JSON.stringify(completed);
    const now = new Date();
    const period = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    console.log(`seeded ${WORKS} works with consent, an offer and an active licence (paid through the emulator) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // The mix.
    const searchPaths = words.flatMap((w) => [`/v1/works?q=${w}&limit=20`, `/v1/works?q=${w}&mediaType=text&use=train&limit=20`]);
    let searchI = 0;
    const accepted: string[] = [];
    let unitsSent = 0n;
    let unknownEvents = 0;
    let webhookI = 0;
    const conns = (share: number) => Math.max(1, Math.round(CONNECTIONS * share));
    const stats = { search: newStats(), usage: newStats(), webhook: newStats(), health: newStats() };
    const usageRequest = {
      method: 'POST',
      path: '/v1/usage-reports',
      setupRequest: (req: Record<string, unknown>) => {
        const lines = Array.from({ length: LINES_PER_REPORT }, (_, k) => ({ workId: workIds[(k * 13 + Math.floor(Math.random() * WORKS)) % WORKS], units: String(1 + k) }));
        return {
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ licenceId, period, lines }),
        };
      },
      onResponse: (status: number, body: string) => {
        if (status !== 202) return;
        accepted.push((JSON.parse(body) as { id: string }).id);
        unitsSent += BigInt((LINES_PER_REPORT * (LINES_PER_REPORT + 1)) / 2);
      },
    };
    const webhookRequest = {
      method: 'POST',
      path: '/v1/stripe/webhook',
      setupRequest: (req: Record<string, unknown>) => {
        // Two thirds duplicates of the real payment event, one third unknown types (new IDs).
        let payload = completedPayload;
        if (webhookI++ % 3 === 2) {
          unknownEvents++;
          payload = JSON.stringify({ id: 'evt_bench_' + randomBytes(10).toString('hex'), object: 'event', api_version: completed.api_version, created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, type: 'customer.created', data: { object: { id: 'cus_bench', object: 'customer' } } });
        }
        return { ...req, headers: { 'content-type': 'application/json', 'stripe-signature': signPayload(payload, webhookSecret) }, body: payload };
      },
    };
    const searchRequest = { method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: searchPaths[searchI++ % searchPaths.length] }) };

    // Warm-up (not counted), then the measured run.
    await Promise.all([
      run({ url: base, connections: 10, duration: 3, stats: newStats(), request: searchRequest }),
      run({ url: base, connections: 5, duration: 3, stats: newStats(), request: { ...usageRequest, onResponse: () => undefined } }),
    ]);
    console.log('measuring…');
    t = Date.now();
    const [search, usage, webhook] = await Promise.all([
      run({ url: base, connections: conns(SHARE.search), duration: DURATION, stats: stats.search, request: searchRequest }),
      run({ url: base, connections: conns(SHARE.usage), duration: DURATION, stats: stats.usage, request: usageRequest }),
      run({ url: base, connections: conns(SHARE.webhook), duration: DURATION, stats: stats.webhook, request: webhookRequest }),
    ]);
    const seconds = (Date.now() - t) / 1000;
    const baselineSeconds = Math.min(DURATION, 15);
    const health = await run({ url: base, connections: CONNECTIONS, duration: baselineSeconds, stats: stats.health, request: { method: 'GET', path: '/health' } });

    const rows = [
      report('catalogue search', stats.search, search, 200, seconds),
      report('usage report POST', stats.usage, usage, 202, seconds),
      report('webhook delivery', stats.webhook, webhook, 200, seconds),
    ];
    const total = search.requests.total + usage.requests.total + webhook.requests.total;
    const all = [...stats.search.latencies, ...stats.usage.latencies, ...stats.webhook.latencies].sort((a, b) => a - b);
    const errors = rows.reduce((n, r) => n + r.errors, 0);
    console.log(`\nresults (${CONNECTIONS} connections, ${fmt(seconds)} s)`);
    console.log(`  ${'all'.padEnd(22)} ${String(total).padStart(7)} req  ${fmt(total / seconds).padStart(7)} req/s  p50 ${fmt(pct(all, 50))} ms  p95 ${fmt(pct(all, 95))} ms  p99 ${fmt(pct(all, 99))} ms  errors ${errors}`);
    for (const r of rows) console.log(r.line);
    console.log(report(`baseline GET /health`, stats.health, health, 200, baselineSeconds).line.replace(/req {2}/, `req (${baselineSeconds} s) `));

    // Every accepted report must reach `processed`, each counted once.
    const db = new Client({ connectionString: url });
    await db.connect();
    const drainStart = Date.now();
    let states: Record<string, number> = {};
    for (;;) {
      const r = await db.query(`SELECT status, count(*)::int AS n FROM usage_reports WHERE id = ANY($1::uuid[]) GROUP BY status`, [accepted]);
      states = Object.fromEntries(r.rows.map((x: { status: string; n: number }) => [x.status, x.n]));
      const done = (states.processed ?? 0) + (states.failed ?? 0);
      if (done === accepted.length || Date.now() - drainStart > DRAIN_TIMEOUT_S * 1000) break;
      await sleep(1000);
    }
    const drained = (Date.now() - drainStart) / 1000;
    const [counted] = (
      await db.query(`SELECT count(*)::int AS n, coalesce(sum(accepted_units), 0)::text AS units, coalesce(sum(rejected_count), 0)::int AS rejected FROM usage_reports WHERE id = ANY($1::uuid[]) AND status = 'processed'`, [accepted])
    ).rows;
    const lost = accepted.length - (states.processed ?? 0);
    const [events] = (await db.query(`SELECT count(*) FILTER (WHERE status = 'ignored')::int AS ignored, count(*) FILTER (WHERE id = $1)::int AS payment FROM stripe_events`, [completed.id])).rows;
    const [payments] = (await db.query(`SELECT count(*)::int AS n FROM journal_entries WHERE kind = 'licence.payment'`)).rows;
    const trial = (await db.query(`SELECT currency, sum(amount)::text AS total FROM postings GROUP BY currency`)).rows as { currency: string; total: string }[];
    await db.end();
    console.log(`\nafter the run`);
    console.log(`  usage reports accepted (202): ${accepted.length}; processed ${states.processed ?? 0}, failed ${states.failed ?? 0}, still queued ${(states.received ?? 0) + (states.processing ?? 0)} after ${fmt(drained)} s of draining`);
    console.log(`  units sent ${unitsSent}, units counted ${counted.units}, lines rejected ${counted.rejected}`);
    console.log(`  webhooks: payment event stored ${events.payment}× and posted ${payments.n}× to the ledger; unknown events sent ${unknownEvents}, stored as ignored ${events.ignored}`);
    console.log(`  trial balance: ${trial.map((r) => `${r.currency} ${r.total}`).join(', ') || 'no postings'}`);
    console.log(`lost reports: ${lost}`);
    console.log(`errors: ${errors}`);
    failed =
      lost !== 0 || errors !== 0 || counted.units !== unitsSent.toString() || events.payment !== 1 || payments.n !== 1 || events.ignored < unknownEvents - webhook.timeouts || trial.some((r) => r.total !== '0');
    if (failed) console.log('RESULT: WRONG (see above)');
  } finally {
    if (worker) await worker.stop().catch(() => undefined);
    if (api) {
      api.kill('SIGTERM');
      await sleep(500);
    }
    await emulator.stop().catch(() => undefined);
    const redis = new Redis(infra.redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
    await drop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
