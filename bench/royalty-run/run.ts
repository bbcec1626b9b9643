// `npm run bench -- royalty-run [--works=1000000] [--creators=100000] [--usage-works=200000] [--reports=10] [--dataset-works=50000]
//                               [--explain] [--digest] [--keep] [--reuse=<database>]`
//
// `--keep` keeps the seeded database (its name is printed); `--reuse=<database>` measures again on
// such a database without seeding it: pending migrations are run and every earlier run's output
// (runs, chunks, figures, lines) is removed first, so each measurement starts from the same state.
// `--digest` prints an md5 digest of every line of the run (to check that a change keeps them).
//
// Seeds a database of its own straight with SQL (generate_series): 1,000,000 works of 100,000
// creators with 1–3 holders each (a third of the works each: 10000 / 5000+5000 / 3333+3333+3334),
// 10 licences paid in January 2026 — 5 `usage` (collective: every work in the manifest) each with
// usage on 200,000 distinct works in 10 processed reports (10,000,000 rows in usage_aggregates,
// the usage tables' raw accepted units), 5 `equal` over dataset manifests of 50,000 works. Then,
// with the real API in this process and the real worker as a child process (2 concurrent jobs),
// measures POST /v1/royalty-runs → `computed`, and in the same run the bare SQL aggregate of the
// same usage data (GROUP BY licence, work). Prints both, the ratio and the machine. Asserts
// nothing on time; checks that recognised = fees + Σ lines (docs/benchmarks.md).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { UserAdminService } from '@fairshare/identity';
import { databaseUrl, testInfrastructure, WorkerProcess, createMigratedDatabase, runPendingMigrations, testConfig, withAdminClient } from '@fairshare/testing';
import { numberArg, stringArg } from '../lib/args';
import { createApiApp } from '../../apps/api/src/bootstrap';

const { printMachine } = require('../lib/machine.js') as { printMachine: (url?: string) => unknown };

const WORKS = numberArg('works', 1_000_000);
const CREATORS = numberArg('creators', 100_000);
const USAGE_WORKS = numberArg('usage-works', 200_000);
const REPORTS = numberArg('reports', 10);
const DATASET_WORKS = numberArg('dataset-works', 50_000);
const PERIOD = '2026-01';
const secs = (ms: number) => (ms / 1000).toFixed(2);
const REUSE = stringArg('reuse');

/** A database seeded by an earlier `--keep` run: pending migrations applied; it is never dropped. */
async function reuseDatabase(name: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  if (!/^fairshare_bench_royalty_[a-z0-9]+$/.test(name)) throw new Error(`--reuse: ${name} is not a database kept by this benchmark`);
  const found = await withAdminClient(async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount);
  if (!found) throw new Error(`--reuse: no database ${name}`);
  const url = databaseUrl(testInfrastructure().adminUrl, name);
  await runPendingMigrations(url);
  return { name, url, drop: async () => undefined };
}

/** Removes the output of earlier runs (never approved here): the next run starts as on a fresh seed. */
async function cleanEarlierRuns(sql: (q: string, p?: unknown[]) => Promise<unknown>): Promise<void> {
  await sql(`TRUNCATE royalty_lines, royalty_licence_totals, royalty_run_chunks, royalty_runs, royalty_work_amounts`);
  await sql(`VACUUM ANALYZE royalty_lines, royalty_licence_totals, royalty_run_chunks, royalty_runs, royalty_work_amounts`);
}

/** Deterministic UUIDs from a label and an integer, in SQL. */
const uid = (label: string, expr: string) => `md5('${label}' || (${expr})::text)::uuid`;

