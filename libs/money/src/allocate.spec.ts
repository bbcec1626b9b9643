import fc from 'fast-check';
import { allocate, AllocationItem } from './allocate';
import { MoneyError } from './errors';

const items = (...pairs: [string, bigint][]): AllocationItem[] => pairs.map(([key, weight]) => ({ key, weight }));
const asObject = (m: Map<string, bigint>) => Object.fromEntries(m);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof MoneyError) return e.code;
    throw e;
  }
  return undefined;
}

describe('allocate — table', () => {
  it.each<[string, bigint, AllocationItem[], Record<string, bigint>]>([
    ['100 over 3 equal: extra unit to the smallest key', 100n, items(['b', 1n], ['a', 1n], ['c', 1n]), { a: 34n, b: 33n, c: 33n }],
    ['−100 over 3 equal: mirrored', -100n, items(['b', 1n], ['a', 1n], ['c', 1n]), { a: -34n, b: -33n, c: -33n }],
    ['bps 3333/3333/3334 of 100', 100n, items(['x', 3333n], ['y', 3333n], ['z', 3334n]), { x: 33n, y: 33n, z: 34n }],
    ['bps 3333/3333/3334 of 1', 1n, items(['x', 3333n], ['y', 3333n], ['z', 3334n]), { x: 0n, y: 0n, z: 1n }],
    ['bps 3333/3333/3334 of 2', 2n, items(['x', 3333n], ['y', 3333n], ['z', 3334n]), { x: 1n, y: 0n, z: 1n }],
    ['largest remainder wins over smaller key', 10n, items(['a', 1n], ['b', 2n]), { a: 3n, b: 7n }],
    ['2 over 3 equal', 2n, items(['c', 1n], ['b', 1n], ['a', 1n]), { a: 1n, b: 1n, c: 0n }],
    ['zero weight gets zero', 5n, items(['a', 0n], ['b', 1n], ['c', 1n]), { a: 0n, b: 3n, c: 2n }],
    ['single item takes all', -7n, items(['only', 3n]), { only: -7n }],
    ['zero total', 0n, items(['a', 0n], ['b', 5n]), { a: 0n, b: 0n }],
    ['zero total, all weights zero', 0n, items(['a', 0n]), { a: 0n }],
    ['plain string order, not locale: "B" < "a"', 1n, items(['a', 1n], ['B', 1n]), { a: 0n, B: 1n }],
    ['plain string order: "a10" < "a9"', 1n, items(['a9', 1n], ['a10', 1n]), { a9: 0n, a10: 1n }],
    ['huge amounts stay exact', 10n ** 36n + 1n, items(['a', 1n], ['b', 1n]), { a: 5n * 10n ** 35n + 1n, b: 5n * 10n ** 35n }],
  ])('%s', (_name, total, list, expected) => {
    expect(asObject(allocate(total, list))).toEqual(expected);
  });

  it('keeps input order in the returned map', () => {
    expect([...allocate(10n, items(['z', 1n], ['a', 1n], ['m', 1n])).keys()]).toEqual(['z', 'a', 'm']);
  });

  it('empty list with zero total gives an empty map', () => {
    expect(allocate(0n, []).size).toBe(0);
  });

  it.each<[string, () => unknown, string]>([
    ['empty list', () => allocate(1n, []), 'ALLOCATION_EMPTY'],
    ['negative weight', () => allocate(1n, items(['a', 1n], ['b', -1n])), 'NEGATIVE_WEIGHT'],
    ['negative weight with zero total', () => allocate(0n, items(['a', -1n])), 'NEGATIVE_WEIGHT'],
    ['all weights zero', () => allocate(-3n, items(['a', 0n], ['b', 0n])), 'ALLOCATION_ZERO_WEIGHTS'],
    ['duplicate keys', () => allocate(1n, items(['a', 1n], ['a', 2n])), 'DUPLICATE_KEY'],
    ['duplicate keys with zero total', () => allocate(0n, items(['a', 1n], ['a', 2n])), 'DUPLICATE_KEY'],
  ])('refuses: %s', (_name, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });

  it('splits among 200,000 items quickly', () => {
    const many: AllocationItem[] = Array.from({ length: 200_000 }, (_, i) => ({
      key: `creator-${i.toString().padStart(6, '0')}`,
      weight: BigInt((i * 7919) % 1000),
    }));
    const started = Date.now();
    const parts = allocate(123_456_789_01n, many);
    const elapsed = Date.now() - started;
    let s = 0n;
    for (const v of parts.values()) s += v;
    expect(s).toBe(123_456_789_01n);
    expect(elapsed).toBeLessThan(3000);
  });
});

describe('allocate — properties', () => {
  const NUM_RUNS = 300;
  const weight = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 20n }), fc.bigInt({ min: 0n, max: 10n ** 12n }));
  const list = fc
    .uniqueArray(fc.record({ key: fc.string({ maxLength: 4 }), weight }), {
      minLength: 1,
      maxLength: 40,
      selector: (i) => i.key,
    })
    .filter((l) => l.some((i) => i.weight > 0n));
  const total = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }));

  it('parts always sum to the total', () => {
    fc.assert(
      fc.property(total, list, (t, l) => {
        let s = 0n;
        for (const v of allocate(t, l).values()) s += v;
        expect(s).toBe(t);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is deterministic and independent of input order', () => {
    fc.assert(
      fc.property(
        total,
        list.chain((l) => fc.tuple(fc.constant(l), fc.shuffledSubarray(l, { minLength: l.length, maxLength: l.length }))),
        (t, [l, shuffled]) => {
          const a = allocate(t, l);
          expect(asObject(allocate(t, l))).toEqual(asObject(a));
          expect(asObject(allocate(t, shuffled))).toEqual(asObject(a));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('each part is within one unit of the exact proportion', () => {
    fc.assert(
      fc.property(total, list, (t, l) => {
        const sw = l.reduce((acc, i) => acc + i.weight, 0n);
        const parts = allocate(t, l);
        for (const { key, weight: w } of l) {
          const diff = parts.get(key)! * sw - t * w;
          expect((diff < 0n ? -diff : diff) < sw).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('zero weight gets zero, positive totals give non-negative parts', () => {
    fc.assert(
      fc.property(total, list, (t, l) => {
        const parts = allocate(t, l);
        for (const { key, weight: w } of l) {
          const p = parts.get(key)!;
          if (w === 0n) expect(p).toBe(0n);
          if (t >= 0n) expect(p >= 0n).toBe(true);
          else expect(p <= 0n).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('allocate(−t) = −allocate(t)', () => {
    fc.assert(
      fc.property(total, list, (t, l) => {
        const pos = allocate(t, l);
        const neg = allocate(-t, l);
        for (const [k, v] of pos) expect(neg.get(k)).toBe(-v);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('leftover units follow the documented rule exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 6n }), list, (t, l) => {
        const sw = l.reduce((acc, i) => acc + i.weight, 0n);
        const parts = allocate(t, l);
        const bumped = l.filter((i) => parts.get(i.key)! > (t * i.weight) / sw);
        const notBumped = l.filter((i) => parts.get(i.key)! === (t * i.weight) / sw);
        expect(bumped.length + notBumped.length).toBe(l.length);
        // every bumped item ranks before every non-bumped one (remainder desc, key asc)
        const rem = (i: AllocationItem) => (t * i.weight) % sw;
        for (const b of bumped) {
          expect(rem(b) > 0n).toBe(true);
          for (const n of notBumped) {
            expect(rem(b) > rem(n) || (rem(b) === rem(n) && b.key < n.key)).toBe(true);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
