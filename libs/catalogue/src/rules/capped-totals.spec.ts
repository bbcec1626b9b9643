import { CappedTotals, searchKey } from './capped-totals';

describe('CappedTotals', () => {
  it('remembers an over-cap answer for ttlMs only', () => {
    const c = new CappedTotals(10_000, 100);
    expect(c.isOverCap('a', 0)).toBe(false);
    c.rememberOverCap('a', 1_000);
    expect(c.isOverCap('a', 10_999)).toBe(true);
    expect(c.isOverCap('a', 11_000)).toBe(false);
    expect(c.isOverCap('a', 11_001)).toBe(false);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const c = new CappedTotals(10_000, 2);
    c.rememberOverCap('a', 0);
    c.rememberOverCap('b', 1);
    c.rememberOverCap('c', 2);
    expect([c.isOverCap('a', 3), c.isOverCap('b', 3), c.isOverCap('c', 3)]).toEqual([false, true, true]);
  });

  it('keys on the filters, not on their order or the paging', () => {
    expect(searchKey({ q: 'river', uses: ['train', 'retrieval'], language: 'EN' })).toBe(searchKey({ q: 'river', uses: ['retrieval', 'train', 'train'], language: 'en' }));
    expect(searchKey({ q: 'river' })).not.toBe(searchKey({ q: 'river', mediaType: 'text' }));
    expect(searchKey({ q: 'river', collective: false })).not.toBe(searchKey({ q: 'river' }));
  });
});
