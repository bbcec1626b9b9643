import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { LedgerService } from '@fairshare/ledger';
import { bearer, TestSystem, type TestUser } from '@fairshare/testing';

/** Polls until `fn` returns something truthy (the worker applies webhooks asynchronously). */
async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const CONSENT_ALL = { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true };

describe('licensing (e2e)', () => {
  let sys: TestSystem;
  let admin: TestUser;
  let finance: TestUser;
  let creator: TestUser;
  let catalogueId: string;

  beforeAll(async () => {
    sys = await TestSystem.start();
    admin = await sys.createStaff(['admin']);
    finance = await sys.createStaff(['finance']);
    creator = await sys.registerCreator('Ada');
    await sys.http.put('/v1/me/creator-profile').set(bearer(creator)).send({ displayName: 'Ada', country: 'FR', payoutCurrency: 'EUR' }).expect(200);
    catalogueId = (await sys.http.post('/v1/catalogues').set(bearer(creator)).send({ name: 'Birdsong' }).expect(201)).body.id;
  });
  afterEach(async () => {
    await sys.stripe.whenDelivered();
    const tb = await sys.get(LedgerService).trialBalance();
    expect(tb.balanced).toBe(true);
    for (const c of tb.currencies) expect(c.net).toBe(0n);
  });
  afterAll(() => sys?.stop());

  async function addWork(consent: Partial<typeof CONSENT_ALL> & { excludedOrganisationIds?: string[] } | null, content = randomBytes(32)) {
    const res = await sys.http
      .post(`/v1/catalogues/${catalogueId}/works`)
      .set(bearer(creator))
      .send({ title: 'Work ' + randomBytes(3).toString('hex'), mediaType: 'text', language: 'en', contentHash: sha256(content) })
      .expect(201);
    const id: string = res.body.id;
    let consentRecordId: string | null = null;
    if (consent) consentRecordId = (await setConsent(id, { ...CONSENT_ALL, ...consent })).id;
    return { id, content, consentRecordId };
  }

  async function setConsent(workId: string, consent: Record<string, unknown>) {
    return (await sys.http.put(`/v1/works/${workId}/consent`).set(bearer(creator)).send(consent).expect(200)).body as { id: string };
  }

  async function collectiveOffer(extra: Record<string, unknown> = {}) {
    return (
      await sys.http
        .post('/v1/offers')
        .set(bearer(admin))
        .send({ kind: 'collective', name: 'Collective training', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: '100000', termDays: 365, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens', ...extra })
        .expect(201)
    ).body;
  }

  async function buy(licensee: TestUser, offerId: string, tier?: string) {
    const res = await sys.http.post('/v1/licences').set(bearer(licensee)).set('Idempotency-Key', randomBytes(8).toString('hex')).send({ offerId, tier }).expect(201);
    const sessionId = (res.body.checkoutUrl as string).split('/').pop() as string;
    return { licence: res.body.licence, checkoutUrl: res.body.checkoutUrl as string, sessionId };
  }

  const licenceRow = async (id: string) => (await sys.dataSource.query(`SELECT * FROM licences WHERE id = $1`, [id]))[0];
  const waitStatus = (id: string, status: string) => waitFor(async () => ((await licenceRow(id)).status === status ? licenceRow(id) : null), `licence ${status}`);
  const manifestIds = async (id: string) =>
    (await sys.dataSource.query(`SELECT work_id, consent_record_id FROM licence_manifest_lines WHERE licence_id = $1 ORDER BY work_id`, [id])) as { work_id: string; consent_record_id: string }[];
  const entries = async (licenceId: string) =>
    (await sys.dataSource.query(`SELECT kind, reference FROM journal_entries WHERE metadata->>'licenceId' = $1 ORDER BY kind, reference`, [licenceId])) as { kind: string; reference: string }[];

  it('sells a collective licence through Stripe Checkout; only the signed webhook activates it; the manifest is exactly the consented works, signed', async () => {
    const buyer = await sys.registerLicensee();
    const eligible = await addWork({});
    const notCollective = await addWork({ collective: false });
    const notCommercial = await addWork({ commercial: false });
    const noTrain = await addWork({ train: false });
    const excludesBuyer = await addWork({ excludedOrganisationIds: [buyer.organisationId as string] });
    const withdrawnBefore = await addWork({});
    await setConsent(withdrawnBefore.id, { ...CONSENT_ALL, train: false, fineTune: false, retrieval: false, evaluation: false });
    const neverConsented = await addWork(null);

    const offer = await collectiveOffer({ tiers: [{ code: 'small', label: 'Revenue < €1M', priceMinor: '50000' }, { code: 'large', label: 'Revenue ≥ €1M', priceMinor: '500000' }] });
    expect(offer).toMatchObject({ kind: 'collective', priceMinor: '100000', tiers: [{ code: 'small', priceMinor: '50000' }, { code: 'large', priceMinor: '500000' }] });
    // Finance may not create collective offers.
    const refused = await sys.http.post('/v1/offers').set(bearer(finance)).send({ kind: 'collective', name: 'X', uses: ['train'], commercial: false, currency: 'EUR', priceMinor: '1', termDays: null, adminFeeBps: 0, distributionKey: 'equal', usageUnit: 'samples' }).expect(403);
    expect(refused.body.error.code).toBe('COLLECTIVE_OFFER_ADMIN_ONLY');

    const missingTier = await sys.http.post('/v1/licences').set(bearer(buyer)).set('Idempotency-Key', 'k-missing').send({ offerId: offer.id }).expect(400);
    expect(missingTier.body.error.code).toBe('TIER_REQUIRED');
    const unknownTier = await sys.http.post('/v1/licences').set(bearer(buyer)).set('Idempotency-Key', 'k-unknown').send({ offerId: offer.id, tier: 'huge' }).expect(400);
    expect(unknownTier.body.error.code).toBe('TIER_UNKNOWN');
    const noKey = await sys.http.post('/v1/licences').set(bearer(buyer)).send({ offerId: offer.id, tier: 'small' }).expect(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await sys.dataSource.query(`SELECT count(*)::int AS n FROM licences`))[0].n).toBe(0);

    const first = await sys.http.post('/v1/licences').set(bearer(buyer)).set('Idempotency-Key', 'buy-1').send({ offerId: offer.id, tier: 'small' }).expect(201);
    const again = await sys.http.post('/v1/licences').set(bearer(buyer)).set('Idempotency-Key', 'buy-1').send({ offerId: offer.id, tier: 'small' }).expect(201);
    expect(again.body.licence.id).toBe(first.body.licence.id);
    expect(again.body.checkoutUrl).toBe(first.body.checkoutUrl);
    const conflict = await sys.http.post('/v1/licences').set(bearer(buyer)).set('Idempotency-Key', 'buy-1').send({ offerId: offer.id, tier: 'large' }).expect(409);
    expect(conflict.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const licenceId: string = first.body.licence.id;
    expect(first.body.licence).toMatchObject({ status: 'pending_payment', tier: 'small', priceMinor: '50000', currency: 'EUR', uses: ['train'] });
    expect((await sys.dataSource.query(`SELECT count(*)::int AS n FROM licences`))[0].n).toBe(1);
    const pending = await sys.http.get(`/v1/licences/${licenceId}/manifest`).set(bearer(buyer)).expect(409);
    expect(pending.body.error.code).toBe('MANIFEST_NOT_FIXED');

    // The licensee pays on the emulator's hosted checkout page, as a person would.
    const page = await fetch(first.body.checkoutUrl);
    expect(page.status).toBe(200);
    const paid = await fetch(first.body.checkoutUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: buyer.email, card_number: '4242424242424242', exp: '12/34', cvc: '123', name: 'Buyer' }).toString(),
    });
    expect(paid.status).toBe(303);
    const active = await waitStatus(licenceId, 'active');
    const completed = sys.stripe.eventsOfType('checkout.session.completed').find((e) => (e.data.object as { client_reference_id: string }).client_reference_id === licenceId);
    expect(new Date(active.starts_at).getTime()).toBe((completed?.created as number) * 1000);
    expect(new Date(active.ends_at).getTime() - new Date(active.starts_at).getTime()).toBe(365 * 86_400_000);
    expect(active.amount_paid_minor).toBe('50000');

    expect(await manifestIds(licenceId)).toEqual([{ work_id: eligible.id, consent_record_id: eligible.consentRecordId }]);
    for (const w of [notCollective, notCommercial, noTrain, excludesBuyer, withdrawnBefore, neverConsented]) {
      expect((await manifestIds(licenceId)).map((l) => l.work_id)).not.toContain(w.id);
    }

    // Manifest, certificate and signature, verified with the public key from the API.
    const manifest = await sys.http.get(`/v1/licences/${licenceId}/manifest?format=ndjson`).set(bearer(buyer)).buffer(true).parse((res, cb) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => cb(null, data));
    }).expect(200);
    const text = manifest.body as string;
    expect(text.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ workId: eligible.id, contentHash: sha256(eligible.content), consentRecordId: eligible.consentRecordId }]);
    expect(manifest.headers['x-manifest-sha256']).toBe(sha256(text));
    const cert = (await sys.http.get(`/v1/licences/${licenceId}/certificate`).set(bearer(buyer)).expect(200)).body;
    expect(cert).toMatchObject({ licenceId, workCount: 1, manifestSha256: sha256(text), uses: ['train'], organisation: { id: buyer.organisationId }, offer: { id: offer.id } });
    const key = (await sys.http.get('/v1/licensing/public-key').expect(200)).body;
    expect(key.keyId).toBe(cert.publicKeyId);
    expect(JSON.parse(cert.signedPayload)).toMatchObject({ licenceId, manifestSha256: sha256(text), workCount: 1 });
    expect(verify(null, Buffer.from(cert.signedPayload), createPublicKey(key.publicKeyPem), Buffer.from(cert.signature, 'base64'))).toBe(true);
    expect(verify(null, Buffer.from(cert.signedPayload.replace(licenceId, offer.id)), createPublicKey(key.publicKeyPem), Buffer.from(cert.signature, 'base64'))).toBe(false);
    const csv = await sys.http.get(`/v1/licences/${licenceId}/manifest?format=csv`).set(bearer(buyer)).expect(200);
    expect(csv.text).toBe(`work_id,content_hash,consent_record_id\n${eligible.id},${sha256(eligible.content)},${eligible.consentRecordId}\n`);
    // Someone else's licence does not exist for them.
    const other = await sys.registerLicensee();
    expect((await sys.http.get(`/v1/licences/${licenceId}`).set(bearer(other)).expect(404)).body.error.code).toBe('LICENCE_NOT_FOUND');

    // Ledger: cash net of the fee, the fee, and the licence's deferred revenue.
    const fee = 750n + 25n; // emulator: floor(1.5 %) + 25
    const postings = await sys.dataSource.query(
      `SELECT p.account, p.amount FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.kind = 'licence.payment' AND e.reference = $1 ORDER BY p.account`,
      [active.stripe_charge_id],
    );
    expect(postings.map((p: { account: string; amount: string }) => [p.account, BigInt(p.amount)])).toEqual([
      ['cash:stripe', 50000n - fee],
      ['expense:stripe_fees', fee],
      [`liability:deferred_revenue:licence:${licenceId}`, -50000n],
    ]);

    // Withdrawal after purchase: this manifest keeps the work; a licence bought afterwards does not.
    await setConsent(eligible.id, { ...CONSENT_ALL, train: false, fineTune: false, retrieval: false, evaluation: false });
    expect(await manifestIds(licenceId)).toEqual([{ work_id: eligible.id, consent_record_id: eligible.consentRecordId }]);
    const later = await buy(other, offer.id, 'large');
    sys.stripe.pay(later.sessionId);
    await waitStatus(later.licence.id, 'active');
    // (the work excluding the first buyer is eligible for this one)
    expect(await manifestIds(later.licence.id)).toEqual([{ work_id: excludesBuyer.id, consent_record_id: excludesBuyer.consentRecordId }]);

    // Download: members of the licensee organisation, while in force, works in the manifest; logged.
    await sys.http.post(`/v1/works/${eligible.id}/content`).set(bearer(creator)).set('Content-Type', 'application/octet-stream').send(eligible.content).expect(200);
    const dl = await sys.http.get(`/v1/licences/${licenceId}/works/${eligible.id}/content`).set(bearer(buyer)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(dl.body as Buffer, eligible.content)).toBe(0);
    expect((await sys.http.get(`/v1/licences/${licenceId}/works/${eligible.id}/content`).set(bearer(other)).expect(404)).body.error.code).toBe('LICENCE_NOT_FOUND');
    expect((await sys.http.get(`/v1/licences/${licenceId}/works/${noTrain.id}/content`).set(bearer(buyer)).expect(404)).body.error.code).toBe('WORK_NOT_IN_MANIFEST');
    const logged = await sys.dataSource.query(`SELECT actor_id, work_id FROM content_downloads WHERE licence_id = $1`, [licenceId]);
    expect(logged).toEqual([{ actor_id: buyer.id, work_id: eligible.id }]);
  });

  it('sells a dataset licence of listed works, refusing works that do not consent', async () => {
    const a = await addWork({ collective: false });
    const b = await addWork({ collective: false, commercial: false });
    const c = await addWork({ train: false });
    const body = { kind: 'dataset', name: 'Birdsong set', uses: ['train', 'evaluation'], commercial: false, currency: 'EUR', priceMinor: '2500', termDays: null, adminFeeBps: 500, distributionKey: 'equal', usageUnit: 'samples' };
    const bad = await sys.http.post('/v1/offers').set(bearer(finance)).send({ ...body, workIds: [a.id, b.id, c.id] }).expect(422);
    expect(bad.body.error).toMatchObject({ code: 'WORKS_NOT_CONSENTED', details: { workIds: [c.id] } });
    const offer = (await sys.http.post('/v1/offers').set(bearer(finance)).send({ ...body, workIds: [a.id, b.id] }).expect(201)).body;
    expect(offer).toMatchObject({ kind: 'dataset', workCount: 2 });
    const buyer = await sys.registerLicensee();
    const { licence, sessionId } = await buy(buyer, offer.id);
    expect(sys.stripe.pay(sessionId).outcome).toBe('succeeded');
    const active = await waitStatus(licence.id, 'active');
    expect(active.ends_at).toBeNull();
    const expected = [a, b].sort((x, y) => (x.id < y.id ? -1 : 1)).map((w) => ({ work_id: w.id, consent_record_id: w.consentRecordId }));
    expect(await manifestIds(licence.id)).toEqual(expected);
    expect(active.work_count).toBe(2);
  });

  it('applies duplicate and out-of-order webhooks once, ending in the clean order’s state', async () => {
    const w = await addWork({});
    const offer = await collectiveOffer({ priceMinor: '10000' });
    const refundThroughStripe = async (sessionId: string, amount: number) => {
      const session = sys.stripe.eventsOfType('checkout.session.completed').find((e) => (e.data.object as { id: string }).id === sessionId);
      const pi = (session?.data.object as { payment_intent: string }).payment_intent;
      const res = await fetch(`${sys.stripe.url}/v1/refunds`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sys.config.STRIPE_SECRET_KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ payment_intent: pi, amount: String(amount) }).toString(),
      });
      expect(res.status).toBe(200);
    };
    const summary = async (id: string) => {
      const r = await licenceRow(id);
      const completed = sys.stripe.eventsOfType('checkout.session.completed').find((e) => (e.data.object as { client_reference_id: string }).client_reference_id === id);
      return {
        status: r.status,
        startsAtIsPaymentTime: new Date(r.starts_at).getTime() === (completed?.created as number) * 1000,
        paid: r.amount_paid_minor,
        refunded: r.amount_refunded_minor,
        works: (await manifestIds(id)).length,
        entries: (await entries(id)).map((e) => e.kind),
      };
    };

    // Clean order.
    const clean = await buy(await sys.registerLicensee(), offer.id);
    sys.stripe.pay(clean.sessionId);
    await waitStatus(clean.licence.id, 'active');
    await refundThroughStripe(clean.sessionId, 3000);
    await waitFor(async () => (await licenceRow(clean.licence.id)).amount_refunded_minor === '3000', 'clean refund');

    // charge.refunded (and refund.created) delivered before checkout.session.completed.
    const reversed = await buy(await sys.registerLicensee(), offer.id);
    sys.stripe.holdWebhooks();
    sys.stripe.pay(reversed.sessionId);
    await refundThroughStripe(reversed.sessionId, 3000);
    sys.stripe.releaseWebhooks({ order: 'reverse' });
    await sys.stripe.whenDelivered();
    await waitFor(async () => (await licenceRow(reversed.licence.id)).amount_refunded_minor === '3000', 'deferred refund applied');
    const eventsOf = (id: string) => sys.stripe.events().filter((e) => JSON.stringify(e.data.object).includes(id));
    expect(eventsOf(reversed.licence.id).map((e) => e.type)).toEqual(['checkout.session.completed', 'charge.refunded']);

    // The same webhook delivered twice more: acknowledged as a duplicate, applied once.
    for (const e of eventsOf(reversed.licence.id)) sys.stripe.redeliver(e.id);
    await sys.stripe.whenDelivered();
    const dupes = sys.stripe.deliveries().filter((d) => d.ok && eventsOf(reversed.licence.id).some((e) => e.id === d.eventId));
    expect(dupes.length).toBe(4);

    const a = await summary(clean.licence.id);
    const b = await summary(reversed.licence.id);
    expect(b).toEqual(a);
    expect(a).toMatchObject({ status: 'active', startsAtIsPaymentTime: true, paid: '10000', refunded: '3000', works: expect.any(Number), entries: ['licence.payment', 'licence.refund'] });
    const stored = await sys.dataSource.query(`SELECT status, count(*)::int AS n FROM stripe_events GROUP BY status ORDER BY status`);
    expect(stored.find((s: { status: string }) => s.status === 'failed')).toBeUndefined();

    // An admin refund of the rest revokes the licence at the refund's time.
    const tooMuch = await sys.http.post(`/v1/licences/${clean.licence.id}/refunds`).set(bearer(admin)).set('Idempotency-Key', 'r-big').send({ amountMinor: '7001' }).expect(422);
    expect(tooMuch.body.error.code).toBe('REFUND_EXCEEDS_PAID');
    const r1 = await sys.http.post(`/v1/licences/${clean.licence.id}/refunds`).set(bearer(admin)).set('Idempotency-Key', 'r-rest').send({ amountMinor: '7000' }).expect(201);
    const r2 = await sys.http.post(`/v1/licences/${clean.licence.id}/refunds`).set(bearer(admin)).set('Idempotency-Key', 'r-rest').send({ amountMinor: '7000' }).expect(201);
    expect(r2.body.stripeRefundId).toBe(r1.body.stripeRefundId);
    const revoked = await waitStatus(clean.licence.id, 'revoked');
    const refundEvents = sys.stripe.eventsOfType('charge.refunded').filter((e) => (e.data.object as unknown as { metadata: { licence_id: string } }).metadata.licence_id === clean.licence.id);
    expect(new Date(revoked.revoked_at).getTime()).toBe(Math.max(...refundEvents.map((e) => e.created)) * 1000);
    expect(revoked.amount_refunded_minor).toBe('10000');
    expect(await sys.get(LedgerService).balance(`liability:deferred_revenue:licence:${clean.licence.id}`, 'EUR')).toBe(0n);
    expect(w.id).toBeTruthy();
  });

  it('refuses a bad signature or a stale timestamp with 400 and changes nothing; stores unknown events as ignored', async () => {
    const count = async () => (await sys.dataSource.query(`SELECT count(*)::int AS n FROM stripe_events`))[0].n as number;
    const before = await count();
    const event = { id: 'evt_forged_' + randomBytes(4).toString('hex'), object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), data: { object: { id: 'cs_x', payment_status: 'paid', metadata: {} } } };
    const stale = await sys.stripe.signedDelivery(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(400);
    expect(JSON.parse(stale.body).error.code).toBe('WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE');
    const forged = await sys.http.post('/v1/stripe/webhook').set('Content-Type', 'application/json').set('Stripe-Signature', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`).send(JSON.stringify(event)).expect(400);
    expect(forged.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    await sys.http.post('/v1/stripe/webhook').set('Content-Type', 'application/json').send(JSON.stringify(event)).expect(400);
    expect(await count()).toBe(before);

    const unknown = { ...event, id: 'evt_unknown_' + randomBytes(4).toString('hex'), type: 'customer.created' };
    const ok = await sys.stripe.signedDelivery(unknown);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ received: true, duplicate: false });
    const again = await sys.stripe.signedDelivery(unknown);
    expect(JSON.parse(again.body)).toEqual({ received: true, duplicate: true });
    expect((await sys.dataSource.query(`SELECT status FROM stripe_events WHERE id = $1`, [unknown.id]))[0].status).toBe('ignored');
  });

  it('cancels a licence whose checkout expires', async () => {
    const offer = await collectiveOffer();
    const { licence, sessionId } = await buy(await sys.registerLicensee(), offer.id);
    sys.stripe.expireSession(sessionId);
    const row = await waitStatus(licence.id, 'cancelled');
    expect(row.cancelled_at).not.toBeNull();
    expect(await manifestIds(licence.id)).toEqual([]);
  });

  it('shows the register without a login and without prices; creators see their own works in detail', async () => {
    const w = await addWork({});
    const offer = await collectiveOffer({ name: 'Register offer', priceMinor: '4200' });
    const buyer = await sys.registerLicensee('Register Buyer AI');
    const { licence, sessionId } = await buy(buyer, offer.id);
    sys.stripe.pay(sessionId);
    await waitStatus(licence.id, 'active');

    const list = await sys.http.get('/v1/register/licences?limit=100').expect(200);
    const entry = list.body.data.find((l: { licenceId: string }) => l.licenceId === licence.id);
    expect(entry).toMatchObject({ organisation: 'Register Buyer AI', offer: { name: 'Register offer' }, kind: 'collective', uses: ['train'], workCount: expect.any(Number) });
    expect(JSON.stringify(list.body)).not.toMatch(/price/i);
    const work = await sys.http.get(`/v1/register/works/${w.id}`).expect(200);
    expect(work.body.licences.map((l: { licenceId: string }) => l.licenceId)).toContain(licence.id);
    expect(JSON.stringify(work.body)).not.toMatch(/price|consentRecordId/i);
    const stats = await sys.http.get('/v1/register/stats').expect(200);
    expect(stats.body.licencesGranted).toBeGreaterThanOrEqual(1);
    expect(stats.body.worksLicensed).toBeGreaterThanOrEqual(1);

    const mine = await sys.http.get(`/v1/me/works/${w.id}/licences`).set(bearer(creator)).expect(200);
    expect(mine.body.licences.find((l: { licenceId: string }) => l.licenceId === licence.id)).toMatchObject({ consentRecordId: w.consentRecordId, organisation: 'Register Buyer AI' });
    const stranger = await sys.registerCreator();
    await sys.http.get(`/v1/me/works/${w.id}/licences`).set(bearer(stranger)).expect(404);
  });
});
