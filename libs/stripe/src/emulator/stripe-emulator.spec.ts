import { createSession, type Harness, SECRET_KEY, startHarness } from '../test-support/harness';
import { DISPUTE_FEE_MINOR, TEST_CARDS } from './emulator-store';

describe('StripeEmulator', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  async function paidCheckout() {
    const session = await createSession(h);
    h.emulator.pay(session.id);
    const { paymentIntentId } = await h.gateway.retrieveCheckoutSession(session.id);
    const pi = await h.gateway.retrievePaymentIntent(paymentIntentId as string);
    return { sessionId: session.id, pi, chargeId: pi.latestChargeId as string };
  }

  describe('webhook delivery', () => {
    it('retries an event the receiver answered with 500, and the retry verifies', async () => {
      let failures = 1;
      h.receiver.respond = () => (failures-- > 0 ? 500 : undefined);
      await paidCheckout();
      await h.emulator.whenDelivered();
      expect(h.receiver.received.map((r) => r.status)).toEqual([500, 200]);
      expect(h.receiver.received[0].event?.id).toBe(h.receiver.received[1].event?.id);
      expect(h.emulator.deliveries().map((d) => [d.attempt, d.status, d.ok])).toEqual([
        [1, 500, false],
        [2, 200, true],
      ]);
    });

    it('retries when the receiver is unreachable and gives up after the configured attempts', async () => {
      h.emulator.setWebhookUrl('http://127.0.0.1:1/v1/stripe/webhook');
      await paidCheckout();
      await h.emulator.whenDelivered();
      const attempts = h.emulator.deliveries();
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
      expect(attempts.every((a) => !a.ok && a.error !== undefined)).toBe(true);
    });

    it('redelivers the same event with the same id', async () => {
      await paidCheckout();
      await h.emulator.whenDelivered();
      const [event] = h.emulator.eventsOfType('checkout.session.completed');
      h.emulator.redeliver(event.id);
      await h.emulator.whenDelivered();
      const received = h.receiver.events.filter((e) => e.type === 'checkout.session.completed');
      expect(received.map((e) => e.id)).toEqual([event.id, event.id]);
      expect(received[1]).toEqual(received[0]);
    });

    it('holds deliveries and releases them in reverse order', async () => {
      h.emulator.holdWebhooks();
      const { sessionId, pi } = await paidCheckout();
      await h.gateway.createRefund({ paymentIntentId: pi.id, amountMinor: 100n, idempotencyKey: 'r-1', metadata: {} });
      expect(h.receiver.received).toHaveLength(0);
      const created = h.emulator.events().map((e) => e.id);
      expect(created.length).toBe(3);

      h.emulator.releaseWebhooks({ order: 'reverse' });
      await h.emulator.whenDelivered();
      expect(h.receiver.events.map((e) => e.id)).toEqual([...created].reverse());
      expect(h.receiver.events.at(-1)?.type).toBe('checkout.session.completed');
      expect((h.receiver.events.at(-1)?.data.object as { id: string }).id).toBe(sessionId);
    });

    it('sends events as snapshots: later changes do not alter an earlier event', async () => {
      const { pi } = await paidCheckout();
      await h.gateway.createRefund({ paymentIntentId: pi.id, amountMinor: 100n, idempotencyKey: 'r-1', metadata: {} });
      await h.gateway.createRefund({ paymentIntentId: pi.id, amountMinor: 200n, idempotencyKey: 'r-2', metadata: {} });
      await h.emulator.whenDelivered();
      const refunded = h.receiver.events.filter((e) => e.type === 'charge.refunded').map((e) => (e.data.object as { amount_refunded: number }).amount_refunded);
      expect(refunded).toEqual([100, 300]);
      // Events caused by an API call carry its idempotency key.
      const refundCreated = h.receiver.events.filter((e) => e.type === 'refund.created');
      expect(refundCreated.map((e) => e.request?.idempotency_key)).toEqual(['r-1', 'r-2']);
    });

    it('signedDelivery posts a hand-made event; the receiver refuses a stale signature and accepts a fresh one', async () => {
      const event = { id: 'evt_handmade', object: 'event', type: 'charge.refunded', data: { object: { id: 'ch_1' } } };
      const stale = await h.emulator.signedDelivery(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
      expect(stale.status).toBe(400);
      expect(JSON.parse(stale.body)).toEqual({ error: { code: 'WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE' } });
      const fresh = await h.emulator.signedDelivery(event);
      expect(fresh.status).toBe(200);
      expect(h.receiver.events.map((e) => e.id)).toEqual(['evt_handmade']);
    });
  });

  describe('disputes', () => {
    it('opens a dispute, then a lost dispute withdraws the funds with a balance transaction', async () => {
      const { chargeId } = await paidCheckout();
      const dispute = h.emulator.createDispute(chargeId);
      expect(dispute).toMatchObject({ object: 'dispute', charge: chargeId, amount: 1000, status: 'needs_response' });
      expect(dispute.id).toMatch(/^dp_/);
      expect((await h.gateway.retrieveCharge(chargeId)).disputed).toBe(true);

      const closed = h.emulator.closeDispute(dispute.id, 'lost');
      expect(closed.status).toBe('lost');
      expect(closed.balance_transactions).toHaveLength(1);
      const txn = await h.gateway.retrieveBalanceTransaction(closed.balance_transactions[0].id);
      expect(txn).toMatchObject({ amount: -1000n, fee: BigInt(DISPUTE_FEE_MINOR), net: -1000n - BigInt(DISPUTE_FEE_MINOR), type: 'adjustment', sourceId: dispute.id });

      await h.emulator.whenDelivered();
      expect(h.receiver.events.map((e) => e.type)).toEqual(['checkout.session.completed', 'charge.dispute.created', 'charge.dispute.closed']);
      expect(h.receiver.events[2].data.object).toMatchObject({ id: dispute.id, status: 'lost' });
    });

    it('a won dispute moves no money', async () => {
      const { chargeId } = await paidCheckout();
      const closed = h.emulator.closeDispute(h.emulator.createDispute(chargeId).id, 'won');
      expect(closed).toMatchObject({ status: 'won', balance_transactions: [] });
    });
  });

  describe('wire format', () => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${h.apiUrl}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${SECRET_KEY}`, 'Content-Type': 'application/x-www-form-urlencoded', ...(init.headers ?? {}) },
      });

    it('answers 401 in Stripe\'s shape without a key', async () => {
      const res = await fetch(`${h.apiUrl}/v1/charges/ch_1`);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toMatch(/You did not provide an API key/);
    });

    it('refuses unknown and missing parameters like Stripe', async () => {
      const unknown = await api('/v1/transfers', { method: 'POST', body: 'amount=1&currency=eur&destination=acct_1&colour=red' });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toEqual({
        error: { type: 'invalid_request_error', code: 'parameter_unknown', message: 'Received unknown parameter: colour', param: 'colour' },
      });
      const missing = await api('/v1/transfers', { method: 'POST', body: 'currency=eur&destination=acct_1' });
      expect(await missing.json()).toMatchObject({ error: { code: 'parameter_missing', param: 'amount' } });
      const nested = await api('/v1/checkout/sessions', {
        method: 'POST',
        body: 'mode=payment&success_url=http://x.test/ok&line_items[0][price_data][currency]=eur&line_items[0][price_data][product_data][name]=X',
      });
      expect(await nested.json()).toMatchObject({ error: { code: 'parameter_missing', param: 'line_items[0][price_data][unit_amount]' } });
    });

    it('does not save a validation failure under its idempotency key, so a corrected retry works', async () => {
      const headers = { 'Idempotency-Key': 'fix-me' };
      const bad = await api('/v1/accounts', { method: 'POST', headers, body: 'type=express&country=Germany' });
      expect(bad.status).toBe(400);
      const good = await api('/v1/accounts', { method: 'POST', headers, body: 'type=express&country=DE' });
      expect(good.status).toBe(200);
    });

    it('refuses an idempotency key reused on another endpoint', async () => {
      await api('/v1/accounts', { method: 'POST', headers: { 'Idempotency-Key': 'k' }, body: 'type=express' });
      const res = await api('/v1/transfers', { method: 'POST', headers: { 'Idempotency-Key': 'k' }, body: 'type=express' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { type: 'idempotency_error' } });
    });

    it('expands ID fields on request', async () => {
      const { pi } = await paidCheckout();
      const res = await api(`/v1/payment_intents/${pi.id}?expand[]=latest_charge.balance_transaction`);
      const body = (await res.json()) as { latest_charge: { object: string; balance_transaction: { object: string; fee: number } } };
      expect(body.latest_charge.object).toBe('charge');
      expect(body.latest_charge.balance_transaction).toMatchObject({ object: 'balance_transaction', fee: 40 });
    });

    it('answers unknown routes and objects with Stripe errors', async () => {
      const route = await api('/v1/widgets');
      expect(route.status).toBe(404);
      expect(((await route.json()) as { error: { message: string } }).error.message).toMatch(/^Unrecognized request URL \(GET: \/v1\/widgets\)/);
      const object = await api('/v1/transfers/tr_nope');
      expect(await object.json()).toMatchObject({ error: { code: 'resource_missing', param: 'id', message: "No such transfer: 'tr_nope'" } });
    });
  });

  describe('HTTP controls', () => {
    it('pays a session, lists events and waits for delivery over /_emulator', async () => {
      const session = await createSession(h);
      const paid = await fetch(`${h.apiUrl}/_emulator/checkout/sessions/${session.id}/pay`, { method: 'POST', body: JSON.stringify({ card: TEST_CARDS.succeeds }) });
      expect(((await paid.json()) as { outcome: string }).outcome).toBe('succeeded');
      await fetch(`${h.apiUrl}/_emulator/webhooks/idle`, { method: 'POST' });
      expect(h.receiver.events.map((e) => e.type)).toEqual(['checkout.session.completed']);
      const events = (await (await fetch(`${h.apiUrl}/_emulator/events?type=checkout.session.completed`)).json()) as { data: { id: string }[] };
      expect(events.data.map((e) => e.id)).toEqual([h.receiver.events[0].id]);
    });

    it('declines over /_emulator with the card error', async () => {
      const session = await createSession(h);
      const res = await fetch(`${h.apiUrl}/_emulator/checkout/sessions/${session.id}/pay`, { method: 'POST', body: JSON.stringify({ card: TEST_CARDS.declines }) });
      expect(await res.json()).toMatchObject({ outcome: 'declined', error: { code: 'card_declined', decline_code: 'generic_decline' } });
    });
  });
});
