import type { AccountObject, CheckoutSessionObject } from './emulator-objects';
import { TEST_CARDS } from './emulator-store';

/** Plain, accessible pages with no external assets: they must work offline and in a headless browser. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Minor units to a display string, using the currency's own number of decimals. */
export function formatAmount(minor: number, currency: string): string {
  const code = currency.toUpperCase();
  try {
    const fmt = new Intl.NumberFormat('en', { style: 'currency', currency: code });
    const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
    return fmt.format(minor / 10 ** digits);
  } catch {
    return `${minor} ${code} (minor units)`;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #555; border-radius: 4px; }
  button { margin-top: 1.5rem; padding: .75rem 1.5rem; font-size: 1rem; background: #0a3d91; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  button:focus, input:focus, a:focus { outline: 3px solid #f5a623; outline-offset: 2px; }
  .error { border: 2px solid #b00020; color: #b00020; padding: .75rem; margin-top: 1rem; }
  .amount { font-size: 2rem; font-weight: 700; margin: .25rem 0; }
  .note { font-size: .9rem; color: #444; }
  .row { display: flex; gap: 1rem; } .row > div { flex: 1; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function checkoutPage(session: CheckoutSessionObject, productName: string, error?: string): string {
  const amount = formatAmount(session.amount_total, session.currency);
  const email = session.customer_email ?? '';
  const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel and return</a></p>` : '';
  return page(
    `Pay ${amount} — Stripe emulator checkout`,
    `<h1>Checkout</h1>
<p>${escapeHtml(productName)}</p>
<p class="amount" data-testid="amount">${escapeHtml(amount)}</p>
${error ? `<div class="error" role="alert" id="card-error">${escapeHtml(error)}</div>` : ''}
<form method="post" action="/checkout/${escapeHtml(session.id)}" aria-label="Card payment">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(email)}">
  <label for="card_number">Card number</label>
  <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required value="${TEST_CARDS.succeeds}"${error ? ' aria-invalid="true" aria-describedby="card-error"' : ''}>
  <div class="row">
    <div><label for="exp">Expiry (MM/YY)</label><input id="exp" name="exp" autocomplete="cc-exp" value="12/34"></div>
    <div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" value="123"></div>
  </div>
  <label for="name">Name on card</label>
  <input id="name" name="name" autocomplete="cc-name">
  <button type="submit">Pay ${escapeHtml(amount)}</button>
</form>
${cancel}
<p class="note">Emulator test cards: ${TEST_CARDS.succeeds} succeeds; ${TEST_CARDS.declines} is declined;
${TEST_CARDS.asyncSucceeds} pays later; ${TEST_CARDS.asyncFails} fails later.</p>`,
  );
}

export function unavailableCheckoutPage(session: CheckoutSessionObject): string {
  const why = session.status === 'complete' ? 'has already been paid' : 'has expired';
  return page('Checkout unavailable', `<h1>This checkout session ${why}</h1><p role="status">Session ${escapeHtml(session.id)} is ${escapeHtml(session.status)}.</p>`);
}

export function onboardingPage(linkId: string, account: AccountObject): string {
  return page(
    'Set up payouts — Stripe emulator',
    `<h1>Set up payouts</h1>
<p>Account <code>${escapeHtml(account.id)}</code>${account.email ? ` for ${escapeHtml(account.email)}` : ''} (${escapeHtml(account.country)}, ${escapeHtml(account.default_currency.toUpperCase())}).</p>
<p>In this emulator one click stands for Stripe's identity, bank and terms steps.</p>
<form method="post" action="/connect/onboarding/${escapeHtml(linkId)}">
  <button type="submit">Complete onboarding</button>
</form>`,
  );
}

export function notFoundPage(what: string): string {
  return page('Not found', `<h1>Not found</h1><p role="status">${escapeHtml(what)}</p>`);
}
