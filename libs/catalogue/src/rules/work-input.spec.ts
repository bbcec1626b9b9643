import { isBcp47, isValidIsbn, validateWorkInput } from './work-input';

const base = { title: ' A title ', mediaType: 'text', language: 'en', contentHash: 'A'.repeat(64) };

describe('validateWorkInput', () => {
  it('normalises a valid work', () => {
    const r = validateWorkInput({ ...base, tags: ['Poetry', 'poetry ', ''], sizeBytes: '12', identifiers: { isbn: '0-306-40615-2', url: '' } });
    expect(r).toEqual({
      ok: true,
      value: { title: 'A title', mediaType: 'text', language: 'en', contentHash: 'a'.repeat(64), sizeBytes: 12n, tags: ['poetry'], description: null, sourceUrl: null, identifiers: { isbn: '0-306-40615-2' } },
    });
  });

  it.each([
    [{ title: '  ' }, 'TITLE_REQUIRED'],
    [{ title: 'x'.repeat(501) }, 'TITLE_TOO_LONG'],
    [{ mediaType: 'Text' }, 'INVALID_MEDIA_TYPE'],
    [{ language: 'e' }, 'INVALID_LANGUAGE'],
    [{ language: 'en_GB' }, 'INVALID_LANGUAGE'],
    [{ contentHash: 'a'.repeat(63) }, 'INVALID_CONTENT_HASH'],
    [{ contentHash: 'z'.repeat(64) }, 'INVALID_CONTENT_HASH'],
    [{ sizeBytes: '-1' }, 'INVALID_SIZE'],
    [{ sizeBytes: 1.5 }, 'INVALID_SIZE'],
    [{ tags: 'a,b' }, 'INVALID_TAGS'],
    [{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'INVALID_TAGS'],
    [{ sourceUrl: 'javascript:alert(1)' }, 'INVALID_SOURCE_URL'],
    [{ identifiers: { isrc: 'nope' } }, 'INVALID_IDENTIFIER'],
    [{ identifiers: { doi: '11.1000/x' } }, 'INVALID_IDENTIFIER'],
    [{ identifiers: { ean: '1' } }, 'UNKNOWN_IDENTIFIER'],
    [{ description: 'a\u0000b' }, 'INVALID_CHARACTERS'],
    [{ tags: ['ok', 'b\u0000'] }, 'INVALID_CHARACTERS'],
  ])('refuses %p with %s', (patch, code) => {
    const r = validateWorkInput({ ...base, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('knows BCP 47 tags and ISBN check digits', () => {
    for (const t of ['en', 'fr-CA', 'zh-Hant-TW', 'sr-Latn', 'es-419', 'de-CH-1996', 'x-private']) expect(isBcp47(t)).toBe(true);
    for (const t of ['', 'e', 'english-language-tag-that-is-too-long-to-be-real', 'en--GB']) expect(isBcp47(t)).toBe(false);
    expect(isValidIsbn('978-3-16-148410-0')).toBe(true);
    expect(isValidIsbn('978-3-16-148410-1')).toBe(false);
    expect(isValidIsbn('0-8044-2957-X')).toBe(true);
  });
});
