import { decodeCursor, encodeCursor } from './cursor';
import { checkCsvHeader, csvRecordToInput } from './csv-row';

describe('cursor', () => {
  it('round-trips and refuses anything else', () => {
    const c = { createdAt: '2026-01-01 00:00:01.123456+00', id: '0b0f8c4e-6a57-4c1e-9f0e-6f1d2d1c9a11' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ['', 'nonsense', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), encodeCursor({ ...c, createdAt: '2026-02-31 00:00:00+00' }), encodeCursor({ ...c, createdAt: '2026-01-01 24:00:00+00' }), Buffer.from(`["${c.createdAt}","' OR 1=1"]`).toString('base64url')]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});

describe('CSV rows', () => {
  it('checks the header', () => {
    expect(checkCsvHeader(['title', 'mediaType', 'language', 'contentHash', 'isbn'])).toEqual([]);
    expect(checkCsvHeader(['title', 'colour'])).toEqual(['unknown column "colour"', 'missing column "mediaType"', 'missing column "language"', 'missing column "contentHash"']);
    expect(checkCsvHeader(['title', 'title', 'mediaType', 'language', 'contentHash'])).toEqual(['a column appears twice']);
  });

  it('maps a record onto the API input (tags by ";", empty identifiers dropped)', () => {
    expect(csvRecordToInput({ title: 'T', mediaType: ' text ', language: 'en', contentHash: 'h', tags: 'a;b', isbn: '', doi: '10.1/x', sizeBytes: '' })).toEqual({
      title: 'T', mediaType: 'text', language: 'en', contentHash: 'h', sizeBytes: undefined, tags: ['a', 'b'], description: undefined, sourceUrl: undefined, identifiers: { doi: '10.1/x' },
    });
  });
});
