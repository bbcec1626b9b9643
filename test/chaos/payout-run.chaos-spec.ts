import { randomUUID } from 'node:crypto';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { bearer, TestSystem, WorkerProcess } from '@fairshare/testing';
import { holdPayoutsAtLedgerEntry, onboardedCreatorsOwed } from '../support/payout-fixtures';

jest.setTimeout(180_000);

/**
 * Kill -9 the real worker process in the middle of a payout run, start another: every item is
 * paid by exactly one Stripe transfer and the trial balance stays zero. Balances come from TEST
 * FIXTURE ledger entries (kind `test.fixture.royalty`).
 */
describe('payout run survives a killed worker (chaos)', () => {
  let sys: TestSystem;
  let ledger: LedgerService;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false, env: { PAYOUT_JOB_ATTEMPTS: '10', PAYOUT_RETRY_DELAY_MS: '50' } });
    ledger = sys.get(LedgerService);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop().catch(() => undefined);
    await sys.stop();
  });

  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('pays every item exactly once across a kill -9', async () => {
    workers.push(await WorkerProcess.start(sys.config));
    const financeA = await sys.createStaff(['finance']);
    const financeB = await sys.createStaff(['finance']);
    const creators = await onboardedCreatorsOwed(sys, 25, { name: 'Chaos', base: 1000n });
    await until('accounts enabled', async () => {
      const [r] = await sys.dataSource.query(`SELECT count(*)::int AS n FROM payout_accounts WHERE payouts_enabled`);
      return r.n === creators.length;
    });

    const run = (await sys.http.post('/v1/payout-runs').set(bearer(financeA)).set('Idempotency-Key', randomUUID()).send({ currency: 'EUR' }).expect(201)).body;
    expect(run.totals.included.count).toBe(creators.length);
    // Three items are held between their Stripe transfer and their ledger entry, so the kill lands
    // mid-run, with payments made at Stripe and not yet recorded, whatever the machine's speed.
    const hold = await holdPayoutsAtLedgerEntry(sys, run.id, 3);
    await sys.http.post(`/v1/payout-runs/${run.id}/approve`).set(bearer(financeB)).expect(200);

    try {
      await until('a held payment waiting, its transfer made', async () => (await hold.waiting()) > 0, 60_000);
      expect(sys.stripe.eventsOfType('transfer.created').length).toBeGreaterThan(0);
      await workers[0].crash();
    } finally {
      await hold.release();
    }
    // The kill landed mid-run: some items were still waiting or in flight.
    const [waiting] = await sys.dataSource.query(`SELECT count(*)::int AS n FROM payout_items WHERE run_id = $1 AND status IN ('pending','processing')`, [run.id]);
    expect(waiting.n).toBeGreaterThan(0);
    workers.push(await WorkerProcess.start(sys.config));

    const done = await until('run finished', async () => {
      const r = (await sys.http.get(`/v1/payout-runs/${run.id}`).set(bearer(financeA))).body;
      return ['completed', 'failed'].includes(r.status) ? r : null;
    });
    expect(done.status).toBe('completed');
    expect(done.progress.byStatus).toEqual({ paid: creators.length });

    const perItem = new Map<string, number>();
    for (const e of sys.stripe.eventsOfType('transfer.created')) {
      const id = (e.data.object as unknown as { metadata: Record<string, string> }).metadata.payout_item_id;
      perItem.set(id, (perItem.get(id) ?? 0) + 1);
    }
    expect(perItem.size).toBe(creators.length);
    expect([...perItem.values()].every((n) => n === 1)).toBe(true);
    for (const c of creators) expect(await ledger.balance(Accounts.payable(c.id), 'EUR')).toBe(0n);
    const [entries] = await sys.dataSource.query(`SELECT count(*)::int AS n FROM journal_entries WHERE kind = 'payout.transfer'`);
    expect(entries.n).toBe(creators.length);
    expect((await ledger.trialBalance()).balanced).toBe(true);
  });
});
