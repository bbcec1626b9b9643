/**
 * Display helpers. Money arrives as strings of digits in minor units and is never turned into a
 * float: the minor string becomes an exact decimal string, which Intl formats as a string.
 */

export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "-1250", EUR → "-12.50" (exact). */
export function minorToDecimal(minor: string, currency: string): string {
  const neg = minor.startsWith('-');
  const digits = (neg ? minor.slice(1) : minor).replace(/^0+(?=\d)/, '') || '0';
  const exp = currencyExponent(currency);
  if (exp === 0) return (neg ? '-' : '') + digits;
  const padded = digits.padStart(exp + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, -exp)}.${padded.slice(-exp)}`;
}

/** "12.50" or "12,50", EUR → "1250"; null when the text is not an amount in that currency. */
export function decimalToMinor(text: string, currency: string): string | null {
  const exp = currencyExponent(currency);
  const m = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > exp) return null;
  return (m[1] + frac.padEnd(exp, '0')).replace(/^0+(?=\d)/, '');
}

type StringFormat = (value: string) => string;

export function formatMoney(minor: string | null | undefined, currency: string | null | undefined, locale: string): string {
  if (minor === null || minor === undefined || !currency) return '—';
  const decimal = minorToDecimal(String(minor), currency);
  try {
    const nf = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() });
    return (nf.format as unknown as StringFormat)(decimal);
  } catch {
    return `${decimal} ${currency.toUpperCase()}`;
  }
}

export function formatNumber(n: string | number | null | undefined, locale: string): string {
  if (n === null || n === undefined) return '—';
  return (new Intl.NumberFormat(locale).format as unknown as StringFormat)(String(n));
}

export function formatDate(iso: string | null | undefined, locale: string, withTime = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, withTime ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** "2025-03" → "March 2025" / "mars 2025". */
export function formatPeriod(period: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return period;
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

export function formatBps(bps: number | string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(Number(bps) / 10000);
}

/** Sums strings of digits exactly. */
export function sumMinor(values: (string | null | undefined)[]): string {
  return values.reduce<bigint>((acc, v) => acc + BigInt(v ?? '0'), 0n).toString();
}

export function formatBytes(n: number | string | null | undefined, locale: string): string {
  if (n === null || n === undefined) return '—';
  const v = Number(n);
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = v;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: i ? 1 : 0 }).format(x)} ${units[i]}`;
}
