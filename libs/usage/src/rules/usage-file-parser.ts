import { TextDecoder } from 'node:util';
import { FileFormat, MAX_LINE_CHARS, MAX_MODEL_ID_CHARS, MAX_USE_CHARS, UsageFileError } from './usage-codes';
import { isLineField, LineField, ParsedLine, RawLine, rejected, validateLine } from './usage-line';

/** How many distinct model IDs the parser keeps (the report records them for transparency). */
export const MODEL_IDS_KEPT = 100;

/**
 * Where the parser puts lines. `fast` receives a well-formed line that needed no normalisation
 * as byte ranges of `src` (printable ASCII, no quote, no backslash; an empty range is an absent
 * field): nothing is allocated per line. `line` receives every other line, parsed.
 */
export interface ParsedLineSink {
  fast(lineNo: number, src: Uint8Array, workS: number, workE: number, hashS: number, hashE: number, unitsS: number, unitsE: number, useS: number, useE: number, modelS: number, modelE: number): void;
  line(l: ParsedLine): void;
}

const FIELD_INDEX: Record<LineField, number> = { workId: 0, contentHash: 1, units: 2, use: 3, modelId: 4 };
const latin1 = (src: Uint8Array, s: number, e: number): string | null => (s === e ? null : Buffer.from(src.buffer, src.byteOffset + s, e - s).toString('latin1'));

/** Collects lines in order (push/end without a sink). */
class ArraySink implements ParsedLineSink {
  out: ParsedLine[] = [];
  fast(lineNo: number, src: Uint8Array, workS: number, workE: number, hashS: number, hashE: number, unitsS: number, unitsE: number, useS: number, useE: number, modelS: number, modelE: number): void {
    this.out.push({
      lineNo,
      workId: latin1(src, workS, workE),
      contentHash: latin1(src, hashS, hashE),
      units: latin1(src, unitsS, unitsE),
      use: latin1(src, useS, useE),
      modelId: latin1(src, modelS, modelE),
      errorCode: null,
      errorMessage: null,
    });
  }
  line(l: ParsedLine): void {
    this.out.push(l);
  }
}

/**
 * Streaming reader of usage files (CSV with a header, or NDJSON), chunk by chunk: memory stays
 * bounded by the chunk size plus one record (a record longer than MAX_LINE_CHARS is rejected and
 * skipped, never buffered whole). Line numbers are physical lines of the file, 1-based, counting
 * the CSV header; a CSV record spanning several lines (a quoted newline) has the number of its
 * first line. Blank lines are skipped and not counted.
 *
 * Lines are split on the bytes. A plain CSV line (printable ASCII without quotes or backslashes,
 * a lower-case UUID or SHA-256, canonical units) is checked byte by byte and handed to the sink as
 * byte ranges; any other line is decoded (strict UTF-8) and goes through the general rules
 * (validateLine), which give the same result for plain lines.
 *
 * Whole-file problems throw UsageFileError: bad UTF-8 (INVALID_ENCODING), a CSV without a header
 * (MISSING_HEADER) or with an unknown or duplicated column (UNKNOWN_COLUMN / INVALID_HEADER), a
 * file that is not NDJSON at all (UNSUPPORTED_FORMAT).
 */
export class UsageFileParser {
  /** Decodes the file's first line: drops a leading BOM, as a UTF-8 stream decoder does. */
  private readonly firstDecoder = new TextDecoder('utf-8', { fatal: true });
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Checks the bytes of a line being discarded (overlong), across chunks. */
  private discardDecoder: TextDecoder | null = null;
  /** The incomplete last line of the previous chunks. */
  private carry: Buffer | null = null;
  /** File offset of the first byte not yet consumed into a line (where `carry` starts). */
  private offset = 0;
  private physLine = 0;
  /** Discarding the rest of an overlong physical line. */
  private discarding = false;
  /** CSV: a record whose quoted field is still open, and where it started. */
  private openRecord: string | null = null;
  private openRecordLine = 0;
  private header: LineField[] | null = null;
  /** CSV: for each header column, the index of its field (FIELD_INDEX). */
  private columnField: Int8Array | null = null;
  private readonly ranges = new Int32Array(10);
  private sawFirstLine = false;
  private ended = false;
  private sink: ParsedLineSink = new ArraySink();
  private readonly models = new Set<string>();
  /** The bytes of the model IDs kept from fast lines. */
  private readonly modelBytes: Uint8Array[] = [];
  /** Data lines seen (accepted or rejected by these checks). */
  lines = 0;

