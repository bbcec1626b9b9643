/**
 * Stable codes of the usage-report format (docs/usage-report-format.md). Line codes reject one
 * line; file codes fail the whole report (no line is counted).
 */
export const LINE_CODES = [
  'MALFORMED_LINE',
  'INVALID_UNITS',
  'UNKNOWN_WORK',
  'WORK_NOT_LICENSED',
  'USE_NOT_LICENSED',
  'PERIOD_OUTSIDE_TERM',
] as const;
export type LineCode = (typeof LINE_CODES)[number];

export const FILE_CODES = [
  'INVALID_ENCODING',
  'MISSING_HEADER',
  'UNKNOWN_COLUMN',
  'INVALID_HEADER',
  'UNSUPPORTED_FORMAT',
  'FILE_MISSING',
  'SUPERSEDES_INVALID',
  'PROCESSING_FAILED',
] as const;
export type FileCode = (typeof FILE_CODES)[number];

export const FILE_FORMATS = ['csv', 'ndjson'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
export const isFileFormat = (s: unknown): s is FileFormat => typeof s === 'string' && (FILE_FORMATS as readonly string[]).includes(s);

/** The version of the format this code reads (docs/schemas/usage-report.v1.schema.json). */
export const FORMAT_VERSION = 1;
/** Largest number of units on one line: 10^15. */
export const MAX_UNITS = 1_000_000_000_000_000n;
/** Lines accepted by the JSON route; larger reports go through the file upload. */
export const MAX_JSON_LINES = 10_000;
/** A record longer than this (in characters) is rejected as MALFORMED_LINE without being buffered further. */
export const MAX_LINE_CHARS = 64 * 1024;
export const MAX_MODEL_ID_CHARS = 200;
export const MAX_USE_CHARS = 64;

/** A whole-file error: the report fails with this code and counts no line. */
export class UsageFileError extends Error {
  constructor(
    readonly code: FileCode,
    message: string,
  ) {
    super(message);
    this.name = 'UsageFileError';
  }
}
