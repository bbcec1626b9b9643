// Stage profiler of the usage ingestion (not a benchmark of record; run.ts is):
//   node -r ./test/support/ts-register.js bench/usage-ingest/stages.ts [--lines=1000000] [--works=100000] [--explain] [--keep]
//
// In a database of its own: seeds a licence, generates the CSV, then times each stage apart with
// the real code — parse alone (JS), parse + grouping (JS), parse + grouping + COPY to usage_staging (StagingWriter), the set-based
// classify-and-write (UsageIngestRepository, optionally with EXPLAIN (ANALYZE, BUFFERS) of its
// statements), the staging cleanup (DROP of the run's partition) — and a raw COPY of the same file for scale.
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createDataSource, stagingPartition, UsageIngestRepository, UsageStagingRepository } from '@fairshare/persistence';
import { createMigratedDatabase } from '@fairshare/testing';
import { numberArg } from '../lib/args';
import { UsageFileParser, UsageLineGroups } from '@fairshare/usage';
import { seedLicence, writeUsageCsv } from '../../test/e2e/usage-fixtures';

const LINES = numberArg('lines', 1_000_000);
const WORKS = numberArg('works', 100_000);
const EXPLAIN = process.argv.includes('--explain');
/** Keeps the database and the run's staged rows (committed aggregates rolled back) for experiments with psql. */
const KEEP = process.argv.includes('--keep');
const ms = (t: bigint) => Number((process.hrtime.bigint() - t) / 1_000_000n);

async function main(): Promise<void> {
  const dbName = `fairshare_bench_stages_${Date.now().toString(36)}`;
  const { url, drop } = await createMigratedDatabase(dbName);
  const dir = mkdtempSync(join(tmpdir(), 'bench-stages-'));
  const ds = createDataSource(url, 4);
  try {
    await ds.initialize();
    const sql = (q: string, p?: unknown[]) => ds.query(q, p) as Promise<Record<string, unknown>[]>;
    const [org] = await sql(`INSERT INTO organisations (name, slug) VALUES ('Stages AI', 'stages-' || gen_random_uuid()) RETURNING id`);
    const lic = await seedLicence(sql, { organisationId: org.id as string, works: WORKS, startsAt: new Date('2025-01-01T00:00:00Z'), endsAt: null });
    await sql('ANALYZE');
    const file = join(dir, 'usage.csv');
    const expected = await writeUsageCsv(file, { works: lic.works, unlicensed: lic.unlicensed, lines: LINES, badEvery: 100 });
    console.log(`load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}; ${LINES} lines, ${(expected.bytes / 2 ** 20).toFixed(1)} MiB`);

    let t = process.hrtime.bigint();
    {
      const p = new UsageFileParser('csv');
      let n = 0;
      const sink = { fast: () => void n++, line: () => void n++ };
      for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) p.push(c as Buffer, sink);
      p.end(sink);
      console.log(`parse alone            ${ms(t)} ms (${n} lines)`);
    }
    t = process.hrtime.bigint();
    {
      const p = new UsageFileParser('csv');
      let rows = 0;
      const out = { group: () => void rows++, line: () => void rows++, drain: async () => undefined };
      const g = new UsageLineGroups(out);
      for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) {
        p.push(c as Buffer, g);
        await g.spillIfFull();
      }
      p.end(g);
      await g.spill();
      console.log(`parse + group (JS)     ${ms(t)} ms (${g.grouped} lines in ${g.staged} groups, ${rows} rows to stage)`);
    }

    const [rep] = await sql(
      `INSERT INTO usage_reports (licence_id, organisation_id, period, source, storage_key, file_bytes, file_sha256, submitted_by_type, submitted_by_id, received_at, status)
       VALUES ($1, $2, '2025-02', 'csv', 'usage/x.csv', 0, repeat('0', 64), 'user', gen_random_uuid(), now(), 'processing') RETURNING id`,
      [lic.licenceId, org.id],
    );
    const runId = randomUUID();
    const staging = new UsageStagingRepository(ds);
    t = process.hrtime.bigint();
    const p = new UsageFileParser('csv');
    const w = await staging.openWriter(rep.id as string, runId);
    const groups = new UsageLineGroups(w);
    let flushedAt = 0;
    for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) {
      p.push(c as Buffer, groups);
      await groups.spillIfFull();
      await w.drain();
      if (p.lines - flushedAt >= 100_000) {
        flushedAt = p.lines;
        await w.flush();
      }
    }
    p.end(groups);
    await groups.spill();
    await w.flush();
    await w.close();
    console.log(`parse + group + COPY   ${ms(t)} ms`);

    const ingest = new UsageIngestRepository(ds);
    await ingest.ensurePartition('2025-02');
    const args = { reportId: rep.id as string, runId, licenceId: lic.licenceId, period: '2025-02', uses: ['train', 'fine_tune'], outsideTerm: false, lines: p.lines, modelIds: [] };
    if (EXPLAIN) {
      const qr = ds.createQueryRunner();
      await qr.startTransaction();
      const logged: string[] = [];
      const query = qr.manager.query.bind(qr.manager);
      qr.manager.query = (async (q: string, params?: unknown[]) => {
        if (/^\s*(WITH|INSERT|SELECT)/i.test(q) && !/to_regclass|EXISTS \(SELECT 1 FROM royalty_runs/.test(q)) {
          const plan = (await query(`EXPLAIN (ANALYZE, BUFFERS) ${q}`, params)) as { 'QUERY PLAN': string }[];
          logged.push(plan.map((r) => r['QUERY PLAN']).join('\n'));
          await qr.rollbackTransaction();
          await qr.startTransaction();
          await query(`SET LOCAL work_mem = '128MB'`); await query(`SET LOCAL jit = off`);
        }
        return query(q, params);
      }) as typeof qr.manager.query;
      await ingest.classifyAndWrite(qr.manager, args).catch((e: Error) => console.log(`(explain pass: ${e.message})`));
      await qr.rollbackTransaction();
      await qr.release();
      for (const l of logged) console.log(`\n${l}\n`);
    }
    if (KEEP) {
      console.log(`kept: psql ${url} — staging ${stagingPartition(runId)}, report ${rep.id}, licence ${lic.licenceId}, run ${runId}`);
      return;
    }
    t = process.hrtime.bigint();
    const counts = await ds.transaction((em) => ingest.classifyAndWrite(em, args));
    console.log(`classify + write       ${ms(t)} ms (${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.acceptedUnits} units; expected ${expected.bad} rejected, ${expected.acceptedUnits} units)`);
    t = process.hrtime.bigint();
    await staging.deleteRun(runId);
    console.log(`delete staged run      ${ms(t)} ms`);

    const db = new Client({ connectionString: url });
    await db.connect();
    await db.query(`CREATE UNLOGGED TABLE bench_scratch (work_id text, content_hash text, units text, use text, model_id text)`);
    t = process.hrtime.bigint();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), db.query(copyFrom(`COPY bench_scratch FROM STDIN (FORMAT csv, HEADER true)`)));
    console.log(`raw COPY (unlogged)    ${ms(t)} ms`);
    await db.end();
  } finally {
    if (ds.isInitialized) await ds.destroy();
    if (!KEEP) await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
