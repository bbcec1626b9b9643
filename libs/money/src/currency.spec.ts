import { currencyExponent, isSupportedCurrency, SUPPORTED_CURRENCIES } from './currency';
import { MoneyError } from './errors';

describe('currency table (ISO 4217 exponents)', () => {
  it.each([
    ...['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'CAD', 'AUD', 'NZD'].map((c) => [c, 2]),
    ...['BRL', 'MXN', 'INR', 'CNY', 'ZAR', 'SGD', 'HKD'].map((c) => [c, 2]),
    ...['JPY', 'KRW', 'ISK', 'CLP', 'VND'].map((c) => [c, 0]),
    ...['KWD', 'BHD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD'].map((c) => [c, 3]),
  ] as [string, number][])('%s has exponent %d', (code, exp) => {
    expect(isSupportedCurrency(code)).toBe(true);
    expect(currencyExponent(code)).toBe(exp);
  });

  it.each(['eur', 'Eur', 'EU', 'EURO', 'XXX', '', ' EUR', 'toString', '__proto__', 'HASOWNPROPERTY'])(
    'refuses %p',
    (code) => {
      expect(isSupportedCurrency(code)).toBe(false);
      expect(() => currencyExponent(code)).toThrow(MoneyError);
      try {
        currencyExponent(code);
      } catch (e) {
        expect((e as MoneyError).code).toBe('UNSUPPORTED_CURRENCY');
      }
    },
  );

  it('isSupportedCurrency is false for non-strings', () => {
    expect(isSupportedCurrency(undefined)).toBe(false);
    expect(isSupportedCurrency(978)).toBe(false);
  });

  it('lists codes sorted and upper-case', () => {
    expect([...SUPPORTED_CURRENCIES]).toEqual([...SUPPORTED_CURRENCIES].sort());
    for (const c of SUPPORTED_CURRENCIES) expect(c).toMatch(/^[A-Z]{3}$/);
  });
});