  constructor(readonly format: FileFormat) {}

  /** Distinct model IDs of the well-formed lines read so far (the first MODEL_IDS_KEPT). */
  get modelIds(): string[] {
    return [...this.models];
  }

  /**
   * Parses a chunk of the file. Without a sink, returns the lines it completed, in order; with
   * one, hands them to it and returns an empty array.
   */
  push(chunk: Uint8Array, sink?: ParsedLineSink): ParsedLine[] {
    if (this.ended) throw new Error('UsageFileParser: push after end');
    return this.run(sink, () => this.consume(chunk, false));
  }

  /** Ends the file; returns (or hands to the sink) the last lines. */
  end(sink?: ParsedLineSink): ParsedLine[] {
    if (this.ended) return [];
    this.ended = true;
    return this.run(sink, () => {
      this.consume(new Uint8Array(0), true);
      if (this.openRecord !== null) {
        this.openRecord = null;
        this.emitRejected(this.openRecordLine, 'A quoted field is not closed before the end of the file.');
      }
      if (this.format === 'csv' && this.header === null) throw new UsageFileError('MISSING_HEADER', 'The file is empty: a CSV report starts with a header line.');
    });
  }

  private run(sink: ParsedLineSink | undefined, f: () => void): ParsedLine[] {
    const collector = sink ? null : new ArraySink();
    this.sink = sink ?? (collector as ArraySink);
    f();
    return collector ? collector.out : [];
  }

