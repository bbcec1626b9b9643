import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, TestSystem, WorkerProcess } from '@fairshare/testing';
import { seedLicence, waitForReport, writeUsageCsv } from '../e2e/usage-fixtures';

jest.setTimeout(240_000);

// kill -9 of the worker in the middle of a file: after the retry, every line is counted once.
describe('usage ingestion survives a killed worker (chaos)', () => {
  let sys: TestSystem;
  let dir: string;
  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false });
    dir = mkdtempSync(join(tmpdir(), 'usage-chaos-'));
  });
  afterAll(async () => {
    await sys.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 mid-file, restart: the report completes with every line counted exactly once', async () => {
    await sys.setClock(new Date('2025-03-15T12:00:00Z'));
    const acme = await sys.registerLicensee('Chaos AI');
    const sql = (q: string, p?: unknown[]) => sys.dataSource.query(q, p);
    const lic = await seedLicence(sql, { organisationId: acme.organisationId as string, works: 2000, startsAt: new Date('2025-01-01T00:00:00Z'), endsAt: null });
    const file = join(dir, 'usage.csv');
    const expected = await writeUsageCsv(file, { works: lic.works, unlicensed: lic.unlicensed, lines: 300_000, badEvery: 100 });

    const req = sys.http
      .post(`/v1/usage-reports/upload?licenceId=${lic.licenceId}&period=2025-02`)
      .set(bearer(acme))
      .set('Idempotency-Key', 'chaos-1')
      .set('Content-Type', 'text/csv');
    await new Promise<void>((resolve, reject) => createReadStream(file).on('data', (c) => req.write(c)).on('end', resolve).on('error', reject));
    const res = await req.expect(202);
    const id = res.body.id as string;

    const first = await WorkerProcess.start(sys.config);
    // Wait until the first chunk is staged (progress moved) while the report is not final, then kill.
    for (;;) {
      const [r] = await sql(`SELECT status, lines_read::int AS n FROM usage_reports WHERE id = $1`, [id]);
      if (r.status === 'processing' && r.n > 0) break;
      if (r.status === 'processed' || r.status === 'failed') throw new Error(`report became ${r.status} before the kill: make the file bigger`);
      await new Promise((r2) => setTimeout(r2, 10));
    }
    await first.crash();
    const [killed] = await sql(`SELECT status, lines_read::int AS n, processing_run_id FROM usage_reports WHERE id = $1`, [id]);
    expect(killed.status).toBe('processing');
    expect(killed.n).toBeGreaterThan(0);
    expect(killed.n).toBeLessThan(expected.lines);
    expect((await sql(`SELECT count(*)::int AS n FROM usage_aggregates WHERE report_id = $1`, [id]))[0].n).toBe(0);
    const leftover = await sql(`SELECT count(*)::int AS n FROM usage_staging WHERE run_id = $1`, [killed.processing_run_id]);
    expect(leftover[0].n).toBeGreaterThan(0); // the dead run's staged rows are still there

    const second = await WorkerProcess.start(sys.config);
    try {
      const report = await waitForReport(async (x) => (await sys.http.get(`/v1/usage-reports/${x}`).set(bearer(acme)).expect(200)).body, id, 180_000);
      expect(report).toMatchObject({
        status: 'processed',
        counts: {
          lines: String(expected.lines),
          accepted: String(expected.lines - expected.bad),
          rejected: String(expected.bad),
          acceptedUnits: expected.acceptedUnits.toString(),
        },
      });
    } finally {
      await second.stop();
    }
    const [sums] = await sql(
      `SELECT (SELECT sum(units)::text FROM usage_aggregates WHERE report_id = $1) AS units,
              (SELECT sum(line_count)::int FROM usage_aggregates WHERE report_id = $1) AS accepted,
              (SELECT count(*)::int FROM usage_rejections WHERE report_id = $1) AS rejected,
              (SELECT count(DISTINCT line_no)::int FROM usage_rejections WHERE report_id = $1) AS distinct_rejected,
              (SELECT attempts FROM usage_reports WHERE id = $1) AS attempts,
              (SELECT count(*)::int FROM usage_staging WHERE report_id = $1) AS staged`,
      [id],
    );
    expect(sums).toEqual({
      units: expected.acceptedUnits.toString(),
      accepted: expected.lines - expected.bad,
      rejected: expected.bad,
      distinct_rejected: expected.bad,
      attempts: 2,
      staged: 0,
    });
  });
});