async function seed(sql: (q: string, p?: unknown[]) => Promise<unknown>, staffId: string): Promise<void> {
  const step = async (what: string, q: string, p?: unknown[]) => {
    const t = Date.now();
    await sql(q, p);
    console.log(`  seeded ${what} in ${secs(Date.now() - t)} s`);
  };
  // Triggers (append-only, split totals) and FKs are skipped while seeding this synthetic world.
  await sql(`SET session_replication_role = replica`);
  await sql(`SET maintenance_work_mem = '256MB'`);
  await step('organisation', `INSERT INTO organisations (id, name, slug) VALUES (${uid('org', '1')}, 'Bench AI', 'bench-ai')`);
  await step(`${CREATORS} creators`, `
    INSERT INTO users (id, email, password_hash, display_name, roles) SELECT ${uid('c', 'i')}, 'c' || i || '@bench.test', 'x', 'Creator ' || i, '{creator}' FROM generate_series(0, $1 - 1) i;
    `.replace('$1', String(CREATORS)));
  await step('creator profiles and catalogues', `
    INSERT INTO creators (id, display_name) SELECT ${uid('c', 'i')}, 'Creator ' || i FROM generate_series(0, ${CREATORS} - 1) i;
    INSERT INTO catalogues (id, owner_id, name) SELECT ${uid('c', 'i')}, ${uid('c', 'i')}, 'Catalogue ' || i FROM generate_series(0, ${CREATORS} - 1) i;`);
  await step(`${WORKS} works`, `
    INSERT INTO works (id, catalogue_id, owner_id, title, media_type, language, content_hash, allow_train, allow_collective, allow_commercial)
    SELECT ${uid('w', 'i')}, ${uid('c', `i % ${CREATORS}`)}, ${uid('c', `i % ${CREATORS}`)}, 'Work ' || i, 'text', 'en', md5('h' || i) || md5('H' || i), true, true, true
      FROM generate_series(0, ${WORKS} - 1) i`);
  await step('splits (1–3 holders per work)', `
    INSERT INTO work_splits (id, work_id, version, effective_at) SELECT ${uid('s', 'i')}, ${uid('w', 'i')}, 1, '2025-01-01' FROM generate_series(0, ${WORKS} - 1) i;
    INSERT INTO work_split_shares (split_id, holder_creator_id, share_bps)
    SELECT ${uid('s', 'i')}, ${uid('c', `(i + k * 7919) % ${CREATORS}`)},
           CASE i % 3 WHEN 0 THEN 10000 WHEN 1 THEN 5000 ELSE CASE k WHEN 2 THEN 3334 ELSE 3333 END END
      FROM generate_series(0, ${WORKS} - 1) i, generate_series(0, 2) k WHERE k <= i % 3`);
  await step('offers and 10 licences', `
    INSERT INTO offers (id, kind, name, uses, commercial, currency, price_minor, term_days, admin_fee_bps, distribution_key, usage_unit, created_by)
    SELECT ${uid('L', 'l')}, CASE WHEN l < 5 THEN 'collective' ELSE 'dataset' END, 'Offer ' || l, '{train}', true, 'EUR', 100000000 + l * 1234567, NULL, 1000,
           CASE WHEN l < 5 THEN 'usage' ELSE 'equal' END, 'tokens', '${staffId}' FROM generate_series(0, 9) l;
    INSERT INTO licences (id, offer_id, organisation_id, status, kind, uses, commercial, currency, price_minor, term_days, admin_fee_bps, distribution_key, usage_unit,
                          starts_at, ends_at, amount_paid_minor, manifest_sha256, work_count)
    SELECT o.id, o.id, ${uid('org', '1')}, 'active', o.kind, o.uses, o.commercial, o.currency, o.price_minor, NULL, o.admin_fee_bps, o.distribution_key, o.usage_unit,
           '2026-01-05T10:00:00Z', NULL, o.price_minor, repeat('a', 64), 0 FROM offers o`);
  await step(`manifests (5 × ${WORKS} collective, 5 × ${DATASET_WORKS} dataset)`, `
    INSERT INTO licence_manifest_lines (licence_id, work_id, content_hash, consent_record_id)
    SELECT ${uid('L', 'l')}, ${uid('w', 'i')}, md5('h' || i) || md5('H' || i), ${uid('cr', 'i')} FROM generate_series(0, 4) l, generate_series(0, ${WORKS} - 1) i;
    INSERT INTO licence_manifest_lines (licence_id, work_id, content_hash, consent_record_id)
    SELECT ${uid('L', 'l')}, ${uid('w', `(i * 13 + l * 100003) % ${WORKS}`)}, md5('h' || ((i * 13 + l * 100003) % ${WORKS})) || md5('H' || ((i * 13 + l * 100003) % ${WORKS})),
           ${uid('cr', `(i * 13 + l * 100003) % ${WORKS}`)}
      FROM generate_series(5, 9) l, generate_series(0, ${DATASET_WORKS} - 1) i`);
  await sql(`CREATE TABLE IF NOT EXISTS usage_aggregates_${PERIOD.replace('-', '_')} PARTITION OF usage_aggregates FOR VALUES IN ('${PERIOD}')`);
  await step(`${5 * REPORTS} processed usage reports`, `
    INSERT INTO usage_reports (id, licence_id, organisation_id, period, source, storage_key, file_bytes, file_sha256, status, line_count, accepted_count, rejected_count,
                               accepted_units, work_count, submitted_by_type, submitted_by_id, received_at, processed_at)
    SELECT ${uid('r', 'l * 1000 + r')}, ${uid('L', 'l')}, ${uid('org', '1')}, '${PERIOD}', 'csv', 'bench', 0, repeat('b', 64), 'processed', ${USAGE_WORKS}, ${USAGE_WORKS}, 0,
           0, ${USAGE_WORKS}, 'user', '${staffId}', '2026-01-31T12:00:00Z', '2026-01-31T12:00:00Z'
      FROM generate_series(0, 4) l, generate_series(0, ${REPORTS} - 1) r`);
  await step(`${5 * REPORTS * USAGE_WORKS} usage rows (5 licences × ${USAGE_WORKS} works × ${REPORTS} reports)`, `
    INSERT INTO usage_aggregates (period, report_id, licence_id, work_id, units, line_count)
    SELECT '${PERIOD}', ${uid('r', 'l * 1000 + r')}, ${uid('L', 'l')}, ${uid('w', `(i * 7 + l * 200003) % ${WORKS}`)}, 1 + ((i * 31 + r * 17 + l) % 1000), 1
      FROM generate_series(0, 4) l, generate_series(0, ${REPORTS} - 1) r, generate_series(0, ${USAGE_WORKS} - 1) i`);
  await sql(`SET session_replication_role = origin`);
  await step('ANALYZE', `ANALYZE`);
}

