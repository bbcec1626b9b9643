import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { signPayload, TEST_CARDS, type EmulatorEvent } from '@fairshare/stripe';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';

/**
 * Stripe's webhook under abuse: duplicates (sequential and concurrent), out-of-order delivery,
 * replays with old or future timestamps, bad signatures, another secret, unknown event types,
 * oversized and non-JSON bodies. Each delivery is accepted once or refused with a code, and never
 * applied twice: checked on the licence, the `stripe_events` rows and the ledger.
 */

const sha = () => createHash('sha256').update(randomBytes(16)).digest('hex');
const ALL = { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true };
const PRICE = 100_000;

async function waitFor<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface LicenceRow {
  status: string;
  amount_paid_minor: string;
  amount_refunded_minor: string;
  dispute_lost_minor: string;
  dispute_status: string;
  stripe_charge_id: string | null;
}

describe('Stripe webhook abuse (e2e)', () => {
  let sys: TestSystem;
  let admin: TestUser;
  let licensee: TestUser;
  let offerId: string;

  beforeAll(async () => {
    sys = await TestSystem.start();
    admin = await sys.createStaff(['admin']);
    licensee = await sys.registerLicensee();
    const creator = await sys.registerCreator();
    const cat = await sys.http.post('/v1/catalogues').set(bearer(creator)).send({ name: 'Works' }).expect(201);
    const work = await sys.http.post(`/v1/catalogues/${cat.body.id}/works`).set(bearer(creator)).send({ title: 'W', mediaType: 'text', language: 'en', contentHash: sha() }).expect(201);
    await sys.http.put(`/v1/works/${work.body.id}/consent`).set(bearer(creator)).send(ALL).expect(200);
    const offer = await sys.http.post('/v1/offers').set(bearer(admin)).send({
      kind: 'dataset', name: 'Abuse', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: String(PRICE),
      termDays: 365, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens', workIds: [work.body.id],
    });
    if (offer.status !== 201) throw new Error(`offer: ${offer.status} ${JSON.stringify(offer.body)}`);
    offerId = offer.body.id;
  }, 60_000);
  afterAll(() => sys?.stop());

  const secret = () => sys.config.STRIPE_WEBHOOK_SECRET as string;
  const deliver = (payload: string, signature?: string, contentType = 'application/json') => {
    const req = sys.http.post('/v1/stripe/webhook').set('content-type', contentType);
    if (signature !== undefined) req.set('Stripe-Signature', signature);
    return req.send(payload);
  };
  const signed = (payload: string, opts: { timestamp?: number; secret?: string } = {}) => deliver(payload, signPayload(payload, opts.secret ?? secret(), opts.timestamp));

  const buy = async (): Promise<{ licenceId: string; sessionId: string }> => {
    const res = await sys.http.post('/v1/licences').set(bearer(licensee)).set('Idempotency-Key', randomUUID()).send({ offerId }).expect(201);
    return { licenceId: res.body.licence.id, sessionId: res.body.checkoutUrl.split('/').pop() };
  };
  const licence = async (id: string): Promise<LicenceRow> => (await sys.dataSource.query(`SELECT * FROM licences WHERE id = $1`, [id]))[0];
  const entries = async (licenceId: string): Promise<{ kind: string; reference: string }[]> =>
    sys.dataSource.query(`SELECT kind, reference FROM journal_entries WHERE metadata->>'licenceId' = $1 ORDER BY kind, reference`, [licenceId]);
  const postingsOf = async (licenceId: string): Promise<string[]> =>
    (
      await sys.dataSource.query(
        `SELECT e.kind, replace(p.account, $1, '<licence>') AS account, p.currency, p.amount::text AS amount
           FROM journal_entries e JOIN postings p ON p.entry_id = e.id WHERE e.metadata->>'licenceId' = $1 ORDER BY 1, 2, 4`,
        [licenceId],
      )
    ).map((r: Record<string, string>) => `${r.kind} ${r.account} ${r.currency} ${r.amount}`);
  const trialBalanceIsZero = async () => {
    const rows = await sys.dataSource.query(`SELECT currency, sum(amount)::text AS total FROM postings GROUP BY currency`);
    for (const r of rows as { currency: string; total: string }[]) expect(`${r.currency} ${r.total}`).toBe(`${r.currency} 0`);
  };
  const storedEvents = async (ids: string[]): Promise<{ id: string; status: string }[]> =>
    sys.dataSource.query(`SELECT id, status FROM stripe_events WHERE id = ANY($1) ORDER BY id`, [ids]);
  const allSettled = (ids: string[]) =>
    waitFor(() => storedEvents(ids), (rows) => rows.length === ids.length && rows.every((r) => r.status === 'processed' || r.status === 'ignored'));
  const eventsSince = (before: number, types?: string[]): EmulatorEvent[] =>
    sys.stripe.events().slice(before).filter((e) => !types || types.includes(e.type));
  /** A hand-made event (as Stripe would sign it) of a type and id the test chooses. */
  const handMade = (type: string, object: Record<string, unknown> = { id: 'obj_' + randomBytes(6).toString('hex'), object: 'unknown' }) =>
    ({ id: 'evt_' + randomBytes(12).toString('hex'), object: 'event', api_version: '2025-01-01', created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: null, type, data: { object } });

  it('one payment delivered 5 times concurrently, then 5 more times in sequence, activates the licence once with one payment entry', async () => {
    sys.stripe.holdWebhooks();
    const before = sys.stripe.events().length;
    const { licenceId, sessionId } = await buy();
    expect(sys.stripe.pay(sessionId).outcome).toBe('succeeded');
    const [completed] = eventsSince(before, ['checkout.session.completed']);
    expect(completed).toBeDefined();
    const payload = JSON.stringify(completed);

    const concurrent = await Promise.all(Array.from({ length: 5 }, () => signed(payload)));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(concurrent.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      const again = await signed(payload);
      expect(again.status).toBe(200);
      expect(again.body.duplicate).toBe(true);
    }
    // …and Stripe's own delivery (plus a redelivery) arrive last.
    sys.stripe.redeliver(completed.id);
    sys.stripe.releaseWebhooks();
    await sys.stripe.whenDelivered();

    await allSettled([completed.id]);
    expect(await storedEvents([completed.id])).toEqual([{ id: completed.id, status: 'processed' }]);
    const row = await licence(licenceId);
    expect(row).toMatchObject({ status: 'active', amount_paid_minor: String(PRICE), amount_refunded_minor: '0' });
    expect(await entries(licenceId)).toEqual([{ kind: 'licence.payment', reference: row.stripe_charge_id }]);
    await trialBalanceIsZero();
  });

  it('an async payment whose events arrive in reverse order (paid before completed-unpaid) activates once', async () => {
    sys.stripe.holdWebhooks();
    const before = sys.stripe.events().length;
    const { licenceId, sessionId } = await buy();
    expect(sys.stripe.pay(sessionId, TEST_CARDS.asyncSucceeds).outcome).toBe('processing');
    await waitFor(async () => eventsSince(before, ['checkout.session.async_payment_succeeded']).length, (n) => n === 1, 5_000);
    const ids = eventsSince(before).map((e) => e.id);
    expect(eventsSince(before).map((e) => e.type)).toEqual(expect.arrayContaining(['checkout.session.completed', 'checkout.session.async_payment_succeeded']));
    sys.stripe.releaseWebhooks({ order: 'reverse' });
    await sys.stripe.whenDelivered();
    await allSettled(ids);
    const row = await licence(licenceId);
    expect(row).toMatchObject({ status: 'active', amount_paid_minor: String(PRICE) });
    expect((await entries(licenceId)).map((e) => e.kind)).toEqual(['licence.payment']);
    await trialBalanceIsZero();
  });

  it('refund and lost dispute delivered in reverse order end exactly where in-order delivery ends, and redelivering everything changes nothing', async () => {
    const scenario = async (order: 'as-created' | 'reverse') => {
      const before = sys.stripe.events().length;
      const { licenceId, sessionId } = await buy();
      sys.stripe.pay(sessionId);
      await sys.stripe.whenDelivered();
      await waitFor(() => licence(licenceId), (l) => l.status === 'active');
      const chargeId = (await licence(licenceId)).stripe_charge_id!;
      sys.stripe.holdWebhooks();
      await sys.http.post(`/v1/licences/${licenceId}/refunds`).set(bearer(admin)).set('Idempotency-Key', randomUUID()).send({ amountMinor: '30000' }).expect(201);
      const dispute = sys.stripe.createDispute(chargeId);
      sys.stripe.closeDispute(dispute.id, 'lost');
      const held = eventsSince(before).map((e) => e.id);
      sys.stripe.releaseWebhooks({ order });
      await sys.stripe.whenDelivered();
      await allSettled(held);
      return { licenceId, held };
    };
    const inOrder = await scenario('as-created');
    const reversed = await scenario('reverse');
    const state = async (id: string) => {
      const l = await licence(id);
      return { status: l.status, paid: l.amount_paid_minor, refunded: l.amount_refunded_minor, disputeLost: l.dispute_lost_minor, dispute: l.dispute_status };
    };
    expect(await state(reversed.licenceId)).toEqual(await state(inOrder.licenceId));
    expect(await postingsOf(reversed.licenceId)).toEqual(await postingsOf(inOrder.licenceId));
    expect((await entries(reversed.licenceId)).map((e) => e.kind)).toEqual(['licence.dispute_lost', 'licence.payment', 'licence.refund']);

    // Stripe redelivers every event of both scenarios: nothing new is applied.
    const ledgerBefore = await sys.dataSource.query(`SELECT count(*)::int AS n FROM postings`);
    const snapshot = [await state(inOrder.licenceId), await state(reversed.licenceId)];
    for (const id of [...inOrder.held, ...reversed.held]) sys.stripe.redeliver(id);
    await sys.stripe.whenDelivered();
    await allSettled([...inOrder.held, ...reversed.held]);
    expect(await sys.dataSource.query(`SELECT count(*)::int AS n FROM postings`)).toEqual(ledgerBefore);
    expect([await state(inOrder.licenceId), await state(reversed.licenceId)]).toEqual(snapshot);
    await trialBalanceIsZero();
  });

  it('refuses replays signed beyond the tolerance (old or future timestamps) with a code, storing nothing', async () => {
    const event = handMade('checkout.session.completed');
    const payload = JSON.stringify(event);
    const tolerance = sys.config.STRIPE_WEBHOOK_TOLERANCE_SECONDS as number;
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - tolerance - 5, now - 86_400 * 30, now + tolerance + 60]) {
      const res = await signed(payload, { timestamp });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE');
    }
    expect(await storedEvents([event.id])).toEqual([]);
    // The same bytes freshly signed are accepted (as an unknown session: stored, ignored).
    expect((await signed(payload)).status).toBe(200);
  });

  it('refuses missing, malformed, forged and foreign-secret signatures with a code, storing nothing', async () => {
    const event = handMade('charge.refunded', { id: 'ch_forged', object: 'charge', amount: 100, amount_refunded: 100 });
    const payload = JSON.stringify(event);
    const t = Math.floor(Date.now() / 1000);
    const good = signPayload(payload, secret(), t);
    const cases: [string, string | undefined, string][] = [
      ['no header', undefined, payload],
      ['empty header', '', payload],
      ['garbage header', 'not a signature', payload],
      ['only a timestamp', `t=${t}`, payload],
      ['wrong scheme', good.replace('v1=', 'v0='), payload],
      ['flipped signature', good.replace(/v1=([0-9a-f])/, (_, c: string) => `v1=${c === '0' ? '1' : '0'}`), payload],
      ['tampered body', good, payload.replace('"amount":100', '"amount":999999')],
      ['another secret', signPayload(payload, 'whsec_' + randomBytes(16).toString('hex'), t), payload],
      ['the secret key instead', signPayload(payload, sys.config.STRIPE_SECRET_KEY as string, t), payload],
    ];
    for (const [name, header, body] of cases) {
      const res = await deliver(body, header);
      expect({ name, status: res.status, code: res.body?.error?.code }).toEqual({ name, status: 400, code: expect.stringMatching(/^WEBHOOK_(SIGNATURE_INVALID|SIGNATURE_MISSING|BODY_MISSING)$/) });
    }
    expect(await storedEvents([event.id])).toEqual([]);
  });

  it('stores an unknown event type once as ignored, answers 200 each time, and changes no money', async () => {
    const postingsBefore = await sys.dataSource.query(`SELECT count(*)::int AS n FROM postings`);
    const event = handMade('customer.subscription.created', { id: 'sub_x', object: 'subscription' });
    const payload = JSON.stringify(event);
    const answers = await Promise.all([signed(payload), signed(payload), signed(payload)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    const rows = await sys.dataSource.query(`SELECT type, status FROM stripe_events WHERE id = $1`, [event.id]);
    expect(rows).toEqual([{ type: 'customer.subscription.created', status: 'ignored' }]);
    expect(await sys.dataSource.query(`SELECT count(*)::int AS n FROM postings`)).toEqual(postingsBefore);
  });

  it('refuses oversized bodies with 413 and a code, even when signed', async () => {
    const big = handMade('checkout.session.completed', { id: 'cs_big', object: 'checkout.session', padding: 'x'.repeat(1_100_000) });
    const payload = JSON.stringify(big);
    const res = await signed(payload);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    const huge = await signed(JSON.stringify({ ...big, data: { object: { padding: 'y'.repeat(6 * 1024 * 1024) } } }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(await storedEvents([big.id])).toEqual([]);
  });

  it('refuses a validly signed body that is not a JSON event with a 400 and a code', async () => {
    const answers: { payload: string; status: number; code?: string }[] = [];
    for (const [payload, contentType] of [
      ['this is not json', 'application/json'],
      ['{"id": "evt_trunc', 'application/json'],
      ['this is not json', 'text/plain'],
      ['[]', 'application/json'],
      ['"evt_string"', 'application/json'],
      [JSON.stringify({ id: 42, type: ['x'], created: 'yesterday' }), 'application/json'],
      [JSON.stringify({ object: 'event', type: 'checkout.session.completed' }), 'application/json'],
    ] as const) {
      const res = await deliver(payload, signPayload(payload, secret()), contentType);
      answers.push({ payload, status: res.status, code: res.body?.error?.code });
    }
    expect(answers).toEqual(answers.map(({ payload }) => ({ payload, status: 400, code: expect.stringMatching(/^[A-Z][A-Z0-9_]+$/) })));
    const stray = await sys.dataSource.query(`SELECT id FROM stripe_events WHERE id IN ('42', 'evt_string') OR id IS NULL`);
    expect(stray).toEqual([]);
    await trialBalanceIsZero();
  });
});
