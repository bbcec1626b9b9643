import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { bearer, TestSystem, WorkerProcess } from '@fairshare/testing';
import { holdPayoutsAtLedgerEntry, onboardedCreatorsOwed } from '../support/payout-fixtures';
import { seedLicence, waitForReport, writeUsageCsv } from '../e2e/usage-fixtures';

jest.setTimeout(300_000);

const ENV = { PAYOUT_JOB_ATTEMPTS: '20', PAYOUT_RETRY_DELAY_MS: '50', WORKER_LOCK_DURATION_MS: '5000', WORKER_STALLED_INTERVAL_MS: '1000' };

/**
 * PostgreSQL drops the worker's connections (pg_terminate_backend on every backend whose
 * application_name is `fairshare-worker`), repeatedly, while it ingests a usage file and while it
 * pays a payout run. The jobs retry; the end state is exactly the undisturbed one.
 */
describe('the worker survives dropped PostgreSQL connections (chaos)', () => {
  let sys: TestSystem;
  let worker: WorkerProcess;
  let dir: string;
  const sql = (q: string, p?: unknown[]) => sys.dataSource.query(q, p);

  /** Terminates the worker's backends; returns how many were busy (in a query or a transaction). */
  async function dropWorkerConnections(): Promise<{ killed: number; busy: number; pids: number[] }> {
    const rows: { pid: number; state: string | null; ok: boolean }[] = await sql(
      `SELECT pid, state, pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'fairshare-worker' AND pid <> pg_backend_pid()`,
    );
    const killed = rows.filter((r) => r.ok);
    return { killed: killed.length, busy: killed.filter((r) => r.state !== 'idle').length, pids: killed.map((r) => r.pid) };
  }

  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 180_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${worker?.logs.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-chaos-'));
    sys = await TestSystem.start({ worker: false, env: ENV });
    worker = await WorkerProcess.start(sys.config);
  });
  afterAll(async () => {
    await worker?.stop().catch(() => undefined);
    await sys?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    // The worker process itself survived every drop.
    expect(worker.child.exitCode).toBeNull();
    expect((await sys.get(LedgerService).trialBalance()).balanced).toBe(true);
  });

  // Found by this test: terminating the staging writer's connection mid-COPY made pg emit 'error' on
  // a checked-out client with no listener, and the worker process exited. StagingWriter now holds a
  // listener and fails the job instead, which BullMQ retries.
  it('usage ingestion: connections dropped mid-file, three times — every line counted once', async () => {
    await sys.setClock(new Date('2025-03-15T12:00:00Z'));
    const acme = await sys.registerLicensee('PG Chaos AI');
    const lic = await seedLicence(sql, { organisationId: acme.organisationId as string, works: 2000, startsAt: new Date('2025-01-01T00:00:00Z'), endsAt: null });
    const file = join(dir, 'usage.csv');
    const expected = await writeUsageCsv(file, { works: lic.works, unlicensed: lic.unlicensed, lines: 300_000, badEvery: 101 });
    const req = sys.http
      .post(`/v1/usage-reports/upload?licenceId=${lic.licenceId}&period=2025-02`)
      .set(bearer(acme))
      .set('Idempotency-Key', 'pg-chaos-1')
      .set('Content-Type', 'text/csv');
    await new Promise<void>((resolve, reject) => createReadStream(file).on('data', (c) => req.write(c)).on('end', resolve).on('error', reject));
    const id = (await req.expect(202)).body.id as string;

    // Each round: wait until attempt N is staging (progress moved), then drop every worker connection.
    let killed = 0;
    for (let round = 1; round <= 3; round++) {
      const state = await until(`attempt ${round} staging`, async () => {
        const [r] = await sql(`SELECT status, attempts, lines_read::int AS n, error_code, error_message FROM usage_reports WHERE id = $1`, [id]);
        return ['processed', 'failed'].includes(r.status) || (r.status === 'processing' && r.attempts === round && r.n > 0) ? r : null;
      });
      if (state.status !== 'processing') throw new Error(`report became ${state.status} after ${round - 1} drops (${state.error_code} ${state.error_message}): make the file bigger`);
      killed += (await dropWorkerConnections()).killed;
    }
    // Ingestion is fast enough that a drop may find the connections between statements; what
    // proves the interruptions is `attempts > 1` below, with every line still counted once.
    expect(killed).toBeGreaterThan(0);

    const report = await waitForReport(async (x) => (await sys.http.get(`/v1/usage-reports/${x}`).set(bearer(acme)).expect(200)).body, id, 240_000);
    expect(report).toMatchObject({
      status: 'processed',
      counts: { lines: String(expected.lines), accepted: String(expected.lines - expected.bad), rejected: String(expected.bad), acceptedUnits: expected.acceptedUnits.toString() },
    });
    const [sums] = await sql(
      `SELECT (SELECT sum(units)::text FROM usage_aggregates WHERE report_id = $1) AS units,
              (SELECT sum(line_count)::int FROM usage_aggregates WHERE report_id = $1) AS accepted,
              (SELECT count(*)::int FROM usage_rejections WHERE report_id = $1) AS rejected,
              (SELECT count(DISTINCT line_no)::int FROM usage_rejections WHERE report_id = $1) AS distinct_rejected,
              (SELECT attempts FROM usage_reports WHERE id = $1) AS attempts`,
      [id],
    );
    expect(sums).toMatchObject({ units: expected.acceptedUnits.toString(), accepted: expected.lines - expected.bad, rejected: expected.bad, distinct_rejected: expected.bad });
    expect(sums.attempts).toBeGreaterThan(1); // the drops did interrupt the ingestion
  });

  it('payout run: connections dropped again and again while paying — every transfer made once', async () => {
    const ledger = sys.get(LedgerService);
    const financeA = await sys.createStaff(['finance']);
    const financeB = await sys.createStaff(['finance']);
    const creators = await onboardedCreatorsOwed(sys, 20, { name: 'PG', base: 2000n });
    await until('accounts enabled', async () => (await sql(`SELECT count(*)::int AS n FROM payout_accounts WHERE payouts_enabled`))[0].n === creators.length);

    const run = (await sys.http.post('/v1/payout-runs').set(bearer(financeA)).set('Idempotency-Key', randomUUID()).send({ currency: 'EUR' }).expect(201)).body;
    expect(run.totals.included.count).toBe(creators.length);

    // The riskiest moment, made certain rather than left to timing: three items are held between
    // their Stripe transfer and their ledger entry (holdPayoutsAtLedgerEntry). Each round drops the
    // worker's connections while one waits there (the transaction with the ledger entry is lost;
    // the retry must replay the same transfer, not make a second). Then the hold is released.
    const hold = await holdPayoutsAtLedgerEntry(sys, run.id, 3);
    await sys.http.post(`/v1/payout-runs/${run.id}/approve`).set(bearer(financeB)).expect(200);

    let busyDrops = 0;
    let midRun = false;
    try {
      for (let round = 1; round <= 3; round++) {
        await until(`round ${round}: a held item waiting on its ledger entry`, async () => (await hold.waiting()) > 0);
        const transferred = new Set(sys.stripe.eventsOfType('transfer.created').map((e) => (e.data.object as unknown as { metadata: Record<string, string> }).metadata.payout_item_id));
        expect(hold.itemIds.some((id) => transferred.has(id))).toBe(true); // its transfer is made, its ledger entry is not
        const d = await dropWorkerConnections();
        expect(d.busy).toBeGreaterThan(0);
        busyDrops++;
        midRun = true;
        // Termination is asynchronous: a dying backend still shows, waiting, until it has exited.
        await until(`round ${round}: the dropped connections gone`, async () => {
          const [left] = await sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[])`, [d.pids]);
          return left.n === 0;
        });
      }
    } finally {
      await hold.release();
    }

    // Then drops at whatever moment the polling falls on, every time the worker is busy, until the
    // run is over (at most 12 in all that hit a busy connection, so the retries are not exhausted).
    for (;;) {
      const [r] = await sql(`SELECT status FROM payout_runs WHERE id = $1`, [run.id]);
      if (['completed', 'failed'].includes(r.status)) break;
      if (busyDrops < 12) {
        const [w] = await sql(`SELECT count(*)::int AS n FROM payout_items WHERE run_id = $1 AND status IN ('pending','processing')`, [run.id]);
        const d = await dropWorkerConnections();
        if (d.busy > 0) busyDrops++;
        if (d.busy > 0 && w.n > 0) midRun = true;
      }
      await new Promise((res) => setTimeout(res, 150));
    }
    expect(busyDrops).toBeGreaterThanOrEqual(3);
    expect(midRun).toBe(true);

    const done = (await sys.http.get(`/v1/payout-runs/${run.id}`).set(bearer(financeA)).expect(200)).body;
    expect(done.status).toBe('completed');
    expect(done.progress.byStatus).toEqual({ paid: creators.length });
    const perItem = new Map<string, number>();
    for (const e of sys.stripe.eventsOfType('transfer.created')) {
      const item = (e.data.object as unknown as { metadata: Record<string, string> }).metadata.payout_item_id;
      perItem.set(item, (perItem.get(item) ?? 0) + 1);
    }
    expect(perItem.size).toBe(creators.length);
    expect([...perItem.values()].every((n) => n === 1)).toBe(true);
    for (const c of creators) expect(await ledger.balance(Accounts.payable(c.id), 'EUR')).toBe(0n);
    const [entries] = await sql(`SELECT count(*)::int AS n FROM journal_entries WHERE kind = 'payout.transfer'`);
    expect(entries.n).toBe(creators.length);
  });
});
