/** Rights-holder splits: shares in basis points that sum to exactly 10000. */
export const TOTAL_BPS = 10000;
export const MAX_HOLDERS = 100;

export interface HolderShareInput {
  creatorId?: string;
  email?: string;
  shareBps: number;
}

export type SplitCheck = { ok: true } | { ok: false; code: string; message: string };

export function checkSplit(holders: readonly HolderShareInput[]): SplitCheck {
  if (holders.length === 0 || holders.length > MAX_HOLDERS) return { ok: false, code: 'INVALID_HOLDERS', message: `A split lists 1 to ${MAX_HOLDERS} holders.` };
  const keys = new Set<string>();
  let total = 0;
  for (const h of holders) {
    if ((h.creatorId === undefined) === (h.email === undefined)) return { ok: false, code: 'INVALID_HOLDER', message: 'Each holder is either a creatorId or an email.' };
    if (!Number.isInteger(h.shareBps) || h.shareBps < 1 || h.shareBps > TOTAL_BPS) return { ok: false, code: 'INVALID_SHARE', message: 'shareBps must be a whole number from 1 to 10000.' };
    const key = h.creatorId ? `c:${h.creatorId.toLowerCase()}` : `e:${h.email!.toLowerCase()}`;
    if (keys.has(key)) return { ok: false, code: 'DUPLICATE_HOLDER', message: 'A holder appears twice in the split.' };
    keys.add(key);
    total += h.shareBps;
  }
  if (total !== TOTAL_BPS) return { ok: false, code: 'SHARES_NOT_10000', message: `Shares must sum to exactly 10000 bps (they sum to ${total}).` };
  return { ok: true };
}

/**
 * Merges the splits of several claims of one content into one split: each claim weighs the
 * same, each holder gets the mean of their shares, and the bps lost to rounding go to the
 * largest remainders (ties by holder key) so the result sums to exactly 10000.
 */
export function mergeSplits(claims: readonly { holderKey: string; shareBps: number }[][]): Map<string, number> {
  if (claims.length === 0) throw new Error('mergeSplits: no claims');
  const n = claims.length;
  const sums = new Map<string, number>();
  for (const claim of claims) for (const s of claim) sums.set(s.holderKey, (sums.get(s.holderKey) ?? 0) + s.shareBps);
  const entries = [...sums].map(([key, sum]) => ({ key, floor: Math.floor(sum / n), rem: sum % n }));
  let left = TOTAL_BPS - entries.reduce((a, e) => a + e.floor, 0);
  const order = [...entries].sort((a, b) => b.rem - a.rem || (a.key < b.key ? -1 : 1));
  for (const e of order) {
    if (left <= 0) break;
    e.floor += 1;
    left -= 1;
  }
  return new Map(entries.filter((e) => e.floor > 0).map((e) => [e.key, e.floor]));
}
