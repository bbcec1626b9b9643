import fc from 'fast-check';
import { applyBps } from './bps';
import { MoneyError } from './errors';

describe('applyBps', () => {
  it.each([
    [10000n, 2500, 2500n],
    [999n, 3333, 332n], // 332.96… floored
    [1n, 9999, 0n],
    [1n, 10000, 1n],
    [12345n, 0, 0n],
    [12345n, 10000n, 12345n],
    [-999n, 3333, -332n], // toward zero: −floor(999 × 3333 / 10000)
    [-1n, 5000n, 0n],
    [0n, 5000, 0n],
  ] as [bigint, number | bigint, bigint][])('applyBps(%p, %p) = %p', (amount, bps, expected) => {
    expect(applyBps(amount, bps)).toBe(expected);
  });

  it.each([-1, 10001, 1.5, Number.NaN, Infinity, -1n, 10001n])('refuses bps %p', (bps) => {
    expect(() => applyBps(100n, bps as number)).toThrow(MoneyError);
    try {
      applyBps(100n, bps as number);
    } catch (e) {
      expect((e as MoneyError).code).toBe('INVALID_BPS');
    }
  });

  it('is odd-symmetric and never exceeds the amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 10000 }), (a, b) => {
        const share = applyBps(a, b);
        expect(applyBps(-a, b)).toBe(-share);
        const abs = a < 0n ? -a : a;
        const absShare = share < 0n ? -share : share;
        expect(absShare <= abs).toBe(true);
        // exact floor: share·10000 ≤ |a|·b < (share+1)·10000
        expect(absShare * 10000n <= abs * BigInt(b)).toBe(true);
        expect(abs * BigInt(b) < (absShare + 1n) * 10000n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
