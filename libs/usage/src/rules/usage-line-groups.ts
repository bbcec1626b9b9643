import type { ParsedLine } from './usage-line';
import { sameBytes, type ParsedLineSink } from './usage-file-parser';

/** Where the groups go (the staging writer): whole groups, and the lines the parser rejected. */
export interface StagedGroupSink {
  /** One group: every well-formed line with this reference and use, summed; `lineNos` ascending. */
  group(workId: string | null, contentHash: string | null, use: string | null, units: string, lineNos: Uint32Array): void;
  /** A line the parser rejected (MALFORMED_LINE, INVALID_UNITS), staged as it is. */
  line(l: ParsedLine): void;
  /** Sends what was gathered (with backpressure). */
  drain(): Promise<void>;
}

/** Lines kept in memory before the groups are staged (8 bytes each, plus 4 while staging). */
export const GROUP_LINES_BUDGET = 2_000_000;
/** Groups kept in memory before they are staged (~100–200 bytes each: its reference's bytes, table slots, sums). */
export const GROUP_BUDGET = 200_000;
const MAX_LINE_NO = 0xffffffff;
const RECENT_USES = 8;

/**
 * Pre-aggregation of a usage file during its parse (a ParsedLineSink): well-formed lines are
 * grouped in memory by (reference kind, reference, use), their units summed exactly (a number
 * while the sum is a safe integer, a bigint beyond) and their line numbers kept (4 bytes each,
 * plus 4 for the group), so that a group rejected later by the set-based validation still
 * reports every one of its lines. Lines the parser rejected pass straight through to the sink.
 *
 * The groups live in an open-addressing hash table over the reference's bytes (the parser hands
 * plain lines over as byte ranges: no string, no object per line); a use is a small number found
 * by comparing bytes with the uses seen lately.
 *
 * Memory is bounded whatever the file: once GROUP_LINES_BUDGET lines or GROUP_BUDGET groups are
 * held, `spillIfFull` stages the groups and starts afresh; a reference may then appear in several
 * staged groups, which the SQL sums again (a group is a partial sum, never the only one).
 * Every line of a group shares the classification of its reference and use, so validating one
 * staged row per group gives, line for line, the result of validating every line.
 */
export class UsageLineGroups implements ParsedLineSink {
  // Uses: a number each (per spill), found by string or, for fast lines, by bytes.
  private useIds = new Map<string | null, number>();
  private useNames: (string | null)[] = [];
  private recentBytes: Uint8Array[] = [];
  private recentIds: number[] = [];
  // The table: slot → group + 1 (0: empty); a power of two, at most half full.
  private slots = new Int32Array(1 << 12);
  // Per group: the hash, the use, the kind, where its reference's bytes are in `keys`.
  private hashes = new Uint32Array(1024);
  private groupUse = new Uint32Array(1024);
  private groupIsHash = new Uint8Array(1024);
  private keyAt = new Uint32Array(1024);
  private keys = new Uint8Array(1 << 16);
  private keysEnd = 0;
  private groupCount = 0;
  private sums = new Float64Array(1024);
  private readonly bigSums = new Map<number, bigint>();
  private counts = new Uint32Array(1024);
  private lineNo = new Uint32Array(65536);
  private lineGroup = new Uint32Array(65536);
  private n = 0;
  /** Well-formed lines grouped so far (all spills). */
  grouped = 0;
  /** Groups staged so far (all spills). */
  staged = 0;

  constructor(
    private readonly out: StagedGroupSink,
    private readonly budget: { lines: number; groups: number } = { lines: GROUP_LINES_BUDGET, groups: GROUP_BUDGET },
  ) {}

  fast(lineNo: number, src: Uint8Array, workS: number, workE: number, hashS: number, hashE: number, unitsS: number, unitsE: number, useS: number, useE: number): void {
    let use = -1;
    for (let i = 0; i < this.recentBytes.length; i++) {
      if (sameBytes(this.recentBytes[i], src, useS, useE)) {
        use = this.recentIds[i];
        break;
      }
    }
    if (use < 0) {
      use = this.useId(useS === useE ? null : Buffer.from(src.buffer, src.byteOffset + useS, useE - useS).toString('latin1'));
      const slot = this.recentBytes.length < RECENT_USES ? this.recentBytes.length : use % RECENT_USES;
      this.recentBytes[slot] = src.slice(useS, useE);
      this.recentIds[slot] = use;
    }
    let units = 0;
    for (let i = unitsS; i < unitsE; i++) units = units * 10 + (src[i] - 48); // ≤ 15 digits: exact
    if (workE > workS) this.add(src, workS, workE, 0, use, units, lineNo);
    else this.add(src, hashS, hashE, 1, use, units, lineNo);
  }

  line(l: ParsedLine): void {
    if (l.errorCode !== null) return this.out.line(l);
    const use = this.useId(l.use);
    const units = Number(l.units); // digits of an integer ≤ 10^15: exact
    // The parser's references are lower-case ASCII (a UUID or a SHA-256).
    const ref = Buffer.from(l.workId ?? (l.contentHash as string), 'latin1');
    this.add(ref, 0, ref.length, l.workId !== null ? 0 : 1, use, units, l.lineNo);
  }

  /** Stages the groups if a budget is reached (call between chunks of the file). */
  async spillIfFull(): Promise<void> {
    if (this.n >= this.budget.lines || this.groupCount >= this.budget.groups) await this.spill();
  }

