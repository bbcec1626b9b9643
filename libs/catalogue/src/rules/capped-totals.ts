/**
 * A short-lived memory of "more than N works match" answers for public searches.
 *
 * Why it is correct enough to serve: it only ever holds the capped answer (`total: N,
 * totalRelation: 'gte'`) of the public view (listed works, the same for every caller: no drafts,
 * nobody's private data), never an exact total. Such an answer says "more than N listed works
 * matched, at most `ttlMs` ago"; the page of works itself is always read fresh. A set of more than
 * N matches can only fall below N within the TTL through consent withdrawals or disputes, and then
 * the lower bound is stale for at most `ttlMs` (documented on GET /v1/works). Exact totals (small
 * sets) are always counted, so they stay exact. Each API process keeps its own entries; no
 * coordination is needed since every entry is stale by at most `ttlMs` on its own.
 *
 * Pure: time comes from the caller (a monotonic clock in production, not business time).
 */
export class CappedTotals {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** True if `key` was seen over the cap less than ttlMs ago. */
  isOverCap(key: string, nowMs: number): boolean {
    const at = this.seen.get(key);
    if (at === undefined) return false;
    if (nowMs - at < this.ttlMs) return true;
    this.seen.delete(key);
    return false;
  }

  rememberOverCap(key: string, nowMs: number): void {
    this.seen.delete(key);
    this.seen.set(key, nowMs);
    // Oldest first (Map keeps insertion order): bounded memory whatever the queries.
    while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
  }
}

/** The cache key of a public search: every filter, none of the paging (cursor, limit). */
export function searchKey(f: { q?: string; mediaType?: string; language?: string; tag?: string; uses?: string[]; collective?: boolean; catalogueId?: string; ownerId?: string }): string {
  return JSON.stringify([f.q ?? null, f.mediaType ?? null, f.language?.toLowerCase() ?? null, f.tag ?? null, [...new Set(f.uses ?? [])].sort(), f.collective ?? null, f.catalogueId ?? null, f.ownerId ?? null]);
}
