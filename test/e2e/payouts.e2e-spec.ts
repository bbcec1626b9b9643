import { randomUUID } from 'node:crypto';
import { AccountPrefixes, Accounts, LedgerService } from '@fairshare/ledger';
import { PayoutExecutionService } from '@fairshare/payouts';
import { StripeGateway } from '@fairshare/stripe';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';

/**
 * Payouts against the Stripe emulator, the real API and the worker's processors. Balances are
 * put on payable accounts with TEST FIXTURE ledger entries (kind `test.fixture.*`: Dr a deferred
 * revenue account / Cr payable) so each scenario controls exactly what is owed; each scenario
 * uses its own currency, since a payout run takes every payable balance of its currency.
 */
jest.setTimeout(60_000);

describe('payouts (e2e)', () => {
  let sys: TestSystem;
  let ledger: LedgerService;
  let financeA: TestUser;
  let financeB: TestUser;

  beforeAll(async () => {
    sys = await TestSystem.start({ env: { PAYOUT_JOB_ATTEMPTS: '3', PAYOUT_RETRY_DELAY_MS: '20', PAYOUT_MINIMUM_MAJOR: '10.00' } });
    ledger = sys.get(LedgerService);
    financeA = await sys.createStaff(['finance'], 'Finance A');
    financeB = await sys.createStaff(['finance'], 'Finance B');
  });
  afterAll(() => sys.stop());

  afterEach(async () => {
    expect((await ledger.trialBalance()).balanced).toBe(true);
  });

  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function creator(name: string, profile: { country: string; payoutCurrency: string } | null = { country: 'FR', payoutCurrency: 'EUR' }) {
    const c = await sys.registerCreator(name);
    if (profile) await sys.http.put('/v1/me/creator-profile').set(bearer(c)).send({ displayName: name, ...profile }).expect(200);
    return c;
  }

  /** The creator goes through Stripe's hosted onboarding; account.updated comes back by webhook. */
  async function onboard(c: TestUser): Promise<string> {
    const res = await sys.http.post('/v1/me/payout-account').set(bearer(c)).expect(201);
    const page = await fetch(res.body.onboardingUrl, { method: 'POST', redirect: 'manual' });
    expect(page.status).toBe(303);
    await until('payouts enabled', async () => (await sys.http.get('/v1/me/payout-account').set(bearer(c))).body.payoutsEnabled === true);
    return res.body.account.stripeAccountId as string;
  }

  /** TEST FIXTURE: royalties owed to a creator (until a real royalty run feeds these accounts). */
  async function owe(creatorId: string, currency: string, amount: bigint, occurredAt = new Date()) {
    const licence = randomUUID();
    await sys.dataSource.transaction((em) =>
      ledger.post(em, {
        kind: amount > 0n ? 'test.fixture.royalty' : 'test.fixture.clawback',
        reference: randomUUID(),
        occurredAt,
        description: 'test fixture',
        postings: [
          { account: Accounts.deferredRevenue(licence), currency, amount },
          { account: Accounts.payable(creatorId), currency, amount: -amount },
        ],
      }),
    );
  }

  const owed = async (creatorId: string, currency: string) => -(await ledger.balance(Accounts.payable(creatorId), currency));
  const transfersCreated = () => sys.stripe.eventsOfType('transfer.created');

  async function createRun(currency: string, by = financeA, key = randomUUID()) {
    const res = await sys.http.post('/v1/payout-runs').set(bearer(by)).set('Idempotency-Key', key).send({ currency }).expect(201);
    return res.body;
  }

  async function approveAndFinish(runId: string, by = financeB) {
    await sys.http.post(`/v1/payout-runs/${runId}/approve`).set(bearer(by)).expect(200);
    return until('run finished', async () => {
      const r = (await sys.http.get(`/v1/payout-runs/${runId}`).set(bearer(financeA)).expect(200)).body;
      return ['completed', 'failed'].includes(r.status) ? r : null;
    });
  }

  const itemOf = (run: { items: { creatorId: string }[] }, c: TestUser) => run.items.find((i) => i.creatorId === c.id) as unknown as Record<string, unknown> & { id: string };

  it('onboards a creator to Stripe Connect: profile required, one account, fresh links, state by webhook', async () => {
    const bare = await creator('No profile', null);
    const refused = await sys.http.post('/v1/me/payout-account').set(bearer(bare)).expect(422);
    expect(refused.body.error.code).toBe('CREATOR_PROFILE_INCOMPLETE');
    await sys.http.get('/v1/me/payout-account').set(bearer(bare)).expect(404);

    const c = await creator('Ada', { country: 'DE', payoutCurrency: 'EUR' });
    const first = await sys.http.post('/v1/me/payout-account').set(bearer(c)).expect(201);
    const second = await sys.http.post('/v1/me/payout-account').set(bearer(c)).expect(201);
    expect(second.body.account.stripeAccountId).toBe(first.body.account.stripeAccountId);
    expect(second.body.onboardingUrl).not.toBe(first.body.onboardingUrl);
    expect(first.body.account).toMatchObject({ country: 'DE', defaultCurrency: 'EUR', payoutsEnabled: false });
    expect(first.body.account.requirements.length).toBeGreaterThan(0);
    const rows = await sys.dataSource.query(`SELECT stripe_account_id FROM payout_accounts WHERE creator_id = $1`, [c.id]);
    expect(rows).toHaveLength(1);

    await fetch(second.body.onboardingUrl, { method: 'POST', redirect: 'manual' });
    const enabled = await until('account.updated applied', async () => {
      const r = (await sys.http.get('/v1/me/payout-account').set(bearer(c))).body;
      return r.payoutsEnabled ? r : null;
    });
    expect(enabled).toMatchObject({ payoutsEnabled: true, detailsSubmitted: true, requirements: [] });
    // Licensees and finance have no payout account route.
    await sys.http.post('/v1/me/payout-account').set(bearer(financeA)).expect(403);
  });

  it('previews, enforces four-eyes, pays each included creator once, never more than the balance at execution', async () => {
    const cur = 'EUR';
    const paid = await creator('Paid');
    const clawed = await creator('Clawed after preview');
    const small = await creator('Below minimum');
    const noAccount = await creator('No account');
    const negative = await creator('Negative');
    for (const c of [paid, clawed, small, negative]) await onboard(c);
    await owe(paid.id, cur, 5000n);
    await owe(clawed.id, cur, 4000n);
    await owe(small.id, cur, 999n);
    await owe(noAccount.id, cur, 3000n);
    await owe(negative.id, cur, 2000n);
    await owe(negative.id, cur, -2500n); // a clawback larger than what was owed

    const missingKey = await sys.http.post('/v1/payout-runs').set(bearer(financeA)).send({ currency: cur }).expect(400);
    expect(missingKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    await sys.http.post('/v1/payout-runs').set(bearer(paid)).set('Idempotency-Key', 'x1').send({ currency: cur }).expect(403);

    const key = randomUUID();
    const run = await createRun(cur, financeA, key);
    expect(run.status).toBe('preview');
    expect(run.minimumMinor).toBe('1000');
    expect(run.totals).toEqual({
      included: { count: 2, amountMinor: '9000' },
      BELOW_MINIMUM: { count: 1, amountMinor: '999' },
      NO_PAYOUT_ACCOUNT: { count: 1, amountMinor: '3000' },
      NEGATIVE_BALANCE: { count: 1, amountMinor: '-500' },
    });
    expect(itemOf(run, small)).toMatchObject({ status: 'carried_forward', reason: 'BELOW_MINIMUM' });
    expect(itemOf(run, noAccount)).toMatchObject({ status: 'carried_forward', reason: 'NO_PAYOUT_ACCOUNT' });
    expect(itemOf(run, negative)).toMatchObject({ status: 'carried_forward', reason: 'NEGATIVE_BALANCE', amountMinor: '-500' });
    const replay = await createRun(cur, financeA, key);
    expect(replay.id).toBe(run.id);
    expect(await sys.dataSource.query(`SELECT id FROM payout_runs WHERE currency = $1`, [cur])).toHaveLength(1);

    // Four-eyes: the creator of the run cannot approve it; nothing changes.
    const self = await sys.http.post(`/v1/payout-runs/${run.id}/approve`).set(bearer(financeA)).expect(403);
    expect(self.body.error.code).toBe('FOUR_EYES_REQUIRED');
    const [still] = await sys.dataSource.query(`SELECT status, approved_by FROM payout_runs WHERE id = $1`, [run.id]);
    expect(still).toEqual({ status: 'preview', approved_by: null });
    expect(transfersCreated()).toHaveLength(0);

    // A clawback between preview and execution: the item pays the balance at execution.
    await owe(clawed.id, cur, -1500n);

    const done = await approveAndFinish(run.id);
    expect(done.status).toBe('completed');
    expect(done.approvedBy).toBe(financeB.id);
    expect(done.progress.byStatus).toEqual({ paid: 2, carried_forward: 3 });
    expect(itemOf(done, paid)).toMatchObject({ status: 'paid', amountMinor: '5000', paidAmountMinor: '5000' });
    expect(itemOf(done, clawed)).toMatchObject({ status: 'paid', amountMinor: '4000', paidAmountMinor: '2500' });

    // Stripe: one transfer per paid item, to the right account, amount as paid.
    const transfers = transfersCreated().map((e) => e.data.object as unknown as { id: string; amount: number; destination: string; metadata: Record<string, string> });
    expect(transfers).toHaveLength(2);
    expect(transfers.map((t) => t.metadata.payout_item_id).sort()).toEqual([itemOf(done, paid).id, itemOf(done, clawed).id].sort());
    expect(transfers.find((t) => t.metadata.payout_item_id === itemOf(done, clawed).id)?.amount).toBe(2500);

    // Ledger: payable debited, cash credited, one entry per item; the others keep their balances.
    expect(await owed(paid.id, cur)).toBe(0n);
    expect(await owed(clawed.id, cur)).toBe(0n);
    expect(await owed(small.id, cur)).toBe(999n);
    expect(await owed(noAccount.id, cur)).toBe(3000n);
    expect(await owed(negative.id, cur)).toBe(-500n);
    const entries = await ledger.entriesFor({ reference: itemOf(done, clawed).id, kind: 'payout.transfer' });
    expect(entries).toHaveLength(1);
    expect(entries[0].postings).toEqual(
      expect.arrayContaining([
        { account: Accounts.payable(clawed.id), currency: cur, amount: 2500n },
        { account: Accounts.cashStripe, currency: cur, amount: -2500n },
      ]),
    );

    // The same job run again (or a duplicate delivery) does nothing.
    const execution = sys.get(PayoutExecutionService);
    expect(await execution.execute(itemOf(done, paid).id, { finalAttempt: false })).toBe('nothing_to_do');
    await sys.http.post(`/v1/payout-runs/${run.id}/approve`).set(bearer(financeB)).expect(409);
    expect(transfersCreated()).toHaveLength(2);

    // Creators see their own payouts.
    const mine = await sys.http.get('/v1/me/payouts').set(bearer(clawed)).expect(200);
    expect(mine.body.data).toEqual([expect.objectContaining({ runId: run.id, status: 'paid', paidAmountMinor: '2500', stripeTransferId: expect.stringMatching(/^tr_/) })]);

    // CSV export, one line per item plus the header.
    const csv = await sys.http.get(`/v1/payout-runs/${run.id}/export.csv`).set(bearer(financeA)).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^run_id,currency,item_id,creator_id,status,reason,amount_minor,paid_amount_minor/);
    expect(lines.some((l) => l.includes(itemOf(done, clawed).id) && l.includes(',paid,') && l.includes(',4000,2500,'))).toBe(true);
    await sys.http.get(`/v1/payout-runs/${randomUUID()}/export.csv`).set(bearer(financeA)).expect(404);
  });

  it('pays once when Stripe answered but the commit was lost: the retry gets the same transfer back', async () => {
    const cur = 'CHF';
    const c = await creator('Lost commit');
    const acct = await onboard(c);
    await owe(c.id, cur, 1200n);
    const run = await createRun(cur);
    const item = itemOf(run, c);
    // What an earlier attempt sent before its transaction died (same request, same key).
    const earlier = await sys.get(StripeGateway).createTransfer({
      amountMinor: 1200n,
      currency: cur,
      destination: acct,
      transferGroup: `payout-run-${run.id}`,
      metadata: { payout_item_id: item.id, payout_run_id: run.id, creator_id: c.id },
      idempotencyKey: `payout-item-${item.id}`,
    });
    const before = transfersCreated().length;
    const done = await approveAndFinish(run.id);
    expect(itemOf(done, c)).toMatchObject({ status: 'paid', stripeTransferId: earlier.id });
    expect(transfersCreated()).toHaveLength(before);
    expect(await owed(c.id, cur)).toBe(0n);
  });

  it('retries a failed transfer with backoff: a passing failure still pays once; a persistent one ends failed with the balance intact', async () => {
    const recovers = await creator('Recovers');
    await onboard(recovers);
    await owe(recovers.id, 'USD', 2000n);
    sys.stripe.failNextTransfers(1);
    const runOk = await createRun('USD');
    const ok = await approveAndFinish(runOk.id);
    expect(itemOf(ok, recovers)).toMatchObject({ status: 'paid', attempts: 2, paidAmountMinor: '2000', lastError: null });
    expect(transfersCreated().filter((e) => (e.data.object as unknown as { metadata: Record<string, string> }).metadata.payout_item_id === itemOf(ok, recovers).id)).toHaveLength(1);
    expect(await owed(recovers.id, 'USD')).toBe(0n);

    const fails = await creator('Fails');
    await onboard(fails);
    await owe(fails.id, 'GBP', 2000n);
    sys.stripe.failNextTransfers(3);
    const before = transfersCreated().length;
    const runKo = await createRun('GBP');
    const ko = await approveAndFinish(runKo.id);
    expect(ko.status).toBe('failed');
    expect(itemOf(ko, fails)).toMatchObject({ status: 'failed', attempts: 3, reason: 'balance_insufficient', paidAmountMinor: null, stripeTransferId: null });
    expect((itemOf(ko, fails).lastError as { code: string }).code).toBe('balance_insufficient');
    expect(transfersCreated()).toHaveLength(before);
    expect(await owed(fails.id, 'GBP')).toBe(2000n);
    expect(await ledger.entriesFor({ reference: itemOf(ko, fails).id, kind: 'payout.transfer' })).toEqual([]);
  });

  it('a reversed transfer returns the money to the balance, once', async () => {
    const cur = 'SEK';
    const c = await creator('Reversed');
    await onboard(c);
    await owe(c.id, cur, 7000n);
    const done = await approveAndFinish((await createRun(cur)).id);
    const item = itemOf(done, c);
    expect(await owed(c.id, cur)).toBe(0n);

    sys.stripe.reverseTransfer(item.stripeTransferId as string);
    await until('reversal posted', async () => (await owed(c.id, cur)) === 7000n);
    const [row] = await sys.dataSource.query(`SELECT status, reversed_amount FROM payout_items WHERE id = $1`, [item.id]);
    expect(row).toEqual({ status: 'reversed', reversed_amount: '7000' });
    // Redelivery of the same event posts nothing more.
    const [event] = sys.stripe.eventsOfType('transfer.reversed');
    sys.stripe.redeliver(event.id);
    await sys.stripe.whenDelivered();
    await new Promise((r) => setTimeout(r, 300));
    expect(await owed(c.id, cur)).toBe(7000n);
    const reversals = await sys.dataSource.query(`SELECT count(*)::int AS n FROM journal_entries WHERE kind = 'payout.transfer_reversal' AND metadata->>'payoutItemId' = $1`, [item.id]);
    expect(reversals[0].n).toBe(1);
  });

  it('reconciliation reports a transfer made in Stripe outside Fairshare, and nothing for ours', async () => {
    const c = await creator('Reconciled');
    const acct = await onboard(c);
    await owe(c.id, 'NOK', 3000n);
    await approveAndFinish((await createRun('NOK')).id);
    const stray = await sys.get(StripeGateway).createTransfer({ amountMinor: 777n, currency: 'EUR', destination: acct, metadata: {}, idempotencyKey: randomUUID() });

    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    await sys.http.get(`/v1/payouts/reconciliation?from=${from}&to=${to}`).set(bearer(c)).expect(403);
    const bad = await sys.http.get(`/v1/payouts/reconciliation?from=${to}&to=${from}`).set(bearer(financeA)).expect(400);
    expect(bad.body.error.code).toBe('RECONCILIATION_RANGE_INVALID');
    const rec = await sys.http.get(`/v1/payouts/reconciliation?from=${from}&to=${to}`).set(bearer(financeA)).expect(200);
    expect(rec.body.balanced).toBe(false);
    expect(rec.body.mismatches).toEqual([
      { kind: 'MISSING_IN_LEDGER', transferId: stray.id, itemId: null, ledger: null, stripe: { amountMinor: '777', currency: 'EUR', destination: acct, reversedMinor: '0' } },
    ]);
    expect(rec.body.ledgerTransfers).toBeGreaterThanOrEqual(1);
  });

  it('lists unclaimed royalties (invited holders, creators who cannot be paid), aged from the oldest unpaid credit', async () => {
    const cur = 'DKK';
    const now = Date.now();
    const daysAgo = (d: number) => new Date(now - d * 86_400_000);
    const invitation = randomUUID();
    const licence = randomUUID();
    await sys.dataSource.transaction(async (em) => {
      for (const [amount, at] of [[400n, daysAgo(500)], [300n, daysAgo(200)], [200n, daysAgo(10)]] as const) {
        await ledger.post(em, {
          kind: 'test.fixture.royalty',
          reference: randomUUID(),
          occurredAt: at,
          description: 'test fixture',
          postings: [
            { account: Accounts.deferredRevenue(licence), currency: cur, amount },
            { account: Accounts.unclaimed(invitation), currency: cur, amount: -amount },
          ],
        });
      }
      // 450 moved on since (e.g. part of the invitation accepted): the oldest credits are consumed first.
      await ledger.post(em, {
        kind: 'test.fixture.transfer',
        reference: randomUUID(),
        occurredAt: daysAgo(5),
        description: 'test fixture',
        postings: [
          { account: Accounts.unclaimed(invitation), currency: cur, amount: 450n },
          { account: Accounts.deferredRevenue(licence), currency: cur, amount: -450n },
        ],
      });
    });
    const unpaid = await creator('Never onboarded');
    await owe(unpaid.id, cur, 1234n, daysAgo(100));
    const onboarded = await creator('Onboarded');
    await onboard(onboarded);
    await owe(onboarded.id, cur, 999n);

    await sys.http.get('/v1/royalties/unclaimed').set(bearer(unpaid)).expect(403);
    const res = await sys.http.get('/v1/royalties/unclaimed').set(bearer(financeA)).expect(200);
    const mine = res.body.balances.filter((b: { currency: string }) => b.currency === cur);
    expect(mine).toEqual(
      expect.arrayContaining([
        {
          account: `${AccountPrefixes.unclaimed}${invitation}`,
          holder: { kind: 'invitation', id: invitation },
          reason: 'INVITATION_NOT_ACCEPTED',
          currency: cur,
          balanceMinor: '450',
          buckets: { days0to90: '200', days90to365: '250', over365Days: '0' },
          oldestUnpaidCreditAt: daysAgo(200).toISOString(),
        },
        expect.objectContaining({ holder: { kind: 'creator', id: unpaid.id }, reason: 'NO_PAYOUT_ACCOUNT', balanceMinor: '1234', buckets: { days0to90: '0', days90to365: '1234', over365Days: '0' } }),
      ]),
    );
    expect(mine).toHaveLength(2); // the onboarded creator's balance is payable, not unclaimed
    expect(res.body.totals.find((t: { currency: string }) => t.currency === cur)).toEqual({
      currency: cur,
      totalMinor: '1684',
      buckets: { days0to90: '200', days90to365: '1484', over365Days: '0' },
    });
  });
});
