// `npm run bench -- catalogue-search [--works=1000000] [--creators=100000] [--seconds=20]`
//
// Seeds 1,000,000 works across 100,000 creators in a database of its own (set-based
// INSERT … SELECT generate_series), starts the real API as a child process against it, and runs
// autocannon with 50 connections on a filtered full-text search of GET /v1/works (public view:
// q + mediaType + use, capped total count included) twice: with every total counted, then with the
// default 10 s reuse of "more than 1,000" totals. In the same run it measures two baselines: the
// search's own repository call directly on one pg connection (sequential), and GET /health.
// Prints p50/p95/p99 and requests per second; asserts nothing on time (docs/benchmarks.md).
import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource, EXACT_TOTAL_UP_TO, WorkSearchRepository } from '@fairshare/persistence';
import { environmentOf, createMigratedDatabase, testConfig } from '@fairshare/testing';
import { numberArg } from '../lib/args';

const { printMachine } = require('../lib/machine.js') as { printMachine: (url?: string) => unknown };
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => AutocannonInstance;
interface AutocannonInstance extends PromiseLike<{ requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number }> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

const WORKS = numberArg('works', 1_000_000);
const CREATORS = numberArg('creators', 100_000);
const SECONDS = numberArg('seconds', 20);
const CONNECTIONS = 50;
// --seed-only: seed, print the database's name and keep it (for EXPLAIN sessions); drop it yourself.
const SEED_ONLY = process.argv.includes('--seed-only');
const ROOT = join(__dirname, '..', '..');

// 240 words; titles draw 4, descriptions 8, so a word is in ~2 % of titles and ~3 % of descriptions.
const WORDS = (
  'river mountain ocean forest desert city village garden winter summer autumn spring night morning evening shadow light storm ' +
  'silence music painting portrait landscape machine engine circuit signal network language grammar poem novel story chapter ' +
  'letter archive library museum theatre dance song rhythm melody harmony voice choir orchestra piano violin guitar drum ' +
  'camera lens film scene actor director script frame colour texture canvas marble bronze glass paper ink pencil charcoal ' +
  'history science physics chemistry biology geology astronomy planet comet galaxy star moon sun cloud rain snow wind fire ' +
  'stone iron gold silver copper salt bread wine honey apple orange lemon olive pepper cedar pine oak willow maple rose lily ' +
  'tulip orchid fern moss lichen coral whale dolphin shark eagle falcon raven owl sparrow wolf fox bear deer horse tiger lion ' +
  'harbour bridge tower castle temple market street road railway station airport island valley canyon glacier volcano lake ' +
  'meadow prairie swamp reef delta coast cliff cave tunnel journey voyage exile return memory dream promise secret mirror ' +
  'window door key lantern compass map atlas border frontier empire republic revolution treaty harvest famine feast festival ' +
  'wedding funeral childhood youth elder teacher student doctor sailor soldier farmer weaver potter baker miner pilot ' +
  'engineer architect poet painter singer dancer writer reader stranger neighbour friend enemy king queen prince widow'
).split(' ');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n: number) => n.toFixed(1);

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

/** The works indexes that back no constraint: dropped before the load and rebuilt after it (faster than maintaining them row by row). */
async function secondaryIndexes(c: Client): Promise<{ name: string; def: string }[]> {
  const { rows } = await c.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
      WHERE i.indrelid = 'works'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
  );
  return rows as { name: string; def: string }[];
}

