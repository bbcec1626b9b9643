import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { TestSystem, TestUser } from '@fairshare/testing';
import { BrowserSession, ensurePortalBuilt, launchBrowser, newSession, screenshot, signIn, step } from './support/browser';

jest.setTimeout(240_000);

/**
 * The portal's main journeys in a real browser against the real system (API, worker, PostgreSQL,
 * Redis, Stripe emulator): a creator lists a work and consents; a licensee buys it through the
 * emulator's checkout page and reports usage; finance runs and approves royalties and a payout
 * (a second finance user approves); the creator sees the statement and the payout.
 * Each step builds on the previous one, as people would.
 */
describe('portal journeys (browser)', () => {
  let sys: TestSystem;
  let browser: Browser;
  const content = Buffer.from('Le vent se lève, il faut tenter de vivre.\n', 'utf8');
  const contentHash = createHash('sha256').update(content).digest('hex');
  const creator = { email: 'camille@example.test', password: 'correct horse battery staple', name: 'Camille Durand' };
  const licensee = { email: 'ml@example.test', password: 'correct horse battery staple', org: 'Mistral Learning' };
  let workId = '';
  let licenceId = '';
  let admin: TestUser;
  let finance1: TestUser;
  let finance2: TestUser;

  /** Pages that the API's PUBLIC_URL points at (Stripe's return URLs) are this test system's. */
  async function session(lang: 'en' | 'fr'): Promise<BrowserSession> {
    const s = await newSession(browser, sys.baseUrl, lang);
    await s.context.route(`${sys.config.PUBLIC_URL.replace(/\/+$/, '')}/**`, (route) => {
      const url = new URL(route.request().url());
      return route.fulfill({ status: 303, headers: { Location: `${sys.baseUrl}${url.pathname}${url.search}` } });
    });
    return s;
  }

  const setLang = async (page: Page, lang: 'EN' | 'FR') => page.getByRole('button', { name: new RegExp(`^${lang}`) }).click();

  beforeAll(async () => {
    ensurePortalBuilt();
    // The API's errors go to the test's output: a failing page says why.
    const logs = new PassThrough();
    logs.on('data', (d) => process.stderr.write(`[api] ${String(d).slice(0, 2000)}\n`));
    sys = await TestSystem.start({ env: { LOG_LEVEL: 'error' }, logStream: logs });
    browser = await launchBrowser();
    await sys.setClock(new Date('2025-03-10T09:00:00Z'));
    admin = await sys.createStaff(['admin'], 'Ada Admin');
    finance1 = await sys.createStaff(['finance'], 'Fatou Finance');
    finance2 = await sys.createStaff(['finance'], 'Frank Finance');
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('a creator signs up (in French), lists a work with its file, imports a CSV and consents', async () => {
    const { page, context, problems } = await session('fr');
    await step(page, 'creator', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Je suis créateur' }).click();
    await page.getByLabel('Votre nom (tel que les autres le verront)').fill(creator.name);
    await page.getByLabel('Adresse e-mail').fill(creator.email);
    await page.getByLabel('Mot de passe').fill(creator.password);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();

    // Profile: country and payout currency (payouts need them).
    await page.getByRole('heading', { level: 1, name: 'Votre profil de créateur' }).waitFor();
    await page.getByLabel('Nom affiché').fill(creator.name);
    await page.getByLabel('Pays').selectOption('FR');
    await page.getByLabel('Devise de versement').selectOption('EUR');
    await page.getByLabel('À propos de vous').fill('Poète et traductrice.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Enregistré.').waitFor();
    await screenshot(page, 'creator-profile-fr');

    await page.getByRole('link', { name: 'Inscrire vos œuvres' }).click();
    await page.getByLabel('Nom', { exact: true }).fill('Poèmes 2010–2020');
    await page.getByLabel('Description').fill('Recueil de poèmes.');
    await page.getByRole('button', { name: 'Créer le catalogue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Poèmes 2010–2020' }).waitFor();

    // One work: choosing the file computes its SHA-256 in the browser, then uploads it.
    await page.locator('#work-file').setInputFiles({ name: 'Le cimetière marin.txt', mimeType: 'text/plain', buffer: content });
    await expectValue(page, 'Empreinte du contenu (SHA-256)', contentHash);
    await page.getByLabel('Mots-clés').fill('poésie, mer');
    await page.getByRole('button', { name: 'Ajouter l’œuvre' }).click();
    await page.getByRole('link', { name: 'Le cimetière marin' }).waitFor();
    const [work] = await sys.dataSource.query(`SELECT id, storage_key, allow_train FROM works WHERE content_hash = $1`, [contentHash]);
    workId = work.id;
    expect(work.storage_key).not.toBeNull();
    expect(work.allow_train).toBe(false);

    // A CSV import: two good rows and one bad, reported by row number and code.
    await page.getByRole('tab', { name: 'Importer un fichier CSV' }).click();
    const h = (s: string) => createHash('sha256').update(s).digest('hex');
    const csv = ['title,mediaType,language,contentHash', `Ode,text,fr,${h('ode')}`, `Sonnet,text,fr,not-a-hash`, `Ballade,text,fr,${h('ballade')}`].join('\n') + '\n';
    await page.locator('#csv-file').setInputFiles({ name: 'oeuvres.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Importer les œuvres' }).click();
    await page.getByTestId('import-status').getByText('2 œuvres créées, 1 ligne refusée').waitFor();
    const rejection = page.getByRole('table', { name: '1 ligne refusée' }).getByRole('row').nth(1);
    await expect(rejection.textContent()).resolves.toMatch(/^3INVALID_CONTENT_HASH/);
    await screenshot(page, 'creator-catalogue-fr');

    // Consent, use by use.
    await page.getByRole('link', { name: 'Le cimetière marin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Le cimetière marin' }).waitFor();
    await page.getByRole('switch', { name: 'Entraînement', exact: true }).check();
    await page.getByRole('switch', { name: 'Recherche augmentée (RAG)' }).check();
    await page.getByRole('switch', { name: 'Licenciés commerciaux' }).check();
    await page.getByRole('switch', { name: 'Licence collective' }).check();
    await page.getByRole('button', { name: 'Enregistrer mon consentement' }).click();
    await page.getByText('Votre consentement est enregistré.').waitFor();
    await page.getByTestId('consent-history').getByRole('row').nth(1).waitFor();
    await screenshot(page, 'creator-work-consent-fr');

    const records = await sys.dataSource.query(`SELECT id FROM consent_records WHERE work_id = $1`, [workId]);
    expect(records).toHaveLength(1);
    const [after] = await sys.dataSource.query(`SELECT allow_train, allow_fine_tune, allow_retrieval, allow_commercial, allow_collective, consent_record_id FROM works WHERE id = $1`, [workId]);
    expect(after).toEqual({ allow_train: true, allow_fine_tune: false, allow_retrieval: true, allow_commercial: true, allow_collective: true, consent_record_id: records[0].id });

    // The same page in English.
    await setLang(page, 'EN');
    await page.getByRole('heading', { level: 2, name: 'Consent history' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshot(page, 'creator-work-consent-en');
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an admin opens a collective offer; a licensee finds the work, buys through the emulator’s checkout page and reports usage', async () => {
    const staff = await session('en');
    await signIn(staff.page, admin.email, admin.password);
    await staff.page.goto('/manage/offers');
    await staff.page.getByLabel('Name', { exact: true }).fill('Fairshare Collective — text');
    await staff.page.getByLabel('Price').fill('1000.00');
    await staff.page.getByLabel('Term in days').fill('');
    await staff.page.getByLabel('Collective’s fee (%)').fill('10');
    await staff.page.getByRole('switch', { name: 'Retrieval (RAG, model input)' }).check();
    await staff.page.getByRole('button', { name: 'Create the offer' }).click();
    await staff.page.getByText('The offer was created.').waitFor();
    await staff.context.close();

    const { page, context, problems } = await session('en');
    await step(page, 'licensee', async () => {
    await page.goto('/sign-up?role=licensee');
    await page.getByLabel('Your name (as shown to others)').fill('Marie Laurent');
    await page.getByLabel('Email address').fill(licensee.email);
    await page.getByLabel('Password').fill(licensee.password);
    await page.getByLabel('Organisation name').fill(licensee.org);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Browse works' }).waitFor();

    await page.getByLabel('Words in the title or description').fill('cimetière');
    await page.getByRole('switch', { name: 'Training' }).check();
    await page.getByRole('main').getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 work matches.').waitFor();
    await page.getByRole('cell', { name: /Le cimetière marin/ }).waitFor();
    await screenshot(page, 'licensee-browse-en');

    await page.getByRole('navigation', { name: 'Your workspace' }).getByRole('link', { name: 'Offers' }).click();
    await page.getByRole('heading', { level: 2, name: 'Fairshare Collective — text' }).waitFor();
    await screenshot(page, 'licensee-offers-en');
    await page.getByRole('button', { name: 'Buy this licence' }).click();

    // Stripe Checkout (the emulator's hosted page): pay with the test card it fills in.
    await page.waitForURL(/\/checkout\//);
    await page.getByTestId('amount').filter({ hasText: '1,000.00' }).waitFor();
    await screenshot(page, 'stripe-emulator-checkout');
    await page.getByRole('button', { name: /^Pay/ }).click();

    // Back on the portal: the licence turns active when the signed webhook has been processed.
    await page.waitForURL(/\/licences\/[0-9a-f-]{36}\?checkout=success/);
    licenceId = new URL(page.url()).pathname.split('/').pop() as string;
    await page.getByTestId('licence-status').getByText('Active').waitFor({ timeout: 30_000 });
    await page.getByText('Payment confirmed: your licence is active.').waitFor();
    await screenshot(page, 'licensee-licence-en');
    const [licence] = await sys.dataSource.query(`SELECT status, amount_paid_minor FROM licences WHERE id = $1`, [licenceId]);
    expect(licence).toEqual({ status: 'active', amount_paid_minor: '100000' });
    const manifest = await sys.dataSource.query(`SELECT work_id, consent_record_id FROM licence_manifest_lines WHERE licence_id = $1`, [licenceId]);
    expect(manifest.map((m: { work_id: string }) => m.work_id)).toEqual([workId]);

    // The manifest as a file, from the browser.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the manifest (CSV)' }).click();
    const file = await (await download).path();
    expect(readFileSync(file, 'utf8')).toContain(workId);

    // March's usage: one known work and one unknown line, rejected with its code.
    await page.getByRole('link', { name: 'Report usage for this licence' }).click();
    await page.getByLabel('Month').fill('2025-03');
    const usage = `workId,units\n${workId},1000\n00000000-0000-4000-8000-000000000000,5\n`;
    await page.locator('#usage-file').setInputFiles({ name: 'usage-2025-03.csv', mimeType: 'text/csv', buffer: Buffer.from(usage) });
    await page.getByRole('button', { name: 'Upload the report' }).click();
    const report = page.getByTestId('usage-report');
    await report.getByText('Processed').first().waitFor({ timeout: 30_000 });
    await expect(report.locator('dd').nth(1).textContent()).resolves.toBe('1');
    await expect(report.locator('dd').nth(2).textContent()).resolves.toBe('1');
    await screenshot(page, 'licensee-usage-en');
    const rejected = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the rejected lines (CSV)' }).click();
    expect(readFileSync(await (await rejected).path(), 'utf8')).toContain('UNKNOWN_WORK');
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('finance runs March’s royalties, a second finance user approves; the creator sets up payouts; finance pays out with four eyes', async () => {
    await sys.setClock(new Date('2025-04-02T08:00:00Z'));
    const f1 = await session('en');
    const f2 = await session('fr');
    const me = await session('en');
    await step(f1.page, 'finance', async () => {
      await signIn(f1.page, finance1.email, finance1.password);
      await f1.page.goto('/finance/royalty-runs');
      await f1.page.getByLabel('Period').fill('2025-03');
      await f1.page.getByRole('button', { name: 'Start computing' }).click();
      await f1.page.getByRole('heading', { level: 1, name: 'Royalties for March 2025' }).waitFor();
      await f1.page.getByTestId('royalty-run-status').getByText('Computed (preview)').waitFor({ timeout: 60_000 });
      await f1.page.getByText('You started this run: another finance person must approve it').waitFor();
      await f1.page.getByRole('cell', { name: '€900.00' }).waitFor();
      await f1.page.getByRole('cell', { name: '€100.00' }).waitFor();
      await screenshot(f1.page, 'finance-royalty-run-en');
      const runUrl = f1.page.url();

      // The second finance user, in French, approves.
      await signIn(f2.page, finance2.email, finance2.password);
      await f2.page.goto('/finance/royalty-runs');
      await f2.page.getByRole('link', { name: 'mars 2025' }).click();
      expect(f2.page.url()).toBe(runUrl);
      await f2.page.getByRole('button', { name: 'Approuver et comptabiliser' }).click();
      await f2.page.getByTestId('royalty-run-status').getByText(/Approuvée|Comptabilisée/).waitFor({ timeout: 30_000 });
      // Drill into the creator's lines: found by a part of the name, with the run's total; one match opens its statement.
      await f2.page.getByLabel('Nom, identifiant ou adresse e-mail d’un créateur').fill('durand');
      await f2.page.getByRole('button', { name: 'Rechercher' }).click();
      const found = f2.page.getByTestId('run-creators').getByRole('row').nth(1);
      await found.getByText('Camille Durand').waitFor();
      await expect(found.textContent()).resolves.toContain((await creatorId()).slice(0, 8));
      await found.getByText('900,00 €').waitFor();
      await f2.page.getByTestId('statement-total').getByText('900,00 €').waitFor();
      // Names, not IDs: who started and approved the run, the work's title (its ID as secondary text), the licensee.
      await f2.page.getByText('Fatou Finance').waitFor();
      const drillLine = f2.page.getByTestId('statement-lines').getByRole('row').nth(1);
      await expect(drillLine.textContent()).resolves.toContain('Le cimetière marin');
      await expect(drillLine.textContent()).resolves.toContain(workId.slice(0, 8));
      await expect(drillLine.textContent()).resolves.toContain('Mistral Learning');
      await screenshot(f2.page, 'finance-royalty-run-approved-fr');
    });
    const [run] = await sys.dataSource.query(`SELECT status, approved_by FROM royalty_runs WHERE period = '2025-03'`);
    expect(run.approved_by).toBe(finance2.id);

    // The creator connects a payout account through the emulator's onboarding page.
    await step(me.page, 'onboarding', async () => {
      await signIn(me.page, creator.email, creator.password);
      await me.page.goto('/creator/payouts');
      await me.page.getByRole('button', { name: 'Set up payouts with Stripe' }).click();
      await me.page.waitForURL(/\/connect\/onboarding\//);
      await me.page.getByRole('button', { name: 'Complete onboarding' }).click();
      await me.page.waitForURL(/\/payouts\/onboarding\?done=1/);
      for (let i = 0; i < 50 && !(await me.page.getByText('Payouts are enabled.').isVisible()); i++) {
        await me.page.waitForTimeout(200);
        await me.page.reload();
      }
      await me.page.getByText('Payouts are enabled.').waitFor();
    });

    await step(f1.page, 'payout', async () => {
      await f1.page.goto('/finance/payout-runs');
      await f1.page.getByLabel('Currency').selectOption('EUR');
      await f1.page.getByRole('button', { name: 'Compute the preview' }).click();
      await f1.page.getByTestId('payout-run-status').getByText('Preview').waitFor();
      await f1.page.getByText('You started this run: another finance person must approve it').waitFor();
      await screenshot(f1.page, 'finance-payout-preview-en');
      const payoutUrl = f1.page.url();

      await f2.page.goto(payoutUrl);
      await f2.page.getByRole('button', { name: 'Approuver et verser' }).click();
      await f2.page.getByTestId('payout-run-status').getByText('Terminée').waitFor({ timeout: 60_000 });
      // The item names the creator; the run names who created it.
      await f2.page.getByRole('cell', { name: /Camille Durand/ }).waitFor();
      await f2.page.getByText('Fatou Finance').waitFor();
      await screenshot(f2.page, 'finance-payout-run-fr');
    });
    const items = await sys.dataSource.query(`SELECT creator_id, status, paid_amount FROM payout_items WHERE status = 'paid'`);
    expect(items).toEqual([{ creator_id: await creatorId(), status: 'paid', paid_amount: '90000' }]);
    for (const s of [f1, f2, me]) {
      expect(s.problems).toEqual([]);
      await s.context.close();
    }
  });

  it('the creator sees March’s statement, its earnings chart and the payout', async () => {
    const { page, context, problems } = await session('en');
    await step(page, 'statement', async () => {
      await signIn(page, creator.email, creator.password);
      await page.getByRole('navigation', { name: 'Your workspace' }).getByRole('link', { name: 'Earnings and statements' }).click();
      await page.getByRole('img', { name: 'Earnings per month (EUR)' }).waitFor();
      await page.getByRole('link', { name: 'March 2025' }).waitFor();
      await screenshot(page, 'creator-earnings-en');
      await page.getByRole('link', { name: 'March 2025' }).click();
      await page.getByTestId('statement-total').getByText('€900.00').waitFor();
      const line = page.getByTestId('statement-lines').getByRole('row').nth(1);
      await expect(line.textContent()).resolves.toContain('Le cimetière marin');
      await expect(line.textContent()).resolves.toContain('€900.00');
      // The work's title comes from the API (statements carry workTitle), also in the per-work totals.
      await page.getByRole('rowheader', { name: /Le cimetière marin/ }).waitFor();
      await page.getByRole('rowheader', { name: /Mistral Learning/ }).waitFor();
      const csv = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download CSV' }).click();
      const csvText = readFileSync(await (await csv).path(), 'utf8');
      expect(csvText.split('\r\n')[0]).toMatch(/,work_title,licensee$/);
      expect(csvText).toContain(`${workId},`);
      expect(csvText).toMatch(/Le cimetière marin,Mistral Learning/);
      const pdf = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download PDF' }).click();
      expect(readFileSync(await (await pdf).path()).subarray(0, 5).toString()).toBe('%PDF-');
      await screenshot(page, 'creator-statement-en');

      await setLang(page, 'FR');
      await page.getByRole('link', { name: 'Versements', exact: true }).click();
      await page.getByTestId('payouts').getByText('900,00 €').waitFor();
      await page.getByTestId('payouts').getByText('Versé').waitFor();
      await screenshot(page, 'creator-payouts-fr');
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  async function creatorId(): Promise<string> {
    const [u] = await sys.dataSource.query(`SELECT id FROM users WHERE email = $1`, [creator.email]);
    return u.id;
  }
});

/** Waits until the field labelled `label` holds `value` (the page fills it in by itself). */
async function expectValue(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label);
  for (let i = 0; i < 200; i++) {
    if ((await field.inputValue()) === value) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${label} never became ${value} (it is ${await field.inputValue()})`);
}
