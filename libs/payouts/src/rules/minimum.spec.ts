import { minimumMinor } from './minimum';

describe('payout minimum', () => {
  it('parses the major-unit setting per currency', () => {
    expect(minimumMinor('10.00', 'EUR')).toBe(1000n);
    expect(minimumMinor('10.00', 'JPY')).toBe(10n);
    expect(minimumMinor('10.00', 'KWD')).toBe(10000n);
    expect(minimumMinor('25', 'USD')).toBe(2500n);
  });
  it('refuses a minimum finer than the currency unit', () => {
    expect(() => minimumMinor('10.50', 'JPY')).toThrow();
  });
});
