import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/**
 * Browser tests drive Debian's chromium package with playwright-core: no browser is ever
 * downloaded. Each launch gets a fresh temporary profile (playwright's own --user-data-dir).
 */
export const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');
const PORTAL_INDEX = join(ROOT, 'apps', 'portal', 'dist', 'index.html');

/** Screenshots go to docs/screenshots when UPDATE_SCREENSHOTS=1, else to a scratch directory. */
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(tmpdir(), 'fairshare-screenshots');

export function ensurePortalBuilt(): void {
  if (existsSync(PORTAL_INDEX)) return;
  execFileSync('npm', ['run', 'build:portal'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(PORTAL_INDEX)) throw new Error(`npm run build:portal did not produce ${PORTAL_INDEX}`);
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Debian's chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does). No browser is downloaded.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed page requests seen so far (a page should produce none). */
  problems: string[];
}

export async function newSession(browser: Browser, baseURL: string, lang: 'en' | 'fr' = 'en'): Promise<BrowserSession> {
  const context = await browser.newContext({ baseURL, locale: lang === 'fr' ? 'fr-FR' : 'en-GB', viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && problems.push(`console: ${m.text()}`));
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** Signs in through the portal's form. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(/e-?mail/i).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)/).fill(password);
  await page.getByRole('main').getByRole('button', { name: /Sign in|Se connecter/ }).click();
  await page.getByTestId('whoami').waitFor();
}

/** Runs a journey step; on failure, saves what the page showed (to the scratch directory) before rethrowing. */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const dir = join(tmpdir(), 'fairshare-screenshots');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `FAILED-${name}.png`), fullPage: true }).catch(() => undefined);
    throw e;
  }
}
