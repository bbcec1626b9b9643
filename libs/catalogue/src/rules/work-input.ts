/**
 * The validation of a work's description, shared by the API and the CSV import so that both
 * refuse the same things with the same codes. Pure: no framework imports.
 */
export const MEDIA_TYPES = ['text', 'image', 'audio', 'video', 'code', 'dataset', 'other'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const IDENTIFIER_KINDS = ['isbn', 'isrc', 'iswc', 'doi', 'url'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface RawWorkInput {
  title?: unknown;
  mediaType?: unknown;
  language?: unknown;
  contentHash?: unknown;
  sizeBytes?: unknown;
  tags?: unknown;
  description?: unknown;
  sourceUrl?: unknown;
  identifiers?: unknown;
}

export interface WorkInput {
  title: string;
  mediaType: MediaType;
  language: string;
  contentHash: string;
  sizeBytes: bigint | null;
  tags: string[];
  description: string | null;
  sourceUrl: string | null;
  identifiers: Partial<Record<IdentifierKind, string>>;
}

export type WorkInputResult = { ok: true; value: WorkInput } | { ok: false; code: string; message: string; field: string };

// BCP 47 language tag (RFC 5646 shape: language, script, region, variants, extensions, private use).
const BCP47 = /^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?$|^x(?:-[a-z\d]{1,8})+$/i;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;

export const isBcp47 = (s: string): boolean => s.length <= 35 && BCP47.test(s);

export function isHttpUrl(s: string): boolean {
  if (s.length > 2048) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

export function isValidIsbn(raw: string): boolean {
  const s = raw.replace(/[-\s]/g, '').toUpperCase();
  if (/^\d{9}[\dX]$/.test(s)) {
    const sum = [...s].reduce((acc, c, i) => acc + (c === 'X' ? 10 : Number(c)) * (10 - i), 0);
    return sum % 11 === 0;
  }
  if (/^97[89]\d{10}$/.test(s)) {
    const sum = [...s].reduce((acc, c, i) => acc + Number(c) * (i % 2 === 0 ? 1 : 3), 0);
    return sum % 10 === 0;
  }
  return false;
}

const IDENTIFIER_CHECKS: Record<IdentifierKind, (s: string) => boolean> = {
  isbn: isValidIsbn,
  isrc: (s) => /^[A-Z]{2}-?[A-Z0-9]{3}-?\d{2}-?\d{5}$/i.test(s),
  iswc: (s) => /^T-?\d{3}\.?\d{3}\.?\d{3}-?\d$/.test(s),
  doi: (s) => /^10\.\d{4,9}\/\S{1,500}$/.test(s),
  url: isHttpUrl,
};

const hasNul = (v: unknown): boolean =>
  typeof v === 'string' ? v.includes('\u0000') : Array.isArray(v) ? v.some(hasNul) : v !== null && typeof v === 'object' ? Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x)) : false;
const fail = (field: string, code: string, message: string): WorkInputResult => ({ ok: false, code, message, field });
const optionalText = (v: unknown): string | null | undefined => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? null : t;
};

/** Validates and normalises a work (hash lower-cased, text trimmed, tags de-duplicated). */
export function validateWorkInput(raw: RawWorkInput): WorkInputResult {
  const nul = Object.entries(raw).find(([, v]) => hasNul(v));
  if (nul) return fail(nul[0], 'INVALID_CHARACTERS', `${nul[0]} contains a NUL character.`);
  const title = typeof raw.title === 'string' ? raw.title.trim() : '';
  if (!title) return fail('title', 'TITLE_REQUIRED', 'A work needs a title.');
  if (title.length > 500) return fail('title', 'TITLE_TOO_LONG', 'The title is longer than 500 characters.');

  if (typeof raw.mediaType !== 'string' || !(MEDIA_TYPES as readonly string[]).includes(raw.mediaType)) {
    return fail('mediaType', 'INVALID_MEDIA_TYPE', `mediaType must be one of ${MEDIA_TYPES.join(', ')}.`);
  }
  const language = typeof raw.language === 'string' ? raw.language.trim() : '';
  if (!isBcp47(language)) return fail('language', 'INVALID_LANGUAGE', 'language must be a BCP 47 language tag (e.g. "en", "fr-CA").');

  const hash = typeof raw.contentHash === 'string' ? raw.contentHash.trim() : '';
  if (!SHA256_HEX.test(hash)) return fail('contentHash', 'INVALID_CONTENT_HASH', 'contentHash must be a SHA-256 digest: 64 hexadecimal characters.');

  let sizeBytes: bigint | null = null;
  if (raw.sizeBytes !== undefined && raw.sizeBytes !== null && raw.sizeBytes !== '') {
    const s = typeof raw.sizeBytes === 'number' && Number.isSafeInteger(raw.sizeBytes) ? String(raw.sizeBytes) : raw.sizeBytes;
    if (typeof s !== 'string' || !/^\d{1,18}$/.test(s)) return fail('sizeBytes', 'INVALID_SIZE', 'sizeBytes must be a non-negative whole number of bytes.');
    sizeBytes = BigInt(s);
  }

  let tags: string[] = [];
  if (raw.tags !== undefined && raw.tags !== null) {
    if (!Array.isArray(raw.tags) || raw.tags.some((t) => typeof t !== 'string')) return fail('tags', 'INVALID_TAGS', 'tags must be a list of strings.');
    tags = [...new Set((raw.tags as string[]).map((t) => t.trim().toLowerCase()).filter(Boolean))];
    if (tags.length > MAX_TAGS || tags.some((t) => t.length > MAX_TAG_LENGTH)) {
      return fail('tags', 'INVALID_TAGS', `At most ${MAX_TAGS} tags of at most ${MAX_TAG_LENGTH} characters.`);
    }
  }

  const description = optionalText(raw.description);
  if (description === undefined) return fail('description', 'INVALID_DESCRIPTION', 'description must be text.');
  if (description && description.length > 10000) return fail('description', 'DESCRIPTION_TOO_LONG', 'The description is longer than 10,000 characters.');

  const sourceUrl = optionalText(raw.sourceUrl);
  if (sourceUrl === undefined || (sourceUrl !== null && !isHttpUrl(sourceUrl))) {
    return fail('sourceUrl', 'INVALID_SOURCE_URL', 'sourceUrl must be an http(s) URL.');
  }

  const identifiers: Partial<Record<IdentifierKind, string>> = {};
  if (raw.identifiers !== undefined && raw.identifiers !== null) {
    if (typeof raw.identifiers !== 'object' || Array.isArray(raw.identifiers)) return fail('identifiers', 'INVALID_IDENTIFIER', 'identifiers must be an object.');
    for (const [k, v] of Object.entries(raw.identifiers as Record<string, unknown>)) {
      if (!(IDENTIFIER_KINDS as readonly string[]).includes(k)) return fail(`identifiers.${k}`, 'UNKNOWN_IDENTIFIER', `Unknown identifier "${k}": use ${IDENTIFIER_KINDS.join(', ')}.`);
      const value = optionalText(v);
      if (value === null) continue;
      if (value === undefined || !IDENTIFIER_CHECKS[k as IdentifierKind](value)) {
        return fail(`identifiers.${k}`, 'INVALID_IDENTIFIER', `identifiers.${k} is not a valid ${k.toUpperCase()}.`);
      }
      identifiers[k as IdentifierKind] = value;
    }
  }

  return {
    ok: true,
    value: { title, mediaType: raw.mediaType as MediaType, language, contentHash: hash.toLowerCase(), sizeBytes, tags, description, sourceUrl, identifiers },
  };
}
