import fc from 'fast-check';
import { checkSplit, mergeSplits } from './splits';

describe('checkSplit', () => {
  it.each([
    [[{ creatorId: 'a', shareBps: 10000 }], true, undefined],
    [[{ creatorId: 'a', shareBps: 5000 }, { email: 'b@x.test', shareBps: 5000 }], true, undefined],
    [[{ creatorId: 'a', shareBps: 5000 }, { email: 'b@x.test', shareBps: 4999 }], false, 'SHARES_NOT_10000'],
    [[{ creatorId: 'a', shareBps: 5000 }, { creatorId: 'A', shareBps: 5000 }], false, 'DUPLICATE_HOLDER'],
    [[{ creatorId: 'a', email: 'a@x.test', shareBps: 10000 }], false, 'INVALID_HOLDER'],
    [[{ creatorId: 'a', shareBps: 0 }, { creatorId: 'b', shareBps: 10000 }], false, 'INVALID_SHARE'],
    [[], false, 'INVALID_HOLDERS'],
  ])('%j → %s', (holders, ok, code) => {
    const r = checkSplit(holders);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.code).toBe(code);
  });
});

describe('mergeSplits', () => {
  it('gives each claim the same weight', () => {
    expect(mergeSplits([[{ holderKey: 'a', shareBps: 10000 }], [{ holderKey: 'b', shareBps: 10000 }]])).toEqual(new Map([['a', 5000], ['b', 5000]]));
    expect(mergeSplits([[{ holderKey: 'a', shareBps: 10000 }], [{ holderKey: 'a', shareBps: 4000 }, { holderKey: 'b', shareBps: 6000 }]])).toEqual(new Map([['a', 7000], ['b', 3000]]));
  });

  it('always sums to exactly 10000, whatever the claims', () => {
    const claim = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }).map((weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      const bps = weights.map((w) => Math.floor((w * 10000) / total));
      bps[0] += 10000 - bps.reduce((a, b) => a + b, 0);
      return bps.map((b, i) => ({ holderKey: `h${i}`, shareBps: b })).filter((s) => s.shareBps > 0);
    });
    fc.assert(
      fc.property(fc.array(claim, { minLength: 1, maxLength: 5 }), (claims) => {
        const merged = mergeSplits(claims);
        expect([...merged.values()].reduce((a, b) => a + b, 0)).toBe(10000);
        for (const v of merged.values()) expect(v).toBeGreaterThan(0);
      }),
    );
  });
});