  private consume(chunk: Uint8Array, final: boolean): void {
    let pos = 0;
    const n = chunk.length;
    if (this.carry !== null || this.discarding) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        if (this.discarding) this.checkDiscarded(chunk, final);
        else this.carry = Buffer.concat([this.carry as Buffer, chunk]);
        this.offset += n;
      } else {
        const piece = chunk.subarray(0, nl + 1);
        this.offset += nl + 1;
        if (this.discarding) {
          this.checkDiscarded(piece, true);
          this.physLine++;
          this.discarding = false;
        } else {
          const line = Buffer.concat([this.carry as Buffer, piece]);
          this.carry = null;
          this.onBytes(line, 0, line.length - 1, this.offset - line.length);
        }
        pos = nl + 1;
      }
    }
    if (!this.discarding && (this.carry === null || pos > 0)) {
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) break;
        this.onBytes(chunk, pos, nl, this.offset);
        this.offset += nl + 1 - pos;
        pos = nl + 1;
      }
      if (pos < n) {
        this.carry = Buffer.from(chunk.subarray(pos));
        this.offset += n - pos;
      }
    }
    if (this.carry !== null && this.carry.length > MAX_LINE_CHARS && utf16Length(this.carry) > MAX_LINE_CHARS) {
      // An overlong line: reject it now and skip to its end without keeping it.
      this.discarding = true;
      const lineNo = this.openRecord !== null ? this.openRecordLine : this.physLine + 1;
      this.openRecord = null;
      this.emitRejected(lineNo, `The line is longer than ${MAX_LINE_CHARS} characters.`);
      this.checkDiscarded(this.carry, final);
      this.carry = null;
    }
    if (final) {
      if (this.carry !== null && this.carry.length > 0) {
        const last = this.carry;
        this.carry = null;
        this.physLine++;
        this.onLineBytes(last, 0, last.length > 0 && last[last.length - 1] === 13 ? last.length - 1 : last.length, this.offset - last.length);
      } else if (this.discarding) {
        this.physLine++;
      }
      this.discarding = false;
    }
  }

  /** A physical line [s, nl) ending with a newline at `nl` (a CR before it is dropped). */
  private onBytes(src: Uint8Array, s: number, nl: number, fileOffset: number): void {
    this.physLine++;
    this.onLineBytes(src, s, nl > s && src[nl - 1] === 13 ? nl - 1 : nl, fileOffset);
  }

  private onLineBytes(src: Uint8Array, s: number, e: number, fileOffset: number): void {
    if (this.columnField !== null && this.openRecord === null && this.fastCsv(src, s, e)) return;
    let line: string;
    try {
      line = (fileOffset === 0 ? this.firstDecoder : this.decoder).decode(src.subarray(s, e));
    } catch {
      throw new UsageFileError('INVALID_ENCODING', `The file is not valid UTF-8 (line ${this.physLine}, bytes ${fileOffset}–${fileOffset + e - s}).`);
    }
    this.onLine(line);
  }

  /** Validates the bytes of a discarded line (the file must be UTF-8 throughout). */
  private checkDiscarded(bytes: Uint8Array, lineEnds: boolean): void {
    this.discardDecoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    try {
      this.discardDecoder.decode(bytes, { stream: !lineEnds });
    } catch {
      throw new UsageFileError('INVALID_ENCODING', `The file is not valid UTF-8 (line ${this.physLine + 1}).`);
    }
  }

  /** A plain CSV line, checked and handed over without decoding; false sends it the general way. */
  private fastCsv(src: Uint8Array, s: number, e: number): boolean {
    if (e <= s) return false;
    const fields = this.columnField as Int8Array;
    const r = this.ranges;
    r.fill(0);
    let cell = 0;
    let cellStart = s;
    for (let i = s; i <= e; i++) {
      const b = i === e ? 44 : src[i];
      if (b === 44) {
        if (cell >= fields.length) return false;
        const f = fields[cell] * 2;
        r[f] = cellStart;
        r[f + 1] = i;
        cell++;
        cellStart = i + 1;
      } else if (b < 0x21 || b > 0x7e || b === 34 || b === 92) {
        return false;
      }
    }
    if (cell !== fields.length) return false;
    const workLen = r[1] - r[0];
    const hashLen = r[3] - r[2];
    if (workLen === 0 ? hashLen !== 64 || !isHex(src, r[2], r[3]) : hashLen !== 0 || workLen !== 36 || !isUuid(src, r[0])) return false;
    const unitsLen = r[5] - r[4];
    if (unitsLen < 1 || unitsLen > 15 || src[r[4]] === 48 || !isDigits(src, r[4], r[5])) return false;
    if (r[7] - r[6] > MAX_USE_CHARS || r[9] - r[8] > MAX_MODEL_ID_CHARS) return false;
    this.lines++;
    if (r[9] > r[8] && this.models.size < MODEL_IDS_KEPT && !this.knownModel(src, r[8], r[9])) {
      this.models.add(latin1(src, r[8], r[9]) as string);
      this.modelBytes.push(src.slice(r[8], r[9]));
    }
    this.sink.fast(this.physLine, src, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
    return true;
  }

  /** Whether a fast line's model ID is one already kept (compared as bytes: no string per line). */
  private knownModel(src: Uint8Array, s: number, e: number): boolean {
    return this.modelBytes.some((m) => sameBytes(m, src, s, e));
  }

  private emit(l: ParsedLine): void {
    if (l.errorCode === null && l.modelId !== null && this.models.size < MODEL_IDS_KEPT) this.models.add(l.modelId);
    this.sink.line(l);
  }

  private onLine(line: string): void {
    if (this.format === 'ndjson') return this.onNdjsonLine(line);
    let record = line;
    let lineNo = this.physLine;
    if (this.openRecord !== null) {
      record = this.openRecord + '\n' + line;
      lineNo = this.openRecordLine;
      this.openRecord = null;
    }
    if (record.includes('"') && countQuotes(record) % 2 === 1) {
      if (record.length > MAX_LINE_CHARS) {
        this.emitRejected(lineNo, `The record is longer than ${MAX_LINE_CHARS} characters.`);
        return;
      }
      this.openRecord = record;
      this.openRecordLine = lineNo;
      return;
    }
    this.onCsvRecord(record, lineNo);
  }

  private onCsvRecord(record: string, lineNo: number): void {
    if (record.length === 0 || (record.charCodeAt(0) <= 32 && record.trim() === '')) return; // blank line
    if (!this.sawFirstLine) {
      this.sawFirstLine = true;
      this.header = parseHeader(stripBom(record));
      this.columnField = Int8Array.from(this.header, (f) => FIELD_INDEX[f]);
      return;
    }
    const cells = splitCsv(record);
    const header = this.header as LineField[];
    this.lines++;
    if (cells === null) {
      this.emit(rejected(lineNo, 'MALFORMED_LINE', 'The line is not valid CSV (a quote is misplaced).'));
      return;
    }
    if (cells.length !== header.length) {
      this.emit(rejected(lineNo, 'MALFORMED_LINE', `The line has ${cells.length} fields; the header has ${header.length}.`));
      return;
    }
    const raw: RawLine = {};
    for (let i = 0; i < header.length; i++) raw[header[i]] = cells[i];
    this.emit(validateLine(lineNo, raw));
  }

  private onNdjsonLine(line: string): void {
    const first = !this.sawFirstLine;
    const l = first ? stripBom(line) : line;
    if (l.trim() === '') return;
    this.sawFirstLine = true;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      if (first) throw new UsageFileError('UNSUPPORTED_FORMAT', 'The file is not NDJSON: its first line is not a JSON object.');
      this.emitRejected(this.physLine, 'The line is not valid JSON.');
      return;
    }
    this.lines++;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.emit(rejected(this.physLine, 'MALFORMED_LINE', 'The line is not a JSON object.'));
      return;
    }
    const unknown = Object.keys(value).find((k) => !isLineField(k));
    if (unknown !== undefined) {
      this.emit(rejected(this.physLine, 'MALFORMED_LINE', `Unknown field ${JSON.stringify(unknown.slice(0, 40))}.`));
      return;
    }
    this.emit(validateLine(this.physLine, value as RawLine));
  }

  private emitRejected(lineNo: number, message: string): void {
    if (this.format === 'csv' && !this.sawFirstLine) throw new UsageFileError('MISSING_HEADER', 'The first line of a CSV report must be its header.');
    this.sawFirstLine = true;
    this.lines++;
    this.emit(rejected(lineNo, 'MALFORMED_LINE', message));
  }
}

