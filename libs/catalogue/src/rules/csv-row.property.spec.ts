import fc from 'fast-check';
import { checkCsvHeader, csvRecordToInput, CSV_COLUMNS } from './csv-row';
import { validateWorkInput } from './work-input';

// Hostile cells for the works CSV import: random text (any code point, lone surrogates, NUL),
// spreadsheet formulas, huge numbers, very long cells.
const cell = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('=cmd|" /C calc"!A0', '+1+1', '@SUM(A1)', '-1', '1e309', '99999999999999999999', '\u0000', '\ud800', ' ', 'a'.repeat(20_000)),
);
const record = fc.dictionary(fc.constantFrom(...CSV_COLUMNS, 'extra', '', '__proto__'), cell, { maxKeys: 14 });

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const goodRow = fc.record({
  title: fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim().length > 0 && !s.includes('\u0000')),
  mediaType: fc.constantFrom('text', 'image', 'audio', 'video', 'code', 'dataset', 'other'),
  language: fc.constantFrom('en', 'fr', 'fr-CA', 'de', 'pt-BR'),
  contentHash: hex64,
  sizeBytes: fc.bigInt({ min: 0n, max: 10n ** 15n }).map(String),
  tags: fc.array(fc.stringMatching(/^[a-z]{1,20}$/), { maxLength: 5 }).map((t) => t.join(';')),
});

describe('works CSV import rows (property)', () => {
  it('never throws on hostile rows: every row is either accepted or refused with a code and a field', () => {
    fc.assert(
      fc.property(record, (rec) => {
        const r = validateWorkInput(csvRecordToInput(rec as Record<string, string>));
        if (!r.ok) {
          expect(r.code).toMatch(/^[A-Z][A-Z_]+$/);
          expect(r.field).toBeTruthy();
          expect(r.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every well-formed row, hash lower-cased and tags de-duplicated', () => {
    fc.assert(
      fc.property(goodRow, (row) => {
        const r = validateWorkInput(csvRecordToInput({ ...row, contentHash: row.contentHash.toUpperCase() }));
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.value.contentHash).toBe(row.contentHash);
          expect(new Set(r.value.tags).size).toBe(r.value.tags.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any header with an unknown, missing or repeated column', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 20 }), (header) => {
        const problems = checkCsvHeader(header);
        const fine =
          header.every((h) => (CSV_COLUMNS as readonly string[]).includes(h)) &&
          ['title', 'mediaType', 'language', 'contentHash'].every((c) => header.includes(c)) &&
          new Set(header).size === header.length;
        expect(problems.length === 0).toBe(fine);
      }),
      { numRuns: 500 },
    );
  });
});
