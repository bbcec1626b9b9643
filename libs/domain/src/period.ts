import { ValidationFailed } from './errors';

/**
 * Royalty periods: a calendar month in UTC, written `YYYY-MM` (years 0000–9999).
 * Pure functions, no framework imports. Periods are plain strings; because the format is fixed
 * width, string order is chronological order.
 */
export type Period = string;

const PERIOD_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export class InvalidPeriodError extends ValidationFailed {
  constructor(value: unknown, reason = 'expected YYYY-MM') {
    super('INVALID_PERIOD', `Invalid period ${JSON.stringify(String(value))}: ${reason}`, { value: String(value) });
  }
}

/** Returns `s` unchanged if it is a valid period (strict `YYYY-MM`), else throws InvalidPeriodError. */
export function parsePeriod(s: string): Period {
  if (typeof s !== 'string' || !PERIOD_RE.test(s)) throw new InvalidPeriodError(s);
  return s;
}

export function isPeriod(s: unknown): s is Period {
  return typeof s === 'string' && PERIOD_RE.test(s);
}

function parts(p: string): [year: number, month: number] {
  parsePeriod(p);
  return [Number(p.slice(0, 4)), Number(p.slice(5, 7))];
}

function format(year: number, month: number): Period {
  if (year < 0 || year > 9999) {
    throw new InvalidPeriodError(`${year}-${month}`, 'year outside 0000–9999');
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** UTC midnight on the first day of (year, monthIndex); month overflow rolls into the next year. */
function utcFirstOfMonth(year: number, monthIndex: number): Date {
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, 1);
  d.setUTCHours(0, 0, 0, 0);
  return d;
}

/** First instant of the period (inclusive). */
export function periodStart(p: Period): Date {
  const [y, m] = parts(p);
  return utcFirstOfMonth(y, m - 1);
}

/** First instant of the next month: the period is the half-open interval [periodStart, periodEnd). */
export function periodEnd(p: Period): Date {
  const [y, m] = parts(p);
  return utcFirstOfMonth(y, m);
}

function assertValidDate(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

/** The period (UTC month) containing the instant. Throws InvalidPeriodError for years outside 0000–9999. */
export function periodOf(date: Date): Period {
  assertValidDate(date, 'date');
  return format(date.getUTCFullYear(), date.getUTCMonth() + 1);
}

/** The following month. Throws InvalidPeriodError after 9999-12. */
export function nextPeriod(p: Period): Period {
  const [y, m] = parts(p);
  return m === 12 ? format(y + 1, 1) : format(y, m + 1);
}

/** The preceding month. Throws InvalidPeriodError before 0000-01. */
export function previousPeriod(p: Period): Period {
  const [y, m] = parts(p);
  return m === 1 ? format(y - 1, 12) : format(y, m - 1);
}

/** −1, 0 or 1: chronological order (usable as an Array.prototype.sort comparator). */
export function comparePeriods(a: Period, b: Period): -1 | 0 | 1 {
  parsePeriod(a);
  parsePeriod(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every period from `from` to `to`, both included, in order; empty when `from` is after `to`. */
export function periodsBetween(from: Period, to: Period): Period[] {
  const [fy, fm] = parts(from);
  const [ty, tm] = parts(to);
  const out: Period[] = [];
  let y = fy;
  let m = fm;
  while (y < ty || (y === ty && m <= tm)) {
    out.push(format(y, m));
    if (m === 12) {
      y++;
      m = 1;
    } else {
      m++;
    }
  }
  return out;
}

/**
 * Length of the intersection of the half-open intervals [aStart, aEnd) and [bStart, bEnd),
 * in whole seconds: the overlap is measured in milliseconds and then floored to seconds
 * (1999 ms → 1 s), so it is 0 when the intervals do not meet, only touch, or overlap by less
 * than a second. An interval whose end is not after its start is empty (overlap 0).
 * Because each overlap is floored on its own, the overlaps of one interval with consecutive
 * periods can add up to less than the interval's own whole-second length when its ends are not
 * on whole seconds (period boundaries always are).
 * Throws RangeError for an invalid Date.
 */
export function overlapSeconds(aStart: Date, aEnd: Date, bStart: Date, bEnd: Date): bigint {
  const as = assertValidDate(aStart, 'aStart');
  const ae = assertValidDate(aEnd, 'aEnd');
  const bs = assertValidDate(bStart, 'bStart');
  const be = assertValidDate(bEnd, 'bEnd');
  const ms = Math.min(ae, be) - Math.max(as, bs);
  return ms > 0 ? BigInt(ms) / 1000n : 0n;
}

/**
 * The periods having a positive overlap (at least one millisecond, the resolution of Date)
 * with the half-open interval [start, end), in order. Empty when end is not after start.
 * Note: a period can be listed while overlapSeconds() with it is 0 (overlap under one second).
 */
export function periodsOverlapping(start: Date, end: Date): Period[] {
  const s = assertValidDate(start, 'start');
  const e = assertValidDate(end, 'end');
  if (e <= s) return [];
  return periodsBetween(periodOf(start), periodOf(new Date(e - 1)));
}