async function seed(c: Client): Promise<void> {
  const t = Date.now();
  const indexes = await secondaryIndexes(c);
  // Foreign keys and the unique constraint are checked row by row during an INSERT; re-adding them
  // after the load validates all rows in one pass (the data satisfy them by construction).
  const { rows: constraints } = (await c.query(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'works'::regclass AND contype IN ('f', 'u')`,
  )) as { rows: { name: string; def: string }[] };
  for (const k of constraints) await c.query(`ALTER TABLE works DROP CONSTRAINT ${k.name}`);
  for (const i of indexes) await c.query(`DROP INDEX ${i.name}`);
  await c.query(`CREATE TEMP TABLE words AS SELECT w, row_number() OVER () - 1 AS i FROM unnest($1::text[]) w`, [WORDS]);
  await c.query(`CREATE TEMP TABLE vocab AS SELECT array_agg(w ORDER BY i) AS a, count(*)::int AS n FROM words`);
  await c.query(
    `INSERT INTO users (id, email, password_hash, display_name, roles)
     SELECT md5('u' || g)::uuid, 'creator' || g || '@bench.test', 'x', 'Creator ' || g, '{creator}' FROM generate_series(1, $1) g`,
    [CREATORS],
  );
  await c.query(`INSERT INTO creators (id, display_name, country, payout_currency) SELECT md5('u' || g)::uuid, 'Creator ' || g, 'FR', 'EUR' FROM generate_series(1, $1) g`, [CREATORS]);
  await c.query(`INSERT INTO catalogues (id, owner_id, name) SELECT md5('c' || g)::uuid, md5('u' || g)::uuid, 'Catalogue ' || g FROM generate_series(1, $1) g`, [CREATORS]);
  console.log(`seeded ${CREATORS} creators and catalogues in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const chunk = 100_000;
  for (let from = 1; from <= WORKS; from += chunk) {
    const to = Math.min(WORKS, from + chunk - 1);
    // Deterministic pseudo-random picks (hashes of the row number); about 60 % of works consent
    // to something, 40 % to training; 2 % are disputed.
    await c.query(
      `INSERT INTO works (catalogue_id, owner_id, title, media_type, language, content_hash, size_bytes, tags, description,
                          source_url, status, allow_train, allow_fine_tune, allow_retrieval, allow_evaluation, allow_commercial,
                          allow_collective, created_at, updated_at)
       SELECT md5('c' || o)::uuid, md5('u' || o)::uuid,
              initcap(v.a[1 + h1 % v.n] || ' ' || v.a[1 + h2 % v.n] || ' ' || v.a[1 + h3 % v.n] || ' ' || v.a[1 + h4 % v.n]),
              (ARRAY['text','text','text','image','audio','video','code','dataset','other'])[1 + h1 % 9],
              (ARRAY['en','en','fr','de','es','it'])[1 + h2 % 6],
              encode(sha256(('work' || g)::bytea), 'hex'), 1000 + h3 % 100000,
              ARRAY[v.a[1 + h4 % v.n]],
              'A work about ' || v.a[1 + h5 % v.n] || ', ' || v.a[1 + h6 % v.n] || ' and ' || v.a[1 + h7 % v.n] || ' in the ' ||
                v.a[1 + h8 % v.n] || ' of ' || v.a[1 + h1 / 7 % v.n] || ', ' || v.a[1 + h2 / 7 % v.n] || ', ' || v.a[1 + h3 / 7 % v.n] || ' and ' || v.a[1 + h4 / 7 % v.n] || '.',
              'https://creator' || o || '.example/works/' || g,
              CASE WHEN h5 % 50 = 0 THEN 'disputed' ELSE 'active' END,
              h6 % 10 < 4, h6 % 10 < 3, h6 % 10 < 5 OR h6 % 10 = 9, h6 % 10 < 6, h7 % 2 = 0, h7 % 3 = 0,
              timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-01' + g * interval '1 second'
         FROM generate_series($1::int, $2::int) g
        CROSS JOIN vocab v
        CROSS JOIN LATERAL (SELECT 1 + (g - 1) % $3::int AS o) own
        CROSS JOIN LATERAL (
          SELECT (hashint4(g) & 2147483647) AS h1, (hashint4(g + 7919) & 2147483647) AS h2, (hashint4(g + 15887) & 2147483647) AS h3, (hashint4(g + 23869) & 2147483647) AS h4,
                 (hashint4(g + 31847) & 2147483647) AS h5, (hashint4(g + 39839) & 2147483647) AS h6, (hashint4(g + 47837) & 2147483647) AS h7, (hashint4(g + 55813) & 2147483647) AS h8) h`,
      [from, to, CREATORS],
    );
    process.stdout.write(`  works ${to}/${WORKS} (${((Date.now() - t) / 1000).toFixed(0)} s)\n`);
  }
  const built = Date.now();
  await c.query(`SET maintenance_work_mem = '256MB'`);
  for (const i of indexes) await c.query(i.def);
  for (const k of constraints) await c.query(`ALTER TABLE works ADD CONSTRAINT ${k.name} ${k.def}`);
  console.log(`  rebuilt ${indexes.length} secondary indexes of works (${indexes.map((i) => i.name).join(', ')}) and ${constraints.length} constraints in ${((Date.now() - built) / 1000).toFixed(1)} s`);
  await c.query(`VACUUM ANALYZE works`);
  console.log(`seeded ${WORKS} works in ${((Date.now() - t) / 1000).toFixed(1)} s (including index builds and VACUUM ANALYZE)`);
}

function startApi(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const until = Date.now() + 90_000;
    const tick = async () => {
      if (child.exitCode !== null) return reject(new Error(`API exited: ${err}`));
      try {
        const r = await fetch(`http://127.0.0.1:${env.PORT}/health`);
        if (r.ok) return resolve(child);
      } catch {}
      if (Date.now() > until) return reject(new Error(`API did not start: ${err}`));
      setTimeout(tick, 300);
    };
    void tick();
  });
}

async function load(url: string, paths: string[], seconds: number) {
  let i = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  instance.on('response', (_c, _s, _b, ms) => latencies.push(ms));
  const r = await instance;
  latencies.sort((a, b) => a - b);
  return { rps: r.requests.average, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99) };
}

