import fc from 'fast-check';
import { csvCell, csvRow } from './csv-cell';
import { FileFormat, MAX_LINE_CHARS, UsageFileError } from './usage-codes';
import { ParsedLine, parseUnits, rejected, validateLine } from './usage-line';
import { splitCsv, UsageFileParser } from './usage-file-parser';

const W1 = '0d6f3c3e-8a4b-4c1e-9d2a-1b2c3d4e5f60';
const H1 = 'a'.repeat(64);

function parse(format: FileFormat, input: string | Buffer, cuts: number[] = []): ParsedLine[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const p = new UsageFileParser(format);
  const out: ParsedLine[] = [];
  let start = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    out.push(...p.push(bytes.subarray(start, c)));
    start = c;
  }
  out.push(...p.push(bytes.subarray(start)));
  out.push(...p.end());
  return out;
}

function fileError(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof UsageFileError) return e.code;
    throw e;
  }
}

describe('parseUnits', () => {
  it.each([
    ['1', '1'],
    [' 42 ', '42'],
    ['0007', '7'],
    ['1000000000000000', '1000000000000000'],
    [5, '5'],
    [1e15, '1000000000000000'],
  ])('accepts %p as %p', (v, expected) => expect(parseUnits(v)).toBe(expected));

  it.each(['0', '-1', '1.5', '1e3', '', 'abc', '1000000000000001', '99999999999999999999', 0, -3, 1.5, 1e15 + 1, Number.NaN, true, null, undefined, {}])(
    'refuses %p',
    (v) => expect(parseUnits(v)).toBeNull(),
  );

  it('accepts exactly the integers 1 … 10^15', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), (n) => {
        const ok = n >= 1n && n <= 10n ** 15n;
        expect(parseUnits(n.toString())).toBe(ok ? n.toString() : null);
      }),
    );
  });
});

