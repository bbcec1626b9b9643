import { assertCurrency, currencyExponent } from './currency';
import { MoneyError } from './errors';

/** An amount in the currency's smallest unit. Never a float, never a `number`. */
export type Money = { readonly minor: bigint; readonly currency: string };

/** Largest number of digits accepted for an amount (fits PostgreSQL numeric(38,0)). */
export const MAX_AMOUNT_DIGITS = 38;

function assertBigint(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', `${what} must be a bigint`, { got: typeof v });
  }
}

export function money(minor: bigint, currency: string): Money {
  assertBigint(minor, 'minor');
  assertCurrency(currency);
  return Object.freeze({ minor, currency });
}

export function zero(currency: string): Money {
  return money(0n, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError('CURRENCY_MISMATCH', `Currency mismatch: ${a.currency} vs ${b.currency}`, {
      left: a.currency,
      right: b.currency,
    });
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor + b.minor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor - b.minor, a.currency);
}

export function negate(a: Money): Money {
  return money(-a.minor, a.currency);
}

export function isZero(a: Money): boolean {
  return a.minor === 0n;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.minor === b.minor;
}

/** Sum of amounts that must all be in `currency`; an empty list sums to zero. */
export function sum(list: Iterable<Money>, currency: string): Money {
  assertCurrency(currency);
  let total = 0n;
  for (const m of list) {
    if (m.currency !== currency) {
      throw new MoneyError('CURRENCY_MISMATCH', `Currency mismatch: expected ${currency}, got ${m.currency}`, {
        expected: currency,
        got: m.currency,
      });
    }
    total += m.minor;
  }
  return money(total, currency);
}

const MINOR_RE = /^-?(0|[1-9][0-9]*)$/;

/**
 * Strict parse of an amount in minor units as written in JSON ("1234", "-5", "0").
 * Refused: empty, '+', spaces, decimals, exponents, leading zeros, "-0" (not canonical),
 * more than 38 digits.
 */
export function parseMinor(s: string): bigint {
  if (typeof s !== 'string' || !MINOR_RE.test(s) || s === '-0') {
    throw new MoneyError('INVALID_AMOUNT', 'Amount must be an integer string of minor units', { value: s });
  }
  const digits = s.startsWith('-') ? s.length - 1 : s.length;
  if (digits > MAX_AMOUNT_DIGITS) {
    throw new MoneyError('INVALID_AMOUNT', `Amount has more than ${MAX_AMOUNT_DIGITS} digits`, { value: s });
  }
  return BigInt(s);
}

/**
 * Strict parse of a major-unit decimal ("12.34" EUR → 1234n, "1500" JPY → 1500n, "1.5" EUR → 150n).
 * Refused: more decimals than the currency's exponent (any decimal point for exponent 0),
 * a trailing or leading '.', '+', spaces, exponents, thousands separators, leading zeros,
 * negative zero, and results over 38 digits.
 */
export function parseMajor(s: string, currency: string): bigint {
  const exp = currencyExponent(currency);
  const re = exp === 0 ? /^(-?)(0|[1-9][0-9]*)$/ : new RegExp(`^(-?)(0|[1-9][0-9]*)(?:\\.([0-9]{1,${exp}}))?$`);
  const m = typeof s === 'string' ? re.exec(s) : null;
  if (!m) {
    throw new MoneyError('INVALID_AMOUNT', `Amount must be a decimal with at most ${exp} decimals for ${currency}`, {
      value: s,
      currency,
    });
  }
  const [, sign, int, frac = ''] = m;
  const magnitude = BigInt(int + frac.padEnd(exp, '0'));
  if (sign === '-' && magnitude === 0n) {
    throw new MoneyError('INVALID_AMOUNT', 'Negative zero is not a valid amount', { value: s, currency });
  }
  if (magnitude.toString().length > MAX_AMOUNT_DIGITS) {
    throw new MoneyError('INVALID_AMOUNT', `Amount has more than ${MAX_AMOUNT_DIGITS} digits`, { value: s, currency });
  }
  return sign === '-' ? -magnitude : magnitude;
}

/** 1234n EUR → "12.34"; -5n EUR → "-0.05"; 1500n JPY → "1500"; 1234n KWD → "1.234". */
export function formatMajor(minor: bigint, currency: string): string {
  assertBigint(minor, 'minor');
  const exp = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString();
  const sign = negative ? '-' : '';
  if (exp === 0) return sign + digits;
  const padded = digits.padStart(exp + 1, '0');
  return `${sign}${padded.slice(0, -exp)}.${padded.slice(-exp)}`;
}

/** The JSON form of an amount: a string of digits in minor units ("1234", "-5"). */
export function minorToString(amount: bigint | Money): string {
  const minor = typeof amount === 'bigint' ? amount : amount.minor;
  assertBigint(minor, 'minor');
  return minor.toString();
}
