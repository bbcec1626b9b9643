import fc from 'fast-check';
import { ParsedLine } from './usage-line';
import { UsageFileParser } from './usage-file-parser';
import { StagedGroupSink, UsageLineGroups } from './usage-line-groups';

const W = ['0d6f3c3e-8a4b-4c1e-9d2a-1b2c3d4e5f60', '1d6f3c3e-8a4b-4c1e-9d2a-1b2c3d4e5f60', 'ffffffff-ffff-4fff-bfff-ffffffffffff'];
const H = ['a'.repeat(64), 'b'.repeat(63) + 'a', '0123456789abcdef'.repeat(4)];

interface Group {
  workId: string | null;
  contentHash: string | null;
  use: string | null;
  units: string;
  lineNos: number[];
}

/** Parses a file chunk by chunk into groups (spilling whenever a budget is reached, like the worker). */
async function group(file: Buffer, cuts: number[], budget?: { lines: number; groups: number }) {
  const groups: Group[] = [];
  const rejected: ParsedLine[] = [];
  const sink: StagedGroupSink = {
    group: (workId, contentHash, use, units, lineNos) => void groups.push({ workId, contentHash, use, units, lineNos: [...lineNos] }),
    line: (l) => void rejected.push(l),
    drain: async () => undefined,
  };
  const p = new UsageFileParser('csv');
  const g = new UsageLineGroups(sink, budget);
  let start = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < file.length).sort((a, b) => a - b)) {
    p.push(file.subarray(start, c), g);
    await g.spillIfFull();
    start = c;
  }
  p.push(file.subarray(start), g);
  await g.spillIfFull();
  p.end(g);
  await g.spill();
  return { groups, rejected, lines: p.lines, grouped: g.grouped };
}

/** The same file, line by line (the reference: what staging every line gave). */
function perLine(file: Buffer): ParsedLine[] {
  const p = new UsageFileParser('csv');
  return [...p.push(file), ...p.end()];
}

describe('UsageLineGroups: grouping while parsing loses and moves nothing', () => {
  const cell = {
    ref: fc.constantFrom(...W.map((w) => [w, '']), ...H.map((h) => ['', h]), [W[0].toUpperCase(), ''], ['', H[1].toUpperCase()], [`"${W[2]}"`, ''], ['', ''], ['x', '']),
    units: fc.constantFrom('1', '9', '007', '0', '1000000000000000', '999999999999999', ' 5', '12a', '"3"'),
    use: fc.constantFrom('', 'train', 'fine_tune', ' train', 'é', 'x'.repeat(65), '"a,b"'),
    modelId: fc.constantFrom('', 'm', 'é'),
  };
  const line = fc.record(cell).map((c) => [c.ref[0], c.ref[1], c.units, c.use, c.modelId].join(','));
  const budget = fc.option(fc.record({ lines: fc.integer({ min: 1, max: 8 }), groups: fc.integer({ min: 1, max: 4 }) }), { nil: undefined });

  it('every line is in exactly one group or rejected, with its reference, use and exact units', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 60 }), fc.array(fc.nat(4000), { maxLength: 8 }), budget, async (lines, cuts, b) => {
        const file = Buffer.from(['workId,contentHash,units,use,modelId', ...lines].join('\n') + '\n');
        const expected = perLine(file);
        const got = await group(file, cuts, b);
        expect(got.lines).toBe(expected.length);
        expect(got.rejected).toEqual(expected.filter((l) => l.errorCode !== null));
        const byLine = new Map(expected.map((l) => [l.lineNo, l]));
        const seen = new Set<number>(got.rejected.map((l) => l.lineNo));
        for (const g of got.groups) {
          expect(g.lineNos.length).toBeGreaterThan(0);
          expect([...g.lineNos].sort((x, y) => x - y)).toEqual(g.lineNos);
          let sum = 0n;
          for (const n of g.lineNos) {
            const l = byLine.get(n) as ParsedLine;
            expect(l.errorCode).toBeNull();
            expect([l.workId, l.contentHash, l.use]).toEqual([g.workId, g.contentHash, g.use]);
            expect(seen.has(n)).toBe(false);
            seen.add(n);
            sum += BigInt(l.units as string);
          }
          expect(g.units).toBe(sum.toString());
        }
        expect(seen.size).toBe(expected.length);
        expect(got.grouped).toBe(expected.filter((l) => l.errorCode === null).length);
        if (b === undefined) {
          // Without spills, one group per (reference, use).
          const keys = got.groups.map((g) => `${g.workId}|${g.contentHash}|${g.use}`);
          expect(new Set(keys).size).toBe(keys.length);
        }
      }),
    );
  });

  it('sums beyond 2^53 exactly (bigint past the safe integers)', async () => {
    const n = 20_000;
    const rows = Array.from({ length: n }, (_, i) => (i % 2 ? `${W[0]},,999999999999999,train,` : `${W[0]},,1000000000000000,train,`));
    const got = await group(Buffer.from(['workId,contentHash,units,use,modelId', ...rows].join('\n')), [100, 5000, 77777]);
    expect(got.groups).toHaveLength(1);
    expect(got.groups[0].units).toBe(((BigInt(n) / 2n) * 1_999_999_999_999_999n).toString());
    expect(got.groups[0].lineNos).toEqual(Array.from({ length: n }, (_, i) => i + 2));
  });
});