async function main(): Promise<void> {
  const infra = testInfrastructure();
  const dbName = REUSE ?? `fairshare_bench_royalty_${Date.now().toString(36)}`;
  const { url, drop } = REUSE ? await reuseDatabase(REUSE) : await createMigratedDatabase(dbName);
  const dir = mkdtempSync(join(tmpdir(), 'bench-royalty-'));
  const prefix = 'bench' + randomBytes(3).toString('hex');
  let worker: WorkerProcess | null = null;
  let api: Awaited<ReturnType<typeof createApiApp>> | null = null;
  try {
    printMachine(url);
    const config = testConfig({ databaseUrl: url, queuePrefix: prefix, storageDir: join(dir, 'storage') });
    api = await createApiApp(config);
    await api.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(api.getHttpServer().address() as { port: number }).port}`;
    const db = new Client({ connectionString: url });
    db.on('error', () => undefined);
    await db.connect();
    const sql = async (q: string, p?: unknown[]) => (await db.query(q, p as unknown[])).rows as Record<string, unknown>[];

    const password = 'correct horse battery staple';
    const staff = await api.get(UserAdminService, { strict: false }).createStaff({ email: `fin-${prefix}@bench.test`, displayName: 'Finance', password, roles: ['finance'] });
    const login = (await (await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `fin-${prefix}@bench.test`, password }) })).json()) as { accessToken: string; user: { id: string } };
    void staff;

    if (REUSE) {
      console.log(`reusing database ${REUSE} (seeded earlier; the size flags are ignored): earlier runs removed`);
      await cleanEarlierRuns(sql);
    } else {
      console.log(`seeding: ${WORKS} works, ${CREATORS} creators, 10 licences, ${5 * REPORTS * USAGE_WORKS} usage rows`);
      const tSeed = Date.now();
      await seed(sql, login.user.id);
      console.log(`seeded in ${secs(Date.now() - tSeed)} s`);
    }
    await sql(`UPDATE test_clock SET frozen_at = '2026-02-01T06:00:00Z'`);

    worker = await WorkerProcess.start(config);

    const t0 = Date.now();
    const res = await fetch(`${base}/v1/royalty-runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}`, 'idempotency-key': 'bench' },
      body: JSON.stringify({ period: PERIOD }),
    });
    const run = (await res.json()) as { id: string };
    if (res.status !== 202) throw new Error(`start: ${res.status} ${JSON.stringify(run)}`);
    let status: Record<string, unknown>;
    const seen = new Set<string>();
    const chunkTimes: string[] = [];
    let computingAt: string | null = null;
    for (;;) {
      [status] = await sql(`SELECT status, error_code, error_message, totals FROM royalty_runs WHERE id = $1`, [run.id]);
      if (!computingAt && status.status !== 'queued') computingAt = secs(Date.now() - t0);
      // When each chunk is seen done (the worker's clock is frozen: completed_at says nothing).
      for (const c of await sql(`SELECT chunk_key, line_count FROM royalty_run_chunks WHERE run_id = $1 AND status = 'done'`, [run.id])) {
        if (seen.has(c.chunk_key as string)) continue;
        seen.add(c.chunk_key as string);
        chunkTimes.push(`${secs(Date.now() - t0)} s (${c.line_count} lines)`);
      }
      if (status.status === 'computed' || status.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const runMs = Date.now() - t0;
    console.log(`planned (status computing) at ${computingAt} s; chunks done at: ${chunkTimes.join(', ')}`);
    await worker.stop();
    worker = null;

    const t1 = Date.now();
    const [agg] = await sql(`SELECT count(*)::int AS pairs, sum(s)::text AS units FROM (SELECT licence_id, work_id, sum(units) AS s FROM usage_aggregates WHERE period = $1 GROUP BY licence_id, work_id) x`, [PERIOD]);
    const aggMs = Date.now() - t1;

    const [check] = await sql(
      `SELECT (SELECT count(*) FROM royalty_lines WHERE run_id = $1)::int AS lines,
              (SELECT sum(recognised) - sum(fee) FROM royalty_licence_totals WHERE run_id = $1)::text AS net,
              (SELECT sum(amount) FROM royalty_lines WHERE run_id = $1)::text AS distributed`,
      [run.id],
    );
    let digest: string | null = null;
    if (process.argv.includes('--digest')) {
      // Per licence an md5 of its lines in key order, then an md5 of those (one string_agg over
      // 2.5 M lines would be too large a text).
      const [d] = await sql(
        `SELECT md5(string_agg(h, ',' ORDER BY licence_id)) AS d FROM (
           SELECT licence_id, md5(string_agg(concat_ws('|', original_period, work_id, holder_key, holder_kind, units, amount, consent_record_id, is_adjustment, currency, period), ','
                                            ORDER BY original_period, work_id, holder_key)) AS h
             FROM royalty_lines WHERE run_id = $1 GROUP BY licence_id) x`,
        [run.id],
      );
      digest = d.d as string;
    }
    if (process.argv.includes('--explain')) {
      const { RoyaltyComputationRepository } = await import('@fairshare/persistence');
      const { DataSource } = await import('typeorm');
      const repo = api.get(RoyaltyComputationRepository, { strict: false });
      const ds = api.get(DataSource);
      for (const l of [0, 5]) {
        const [lic] = await sql(`SELECT id, distribution_key, amount_paid_minor::text AS a FROM licences WHERE id = md5('L' || $1::text)::uuid`, [l]);
        const plan = await ds.transaction(async (em) => {
          await repo.tuneForChunk(em);
          return repo.explainLines(em, { runId: run.id, period: PERIOD, originalPeriod: PERIOD, licenceId: lic.id as string, net: BigInt(lic.a as string), distributionKey: lic.distribution_key as 'usage' | 'equal', periodEnd: new Date('2026-02-01T00:00:00Z'), currency: 'EUR' });
        });
        console.log(`\nplan of the lines of licence ${l} (${lic.distribution_key}):\n${plan}`);
      }
    }
    await db.end();
    const ok = status.status === 'computed' && check.net === check.distributed;
    console.log('');
    console.log(`royalty-run: ${WORKS} works, ${CREATORS} creators, 10 licences (5 usage × ${USAGE_WORKS} works, 5 equal × ${DATASET_WORKS}), ${5 * REPORTS * USAGE_WORKS} usage rows`);
    console.log(`  result               ${ok ? 'exact' : 'WRONG'}: status ${status.status}${status.error_code ? ` ${status.error_code} ${status.error_message}` : ''}, ${check.lines} lines, net ${check.net} = distributed ${check.distributed}`);
    console.log(`  request → computed   ${secs(runMs)} s (goal ≤ 60 s)`);
    console.log(`  bare SQL aggregate   ${secs(aggMs)} s (GROUP BY licence, work over the same usage rows: ${agg.pairs} pairs)`);
    console.log(`  ratio                ${(runMs / aggMs).toFixed(1)}× the bare aggregate`);
    if (digest) console.log(`  digest of the lines  ${digest}`);
    if (!ok) process.exitCode = 1;
  } finally {
    if (worker) await worker.crash();
    if (api) await api.close();
    const redis = new Redis(infra.redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    if (process.argv.includes('--keep') || REUSE) console.log(`kept database ${dbName} (measure again: npm run bench -- royalty-run --reuse=${dbName})`);
    else await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
