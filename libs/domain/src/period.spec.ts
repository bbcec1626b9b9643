import fc from 'fast-check';
import { AppError } from './errors';
import {
  comparePeriods,
  InvalidPeriodError,
  isPeriod,
  nextPeriod,
  overlapSeconds,
  parsePeriod,
  periodEnd,
  periodOf,
  periodsBetween,
  periodsOverlapping,
  periodStart,
  previousPeriod,
} from './period';

const d = (iso: string) => new Date(iso);

describe('parsePeriod', () => {
  it.each(['2024-01', '2024-12', '0000-01', '9999-12', '1999-09'])('accepts %p', (s) => {
    expect(parsePeriod(s)).toBe(s);
    expect(isPeriod(s)).toBe(true);
  });

  it.each(['2024-1', '2024-00', '2024-13', '24-01', '2024/01', '2024-01-01', ' 2024-01', '2024-01 ', '2024-01\n', '+2024-01', '２０２４-01', ''])(
    'refuses %p with INVALID_PERIOD',
    (s) => {
      expect(isPeriod(s)).toBe(false);
      let err: unknown;
      try {
        parsePeriod(s);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidPeriodError);
      expect(err).toBeInstanceOf(AppError);
      expect((err as InvalidPeriodError).code).toBe('INVALID_PERIOD');
      expect((err as InvalidPeriodError).status).toBe(400);
    },
  );

  it('refuses non-strings', () => {
    expect(() => parsePeriod(202401 as unknown as string)).toThrow(InvalidPeriodError);
  });
});