async function main(): Promise<void> {
  const dbName = `fairshare_bench_catalogue_${Date.now().toString(36)}`;
  const { url, drop } = await createMigratedDatabase(dbName);
  const dir = mkdtempSync(join(tmpdir(), 'bench-catalogue-'));
  let api: ChildProcess | null = null;
  try {
    printMachine(url);
    const c = new Client({ connectionString: url });
    await c.connect();
    await seed(c);
    if (SEED_ONLY) {
      console.log(`kept database ${dbName} (${url})`);
      await c.end();
      return;
    }

    const queryWords = WORDS.slice(0, 40);
    const paths = queryWords.map((w) => `/v1/works?q=${w}&mediaType=text&use=train&limit=20`);
    const [{ n: matches }] = (await c.query(
      `SELECT avg(n)::int AS n FROM (SELECT (SELECT count(*) FROM works w WHERE w.listed AND w.search @@ websearch_to_tsquery('english', q)
                                          AND w.media_type = 'text' AND w.allow_train) AS n FROM unnest($1::text[]) q) s`,
      [queryWords],
    )).rows;
    console.log(`query: GET /v1/works?q=<one of 40 words>&mediaType=text&use=train&limit=20 (public view, total count) — ${matches} matching works on average`);

    // Baseline 1: the search itself (WorkSearchRepository: page + capped count, the API's exact SQL),
    // directly on one pg connection, sequentially, without HTTP.
    const ds = createDataSource(url, 1);
    await ds.initialize();
    const repository = new WorkSearchRepository(ds);
    const direct: number[] = [];
    let gte = 0;
    for (let k = 0; k < 200; k++) {
      const q = queryWords[k % queryWords.length];
      const t = process.hrtime.bigint();
      const page = await repository.search({ q, mediaType: 'text', uses: ['train'], visibility: 'listed', limit: 20 });
      direct.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (page.totalRelation === 'gte') gte++;
    }
    await ds.destroy();
    direct.sort((a, b) => a - b);
    console.log(`totals: ${gte}/200 answered "gte" (more than ${EXACT_TOTAL_UP_TO} matches), the others exact`);
    const where = `w.listed AND w.search @@ websearch_to_tsquery('english', 'river') AND w.media_type = 'text' AND w.allow_train`;
    const explain = async (sql: string) => (await c.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`)).rows.map((r) => r['QUERY PLAN'] as string);
    const plan = await explain(`SELECT w.id FROM works w WHERE ${where} ORDER BY w.created_at DESC, w.id DESC LIMIT 21`);
    const countPlan = await explain(`SELECT count(*) FROM (SELECT FROM works w WHERE ${where} LIMIT ${EXACT_TOTAL_UP_TO + 1}) capped`);
    await c.end();

    const port = await freePort();
    const config = testConfig({
      databaseUrl: url, queuePrefix: 'bench' + randomBytes(3).toString('hex'), storageDir: join(dir, 'storage'),
      env: { DATABASE_POOL_SIZE: '20', LOG_LEVEL: 'warn', TEST_CLOCK_ENABLED: 'false', PUBLIC_URL: `http://127.0.0.1:${port}` },
    });
    // Two passes on the same data: every request counting its total (the cost of a search that was
    // never seen), then with the default reuse of "more than 1,000" totals for 10 s (CappedTotals).
    const base = `http://127.0.0.1:${port}`;
    const passes: { ttl: string; r: Awaited<ReturnType<typeof load>> }[] = [];
    let health: Awaited<ReturnType<typeof load>> | null = null;
    for (const ttl of ['0', '10']) {
      api = await startApi({ ...environmentOf(config), PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', DATABASE_POOL_SIZE: '20', SEARCH_CAPPED_TOTAL_TTL_SECONDS: ttl });
      await load(base, paths, 3); // warm-up
      passes.push({ ttl, r: await load(base, paths, SECONDS) });
      if (ttl === '10') health = await load(base, ['/health'], 5);
      api.kill('SIGTERM');
      await new Promise((r) => api!.once('exit', r));
      api = null;
    }

    console.log('\nresults');
    for (const { ttl, r } of passes) {
      const label = ttl === '0' ? 'every total counted (SEARCH_CAPPED_TOTAL_TTL_SECONDS=0)' : '"more than 1,000" totals reused 10 s (default)';
      console.log(`  search, ${label} (autocannon, ${CONNECTIONS} connections, ${SECONDS} s): p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms, p99 ${fmt(r.p99)} ms, ${fmt(r.rps)} req/s (${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`);
    }
    console.log(`  baseline, WorkSearchRepository.search directly (page + capped count, 1 connection, sequential, 200 runs): p50 ${fmt(pct(direct, 50))} ms, p95 ${fmt(pct(direct, 95))} ms, p99 ${fmt(pct(direct, 99))} ms`);
    console.log(`  baseline, GET /health (autocannon, ${CONNECTIONS} connections, 5 s): p50 ${fmt(health!.p50)} ms, p95 ${fmt(health!.p95)} ms, ${fmt(health!.rps)} req/s`);
    console.log(`  plan of the page query:\n    ${plan.join('\n    ')}`);
    console.log(`  plan of the capped count:\n    ${countPlan.join('\n    ')}`);
  } finally {
    if (api) {
      api.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
    }
    rmSync(dir, { recursive: true, force: true });
    if (!SEED_ONLY) await drop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
