import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Browser } from 'playwright-core';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';
import { ensurePortalBuilt, launchBrowser, newSession, screenshot, signIn, step } from './support/browser';

jest.setTimeout(240_000);

const ALL = { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true };
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * The admin area in a real browser: resolving a disputed claim (in French), and refunding part of
 * a paid licence (in English) — the licence page then shows the refund recorded from Stripe's webhook.
 * Set up through the API (the journeys test covers the creator's and the buyer's pages).
 */
describe('portal admin pages (browser)', () => {
  let sys: TestSystem;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    ensurePortalBuilt();
    const logs = new PassThrough();
    logs.on('data', (d) => process.stderr.write(`[api] ${String(d).slice(0, 2000)}\n`));
    sys = await TestSystem.start({ env: { LOG_LEVEL: 'error' }, logStream: logs });
    browser = await launchBrowser();
    await sys.setClock(new Date('2025-05-12T09:00:00Z'));
    admin = await sys.createStaff(['admin'], 'Ada Admin');
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function creator(name: string): Promise<{ user: TestUser; catalogueId: string }> {
    const user = await sys.registerCreator(name);
    await sys.http.put('/v1/me/creator-profile').set(bearer(user)).send({ displayName: name, country: 'FR', payoutCurrency: 'EUR' }).expect(200);
    const cat = (await sys.http.post('/v1/catalogues').set(bearer(user)).send({ name: `${name}’s works` }).expect(201)).body;
    return { user, catalogueId: cat.id };
  }
  const work = async (who: { user: TestUser; catalogueId: string }, title: string, contentHash: string) =>
    (await sys.http.post(`/v1/catalogues/${who.catalogueId}/works`).set(bearer(who.user)).send({ title, mediaType: 'text', language: 'fr', contentHash }).expect(201)).body as { id: string; status: string };

  it('an admin resolves a disputed claim by keeping one and merging the holders (in French)', async () => {
    const alice = await creator('Alice Martin');
    const bruno = await creator('Bruno Petit');
    const hash = sha256(randomBytes(32));
    const original = await work(alice, 'Ode marine', hash);
    const copy = await work(bruno, 'Ode marine (copie)', hash);
    expect(copy.status).toBe('disputed');

    const { page, context, problems } = await newSession(browser, sys.baseUrl, 'fr');
    await step(page, 'disputes', async () => {
      await signIn(page, admin.email, admin.password);
      await page.getByRole('navigation', { name: 'Votre espace' }).getByRole('link', { name: 'Revendications en litige' }).click();
      await page.getByRole('heading', { level: 1, name: 'Revendications en litige' }).waitFor();
      await page.getByText('1 contenu revendiqué plusieurs fois.').waitFor();
      // Claims read by title and owner name, not by IDs.
      const keep = page.getByRole('radio', { name: /« Ode marine » par Alice Martin/ });
      await page.getByRole('radio', { name: /« Ode marine \(copie\) » par Bruno Petit/ }).waitFor();
      await screenshot(page, 'admin-disputes-fr');

      // Submitting without choosing is refused by the form itself; then keep Alice's and merge.
      await keep.check();
      await page.getByRole('switch', { name: /Réunir les ayants droit/ }).check();
      await page.getByRole('button', { name: 'Garder cette revendication et réunir les ayants droit' }).click();
      await page.getByText('Litige tranché : « Ode marine » a été gardée et les ayants droit réunis dans sa répartition. 1 autre revendication rejetée.').waitFor();
      await page.getByText('Aucune revendication en litige.').waitFor();
    });
    // (Both claims were made at the same business instant: compare by ID, not by order.)
    const rows: { id: string; status: string }[] = await sys.dataSource.query(`SELECT id, status FROM works WHERE content_hash = $1`, [hash]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [original.id]: 'active', [copy.id]: 'rejected' });
    const holders = await sys.dataSource.query(
      `SELECT sh.holder_creator_id, sh.share_bps FROM work_splits s JOIN work_split_shares sh ON sh.split_id = s.id
        WHERE s.work_id = $1 AND s.version = (SELECT max(version) FROM work_splits WHERE work_id = $1) ORDER BY sh.holder_creator_id`,
      [original.id],
    );
    expect(holders.map((h: { holder_creator_id: string }) => h.holder_creator_id).sort()).toEqual([alice.user.id, bruno.user.id].sort());
    expect(holders.reduce((a: number, h: { share_bps: number }) => a + h.share_bps, 0)).toBe(10000);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin refunds part of a licence; the licence page shows the refund once Stripe confirms it', async () => {
    // A paid collective licence of 1,000.00 EUR, bought through the API and the emulator.
    const carla = await creator('Carla Rossi');
    const w = await work(carla, 'Nocturne', sha256(randomBytes(32)));
    await sys.http.put(`/v1/works/${w.id}/consent`).set(bearer(carla.user)).send(ALL).expect(200);
    const offer = (
      await sys.http
        .post('/v1/offers')
        .set(bearer(admin))
        .send({ kind: 'collective', name: 'Collective — refunds', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: '100000', termDays: null, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens' })
        .expect(201)
    ).body;
    const buyer = await sys.registerLicensee('Northwind Models');
    const bought = await sys.http.post('/v1/licences').set(bearer(buyer)).set('Idempotency-Key', randomUUID()).send({ offerId: offer.id }).expect(201);
    const licenceId: string = bought.body.licence.id;
    sys.stripe.pay((bought.body.checkoutUrl as string).split('/').pop() as string);
    await sys.stripe.whenDelivered();
    for (let i = 0; i < 100; i++) {
      const [l] = await sys.dataSource.query(`SELECT status FROM licences WHERE id = $1`, [licenceId]);
      if (l.status === 'active') break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const { page, context, problems } = await newSession(browser, sys.baseUrl, 'en');
    await step(page, 'refund', async () => {
      await signIn(page, admin.email, admin.password);
      await page.goto(`/licences/${licenceId}`);
      await page.getByRole('heading', { level: 1, name: 'Collective — refunds' }).waitFor();
      await page.getByText('Licence held by Northwind Models.').waitFor();
      await page.getByRole('link', { name: 'Refund this licence' }).click();
      await page.getByRole('heading', { level: 1, name: 'Licence refunds' }).waitFor();
      await expect(page.getByLabel('Licence').inputValue()).resolves.toBe(licenceId);
      await page.getByText('Still refundable: €1,000.00').waitFor();

      // More than was paid: the API's code, translated; nothing moves.
      await page.getByLabel('Amount to refund (EUR)').fill('1500.00');
      await page.getByRole('button', { name: 'Refund through Stripe' }).click();
      await page.getByRole('alert').getByText('That is more than what can still be refunded on this licence.').waitFor();

      await page.getByLabel('Amount to refund (EUR)').fill('250.00');
      await screenshot(page, 'admin-refund-en');
      await page.getByRole('button', { name: 'Refund through Stripe' }).click();
      await page.getByText('Refund of €250.00 sent to Stripe.').waitFor();
      await page.getByRole('link', { name: 'See the licence' }).click();
      await page.getByText('The refund is recorded.').waitFor({ timeout: 30_000 });
      await page.getByTestId('licence-refunded').getByText('€250.00').waitFor();
      await page.getByTestId('licence-status').getByText('Active').waitFor();
      await screenshot(page, 'admin-licence-refunded-en');
    });
    const [licence] = await sys.dataSource.query(`SELECT status, amount_paid_minor, amount_refunded_minor FROM licences WHERE id = $1`, [licenceId]);
    expect(licence).toEqual({ status: 'active', amount_paid_minor: '100000', amount_refunded_minor: '25000' });
    // One refund requested, though the form was submitted twice (once refused).
    const refunds = await sys.dataSource.query(`SELECT amount_minor FROM licence_refunds WHERE licence_id = $1`, [licenceId]);
    expect(refunds).toEqual([{ amount_minor: '25000' }]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