describe('period bounds', () => {
  it.each([
    ['2024-01', '2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
    ['2024-02', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['2023-12', '2023-12-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'],
    ['0050-06', '0050-06-01T00:00:00.000Z', '0050-07-01T00:00:00.000Z'],
    ['9999-12', '9999-12-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'],
  ])('%s is [%s, %s)', (p, start, end) => {
    expect(periodStart(p).toISOString()).toBe(start);
    expect(periodEnd(p).toISOString()).toBe(end);
  });

  it.each([
    ['2024-02-29T23:59:59.999Z', '2024-02'],
    ['2024-03-01T00:00:00.000Z', '2024-03'],
    ['2024-01-01T00:30:00+01:00', '2023-12'], // UTC, not local time
    ['0099-05-05T00:00:00.000Z', '0099-05'],
  ])('periodOf(%s) = %s', (iso, p) => {
    expect(periodOf(d(iso))).toBe(p);
  });

  it('periodOf refuses invalid dates and years past 9999', () => {
    expect(() => periodOf(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => periodOf(d('+010000-01-01T00:00:00Z'))).toThrow(InvalidPeriodError);
  });
});

describe('navigation', () => {
  it.each([
    ['2024-01', '2024-02', '2023-12'],
    ['2024-12', '2025-01', '2024-11'],
    ['0000-02', '0000-03', '0000-01'],
  ])('%s: next %s, previous %s', (p, next, prev) => {
    expect(nextPeriod(p)).toBe(next);
    expect(previousPeriod(p)).toBe(prev);
  });

  it('refuses to leave 0000-01 … 9999-12', () => {
    expect(() => nextPeriod('9999-12')).toThrow(InvalidPeriodError);
    expect(() => previousPeriod('0000-01')).toThrow(InvalidPeriodError);
  });

  it('compares chronologically and validates', () => {
    expect(comparePeriods('2024-01', '2024-02')).toBe(-1);
    expect(comparePeriods('2024-02', '2024-02')).toBe(0);
    expect(comparePeriods('2025-01', '2024-12')).toBe(1);
    expect(['2024-10', '2023-11', '2024-02'].sort(comparePeriods)).toEqual(['2023-11', '2024-02', '2024-10']);
    expect(() => comparePeriods('2024-1', '2024-02')).toThrow(InvalidPeriodError);
  });

  it('lists periods inclusively', () => {
    expect(periodsBetween('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(periodsBetween('2024-05', '2024-05')).toEqual(['2024-05']);
    expect(periodsBetween('2024-06', '2024-05')).toEqual([]);
    expect(() => periodsBetween('2024-06', 'x')).toThrow(InvalidPeriodError);
  });
});

describe('overlapSeconds', () => {
  it.each([
    ['disjoint', '2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', 0n],
    ['touching (half-open)', '2024-01-01', '2024-01-02', '2024-01-02', '2024-01-03', 0n],
    ['contained', '2024-01-01', '2024-02-01', '2024-01-10T00:00:00Z', '2024-01-10T01:00:00Z', 3600n],
    ['partial', '2024-01-31T23:00:00Z', '2024-02-01T01:00:00Z', '2024-02-01', '2024-03-01', 3600n],
    ['floored ms: 1999 ms', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.999Z', '2024-01-01', '2024-02-01', 1n],
    ['under a second', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.999Z', '2024-01-01', '2024-02-01', 0n],
    ['reversed interval is empty', '2024-01-02', '2024-01-01', '2023-01-01', '2025-01-01', 0n],
    ['leap February', '2024-01-01', '2025-01-01', '2024-02-01', '2024-03-01', 29n * 86400n],
  ])('%s', (_n, as, ae, bs, be, expected) => {
    expect(overlapSeconds(d(as), d(ae), d(bs), d(be))).toBe(expected);
    expect(overlapSeconds(d(bs), d(be), d(as), d(ae))).toBe(expected);
  });

  it('refuses invalid dates', () => {
    expect(() => overlapSeconds(new Date(Number.NaN), d('2024-01-01'), d('2024-01-01'), d('2024-01-02'))).toThrow(RangeError);
  });
});

describe('periodsOverlapping', () => {
  it.each([
    ['one whole month', '2024-01-01', '2024-02-01', ['2024-01']],
    ['end is exclusive', '2024-01-15', '2024-03-01T00:00:00.000Z', ['2024-01', '2024-02']],
    ['one millisecond into the next month', '2024-01-15', '2024-03-01T00:00:00.001Z', ['2024-01', '2024-02', '2024-03']],
    ['across a year', '2023-12-31T23:59:59Z', '2024-01-01T00:00:01Z', ['2023-12', '2024-01']],
    ['empty interval', '2024-01-15', '2024-01-15', []],
    ['reversed interval', '2024-02-15', '2024-01-15', []],
  ])('%s', (_n, s, e, expected) => {
    expect(periodsOverlapping(d(s), d(e))).toEqual(expected);
  });

  const instant = fc.date({ min: d('2019-01-01'), max: d('2031-01-01'), noInvalidDate: true });

  it('agrees with overlapSeconds, and the overlaps add up', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [s, e] = a <= b ? [a, b] : [b, a];
        const list = periodsOverlapping(s, e);
        let total = 0n;
        for (const p of list) {
          const ms = Math.min(e.getTime(), periodEnd(p).getTime()) - Math.max(s.getTime(), periodStart(p).getTime());
          if (!(ms > 0)) throw new Error(`${p} listed without overlap`);
          total += overlapSeconds(s, e, periodStart(p), periodEnd(p));
        }
        const whole = BigInt(e.getTime() - s.getTime()) / 1000n;
        // each piece floors on its own; only the first and last pieces can lose a fraction
        expect(total <= whole && total >= whole - 1n).toBe(true);
        if (list.length > 0) {
          expect(overlapSeconds(s, e, periodEnd(list[list.length - 1]), d('2200-01-01'))).toBe(0n);
          expect(overlapSeconds(s, e, d('1980-01-01'), periodStart(list[0]))).toBe(0n);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('periodOf lies in [periodStart, periodEnd) and navigation round-trips', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const p = periodOf(t);
        expect(periodStart(p).getTime() <= t.getTime() && t.getTime() < periodEnd(p).getTime()).toBe(true);
        expect(previousPeriod(nextPeriod(p))).toBe(p);
        expect(periodStart(nextPeriod(p)).getTime()).toBe(periodEnd(p).getTime());
      }),
      { numRuns: 300 },
    );
  });
});
