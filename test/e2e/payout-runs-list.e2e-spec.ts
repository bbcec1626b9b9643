import { randomUUID } from 'node:crypto';
import { bearer, TestSystem } from '@fairshare/testing';

describe('payout runs list (e2e)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false, stripe: false });
  });
  afterAll(() => sys.stop());

  it('lists runs newest first, filtered by currency and status, for finance only', async () => {
    const finance = await sys.createStaff(['finance']);
    const eur = await sys.http.post('/v1/payout-runs').set(bearer(finance)).set('Idempotency-Key', randomUUID()).send({ currency: 'EUR' }).expect(201);
    const usd = await sys.http.post('/v1/payout-runs').set(bearer(finance)).set('Idempotency-Key', randomUUID()).send({ currency: 'USD' }).expect(201);

    const all = await sys.http.get('/v1/payout-runs').set(bearer(finance)).expect(200);
    expect(all.body.data.map((r: { id: string }) => r.id)).toEqual([usd.body.id, eur.body.id]);
    const onlyEur = await sys.http.get('/v1/payout-runs?currency=EUR&status=preview').set(bearer(finance)).expect(200);
    expect(onlyEur.body.data.map((r: { id: string }) => r.id)).toEqual([eur.body.id]);
    const none = await sys.http.get('/v1/payout-runs?status=completed').set(bearer(finance)).expect(200);
    expect(none.body.data).toEqual([]);
    const bad = await sys.http.get('/v1/payout-runs?currency=euro').set(bearer(finance)).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');

    const creator = await sys.registerCreator();
    await sys.http.get('/v1/payout-runs').set(bearer(creator)).expect(403);
    await sys.http.get('/v1/payout-runs').expect(401);
  });
});
