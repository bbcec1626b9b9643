// `npm run bench -- catalogue-search [--works=1000000] [--creators=100000] [--seconds=20] [--seed-only | --reuse=<db>]
//   [--api=dist/apps/api/src/main.js] [--pool=20] [--semi-space=<MB>] [--default-only] [--cpu-prof=<dir>]
//   [--generator=wrk|autocannon]`
//
// Seeds 1,000,000 works across 100,000 creators in a database of its own (set-based
// INSERT … SELECT generate_series), starts the real API as a child process against it, and runs
// wrk (autocannon when wrk is not installed; bench/lib/load-generator.ts) with 50 connections on a
// filtered full-text search of GET /v1/works (public view: q + mediaType + use, capped total count
// included) twice: with every total counted, then with the default 10 s reuse of "more than 1,000"
// totals. In the same run it measures three baselines: the
// search's own repository call directly on one pg connection (sequential), GET /health, and the
// same search code on a bare node:http server (bare-server.ts) under the same load.
// Prints p50/p95/p99, requests per second and, for each pass, the CPU milliseconds per request
// spent by the API, by PostgreSQL (the backends of the bench's database), by the load generator
// (this process, and wrk) and by the rest of the machine; asserts nothing on time (docs/benchmarks.md).
// Iterating: --seed-only keeps the database, --reuse=<it> measures on it without seeding.
import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createDataSource, EXACT_TOTAL_UP_TO, WorkSearchRepository } from '@fairshare/persistence';
import { databaseUrl, environmentOf, createMigratedDatabase, testConfig, testInfrastructure } from '@fairshare/testing';
import { numberArg, stringArg } from '../lib/args';
import { chooseGenerator, generatorCpuMs, runLoad } from '../lib/load-generator';

const { printMachine } = require('../lib/machine.js') as { printMachine: (url?: string) => unknown };

const WORKS = numberArg('works', 1_000_000);
const CREATORS = numberArg('creators', 100_000);
const SECONDS = numberArg('seconds', 20);
const CONNECTIONS = 50;
// --seed-only: seed, print the database's name and keep it (for EXPLAIN sessions); drop it yourself.
const SEED_ONLY = process.argv.includes('--seed-only');
// --reuse=<database>: measure on a database kept by --seed-only (no seeding, not dropped after).
const REUSE = stringArg('reuse');
// --api=<main.js>: run a built API (e.g. dist/apps/api/src/main.js after `npx nest build api`)
// instead of the TypeScript sources.
const API_MAIN = stringArg('api');
// --pool=<n>: the API's DATABASE_POOL_SIZE (20 unless given).
const POOL = String(numberArg('pool', 20));
// --semi-space=<MB>: start the API with node --max-semi-space-size=<MB> (V8's young generation).
const SEMI_SPACE = numberArg('semi-space', 0);
// --default-only: skip the pass that counts every total (iterating on the HTTP stack).
const DEFAULT_ONLY = process.argv.includes('--default-only');
// --cpu-prof=<dir>: the API writes a V8 CPU profile of each pass there (node --cpu-prof).
const CPU_PROF = stringArg('cpu-prof');
// --generator=wrk|autocannon: the load generator (wrk when installed, else autocannon).
const GENERATOR = chooseGenerator();
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

/** Starts the API (or, with `script`, another server of this repository's TypeScript sources) and waits for its /health. */
function startApi(env: Record<string, string>, script?: string): Promise<ChildProcess> {
  // --cpu-prof: the API exits on SIGUSR2 through process.exit, which writes the profile (a
  // SIGTERM ends it by the signal once Nest has closed, and V8 then writes nothing).
  const profiling = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, '-r', join(__dirname, '..', 'lib', 'exit-on-sigusr2.js')] : [];
  const main = script
    ? ['-r', join(ROOT, 'test/support/ts-register.js'), script]
    : API_MAIN ? [resolve(API_MAIN)] : ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'apps/api/src/main.ts')];
  const v8 = SEMI_SPACE ? [`--max-semi-space-size=${SEMI_SPACE}`] : [];
  const child = spawn(process.execPath, [...v8, ...profiling, ...main], {
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

// Where the CPU went during a pass (Linux /proc, clock ticks): the API process(es), the PostgreSQL
// backends of the bench's database, the load generator (this process and its exited children: wrk),
// and the whole machine.
const TICK_MS = 10; // USER_HZ = 100 on Linux
function ticksOf(pid: number): number {
  try {
    const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0; // gone
  }
}
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      return Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
}
function machineTicks(): { busy: number; all: number } {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const all = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: all - v[3] - v[4], all };
}
async function cpuSnapshot(apiPid: number, pg: Client, db: string) {
  const { rows } = await pg.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db]);
  const pids = { api: [apiPid, ...childrenOf(apiPid)], pg: rows.map((r) => r.pid as number) };
  return { pids, api: pids.api.map(ticksOf), pg: pids.pg.map(ticksOf), self: generatorCpuMs(), machine: machineTicks() };
}
type CpuSnapshot = Awaited<ReturnType<typeof cpuSnapshot>>;
/** CPU milliseconds per request of each part, from two snapshots around a pass. */
function cpuPerRequest(a: CpuSnapshot, b: CpuSnapshot, requests: number, server = 'API') {
  const sum = (pids: number[], before: number[]) => pids.reduce((t, pid, i) => t + ticksOf(pid) - (before[i] ?? 0), 0) * TICK_MS;
  const api = sum(a.pids.api, a.api);
  const pg = sum(a.pids.pg, a.pg);
  const self = b.self - a.self;
  const machine = (b.machine.busy - a.machine.busy) * TICK_MS;
  const per = (ms: number) => (ms / Math.max(1, requests)).toFixed(2);
  return `CPU per request: ${server} ${per(api)} ms, PostgreSQL ${per(pg)} ms, load generator (${GENERATOR}) ${per(self)} ms, rest of the machine ${per(machine - api - pg - self)} ms (machine busy ${((100 * (b.machine.busy - a.machine.busy)) / Math.max(1, b.machine.all - a.machine.all)).toFixed(0)} %)`;
}

