import { MoneyError } from './errors';

/**
 * ISO 4217 currencies we accept, with their minor-unit exponent (number of decimals).
 * Exponents follow ISO 4217 itself, not what some payment providers do in practice
 * (e.g. HUF is 2 per ISO even though it circulates without fillér).
 */
const EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  // exponent 2
  EUR: 2, USD: 2, GBP: 2, CHF: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, HUF: 2,
  RON: 2, CAD: 2, AUD: 2, NZD: 2, BRL: 2, MXN: 2, INR: 2, CNY: 2, ZAR: 2, SGD: 2,
  HKD: 2, TRY: 2, ILS: 2, THB: 2, MYR: 2, IDR: 2, PHP: 2, TWD: 2, AED: 2, SAR: 2,
  QAR: 2, EGP: 2, NGN: 2, KES: 2, COP: 2, PEN: 2, ARS: 2, UAH: 2,
  // exponent 0
  JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, PYG: 0, UGX: 0, XAF: 0, XOF: 0, XPF: 0,
  // exponent 3
  KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3, IQD: 3, LYD: 3,
});

/** Upper-case three-letter code present in the table. Anything else (incl. lower case) is false. */
export function isSupportedCurrency(code: unknown): code is string {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code) && Object.hasOwn(EXPONENTS, code);
}

/** Number of decimals of the currency's minor unit (EUR → 2, JPY → 0, KWD → 3). */
export function currencyExponent(code: string): number {
  if (!isSupportedCurrency(code)) {
    throw new MoneyError('UNSUPPORTED_CURRENCY', `Unsupported currency: ${String(code)}`, { currency: code });
  }
  return EXPONENTS[code];
}

/** Every supported code, sorted. */
export const SUPPORTED_CURRENCIES: readonly string[] = Object.freeze(Object.keys(EXPONENTS).sort());

/** Throws `UNSUPPORTED_CURRENCY` unless the code is supported; returns it for chaining. */
export function assertCurrency(code: string): string {
  currencyExponent(code);
  return code;
}