describe('UsageFileParser: CSV', () => {
  it('reads lines with their physical line numbers and rejects bad ones with codes', () => {
    const file = [
      'workId,contentHash,units,use,modelId',
      `${W1},,10,train,llama-x`,
      '',
      `,${H1.toUpperCase()},7,,`,
      `${W1},${H1},1,,`,
      `not-a-uuid,,1,,`,
      `${W1},,0,,`,
      `${W1},,12`,
      `"${W1}",,"3","fine_tune","model, ""quoted""\nsecond line"`,
      `${W1},,5,,"unterminated`,
    ].join('\r\n');
    const lines = parse('csv', file);
    expect(lines.map((l) => [l.lineNo, l.errorCode])).toEqual([
      [2, null],
      [4, null],
      [5, 'MALFORMED_LINE'],
      [6, 'MALFORMED_LINE'],
      [7, 'INVALID_UNITS'],
      [8, 'MALFORMED_LINE'],
      [9, null],
      [11, 'MALFORMED_LINE'],
    ]);
    expect(lines[0]).toMatchObject({ workId: W1, contentHash: null, units: '10', use: 'train', modelId: 'llama-x' });
    expect(lines[1]).toMatchObject({ workId: null, contentHash: H1, units: '7', use: null, modelId: null });
    expect(lines[6]).toMatchObject({ units: '3', use: 'fine_tune', modelId: 'model, "quoted"\nsecond line' });
  });

  it('accepts a header with only the columns it needs, in any order, after a BOM', () => {
    const lines = parse('csv', `\uFEFFunits,contentHash\n5,${H1}\n`);
    expect(lines).toEqual([{ lineNo: 2, workId: null, contentHash: H1, units: '5', use: null, modelId: null, errorCode: null, errorMessage: null }]);
  });

  it.each([
    ['', 'MISSING_HEADER'],
    ['\n\n', 'MISSING_HEADER'],
    [`${W1},,1,,\n`, 'MISSING_HEADER'],
    ['workId,units,colour\n', 'UNKNOWN_COLUMN'],
    ['workId,units,units\n', 'INVALID_HEADER'],
    ['workId,use\n', 'INVALID_HEADER'],
    ['units,use\n', 'INVALID_HEADER'],
  ])('whole-file error for %p: %s', (file, code) => {
    expect(fileError(() => parse('csv', file))).toBe(code);
  });

  it('fails the file on invalid UTF-8 anywhere, whatever the chunking', () => {
    const bytes = Buffer.concat([Buffer.from(`workId,units\n${W1},1\n`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    for (let cut = 1; cut < bytes.length; cut += 7) expect(fileError(() => parse('csv', bytes, [cut]))).toBe('INVALID_ENCODING');
    expect(fileError(() => parse('csv', Buffer.concat([Buffer.from('workId,units\n'), Buffer.from([0xe2, 0x82])])))).toBe('INVALID_ENCODING');
  });

  it('rejects an overlong line without buffering it and goes on with the next', () => {
    const p = new UsageFileParser('csv');
    const out = p.push(Buffer.from('workId,units\n'));
    const big = Buffer.alloc(MAX_LINE_CHARS / 2, 'x');
    for (let i = 0; i < 5; i++) out.push(...p.push(big));
    out.push(...p.push(Buffer.from(`tail\n${W1},3\n`)));
    out.push(...p.end());
    expect(out.map((l) => [l.lineNo, l.errorCode])).toEqual([
      [2, 'MALFORMED_LINE'],
      [3, null],
    ]);
    expect(p.lines).toBe(2);
  });

  it('reads any field content back through quoting, whatever the chunking and line endings', () => {
    const modelId = fc
      .string({ unit: fc.constantFrom('a', 'Z', '0', ',', '"', '\n', ' ', 'é', '€', '😀', '-', '='), maxLength: 30 })
      .map((s) => s.trim())
      .filter((s) => !s.includes('\r'));
    fc.assert(
      fc.property(
        fc.array(fc.record({ modelId, units: fc.bigInt({ min: 1n, max: 10n ** 15n }) }), { maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.nat(2000), { maxLength: 8 }),
        (rows, crlf, cuts) => {
          const eol = crlf ? '\r\n' : '\n';
          const quote = (s: string) => (/[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
          const file = ['modelId,workId,units', ...rows.map((r) => `${quote(r.modelId)},${W1},${r.units}`)].join(eol) + eol;
          const lines = parse('csv', file, cuts);
          expect(lines.map((l) => ({ modelId: l.modelId ?? '', units: BigInt(l.units ?? 0) }))).toEqual(rows);
          expect(lines.every((l) => l.errorCode === null)).toBe(true);
        },
      ),
    );
  });
});

describe('UsageFileParser: NDJSON', () => {
  it('reads objects, numbers or strings as units, and rejects bad lines', () => {
    const file = [
      JSON.stringify({ workId: W1, units: 12, use: 'train' }),
      '',
      JSON.stringify({ contentHash: H1, units: '900', modelId: 'm1' }),
      '{"workId":',
      '[1,2]',
      JSON.stringify({ workId: W1, units: 1, colour: 'red' }),
      JSON.stringify({ workId: W1, units: 1.5 }),
      JSON.stringify({ workId: W1, units: '1', modelId: 7 }),
      JSON.stringify({ units: 3 }),
    ].join('\n');
    const lines = parse('ndjson', file);
    expect(lines.map((l) => [l.lineNo, l.errorCode])).toEqual([
      [1, null],
      [3, null],
      [4, 'MALFORMED_LINE'],
      [5, 'MALFORMED_LINE'],
      [6, 'MALFORMED_LINE'],
      [7, 'INVALID_UNITS'],
      [8, 'MALFORMED_LINE'],
      [9, 'MALFORMED_LINE'],
    ]);
    expect(lines[1]).toMatchObject({ contentHash: H1, units: '900', modelId: 'm1' });
  });

  it('refuses a file that is not NDJSON at all', () => {
    expect(fileError(() => parse('ndjson', `workId,units\n${W1},1\n`))).toBe('UNSUPPORTED_FORMAT');
    expect(parse('ndjson', '')).toEqual([]);
  });
});

describe('UsageFileParser: chunking never changes the result', () => {
  const piece = fc.constantFrom(
    'workId,units,use,modelId\n',
    `${W1},5,train,m\n`,
    `${W1},0,,\n`,
    '"a,b",1,,\n',
    '"open\n',
    'x"\n',
    '\r\n',
    '\n',
    JSON.stringify({ workId: W1, units: 3 }) + '\n',
    '{bad json\n',
    'é€😀',
    ',,,\n',
  );
  it.each(['csv', 'ndjson'] as const)('%s', (format) => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), fc.array(fc.nat(600), { maxLength: 10 }), (pieces, cuts) => {
        const file = Buffer.from(pieces.join(''));
        const whole = (() => {
          try {
            return parse(format, file);
          } catch (e) {
            return (e as UsageFileError).code;
          }
        })();
        const chunked = (() => {
          try {
            return parse(format, file, cuts);
          } catch (e) {
            return (e as UsageFileError).code;
          }
        })();
        expect(chunked).toEqual(whole);
        if (Array.isArray(whole)) {
          const nos = whole.map((l) => l.lineNo);
          expect([...nos].sort((a, b) => a - b)).toEqual(nos);
          expect(new Set(nos).size).toBe(nos.length);
        }
      }),
    );
  });
});

describe('splitCsv', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"a,b",c', ['a,b', 'c']],
    ['"a""b",', ['a"b', '']],
    ['""', ['']],
    ['a"b,c', null],
    ['"a"b,c', null],
  ])('%p', (s, expected) => expect(splitCsv(s)).toEqual(expected));
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
  ])('%p → %p', (v, expected) => expect(csvCell(v)).toBe(expected));

  it('leaves numbers alone and ends rows with CRLF', () => {
    expect(csvRow([12, -3n, null, 'x'])).toBe('12,-3,,x\r\n');
  });
});

