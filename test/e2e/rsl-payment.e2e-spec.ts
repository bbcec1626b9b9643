import { createHash, randomBytes } from 'node:crypto';
import { bearer, TestSystem } from '@fairshare/testing';

const ALL = { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true };

describe('RSL payment terms from collective offers (e2e)', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false, stripe: false });
  });
  afterAll(() => sys.stop());

  it('advertises an active collective offer on the works it would include, following consent', async () => {
    const admin = await sys.createStaff(['admin']);
    const creator = await sys.registerCreator('Ada');
    const cat = (await sys.http.post('/v1/catalogues').set(bearer(creator)).send({ name: 'Poems' }).expect(201)).body;
    const work = (
      await sys.http
        .post(`/v1/catalogues/${cat.id}/works`)
        .set(bearer(creator))
        .send({ title: 'Ode', mediaType: 'text', language: 'en', contentHash: createHash('sha256').update(randomBytes(8)).digest('hex'), sourceUrl: 'https://ada.example/ode' })
        .expect(201)
    ).body;
    await sys.http.put(`/v1/works/${work.id}/consent`).set(bearer(creator)).send(ALL).expect(200);
    const rsl = async () => (await sys.http.get(`/v1/catalogues/${cat.id}/rsl.xml`).expect(200)).text;
    expect(await rsl()).not.toContain('<payment');

    const offer = (
      await sys.http
        .post('/v1/offers')
        .set(bearer(admin))
        .send({ kind: 'collective', name: 'Training', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: '125050', termDays: 365, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens' })
        .expect(201)
    ).body;
    const withOffer = await rsl();
    expect(withOffer).toContain('<payment type="purchase">');
    expect(withOffer).toContain(`<custom>${sys.config.PUBLIC_URL.replace(/\/+$/, '')}/v1/offers/${offer.id}</custom>`);
    expect(withOffer).toContain('<amount currency="EUR">1250.50</amount>');

    // Out of the collective licence: no longer offered through it.
    await sys.http.put(`/v1/works/${work.id}/consent`).set(bearer(creator)).send({ ...ALL, collective: false }).expect(200);
    expect(await rsl()).not.toContain('<payment');
  });
});