/** Length in UTF-16 code units of UTF-8 bytes (what a decoded string's `length` would be). */
function utf16Length(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if ((c & 0xc0) !== 0x80) n += c >= 0xf0 ? 2 : 1;
  }
  return n;
}

function isHex(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Whether `a` holds the bytes src[s, e). */
export function sameBytes(a: Uint8Array, src: Uint8Array, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== src[s + i]) return false;
  return true;
}

function isDigits(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] < 48 || b[i] > 57) return false;
  return true;
}

/** A lower-case UUID (8-4-4-4-12 hexadecimal digits) at s. */
function isUuid(b: Uint8Array, s: number): boolean {
  return b[s + 8] === 45 && b[s + 13] === 45 && b[s + 18] === 45 && b[s + 23] === 45 &&
    isHex(b, s, s + 8) && isHex(b, s + 9, s + 13) && isHex(b, s + 14, s + 18) && isHex(b, s + 19, s + 23) && isHex(b, s + 24, s + 36);
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/** RFC 4180 fields of one record (quotes balanced); null if a quote is misplaced. */
export function splitCsv(record: string): string[] | null {
  if (!record.includes('"')) return record.split(',');
  const cells: string[] = [];
  let i = 0;
  const n = record.length;
  for (;;) {
    if (record.charCodeAt(i) === 34) {
      let cell = '';
      let j = i + 1;
      for (;;) {
        const q = record.indexOf('"', j);
        if (q < 0) return null;
        cell += record.slice(j, q);
        if (record.charCodeAt(q + 1) === 34) {
          cell += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cells.push(cell);
      if (i === n) return cells;
      if (record.charCodeAt(i) !== 44) return null;
      i++;
    } else {
      const c = record.indexOf(',', i);
      const cell = c < 0 ? record.slice(i) : record.slice(i, c);
      if (cell.includes('"')) return null;
      cells.push(cell);
      if (c < 0) return cells;
      i = c + 1;
    }
  }
}

function parseHeader(record: string): LineField[] {
  const cells = splitCsv(record);
  if (cells === null) throw new UsageFileError('MISSING_HEADER', 'The first line of a CSV report must be its header.');
  const names = cells.map((c) => c.trim());
  if (!names.some(isLineField)) {
    throw new UsageFileError('MISSING_HEADER', 'The first line is not a header: it names none of workId, contentHash, units, use, modelId.');
  }
  const unknown = names.find((c) => !isLineField(c));
  if (unknown !== undefined) throw new UsageFileError('UNKNOWN_COLUMN', `Unknown column ${JSON.stringify(unknown.slice(0, 40))} in the header.`);
  const fields = names as LineField[];
  if (new Set(fields).size !== fields.length) throw new UsageFileError('INVALID_HEADER', 'A column appears twice in the header.');
  if (!fields.includes('units')) throw new UsageFileError('INVALID_HEADER', 'The header has no units column.');
  if (!fields.includes('workId') && !fields.includes('contentHash')) {
    throw new UsageFileError('INVALID_HEADER', 'The header needs a workId or a contentHash column.');
  }
  return fields;
}
