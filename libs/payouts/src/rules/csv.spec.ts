import { csvCell, csvLine } from './csv';

describe('csv cells', () => {
  it('neutralises formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1+2')).toBe(`"'+1+2"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('-cmd')).toBe(`"'-cmd"`);
    expect(csvCell('\tx')).toBe(`"'\tx"`);
  });
  it('keeps numbers, quotes separators, empties nulls', () => {
    expect(csvCell(-1250n)).toBe('-1250');
    expect(csvCell('12.50')).toBe('12.50');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1n, null])).toBe('a,1,\r\n');
  });
});
