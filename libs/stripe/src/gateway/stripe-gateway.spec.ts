import { FEE_FIXED_MINOR, TEST_CARDS } from '../emulator/emulator-store';
import { createSession, type Harness, SECRET_KEY, startHarness, submitCheckoutForm, WEBHOOK_SECRET } from '../test-support/harness';
import { signPayload } from '../webhook-signing';
import { StripeAmountError, StripeGatewayError, WebhookSignatureError } from './stripe-gateway.errors';
import { StripeGateway } from './stripe-gateway';

describe('StripeGateway against the emulator', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  async function paidSession(amountMinor = 1000n) {
    const session = await createSession(h, { amountMinor });
    expect(h.emulator.pay(session.id).outcome).toBe('succeeded');
    const paid = await h.gateway.retrieveCheckoutSession(session.id);
    const pi = await h.gateway.retrievePaymentIntent(paid.paymentIntentId as string);
    return { session: paid, pi };
  }

  describe('checkout', () => {
    it('creates a session, serves the hosted page, takes the form and delivers a verified checkout.session.completed', async () => {
      const session = await createSession(h);
      expect(session).toMatchObject({ paymentStatus: 'unpaid', status: 'open' });
      expect(session.id).toMatch(/^cs_test_/);
      expect(session.url).toBe(`${h.apiUrl}/checkout/${session.id}`);

      const page = await fetch(session.url as string);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('€10.00');
      expect(html).toContain('Licence: Birdsong corpus');
      expect(html).toMatch(/<label for="card_number">/);

      const res = await submitCheckoutForm(session.url as string, TEST_CARDS.succeeds);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`http://portal.test/licences/lic_123/paid?session=${session.id}`);

      await h.emulator.whenDelivered();
      const completed = h.receiver.events.filter((e) => e.type === 'checkout.session.completed');
      expect(completed).toHaveLength(1);
      const object = completed[0].data.object as { id: string; payment_status: string; metadata: Record<string, string>; client_reference_id: string };
      expect(object).toMatchObject({ id: session.id, payment_status: 'paid', metadata: { licence_id: 'lic_123' }, client_reference_id: 'lic_123' });
      expect(completed[0].id).toMatch(/^evt_/);
      // The emulator stamps events with the version the installed client speaks.
      expect(completed[0].api_version).toBe('2026-10-28.endive');

      const after = await h.gateway.retrieveCheckoutSession(session.id);
      expect(after).toMatchObject({ status: 'complete', paymentStatus: 'paid', url: null, amountTotal: 1000n, currency: 'eur' });
      const pi = await h.gateway.retrievePaymentIntent(after.paymentIntentId as string);
      expect(pi).toMatchObject({ status: 'succeeded', amountReceived: 1000n, currency: 'eur' });
      const charge = await h.gateway.retrieveCharge(pi.latestChargeId as string);
      expect(charge).toMatchObject({ amount: 1000n, amountRefunded: 0n, refunded: false, disputed: false, paymentIntentId: pi.id });

      // A paid session's page no longer takes cards.
      expect((await fetch(session.url as string)).status).toBe(410);
    });

    it('shows a decline on the page and takes no payment', async () => {
      const session = await createSession(h);
      const res = await submitCheckoutForm(session.url as string, TEST_CARDS.declines);
      expect(res.status).toBe(402);
      expect(await res.text()).toMatch(/role="alert"[^>]*>Your card was declined\./);
      const after = await h.gateway.retrieveCheckoutSession(session.id);
      expect(after).toMatchObject({ status: 'open', paymentStatus: 'unpaid', paymentIntentId: null });
      await h.emulator.whenDelivered();
      expect(h.emulator.events()).toHaveLength(0);
    });

    it.each([
      [TEST_CARDS.asyncSucceeds, 'checkout.session.async_payment_succeeded', 'paid', 'succeeded'],
      [TEST_CARDS.asyncFails, 'checkout.session.async_payment_failed', 'unpaid', 'requires_payment_method'],
    ])('async card %s: completes unpaid, then %s', async (card, laterType, finalPaymentStatus, finalPiStatus) => {
      const session = await createSession(h);
      expect(h.emulator.pay(session.id, card).outcome).toBe('processing');
      await h.emulator.whenDelivered();
      const types = h.receiver.events.map((e) => e.type);
      expect(types).toEqual(['checkout.session.completed', laterType]);
      const [completed, later] = h.receiver.events;
      expect((completed.data.object as { payment_status: string }).payment_status).toBe('unpaid');
      expect((later.data.object as { payment_status: string }).payment_status).toBe(finalPaymentStatus);
      const after = await h.gateway.retrieveCheckoutSession(session.id);
      const pi = await h.gateway.retrievePaymentIntent(after.paymentIntentId as string);
      expect(pi.status).toBe(finalPiStatus);
    });

    it('expires an open session and emits checkout.session.expired; a second expiry is refused', async () => {
      const session = await createSession(h);
      h.emulator.expireSession(session.id);
      await h.emulator.whenDelivered();
      expect(h.receiver.events.map((e) => e.type)).toEqual(['checkout.session.expired']);
      expect((await h.gateway.retrieveCheckoutSession(session.id)).status).toBe('expired');
      expect(h.emulator.pay(session.id).outcome).toBe('not_open');
      expect(() => h.emulator.expireSession(session.id)).toThrow(/Only Checkout Sessions with a status in \["open"\]/);
    });

    it('replays an idempotent request and refuses the same key with other params', async () => {
      const first = await createSession(h, { idempotencyKey: 'licence-lic_123-checkout' });
      const again = await createSession(h, { idempotencyKey: 'licence-lic_123-checkout' });
      expect(again.id).toBe(first.id);

      const err = await createSession(h, { idempotencyKey: 'licence-lic_123-checkout', amountMinor: 2000n }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StripeGatewayError);
      expect(err).toMatchObject({ code: 'idempotency_error', statusCode: 400, retryable: false });
      expect((err as Error).message).toMatch(/same parameters/);
    });

    it('marks replays with Idempotent-Replayed on the wire', async () => {
      const body = new URLSearchParams({
        mode: 'payment',
        success_url: 'http://portal.test/ok',
        'line_items[0][quantity]': '1',
        'line_items[0][price_data][currency]': 'usd',
        'line_items[0][price_data][unit_amount]': '500',
        'line_items[0][price_data][product_data][name]': 'Dataset',
      }).toString();
      const post = () =>
        fetch(`${h.apiUrl}/v1/checkout/sessions`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${SECRET_KEY}`, 'Idempotency-Key': 'wire-1', 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
      const a = await post();
      const b = await post();
      expect(a.headers.get('idempotent-replayed')).toBeNull();
      expect(b.headers.get('idempotent-replayed')).toBe('true');
      expect(((await b.json()) as { id: string }).id).toBe(((await a.json()) as { id: string }).id);
    });
  });

  describe('balance transactions and refunds', () => {
    it('records the charge with a deterministic fee: 1.5 % rounded down + 25', async () => {
      const { pi } = await paidSession(12_370n);
      const charge = await h.gateway.retrieveCharge(pi.latestChargeId as string);
      const txn = await h.gateway.retrieveBalanceTransaction(charge.balanceTransactionId as string);
      const fee = 185n + BigInt(FEE_FIXED_MINOR); // 12370 * 1.5 % = 185.55, rounded down
      expect(txn).toMatchObject({ amount: 12_370n, fee, net: 12_370n - fee, currency: 'eur', type: 'charge', sourceId: charge.id });
    });

    it('refunds partially then fully, updating the charge and emitting charge.refunded', async () => {
      const { pi } = await paidSession(1000n);
      await h.emulator.whenDelivered();
      const partial = await h.gateway.createRefund({ paymentIntentId: pi.id, amountMinor: 300n, idempotencyKey: 'refund-1', metadata: { refund_id: 'r1' } });
      expect(partial).toMatchObject({ status: 'succeeded', amount: 300n, currency: 'eur', chargeId: pi.latestChargeId });
      expect(partial.id).toMatch(/^re_/);
      const refundTxn = await h.gateway.retrieveBalanceTransaction(partial.balanceTransactionId as string);
      expect(refundTxn).toMatchObject({ amount: -300n, fee: 0n, net: -300n, type: 'refund', sourceId: partial.id });
      expect(await h.gateway.retrieveCharge(pi.latestChargeId as string)).toMatchObject({ amountRefunded: 300n, refunded: false });

      const tooMuch = await h.gateway
        .createRefund({ paymentIntentId: pi.id, amountMinor: 701n, idempotencyKey: 'refund-x', metadata: {} })
        .catch((e: unknown) => e);
      expect(tooMuch).toMatchObject({ code: 'amount_too_large', statusCode: 400, retryable: false });

      await h.gateway.createRefund({ paymentIntentId: pi.id, amountMinor: 700n, idempotencyKey: 'refund-2', metadata: {} });
      expect(await h.gateway.retrieveCharge(pi.latestChargeId as string)).toMatchObject({ amountRefunded: 1000n, refunded: true });

      await h.emulator.whenDelivered();
      const refunded = h.receiver.events.filter((e) => e.type === 'charge.refunded').map((e) => e.data.object as { amount_refunded: number; refunded: boolean });
      expect(refunded).toEqual([
        expect.objectContaining({ amount_refunded: 300, refunded: false }),
        expect.objectContaining({ amount_refunded: 1000, refunded: true }),
      ]);
    });
  });

  describe('Connect', () => {
    it('creates an Express account, onboards it through the account link and emits account.updated', async () => {
      const { id } = await h.gateway.createExpressAccount({
        country: 'DE',
        defaultCurrency: 'EUR',
        email: 'creator@example.test',
        metadata: { creator_id: 'cr_1' },
        idempotencyKey: 'creator-cr_1-account',
      });
      expect(id).toMatch(/^acct_/);
      const before = await h.gateway.retrieveAccount(id);
      expect(before).toMatchObject({ payoutsEnabled: false, chargesEnabled: false, detailsSubmitted: false, country: 'DE', defaultCurrency: 'eur' });
      expect(before.requirementsDue.length).toBeGreaterThan(0);

      const link = await h.gateway.createAccountLink({ accountId: id, refreshUrl: 'http://portal.test/payouts/refresh', returnUrl: 'http://portal.test/payouts/done' });
      expect(link.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const page = await fetch(link.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Complete onboarding');
      const done = await fetch(link.url, { method: 'POST', redirect: 'manual' });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('http://portal.test/payouts/done');
      // Account links are single-use.
      const reused = await fetch(link.url, { redirect: 'manual' });
      expect(reused.headers.get('location')).toBe('http://portal.test/payouts/refresh');

      expect(await h.gateway.retrieveAccount(id)).toMatchObject({ payoutsEnabled: true, chargesEnabled: true, detailsSubmitted: true, requirementsDue: [] });
      await h.emulator.whenDelivered();
      const updated = h.receiver.events.filter((e) => e.type === 'account.updated');
      expect(updated).toHaveLength(1);
      expect(updated[0].account).toBe(id);
      expect(updated[0].data.object).toMatchObject({ id, payouts_enabled: true, metadata: { creator_id: 'cr_1' } });
    });

    async function onboardedAccount(): Promise<string> {
      const { id } = await h.gateway.createExpressAccount({ country: 'FR', defaultCurrency: 'eur', email: 'c@example.test', metadata: {}, idempotencyKey: `acct-${Math.random()}` });
      h.emulator.completeOnboarding(id);
      return id;
    }

    it('refuses transfers to an account that has not finished onboarding', async () => {
      const { id } = await h.gateway.createExpressAccount({ country: 'FR', defaultCurrency: 'eur', email: 'c@example.test', metadata: {}, idempotencyKey: 'acct-new' });
      const err = await h.gateway
        .createTransfer({ amountMinor: 100n, currency: 'eur', destination: id, metadata: {}, idempotencyKey: 't-0' })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'insufficient_capabilities_for_transfer', statusCode: 400 });
    });

    it('creates transfers, lists them by date range across pages, fails on demand and reports reversals', async () => {
      let clock = Date.parse('2026-03-31T23:59:59Z');
      await h.stop();
      h = await startHarness({ now: () => clock });
      const destination = await onboardedAccount();
      const march = await h.gateway.createTransfer({ amountMinor: 111n, currency: 'EUR', destination, transferGroup: 'payout-2026-03', metadata: { payout_id: 'p0' }, idempotencyKey: 't-march' });
      clock = Date.parse('2026-04-01T00:00:00Z');
      const april = [];
      for (let i = 0; i < 105; i++) {
        april.push(await h.gateway.createTransfer({ amountMinor: BigInt(100 + i), currency: 'eur', destination, metadata: { payout_id: `p${i + 1}` }, idempotencyKey: `t-${i}` }));
      }
      clock = Date.parse('2026-05-01T00:00:00Z');
      const may = await h.gateway.createTransfer({ amountMinor: 5n, currency: 'eur', destination, metadata: {}, idempotencyKey: 't-may' });

      expect(march).toMatchObject({ amount: 111n, currency: 'eur', destination, reversed: false, amountReversed: 0n, transferGroup: 'payout-2026-03' });
      expect(march.created.toISOString()).toBe('2026-03-31T23:59:59.000Z');

      const listed = await h.gateway.listTransfers({ createdFrom: new Date('2026-04-01T00:00:00Z'), createdTo: new Date('2026-05-01T00:00:00Z') });
      expect(listed).toHaveLength(105);
      expect(new Set(listed.map((t) => t.id))).toEqual(new Set(april.map((t) => t.id)));
      expect(listed.map((t) => t.id)).not.toContain(march.id);
      expect(listed.map((t) => t.id)).not.toContain(may.id);

      h.emulator.failNextTransfers(1);
      const failed = await h.gateway
        .createTransfer({ amountMinor: 1n, currency: 'eur', destination, metadata: {}, idempotencyKey: 't-fail' })
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(StripeGatewayError);
      expect(failed).toMatchObject({ code: 'balance_insufficient', statusCode: 400, retryable: false });
      // Like Stripe, the failure is saved under its idempotency key: a retry needs a new key.
      await expect(h.gateway.createTransfer({ amountMinor: 1n, currency: 'eur', destination, metadata: {}, idempotencyKey: 't-fail' })).rejects.toMatchObject({ code: 'balance_insufficient' });
      await expect(h.gateway.createTransfer({ amountMinor: 1n, currency: 'eur', destination, metadata: {}, idempotencyKey: 't-fail-2' })).resolves.toMatchObject({ amount: 1n });

      const reversal = h.emulator.reverseTransfer(march.id);
      expect(reversal.id).toMatch(/^trr_/);
      await h.emulator.whenDelivered();
      const reversed = h.receiver.events.filter((e) => e.type === 'transfer.reversed');
      expect(reversed).toHaveLength(1);
      expect(reversed[0].data.object).toMatchObject({ id: march.id, reversed: true, amount_reversed: 111 });
      const txn = await h.gateway.retrieveBalanceTransaction(reversal.balance_transaction);
      expect(txn).toMatchObject({ amount: 111n, type: 'transfer_refund' });
    });
  });

  describe('errors', () => {
    it('maps a missing object to resource_missing and refuses unsafe amounts before calling Stripe', async () => {
      await expect(h.gateway.retrieveCharge('ch_nope')).rejects.toMatchObject({ code: 'resource_missing', statusCode: 404, retryable: false });
      await expect(createSession(h, { amountMinor: 2n ** 53n })).rejects.toBeInstanceOf(StripeAmountError);
      await expect(createSession(h, { amountMinor: 0n })).rejects.toBeInstanceOf(StripeAmountError);
    });

    it('reports a wrong API key as authentication failure', async () => {
      const wrong = new StripeGateway({ secretKey: 'sk_live_nope', apiUrl: h.apiUrl, webhookSecret: WEBHOOK_SECRET, webhookToleranceSeconds: 300 });
      await expect(wrong.retrieveCharge('ch_x')).rejects.toMatchObject({ code: 'api_key_invalid', statusCode: 401, retryable: false });
    });

    it('marks connection failures retryable', async () => {
      const down = new StripeGateway({ secretKey: SECRET_KEY, apiUrl: 'http://127.0.0.1:1', webhookSecret: WEBHOOK_SECRET, webhookToleranceSeconds: 300 });
      await expect(down.retrieveCharge('ch_x')).rejects.toMatchObject({ code: 'api_connection_error', retryable: true });
    });
  });

  describe('constructEvent', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'checkout.session.completed', data: { object: {} } });

    it('accepts a good signature', () => {
      const event = h.gateway.constructEvent(Buffer.from(payload), signPayload(payload, WEBHOOK_SECRET));
      expect(event.id).toBe('evt_1');
    });

    it.each([
      ['a wrong secret', () => signPayload(payload, 'whsec_other')],
      ['no header', () => undefined],
      ['a garbage header', () => 'nonsense'],
    ])('refuses %s with WEBHOOK_SIGNATURE_INVALID', (_name, header) => {
      const err = (() => {
        try {
          h.gateway.constructEvent(Buffer.from(payload), header());
        } catch (e: unknown) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(WebhookSignatureError);
      expect(err).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID', status: 400 });
    });

    it('refuses a tampered body', () => {
      const header = signPayload(payload, WEBHOOK_SECRET);
      expect(() => h.gateway.constructEvent(Buffer.from(payload.replace('evt_1', 'evt_2')), header)).toThrow(
        expect.objectContaining({ code: 'WEBHOOK_SIGNATURE_INVALID' }),
      );
    });

    it.each([
      ['stale', -301],
      ['future', +301],
    ])('refuses a %s timestamp with WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE', (_name, offset) => {
      const header = signPayload(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) + offset);
      expect(() => h.gateway.constructEvent(Buffer.from(payload), header)).toThrow(
        expect.objectContaining({ code: 'WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE', message: expect.stringContaining('300 s') }),
      );
    });
  });
});