const load = (base: string, paths: string[], seconds: number) => runLoad(GENERATOR, base, paths, CONNECTIONS, seconds);

async function main(): Promise<void> {
  if (REUSE && !/^fairshare_bench_catalogue_[a-z0-9]+$/.test(REUSE)) throw new Error('--reuse= takes the name of a database kept by --seed-only');
  const dbName = REUSE ?? `fairshare_bench_catalogue_${Date.now().toString(36)}`;
  const { url, drop } = REUSE
    ? { url: databaseUrl(testInfrastructure().adminUrl, REUSE), drop: async () => undefined }
    : await createMigratedDatabase(dbName);
  const dir = mkdtempSync(join(tmpdir(), 'bench-catalogue-'));
  let api: ChildProcess | null = null;
  try {
    printMachine(url);
    const c = new Client({ connectionString: url });
    await c.connect();
    if (REUSE) {
      const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM works`)).rows as { n: number }[];
      console.log(`reusing database ${dbName}: ${n} works (not seeded here, not dropped after)`);
    } else await seed(c);
    if (SEED_ONLY) {
      console.log(`kept database ${dbName} (${url}); measure on it with --reuse=${dbName}`);
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
      env: { DATABASE_POOL_SIZE: POOL, LOG_LEVEL: 'warn', TEST_CLOCK_ENABLED: 'false', PUBLIC_URL: `http://127.0.0.1:${port}` },
    });
    // Two passes on the same data: every request counting its total (the cost of a search that was
    // never seen), then with the default reuse of "more than 1,000" totals for 10 s (CappedTotals).
    const base = `http://127.0.0.1:${port}`;
    const passes: { ttl: string; r: Awaited<ReturnType<typeof load>>; cpu: string }[] = [];
    let health: { r: Awaited<ReturnType<typeof load>>; cpu: string } | null = null;
    const mon = new Client({ connectionString: url });
    await mon.connect();
    const measure = async (paths: string[], seconds: number, server = 'API') => {
      const before = await cpuSnapshot(api!.pid!, mon, dbName);
      const r = await load(base, paths, seconds);
      return { r, cpu: cpuPerRequest(before, await cpuSnapshot(api!.pid!, mon, dbName), r.total, server) };
    };
    for (const ttl of DEFAULT_ONLY ? ['10'] : ['0', '10']) {
      api = await startApi({ ...environmentOf(config), PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', DATABASE_POOL_SIZE: POOL, SEARCH_CAPPED_TOTAL_TTL_SECONDS: ttl });
      await load(base, paths, 3); // warm-up
      passes.push({ ttl, ...(await measure(paths, SECONDS)) });
      if (ttl === '10') health = await measure(['/health'], 5);
      api.kill(CPU_PROF ? 'SIGUSR2' : 'SIGTERM');
      await new Promise((r) => api!.once('exit', r));
      api = null;
    }
    // Baseline 3: the same search code (WorkSearchService, WorkSearchRepository, toWorksPage) on a
    // bare node:http server, under the same load: what the search costs without the HTTP stack.
    api = await startApi(
      { ...environmentOf(config), PORT: String(port), LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: POOL, SEARCH_CAPPED_TOTAL_TTL_SECONDS: '10' },
      join(__dirname, 'bare-server.ts'),
    );
    await load(base, paths, 3); // warm-up
    const bare = await measure(paths, SECONDS, 'bare server');
    api.kill('SIGTERM');
    await new Promise((r) => api!.once('exit', r));
    api = null;
    await mon.end();

    console.log('\nresults');
    for (const { ttl, r, cpu } of passes) {
      const label = ttl === '0' ? 'every total counted (SEARCH_CAPPED_TOTAL_TTL_SECONDS=0)' : '"more than 1,000" totals reused 10 s (default)';
      console.log(`  search, ${label} (${GENERATOR}, ${CONNECTIONS} connections, ${SECONDS} s): p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms, p99 ${fmt(r.p99)} ms, ${fmt(r.rps)} req/s (${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`);
      console.log(`    ${cpu}`);
    }
    console.log(`  baseline, WorkSearchRepository.search directly (page + capped count, 1 connection, sequential, 200 runs): p50 ${fmt(pct(direct, 50))} ms, p95 ${fmt(pct(direct, 95))} ms, p99 ${fmt(pct(direct, 99))} ms`);
    console.log(`  baseline, the same search code on bare node:http (bench/catalogue-search/bare-server.ts: no Nest, Express, middleware, guards, validation or logging; totals reused 10 s; ${GENERATOR}, ${CONNECTIONS} connections, ${SECONDS} s): p50 ${fmt(bare.r.p50)} ms, p95 ${fmt(bare.r.p95)} ms, p99 ${fmt(bare.r.p99)} ms, ${fmt(bare.r.rps)} req/s (${bare.r.total} requests, ${bare.r.non2xx} non-2xx, ${bare.r.errors} errors)`);
    console.log(`    ${bare.cpu}`);
    console.log(`  baseline, GET /health (${GENERATOR}, ${CONNECTIONS} connections, 5 s): p50 ${fmt(health!.r.p50)} ms, p95 ${fmt(health!.r.p95)} ms, ${fmt(health!.r.rps)} req/s`);
    console.log(`    ${health!.cpu}`);
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
