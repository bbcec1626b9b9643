import type { Browser } from 'playwright-core';
import { TestSystem } from '@fairshare/testing';
import { ensurePortalBuilt, launchBrowser, newSession, screenshot } from './support/browser';

jest.setTimeout(120_000);

describe('portal: public pages and accounts (browser)', () => {
  let sys: TestSystem;
  let browser: Browser;

  beforeAll(async () => {
    ensurePortalBuilt();
    sys = await TestSystem.start({ worker: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('serves the portal at / and on deep links, and leaves the API alone', async () => {
    const home = await fetch(`${sys.baseUrl}/`, { headers: { Accept: 'text/html' } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<div id="root">');
    const deep = await fetch(`${sys.baseUrl}/creator/catalogues`, { headers: { Accept: 'text/html' } });
    expect(deep.status).toBe(200);
    const api = await fetch(`${sys.baseUrl}/v1/nope`, { headers: { Accept: 'text/html' } });
    expect(api.status).toBe(404);
  });

  it('shows what Fairshare is, the register and the rules, in English then in French', async () => {
    const { page, context, problems } = await newSession(browser, sys.baseUrl, 'en');
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Fair pay for the works that train AI');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshot(page, 'public-home-en');

    await page.getByRole('button', { name: /FR/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Rémunérer équitablement les œuvres qui entraînent l’IA' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await screenshot(page, 'public-home-fr');

    // The choice sticks across pages and reloads.
    await page.getByRole('link', { name: 'Règles de répartition' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Règles de répartition' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Règles de répartition' }).waitFor();
    await screenshot(page, 'public-rules-fr');

    await page.getByRole('button', { name: /EN/ }).click();
    await page.getByRole('link', { name: 'Transparency register' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Transparency register' }).waitFor();
    await page.getByText('No licence yet.').waitFor();
    await page.getByText('licences granted').waitFor();
    await screenshot(page, 'public-register-en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('signs up, signs out, refuses a wrong password with a translated message, signs back in and survives a reload', async () => {
    const { page, context, problems } = await newSession(browser, sys.baseUrl, 'fr');
    await page.goto('/sign-up');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByLabel(/un créateur/).check();
    await page.getByLabel('Votre nom (tel que les autres le verront)').fill('Ada Lovelace');
    await page.getByLabel('Adresse e-mail').fill('ada@example.test');
    await page.getByLabel('Mot de passe').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByTestId('whoami').filter({ hasText: 'Ada Lovelace' }).waitFor();
    const me = await sys.dataSource.query(`SELECT display_name, roles FROM users WHERE email = 'ada@example.test'`);
    expect(me).toEqual([{ display_name: 'Ada Lovelace', roles: ['creator'] }]);

    // Registering the same email again is refused by code, in French.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Créer un compte' }).first().click();
    await page.getByLabel('Votre nom (tel que les autres le verront)').fill('Ada again');
    await page.getByLabel('Adresse e-mail').fill('ada@example.test');
    await page.getByLabel('Mot de passe').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('alert').filter({ hasText: 'Un compte existe déjà avec cette adresse' }).waitFor();

    await page.getByRole('button', { name: /EN/ }).click();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill('ada@example.test');
    await page.getByLabel('Password').fill('wrong password!!');
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or the password is incorrect.' }).waitFor();
    await screenshot(page, 'sign-in-error-en');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('whoami').filter({ hasText: 'Ada Lovelace' }).waitFor();

    // The access token lives in memory only: a reload signs in again with the stored refresh token.
    const stored = await page.evaluate<string[]>('Object.values(localStorage)');
    expect(stored.some((v) => v.split('.').length === 3)).toBe(false);
    await page.reload();
    await page.getByTestId('whoami').filter({ hasText: 'Ada Lovelace' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
