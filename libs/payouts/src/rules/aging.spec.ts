import { ageHeldBalance, bucketOf } from './aging';

const now = new Date('2026-06-30T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('ageing of held money (FIFO)', () => {
  it('buckets by days since the credit', () => {
    expect(bucketOf(daysAgo(0), now)).toBe('days0to90');
    expect(bucketOf(daysAgo(89.9), now)).toBe('days0to90');
    expect(bucketOf(daysAgo(90), now)).toBe('days90to365');
    expect(bucketOf(daysAgo(364), now)).toBe('days90to365');
    expect(bucketOf(daysAgo(365), now)).toBe('over365Days');
  });

  it('takes what left the account from the oldest credits first', () => {
    // Credits 400 (500 days ago), 300 (200 days ago), 200 (10 days ago); 450 paid out since → 450 held.
    const aged = ageHeldBalance(450n, [
      { at: daysAgo(10), amount: 200n },
      { at: daysAgo(200), amount: 300n },
      { at: daysAgo(500), amount: 400n },
    ], now);
    expect(aged.buckets).toEqual({ days0to90: 200n, days90to365: 250n, over365Days: 0n });
    expect(aged.oldestUnpaidCreditAt).toEqual(daysAgo(200));
  });

  it('holds nothing for a zero or negative balance', () => {
    expect(ageHeldBalance(0n, [{ at: daysAgo(1), amount: 5n }], now)).toEqual({
      buckets: { days0to90: 0n, days90to365: 0n, over365Days: 0n },
      oldestUnpaidCreditAt: null,
    });
  });

  it('reads only as many credits as needed', () => {
    let read = 0;
    function* credits() {
      for (let i = 0; i < 1000; i++) {
        read++;
        yield { at: daysAgo(i), amount: 10n };
      }
    }
    ageHeldBalance(25n, credits(), now);
    expect(read).toBe(3);
  });
});
