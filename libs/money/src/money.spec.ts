import fc from 'fast-check';
import { MoneyError } from './errors';
import {
  add,
  equals,
  formatMajor,
  isZero,
  minorToString,
  money,
  negate,
  parseMajor,
  parseMinor,
  subtract,
  sum,
} from './money';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof MoneyError) return e.code;
    throw e;
  }
  return undefined;
}

describe('Money arithmetic', () => {
  const eur = (m: bigint) => money(m, 'EUR');

  it('adds, subtracts, negates within one currency', () => {
    expect(add(eur(150n), eur(-50n))).toEqual(eur(100n));
    expect(subtract(eur(150n), eur(200n))).toEqual(eur(-50n));
    expect(negate(eur(7n))).toEqual(eur(-7n));
    expect(negate(eur(0n)).minor).toBe(0n);
    expect(isZero(eur(0n))).toBe(true);
    expect(isZero(eur(1n))).toBe(false);
    expect(equals(eur(1n), money(1n, 'USD'))).toBe(false);
  });

  it('refuses mixing currencies', () => {
    expect(codeOf(() => add(eur(1n), money(1n, 'USD')))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => subtract(eur(1n), money(1n, 'USD')))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => sum([eur(1n), money(1n, 'USD')], 'EUR'))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => sum([money(1n, 'USD')], 'EUR'))).toBe('CURRENCY_MISMATCH');
  });

  it('sums, an empty list to zero', () => {
    expect(sum([eur(1n), eur(2n), eur(-10n)], 'EUR')).toEqual(eur(-7n));
    expect(sum([], 'JPY')).toEqual(money(0n, 'JPY'));
  });

  it('refuses unknown currencies and non-bigint amounts', () => {
    expect(codeOf(() => money(1n, 'eur'))).toBe('UNSUPPORTED_CURRENCY');
    expect(codeOf(() => money(1 as unknown as bigint, 'EUR'))).toBe('INVALID_AMOUNT');
  });

  it('values are frozen', () => {
    expect(Object.isFrozen(eur(1n))).toBe(true);
  });
});

describe('parseMinor', () => {
  it.each([
    ['0', 0n],
    ['1', 1n],
    ['-1', -1n],
    ['1234', 1234n],
    ['9'.repeat(38), BigInt('9'.repeat(38))],
    ['-' + '9'.repeat(38), -BigInt('9'.repeat(38))],
  ])('parses %p', (s, v) => expect(parseMinor(s)).toBe(v));

  it.each(['', '-', '+1', '01', '00', '-0', '1.0', '1e3', ' 1', '1 ', '1_000', '1,000', '0x10', 'NaN', '١٢', '9'.repeat(39)])(
    'refuses %p',
    (s) => expect(codeOf(() => parseMinor(s))).toBe('INVALID_AMOUNT'),
  );

  it('refuses non-strings', () => {
    expect(codeOf(() => parseMinor(12 as unknown as string))).toBe('INVALID_AMOUNT');
  });

  it('round-trips with minorToString', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }), (v) => {
        expect(parseMinor(minorToString(v))).toBe(v);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseMajor', () => {
  it.each([
    ['12.34', 'EUR', 1234n],
    ['12.3', 'EUR', 1230n],
    ['12', 'EUR', 1200n],
    ['0.05', 'EUR', 5n],
    ['-0.05', 'EUR', -5n],
    ['0', 'EUR', 0n],
    ['0.00', 'EUR', 0n],
    ['1500', 'JPY', 1500n],
    ['1.234', 'KWD', 1234n],
    ['-1.2', 'KWD', -1200n],
  ] as [string, string, bigint][])('parses %p %s', (s, c, v) => expect(parseMajor(s, c)).toBe(v));

  it.each([
    ['12.345', 'EUR'],
    ['1.', 'EUR'],
    ['.5', 'EUR'],
    ['+1.00', 'EUR'],
    ['01.00', 'EUR'],
    ['1e2', 'EUR'],
    ['1.5e1', 'EUR'],
    [' 1.00', 'EUR'],
    ['1.00 ', 'EUR'],
    ['1 000.00', 'EUR'],
    ['1,00', 'EUR'],
    ['-0', 'EUR'],
    ['-0.00', 'EUR'],
    ['', 'EUR'],
    ['-', 'EUR'],
    ['Infinity', 'EUR'],
    ['1.0', 'JPY'],
    ['1.', 'JPY'],
    ['1.2345', 'KWD'],
    ['9'.repeat(37) + '.00', 'EUR'],
  ] as [string, string][])('refuses %p %s', (s, c) => expect(codeOf(() => parseMajor(s, c))).toBe('INVALID_AMOUNT'));

  it('refuses unknown currencies', () => {
    expect(codeOf(() => parseMajor('1.00', 'XYZ'))).toBe('UNSUPPORTED_CURRENCY');
  });
});

describe('formatMajor', () => {
  it.each([
    [1234n, 'EUR', '12.34'],
    [-5n, 'EUR', '-0.05'],
    [0n, 'EUR', '0.00'],
    [100n, 'EUR', '1.00'],
    [-123456n, 'USD', '-1234.56'],
    [1500n, 'JPY', '1500'],
    [-1500n, 'JPY', '-1500'],
    [0n, 'JPY', '0'],
    [1234n, 'KWD', '1.234'],
    [5n, 'KWD', '0.005'],
    [-1n, 'BHD', '-0.001'],
  ] as [bigint, string, string][])('%p %s → %p', (m, c, s) => expect(formatMajor(m, c)).toBe(s));

  it('round-trips with parseMajor in every exponent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.constantFrom('EUR', 'JPY', 'KWD'),
        (v, c) => {
          expect(parseMajor(formatMajor(v, c), c)).toBe(v);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('minorToString', () => {
  it('accepts bigint or Money', () => {
    expect(minorToString(-42n)).toBe('-42');
    expect(minorToString(money(1234n, 'EUR'))).toBe('1234');
  });
});
