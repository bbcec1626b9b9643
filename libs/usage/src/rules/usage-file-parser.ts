import { FileFormat, MAX_LINE_CHARS, UsageFileError } from './usage-codes';
import { isLineField, LineField, ParsedLine, RawLine, rejected, validateLine } from './usage-line';

/**
 * Streaming reader of usage files (CSV with a header, or NDJSON), chunk by chunk: memory stays
 * bounded by the chunk size plus one record (a record longer than MAX_LINE_CHARS is rejected and
 * skipped, never buffered whole). Line numbers are physical lines of the file, 1-based, counting
 * the CSV header; a CSV record spanning several lines (a quoted newline) has the number of its
 * first line. Blank lines are skipped and not counted.
 *
 * Whole-file problems throw UsageFileError: bad UTF-8 (INVALID_ENCODING), a CSV without a header
 * (MISSING_HEADER) or with an unknown or duplicated column (UNKNOWN_COLUMN / INVALID_HEADER), a
 * file that is not NDJSON at all (UNSUPPORTED_FORMAT).
 */
export class UsageFileParser {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private carry = '';
  private physLine = 0;
  /** Discarding the rest of an overlong physical line. */
  private discarding = false;
  /** CSV: a record whose quoted field is still open, and where it started. */
  private openRecord: string | null = null;
  private openRecordLine = 0;
  private header: LineField[] | null = null;
  private sawFirstLine = false;
  private bytes = 0;
  private ended = false;
  /** Data lines seen (accepted or rejected by these checks). */
  lines = 0;

  constructor(readonly format: FileFormat) {}

  /** Parses a chunk of the file; returns the lines it completed. */
  push(chunk: Uint8Array): ParsedLine[] {
    if (this.ended) throw new Error('UsageFileParser: push after end');
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw new UsageFileError('INVALID_ENCODING', `The file is not valid UTF-8 (within bytes ${this.bytes}–${this.bytes + chunk.length}).`);
    }
    this.bytes += chunk.length;
    const out: ParsedLine[] = [];
    this.consume(text, false, out);
    return out;
  }

  /** Ends the file; returns the last lines. */
  end(): ParsedLine[] {
    if (this.ended) return [];
    this.ended = true;
    let text: string;
    try {
      text = this.decoder.decode();
    } catch {
      throw new UsageFileError('INVALID_ENCODING', 'The file is not valid UTF-8 (it ends inside a character).');
    }
    const out: ParsedLine[] = [];
    this.consume(text, true, out);
    if (this.openRecord !== null) {
      this.openRecord = null;
      this.emitRejected(out, this.openRecordLine, 'A quoted field is not closed before the end of the file.');
    }
    if (this.format === 'csv' && this.header === null) throw new UsageFileError('MISSING_HEADER', 'The file is empty: a CSV report starts with a header line.');
    return out;
  }

  private consume(text: string, final: boolean, out: ParsedLine[]): void {
    const buf = this.carry.length ? this.carry + text : text;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf('\n', pos);
      if (nl < 0) break;
      const line = buf.charCodeAt(nl - 1) === 13 && nl > pos ? buf.slice(pos, nl - 1) : buf.slice(pos, nl);
      pos = nl + 1;
      this.physLine++;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      this.onLine(line, out);
    }
    this.carry = pos === 0 ? buf : buf.slice(pos);
    if (this.carry.length > MAX_LINE_CHARS) {
      // An overlong line: reject it now and skip to its end without keeping it.
      if (!this.discarding) {
        this.discarding = true;
        const lineNo = this.openRecord !== null ? this.openRecordLine : this.physLine + 1;
        this.openRecord = null;
        this.emitRejected(out, lineNo, `The line is longer than ${MAX_LINE_CHARS} characters.`);
      }
      this.carry = '';
    }
    if (final && this.carry.length > 0) {
      const last = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
      this.carry = '';
      this.physLine++;
      if (!this.discarding) this.onLine(last, out);
      this.discarding = false;
    }
  }

  private onLine(line: string, out: ParsedLine[]): void {
    if (this.format === 'ndjson') return this.onNdjsonLine(line, out);
    let record = line;
    let lineNo = this.physLine;
    if (this.openRecord !== null) {
      record = this.openRecord + '\n' + line;
      lineNo = this.openRecordLine;
      this.openRecord = null;
    }
    if (record.includes('"') && countQuotes(record) % 2 === 1) {
      if (record.length > MAX_LINE_CHARS) {
        this.emitRejected(out, lineNo, `The record is longer than ${MAX_LINE_CHARS} characters.`);
        return;
      }
      this.openRecord = record;
      this.openRecordLine = lineNo;
      return;
    }
    this.onCsvRecord(record, lineNo, out);
  }

  private onCsvRecord(record: string, lineNo: number, out: ParsedLine[]): void {
    if (record.length === 0 || (record.charCodeAt(0) <= 32 && record.trim() === '')) return; // blank line
    if (!this.sawFirstLine) {
      this.sawFirstLine = true;
      this.header = parseHeader(stripBom(record));
      return;
    }
    const cells = splitCsv(record);
    const header = this.header as LineField[];
    this.lines++;
    if (cells === null) {
      out.push(rejected(lineNo, 'MALFORMED_LINE', 'The line is not valid CSV (a quote is misplaced).'));
      return;
    }
    if (cells.length !== header.length) {
      out.push(rejected(lineNo, 'MALFORMED_LINE', `The line has ${cells.length} fields; the header has ${header.length}.`));
      return;
    }
    const raw: RawLine = {};
    for (let i = 0; i < header.length; i++) raw[header[i]] = cells[i];
    out.push(validateLine(lineNo, raw));
  }

  private onNdjsonLine(line: string, out: ParsedLine[]): void {
    const first = !this.sawFirstLine;
    const l = first ? stripBom(line) : line;
    if (l.trim() === '') return;
    this.sawFirstLine = true;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      if (first) throw new UsageFileError('UNSUPPORTED_FORMAT', 'The file is not NDJSON: its first line is not a JSON object.');
      this.emitRejected(out, this.physLine, 'The line is not valid JSON.');
      return;
    }
    this.lines++;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      out.push(rejected(this.physLine, 'MALFORMED_LINE', 'The line is not a JSON object.'));
      return;
    }
    const unknown = Object.keys(value).find((k) => !isLineField(k));
    if (unknown !== undefined) {
      out.push(rejected(this.physLine, 'MALFORMED_LINE', `Unknown field ${JSON.stringify(unknown.slice(0, 40))}.`));
      return;
    }
    out.push(validateLine(this.physLine, value as RawLine));
  }

  private emitRejected(out: ParsedLine[], lineNo: number, message: string): void {
    if (this.format === 'csv' && !this.sawFirstLine) throw new UsageFileError('MISSING_HEADER', 'The first line of a CSV report must be its header.');
    this.sawFirstLine = true;
    this.lines++;
    out.push(rejected(lineNo, 'MALFORMED_LINE', message));
  }
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
