import { chunkJobOrder, USAGE_LICENCE_RANGES, workRange } from './royalty-compute.service';

describe('ranges of a licence’s works', () => {
  it('cover every UUID exactly once, in order, for any number of parts', () => {
    for (const parts of [1, 2, 3, 4, 7, USAGE_LICENCE_RANGES]) {
      const ranges = Array.from({ length: parts }, (_, i) => workRange(i + 1, parts));
      expect(ranges[0].lo).toBe('00000000-0000-0000-0000-000000000000');
      expect(ranges[parts - 1].hi).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
      for (let i = 1; i < parts; i++) {
        // The next range starts right after the previous one ends.
        expect(parseInt(ranges[i].lo.slice(0, 8), 16)).toBe(parseInt(ranges[i - 1].hi.slice(0, 8), 16) + 1);
        expect(ranges[i - 1].hi.slice(8)).toBe('-ffff-ffff-ffff-ffffffffffff');
        expect(ranges[i].lo.slice(8)).toBe('-0000-0000-0000-000000000000');
      }
    }
  });
});

describe('chunkJobOrder', () => {
  it('puts the first range of each split licence first, then whole licences, then the other ranges round-robin', () => {
    const split = (l: string) => [1, 2, 3].map((p) => ({ key: `${l}/${p}of3`, licenceId: l, part: p, parts: 3 }));
    const order = chunkJobOrder([{ key: 'e1', licenceId: 'e1' }, ...split('b'), { key: 'e0', licenceId: 'e0' }, ...split('a')]);
    expect(order.map((c) => c.key)).toEqual(['a/1of3', 'b/1of3', 'e0', 'e1', 'a/2of3', 'b/2of3', 'a/3of3', 'b/3of3']);
  });
});
