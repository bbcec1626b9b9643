import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { bearer, TestSystem } from '@fairshare/testing';

/**
 * The whole money path through the HTTP API, every cent accounted for:
 * list → consent → buy (Stripe Checkout, signed webhook) → report usage → royalty run (four eyes)
 * → statements → payout run (four eyes, Stripe Connect) — and the ledger agrees at each step.
 */
async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ALL = { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true };

describe('the money path, end to end (e2e)', () => {
  let sys: TestSystem;
  let ledger: LedgerService;
  beforeAll(async () => {
    sys = await TestSystem.start();
    ledger = sys.get(LedgerService);
  });
  afterAll(() => sys?.stop());

  const expectBalanced = async () => {
    const tb = await ledger.trialBalance();
    expect(tb.balanced).toBe(true);
    for (const c of tb.currencies) expect(c.net).toBe(0n);
  };

  it('pays creators exactly what the rules say, once', async () => {
    await sys.setClock(new Date('2026-01-10T09:00:00Z'));
    const admin = await sys.createStaff(['admin']);
    const finA = await sys.createStaff(['finance'], 'Finance A');
    const finB = await sys.createStaff(['finance'], 'Finance B');
    const ada = await sys.registerCreator('Ada');
    const ben = await sys.registerCreator('Ben');
    for (const c of [ada, ben]) {
      await sys.http.put('/v1/me/creator-profile').set(bearer(c)).send({ displayName: c === ada ? 'Ada' : 'Ben', country: 'FR', payoutCurrency: 'EUR' }).expect(200);
    }

    // 1. List: Ada's catalogue with three works; W2 is shared 60/40 with Ben; W3 is never consented.
    const cat = (await sys.http.post('/v1/catalogues').set(bearer(ada)).send({ name: 'Songs of the coast' }).expect(201)).body;
    const work = async (title: string): Promise<{ id: string }> =>
      (await sys.http.post(`/v1/catalogues/${cat.id}/works`).set(bearer(ada)).send({ title, mediaType: 'audio', language: 'fr', contentHash: sha256(randomBytes(16)) }).expect(201)).body;
    const w1 = await work('Marée haute');
    const w2 = await work('Le phare');
    const w3 = await work('Brouillon');
    await sys.http.put(`/v1/works/${w2.id}/splits`).set(bearer(ada)).send({ holders: [{ creatorId: ada.id, shareBps: 6000 }, { creatorId: ben.id, shareBps: 4000 }] }).expect(200);

    // 2. Consent, use by use (W3 stays opt-out: the default).
    const c1 = (await sys.http.put(`/v1/works/${w1.id}/consent`).set(bearer(ada)).send(ALL).expect(200)).body;
    const c2 = (await sys.http.put(`/v1/works/${w2.id}/consent`).set(bearer(ada)).send(ALL).expect(200)).body;

    // 3. Buy: a perpetual collective licence, 1,000.00 EUR, 10 % collective fee, split by usage.
    const offer = (
      await sys.http
        .post('/v1/offers')
        .set(bearer(admin))
        .send({ kind: 'collective', name: 'Collective training', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: '100000', termDays: null, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens' })
        .expect(201)
    ).body;
    const buyer = await sys.registerLicensee('Lighthouse AI');
    const bought = await sys.http.post('/v1/licences').set(bearer(buyer)).set('Idempotency-Key', randomUUID()).send({ offerId: offer.id }).expect(201);
    const licenceId: string = bought.body.licence.id;
    sys.stripe.pay((bought.body.checkoutUrl as string).split('/').pop() as string);
    await sys.stripe.whenDelivered();
    const active = await until('licence active', async () => {
      const l = (await sys.http.get(`/v1/licences/${licenceId}`).set(bearer(buyer)).expect(200)).body;
      return l.status === 'active' ? l : null;
    });
    expect(active.startsAt).toBeTruthy();
    const manifest = await sys.dataSource.query(`SELECT work_id, consent_record_id FROM licence_manifest_lines WHERE licence_id = $1 ORDER BY work_id`, [licenceId]);
    expect(manifest).toEqual([{ work_id: w1.id, consent_record_id: c1.id }, { work_id: w2.id, consent_record_id: c2.id }].sort((a, b) => (a.work_id < b.work_id ? -1 : 1)));
    expect(manifest.map((m: { work_id: string }) => m.work_id)).not.toContain(w3.id);
    // Payment: cash at Stripe net of its fee, the fee as an expense, the whole price deferred.
    const fee = await ledger.balance(Accounts.stripeFees, 'EUR'); // a debit balance
    expect(fee).toBeGreaterThan(0n);
    expect(await ledger.balance(Accounts.cashStripe, 'EUR')).toBe(100000n - fee);
    expect(await ledger.balance(Accounts.deferredRevenue(licenceId), 'EUR')).toBe(-100000n);
    await expectBalanced();

    // 4. Report usage for January with an API key: 3 units of W1, 1 of W2 (two lines summed).
    const key = (await sys.http.post('/v1/organisations/me/api-keys').set(bearer(buyer)).send({ name: 'reporter' }).expect(201)).body.key;
    const report = await sys.http
      .post('/v1/usage-reports')
      .set({ Authorization: `Bearer ${key}` })
      .set('Idempotency-Key', randomUUID())
      .send({ licenceId, period: '2026-01', lines: [{ workId: w1.id, units: '3' }, { workId: w2.id, units: '1' }] })
      .expect(202);
    await until('report processed', async () => {
      const r = (await sys.http.get(`/v1/usage-reports/${report.body.id}`).set(bearer(buyer)).expect(200)).body;
      return r.status === 'processed' ? r : null;
    });

    // 5. Royalty run for January, once January has ended; four eyes.
    await sys.setClock(new Date('2026-02-01T06:00:00Z'));
    const started = await sys.http.post('/v1/royalty-runs').set(bearer(finA)).set('Idempotency-Key', randomUUID()).send({ period: '2026-01' });
    expect(started.status).toBe(202);
    const run = started.body;
    await until('run computed', async () => {
      const r = (await sys.http.get(`/v1/royalty-runs/${run.id}`).set(bearer(finA)).expect(200)).body;
      return r.status === 'computed' ? r : null;
    });
    expect((await sys.http.post(`/v1/royalty-runs/${run.id}/approve`).set(bearer(finA)).expect(403)).body.error.code).toBe('FOUR_EYES_REQUIRED');
    await sys.http.post(`/v1/royalty-runs/${run.id}/approve`).set(bearer(finB)).expect(200);
    await until('run posted', async () => {
      const r = (await sys.http.get(`/v1/royalty-runs/${run.id}`).set(bearer(finA)).expect(200)).body;
      return ['approved', 'posted'].includes(r.status) ? r : null;
    });

    // The rules: fee 10 000; net 90 000 split 3:1 by units → W1 67 500, W2 22 500;
    // W2 split 60/40 → Ada 13 500, Ben 9 000. Ada 81 000, Ben 9 000.
    const st = (await sys.http.get(`/v1/me/statements/${run.id}`).set(bearer(ada)).expect(200)).body;
    expect(st.totals).toEqual([{ currency: 'EUR', royalties: '81000', adjustments: '0', total: '81000' }]);
    expect(st.lines.map((l: { workId: string; amount: string; consentRecordId: string }) => [l.workId, l.amount, l.consentRecordId]).sort()).toEqual(
      [[w1.id, '67500', c1.id], [w2.id, '13500', c2.id]].sort(),
    );
    const stBen = (await sys.http.get(`/v1/me/statements/${run.id}`).set(bearer(ben)).expect(200)).body;
    expect(stBen.totals).toEqual([{ currency: 'EUR', royalties: '9000', adjustments: '0', total: '9000' }]);
    expect((await sys.http.get('/v1/me/balance').set(bearer(ada)).expect(200)).body.balances).toEqual([{ currency: 'EUR', amount: '81000' }]);
    expect(await ledger.balance(Accounts.platformFees, 'EUR')).toBe(-10000n);
    expect(await ledger.balance(Accounts.deferredRevenue(licenceId), 'EUR')).toBe(0n);
    await expectBalanced();

    // 6. Pay out: Ada onboards to Stripe Connect; Ben has no payout account yet.
    const onboarding = await sys.http.post('/v1/me/payout-account').set(bearer(ada)).expect(201);
    await fetch(onboarding.body.onboardingUrl, { method: 'POST', redirect: 'manual' });
    await until('payouts enabled', async () => (await sys.http.get('/v1/me/payout-account').set(bearer(ada))).body.payoutsEnabled === true);
    const payoutRun = (await sys.http.post('/v1/payout-runs').set(bearer(finA)).set('Idempotency-Key', randomUUID()).send({ currency: 'EUR' }).expect(201)).body;
    const reasons = Object.fromEntries(payoutRun.items.map((i: { creatorId: string; status: string; reason: string | null }) => [i.creatorId, i.reason ?? i.status]));
    expect(reasons[ben.id]).toBe('NO_PAYOUT_ACCOUNT');
    expect((await sys.http.post(`/v1/payout-runs/${payoutRun.id}/approve`).set(bearer(finA)).expect(403)).body.error.code).toBe('FOUR_EYES_REQUIRED');
    await sys.http.post(`/v1/payout-runs/${payoutRun.id}/approve`).set(bearer(finB)).expect(200);
    const done = await until('payout run finished', async () => {
      const r = (await sys.http.get(`/v1/payout-runs/${payoutRun.id}`).set(bearer(finA)).expect(200)).body;
      return ['completed', 'failed'].includes(r.status) ? r : null;
    });
    expect(done.status).toBe('completed');
    await sys.stripe.whenDelivered();
    const transfers = sys.stripe.eventsOfType('transfer.created').map((e) => e.data.object as unknown as { amount: number; destination: string; currency: string });
    expect(transfers).toEqual([expect.objectContaining({ amount: 81000, currency: 'eur', destination: onboarding.body.account.stripeAccountId })]);
    const adaPayouts = (await sys.http.get('/v1/me/payouts').set(bearer(ada)).expect(200)).body.data;
    expect(adaPayouts).toEqual([expect.objectContaining({ status: 'paid', paidAmountMinor: '81000', stripeTransferId: transfers.length ? expect.stringMatching(/^tr_/) : undefined })]);

    // Every cent: Stripe cash = price − Stripe fee − transfers; Ben's 9 000 still owed; fees kept.
    expect(await ledger.balance(Accounts.cashStripe, 'EUR')).toBe(100000n - fee - 81000n);
    expect(await ledger.balance(Accounts.payable(ada.id), 'EUR')).toBe(0n);
    expect(await ledger.balance(Accounts.payable(ben.id), 'EUR')).toBe(-9000n);
    expect((await sys.http.get('/v1/me/balance').set(bearer(ben)).expect(200)).body.balances).toEqual([{ currency: 'EUR', amount: '9000' }]);
    await expectBalanced();

    // An audit row for every mutation: each resource the path created is named in the audit log.
    const unaudited: Record<string, number> = {};
    for (const table of ['catalogues', 'works', 'offers', 'licences', 'api_keys', 'usage_reports', 'royalty_runs', 'payout_runs', 'payout_accounts']) {
      const idColumn = table === 'payout_accounts' ? 'creator_id' : 'id';
      const [{ n }] = await sys.dataSource.query(
        `SELECT count(*)::int AS n FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.resource_id = t.${idColumn}::text)`,
      );
      if (n > 0) unaudited[table] = n;
    }
    expect(unaudited).toEqual({});
    const [{ n: consentUnaudited }] = await sys.dataSource.query(
      `SELECT count(*)::int AS n FROM consent_records c WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.resource_id IN (c.id::text, c.work_id::text) AND a.action LIKE '%consent%')`,
    );
    expect(consentUnaudited).toBe(0);

    // The public can see who licensed the work, without prices.
    const reg = (await sys.http.get(`/v1/register/works/${w1.id}`).expect(200)).body;
    expect(JSON.stringify(reg)).toContain('Lighthouse AI');
    expect(JSON.stringify(reg)).not.toContain('100000');
  });
});