describe('UsageFileParser: the byte-level fast path agrees with the general rules', () => {
  const cell = {
    workId: fc.constantFrom(W1, W1.toUpperCase(), ` ${W1}`, '', 'x', W1.slice(1)),
    contentHash: fc.constantFrom(H1, H1.toUpperCase(), '', 'zz', `${H1} `),
    units: fc.constantFrom('1', '007', '0', '1000000000000000', '999999999999999', ' 5', '12a', '', '-1'),
    use: fc.constantFrom('', 'train', ' train', 'a\\b', 'x'.repeat(64), 'x'.repeat(65), 'fine tune', 'é'),
    modelId: fc.constantFrom('', 'm', 'é', 'x'.repeat(200), 'x'.repeat(201), 'a\\tb'),
  };
  const line = fc.record(cell).chain((c) =>
    fc.constantFrom([c.workId, c.contentHash, c.units, c.use, c.modelId].join(','), [c.workId, c.units].join(','), `${c.workId},${c.contentHash},${c.units},${c.use},${c.modelId},extra`),
  );
  it('gives, line by line, what splitting on commas and validateLine give', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.array(fc.nat(3000), { maxLength: 6 }), (lines, crlf, cuts) => {
        const eol = crlf ? '\r\n' : '\n';
        const file = ['workId,contentHash,units,use,modelId', ...lines].join(eol) + eol;
        const expected = lines.map((l, i) => {
          const cells = l.split(',');
          if (cells.length !== 5) return rejected(i + 2, 'MALFORMED_LINE', `The line has ${cells.length} fields; the header has 5.`);
          return validateLine(i + 2, { workId: cells[0], contentHash: cells[1], units: cells[2], use: cells[3], modelId: cells[4] });
        }).filter((_, i) => lines[i].trim() !== '');
        expect(parse('csv', file, cuts)).toEqual(expected);
      }),
    );
  });

  it('hands plain lines to a sink as byte ranges, and keeps the distinct model IDs', () => {
    const p = new UsageFileParser('csv');
    const fast: string[] = [];
    const general: number[] = [];
    const sink = {
      fast: (n: number, src: Uint8Array, ...r: number[]) => fast.push(`${n}:${[0, 2, 4, 6, 8].map((i) => Buffer.from(src.subarray(r[i], r[i + 1])).toString()).join('|')}`),
      line: (l: ParsedLine) => general.push(l.lineNo),
    };
    p.push(Buffer.from(`units,workId,modelId,contentHash\n3,${W1},m1,\n4,${W1.toUpperCase()},m2,\n5,,m1,${H1}\n`), sink);
    p.end(sink);
    expect(fast).toEqual([`2:${W1}||3||m1`, `4:|${H1}|5||m1`]);
    expect(general).toEqual([3]);
    expect(p.modelIds).toEqual(['m1', 'm2']);
    expect(p.lines).toBe(3);
  });
});
