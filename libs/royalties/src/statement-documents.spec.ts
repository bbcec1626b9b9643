import { csvCell } from './statement-documents';

describe('statement CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', "'+1+2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-1+2', "'-1+2"],
    ['\tx', "'\tx"],
    ['-233', '-233'],
    ['-2.33', '-2.33'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
  ])('%j → %j', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });
});
