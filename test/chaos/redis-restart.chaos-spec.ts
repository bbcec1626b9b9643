import type { ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { bearer, TestSystem, TestUser, WorkerProcess } from '@fairshare/testing';
import { type GeneratedUsage, seedLicence, waitForReport, writeUsageCsv } from '../e2e/usage-fixtures';

// scripts/lib/services.js is the launcher's CommonJS toolbox (redis-server, free ports).
const services = require('../../scripts/lib/services') as {
  findFreePort: () => Promise<number>;
  startRedisServer: (dir: string, port: number) => Promise<{ url: string; process: ChildProcess; stop: () => Promise<void> }>;
};

jest.setTimeout(300_000);

const TUNING = { USAGE_SWEEP_INTERVAL_MS: '1000', WORKER_LOCK_DURATION_MS: '4000', WORKER_STALLED_INTERVAL_MS: '1000' };

/**
 * Redis dies mid-ingest and comes back empty (no persistence: every queued job is gone). NEVER
 * the shared Redis: this test runs its own redis-server on a free port. Some reports were being
 * processed, others only queued; after the restart the worker's sweep (USAGE_SWEEP_INTERVAL_MS,
 * lowered here) enqueues the unfinished ones again and every line is counted exactly once.
 */
describe('usage ingestion survives a Redis restart (chaos)', () => {
  let dir: string;
  let redis: { url: string; process: ChildProcess; stop: () => Promise<void> };
  let sys: TestSystem;
  let worker: WorkerProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-chaos-'));
    redis = await services.startRedisServer(join(dir, 'redis'), await services.findFreePort());
    sys = await TestSystem.start({ worker: false, env: { REDIS_URL: redis.url, ...TUNING } });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop().catch(() => undefined);
    await sys?.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('restart with an empty Redis mid-ingest: every report completes, every line counted once', async () => {
    expect(redis.url).not.toBe('redis://127.0.0.1:6379');
    await sys.setClock(new Date('2025-06-15T12:00:00Z'));
    const acme: TestUser = await sys.registerLicensee('Redis Chaos AI');
    const sql = (q: string, p?: unknown[]) => sys.dataSource.query(q, p);
    const lic = await seedLicence(sql, { organisationId: acme.organisationId as string, works: 2000, startsAt: new Date('2025-01-01T00:00:00Z'), endsAt: null });

    const periods = ['2025-01', '2025-02', '2025-03', '2025-04'];
    const reports: { id: string; expected: GeneratedUsage }[] = [];
    for (const period of periods) {
      const file = join(dir, `usage-${period}.csv`);
      const expected = await writeUsageCsv(file, { works: lic.works, unlicensed: lic.unlicensed, lines: 200_000, badEvery: 97 });
      const req = sys.http
        .post(`/v1/usage-reports/upload?licenceId=${lic.licenceId}&period=${period}`)
        .set(bearer(acme))
        .set('Idempotency-Key', `redis-chaos-${period}`)
        .set('Content-Type', 'text/csv');
      await new Promise<void>((resolve, reject) => createReadStream(file).on('data', (c) => req.write(c)).on('end', resolve).on('error', reject));
      reports.push({ id: (await req.expect(202)).body.id, expected });
    }
    const ids = reports.map((r) => r.id);
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const queued = await probe.keys(`${sys.config.QUEUE_PREFIX}:usage-ingest:*`);
    probe.disconnect();
    expect(queued.length).toBeGreaterThan(0); // the jobs live in this Redis only

    worker = await WorkerProcess.start(sys.config, TUNING);
    // Mid-ingest: a report is being staged while others still wait in the queue.
    for (;;) {
      const rows: { status: string; n: number }[] = await sql(`SELECT status, lines_read::int AS n FROM usage_reports WHERE id = ANY($1)`, [ids]);
      if (rows.some((r) => r.status === 'processing' && r.n > 0) && rows.some((r) => r.status === 'received')) break;
      if (!rows.some((r) => r.status === 'received')) throw new Error(`no report left waiting before the restart: make the files bigger (${JSON.stringify(rows)})`);
      await new Promise((r) => setTimeout(r, 10));
    }

    // kill -9 Redis (it persists nothing) and start an empty one on the same port.
    const port = Number(new URL(redis.url).port);
    redis.process.kill('SIGKILL');
    await new Promise((r) => redis.process.once('exit', r));
    expect(redis.process.signalCode).toBe('SIGKILL');
    const before: { status: string }[] = await sql(`SELECT status FROM usage_reports WHERE id = ANY($1)`, [ids]);
    expect(before.some((r) => r.status === 'received')).toBe(true); // some reports had only a queued job, now lost
    redis = await services.startRedisServer(join(dir, 'redis'), port);

    for (const { id } of reports) {
      expect((await waitForReport(async (x) => (await sys.http.get(`/v1/usage-reports/${x}`).set(bearer(acme)).expect(200)).body, id, 240_000)).status).toBe('processed');
    }
    // A graceful stop waits for the worker's jobs: a run that lost its report to a newer one has
    // cleaned its staged rows by then.
    await worker.stop();
    expect(worker.child.exitCode).toBe(0);
    for (const { id, expected } of reports) {
      const report = (await sys.http.get(`/v1/usage-reports/${id}`).set(bearer(acme)).expect(200)).body;
      expect(report).toMatchObject({
        status: 'processed',
        counts: {
          lines: String(expected.lines),
          accepted: String(expected.lines - expected.bad),
          rejected: String(expected.bad),
          acceptedUnits: expected.acceptedUnits.toString(),
        },
      });
      const [sums] = await sql(
        `SELECT (SELECT sum(units)::text FROM usage_aggregates WHERE report_id = $1) AS units,
                (SELECT sum(line_count)::int FROM usage_aggregates WHERE report_id = $1) AS accepted,
                (SELECT count(*)::int FROM usage_rejections WHERE report_id = $1) AS rejected,
                (SELECT count(DISTINCT line_no)::int FROM usage_rejections WHERE report_id = $1) AS distinct_rejected,
                (SELECT count(*)::int FROM usage_staging WHERE report_id = $1) AS staged`,
        [id],
      );
      expect(sums).toEqual({ units: expected.acceptedUnits.toString(), accepted: expected.lines - expected.bad, rejected: expected.bad, distinct_rejected: expected.bad, staged: 0 });
    }
  });
});