  /** Stages every group held (at the end of the file, or when full) and empties the table. */
  async spill(): Promise<void> {
    const g = this.groupCount;
    if (g === 0) return;
    // Counting sort of the line numbers by group (stable: each group's lines stay ascending).
    const start = new Uint32Array(g + 1);
    for (let i = 0; i < g; i++) start[i + 1] = start[i] + this.counts[i];
    const pos = start.slice(0, g);
    const sorted = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) sorted[pos[this.lineGroup[i]]++] = this.lineNo[i];
    const keys = Buffer.from(this.keys.buffer, this.keys.byteOffset, this.keysEnd);
    for (let i = 0; i < g; i++) {
      const isHash = this.groupIsHash[i] === 1;
      const ref = keys.toString('latin1', this.keyAt[i], this.keyAt[i] + (isHash ? HASH_LEN : UUID_LEN));
      const units = this.bigSums.get(i)?.toString() ?? String(this.sums[i]);
      this.out.group(isHash ? null : ref, isHash ? ref : null, this.useNames[this.groupUse[i]], units, sorted.subarray(start[i], start[i + 1]));
      if ((i & 4095) === 4095) await this.out.drain();
    }
    await this.out.drain();
    this.staged += g;
    this.useIds = new Map();
    this.useNames = [];
    this.recentBytes = [];
    this.recentIds = [];
    this.slots.fill(0);
    this.sums.fill(0, 0, g);
    this.counts.fill(0, 0, g);
    this.bigSums.clear();
    this.groupCount = 0;
    this.keysEnd = 0;
    this.n = 0;
  }

  private useId(use: string | null): number {
    let id = this.useIds.get(use);
    if (id === undefined) {
      id = this.useNames.length;
      this.useIds.set(use, id);
      this.useNames.push(use);
    }
    return id;
  }

  /** Adds a line to the group of (kind, reference bytes src[s, e), use). */
  private add(src: Uint8Array, s: number, e: number, isHash: number, use: number, units: number, lineNo: number): void {
    // FNV-1a over the reference's bytes, the kind and the use (every byte: references may be
    // chosen to collide on a part).
    let h = (0x811c9dc5 ^ (use * 2 + isHash)) >>> 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ src[i], 0x01000193);
    h >>>= 0;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    let g = -1;
    for (;;) {
      const v = this.slots[slot];
      if (v === 0) break;
      const c = v - 1;
      if (this.hashes[c] === h && this.groupUse[c] === use && this.groupIsHash[c] === isHash && this.sameKey(c, src, s, e)) {
        g = c;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (g < 0) g = this.newGroup(slot, h, src, s, e, isHash, use);
    // A sum stays a number while it is a safe integer; beyond, it is a bigint (the number holds
    // Infinity as a marker). Both addends are safe integers, so a sum above 2^53 − 1, exact or
    // rounded, always shows as one.
    const sum = this.sums[g] + units;
    if (sum > Number.MAX_SAFE_INTEGER) {
      const b = this.bigSums.get(g);
      this.bigSums.set(g, (b ?? BigInt(this.sums[g])) + BigInt(units));
      this.sums[g] = Infinity;
    } else {
      this.sums[g] = sum;
    }
    this.counts[g]++;
    if (lineNo > MAX_LINE_NO) throw new Error(`usage file: line ${lineNo} is beyond the ${MAX_LINE_NO} lines a report can have`);
    if (this.n === this.lineNo.length) {
      this.lineNo = grow(this.lineNo, new Uint32Array(this.n * 2));
      this.lineGroup = grow(this.lineGroup, new Uint32Array(this.n * 2));
    }
    this.lineNo[this.n] = lineNo;
    this.lineGroup[this.n] = g;
    this.n++;
    this.grouped++;
  }

  private sameKey(g: number, src: Uint8Array, s: number, e: number): boolean {
    const k = this.keys;
    const at = this.keyAt[g];
    if ((this.groupIsHash[g] === 1 ? HASH_LEN : UUID_LEN) !== e - s) return false;
    for (let i = 0; i < e - s; i++) if (k[at + i] !== src[s + i]) return false;
    return true;
  }

  private newGroup(slot: number, h: number, src: Uint8Array, s: number, e: number, isHash: number, use: number): number {
    const g = this.groupCount++;
    if (g === this.hashes.length) {
      const cap = g * 2;
      this.hashes = grow(this.hashes, new Uint32Array(cap));
      this.groupUse = grow(this.groupUse, new Uint32Array(cap));
      this.groupIsHash = grow(this.groupIsHash, new Uint8Array(cap));
      this.keyAt = grow(this.keyAt, new Uint32Array(cap));
      this.sums = grow(this.sums, new Float64Array(cap));
      this.counts = grow(this.counts, new Uint32Array(cap));
    }
    if (this.keysEnd + (e - s) > this.keys.length) this.keys = grow(this.keys, new Uint8Array(Math.max(this.keys.length * 2, this.keysEnd + (e - s))));
    this.keys.set(src.subarray(s, e), this.keysEnd);
    this.keyAt[g] = this.keysEnd;
    this.keysEnd += e - s;
    this.hashes[g] = h;
    this.groupUse[g] = use;
    this.groupIsHash[g] = isHash;
    this.slots[slot] = g + 1;
    if (this.groupCount * 2 > this.slots.length) this.rehash();
    return g;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let g = 0; g < this.groupCount; g++) {
      let slot = this.hashes[g] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = g + 1;
    }
    this.slots = slots;
  }
}

const UUID_LEN = 36;
const HASH_LEN = 64;

function grow<T extends Float64Array | Uint32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
