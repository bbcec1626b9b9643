/** Opaque keyset cursors for work listings: base64url of the last row's (created_at, id). */
export interface WorkCursor {
  createdAt: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL's text form of a timestamptz, e.g. "2024-05-01 12:00:00.123456+00".
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export function encodeCursor(c: WorkCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

/** The cursor, or null if it is not one of ours. */
export function decodeCursor(s: string): WorkCursor | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string') return null;
    if (!PG_TIMESTAMP.test(v[0]) || !UUID.test(v[1]) || !isRealInstant(v[0])) return null;
    return { createdAt: v[0], id: v[1] };
  } catch {
    return null;
  }
}

/** Refuses 2026-02-31, 25:00 and the like (PostgreSQL would fail on them). */
function isRealInstant(s: string): boolean {
  const [y, mo, d, h, mi, se] = s.slice(0, 19).split(/[- :]/).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === se;
}
