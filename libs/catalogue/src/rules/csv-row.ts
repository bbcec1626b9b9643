import { IDENTIFIER_KINDS, RawWorkInput } from './work-input';

/** Columns of the works CSV (header row required; unknown columns are refused). */
export const CSV_COLUMNS = ['title', 'mediaType', 'language', 'contentHash', 'sizeBytes', 'tags', 'description', 'sourceUrl', ...IDENTIFIER_KINDS] as const;
export const CSV_REQUIRED_COLUMNS = ['title', 'mediaType', 'language', 'contentHash'] as const;
export const MAX_IMPORT_ROWS = 100_000;

/** Problems with the header: unknown or missing columns (empty when fine). */
export function checkCsvHeader(header: readonly string[]): string[] {
  const problems: string[] = [];
  // Column names are quoted with JSON.stringify: a hostile header (NUL, control characters) stays
  // printable in the message, which is stored.
  for (const h of header) if (!(CSV_COLUMNS as readonly string[]).includes(h)) problems.push(`unknown column ${JSON.stringify(h.slice(0, 100))}`);
  for (const r of CSV_REQUIRED_COLUMNS) if (!header.includes(r)) problems.push(`missing column "${r}"`);
  if (new Set(header).size !== header.length) problems.push('a column appears twice');
  return problems;
}

/** A CSV record (column → text) as the same raw input the API validates. Tags are separated by ";". */
export function csvRecordToInput(rec: Record<string, string | undefined>): RawWorkInput {
  const identifiers: Record<string, string> = {};
  for (const k of IDENTIFIER_KINDS) if (rec[k]?.trim()) identifiers[k] = rec[k]!.trim();
  return {
    title: rec.title ?? '',
    mediaType: rec.mediaType?.trim() ?? '',
    language: rec.language ?? '',
    contentHash: rec.contentHash ?? '',
    sizeBytes: rec.sizeBytes?.trim() || undefined,
    tags: rec.tags ? rec.tags.split(';') : [],
    description: rec.description,
    sourceUrl: rec.sourceUrl,
    identifiers,
  };
}
