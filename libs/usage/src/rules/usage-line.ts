import { LineCode, MAX_MODEL_ID_CHARS, MAX_UNITS, MAX_USE_CHARS } from './usage-codes';

/** One data line of a report after parsing and the checks that need no database. */
export interface ParsedLine {
  lineNo: number;
  workId: string | null;
  contentHash: string | null;
  /** Digits of a positive integer ≤ 10^15, without leading zeros (null when the line is rejected). */
  units: string | null;
  use: string | null;
  modelId: string | null;
  errorCode: LineCode | null;
  errorMessage: string | null;
}

/** The raw values of a line as read from CSV (strings) or NDJSON / JSON (any JSON value). */
export interface RawLine {
  workId?: unknown;
  contentHash?: unknown;
  units?: unknown;
  use?: unknown;
  modelId?: unknown;
}

export const LINE_FIELDS = ['workId', 'contentHash', 'units', 'use', 'modelId'] as const;
export type LineField = (typeof LINE_FIELDS)[number];
export const isLineField = (s: string): s is LineField => (LINE_FIELDS as readonly string[]).includes(s);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[0-9a-f]{64}$/;
const DIGITS = /^[0-9]+$/;

export function rejected(lineNo: number, code: LineCode, message: string): ParsedLine {
  return { lineNo, workId: null, contentHash: null, units: null, use: null, modelId: null, errorCode: code, errorMessage: message };
}

/** Absent, null and empty (after trimming) all mean "not given". */
function text(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return undefined; // wrong JSON type
  if (v.length === 0) return null;
  // Trim only when needed: this runs millions of times per file.
  const t = v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 || v.charCodeAt(0) === 0xfeff ? v.trim() : v;
  return t === '' ? null : t;
}

/**
 * Units: a positive integer from 1 to 10^15, as a string of digits or (JSON) an integer number.
 * Returns the canonical digits, or null.
 */
export function parseUnits(v: unknown): string | null {
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) && v >= 1 && BigInt(v) <= MAX_UNITS ? String(v) : null;
  }
  if (typeof v !== 'string') return null;
  const t = v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? v.trim() : v;
  if (t.length > 0 && t.length <= 15 && t.charCodeAt(0) !== 48 && DIGITS.test(t)) return t; // 1 … 999,999,999,999,999: no BigInt needed
  if (!DIGITS.test(t)) return null;
  const digits = t.replace(/^0+(?=\d)/, '');
  if (digits.length > 16) return null;
  const n = BigInt(digits);
  return n >= 1n && n <= MAX_UNITS ? digits : null;
}

/** Checks one line's values (everything but what needs the database). */
export function validateLine(lineNo: number, raw: RawLine): ParsedLine {
  const workId = text(raw.workId);
  const contentHash = text(raw.contentHash);
  const use = text(raw.use);
  const modelId = text(raw.modelId);
  if (workId === undefined || contentHash === undefined || use === undefined || modelId === undefined) {
    return rejected(lineNo, 'MALFORMED_LINE', 'workId, contentHash, use and modelId must be strings.');
  }
  if ((workId === null) === (contentHash === null)) {
    return rejected(lineNo, 'MALFORMED_LINE', 'Give exactly one of workId and contentHash.');
  }
  const id = workId === null ? null : UUID.test(workId) ? workId : UUID.test(workId.toLowerCase()) ? workId.toLowerCase() : undefined;
  if (id === undefined) return rejected(lineNo, 'MALFORMED_LINE', 'workId is not a UUID.');
  const hash = contentHash === null ? null : HASH.test(contentHash) ? contentHash : HASH.test(contentHash.toLowerCase()) ? contentHash.toLowerCase() : undefined;
  if (hash === undefined) return rejected(lineNo, 'MALFORMED_LINE', 'contentHash is not 64 hexadecimal characters (SHA-256).');
  if (use !== null && use.length > MAX_USE_CHARS) return rejected(lineNo, 'MALFORMED_LINE', `use is longer than ${MAX_USE_CHARS} characters.`);
  if (modelId !== null && modelId.length > MAX_MODEL_ID_CHARS) {
    return rejected(lineNo, 'MALFORMED_LINE', `modelId is longer than ${MAX_MODEL_ID_CHARS} characters.`);
  }
  const units = parseUnits(raw.units);
  if (units === null) return rejected(lineNo, 'INVALID_UNITS', 'units must be an integer from 1 to 10^15.');
  return { lineNo, workId: id, contentHash: hash, units, use, modelId, errorCode: null, errorMessage: null };
}
