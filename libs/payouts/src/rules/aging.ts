/**
 * Ageing of money held for someone (unclaimed or unpayable royalties), first in, first out:
 * whatever left the account (payouts, clawbacks, transfers to a creator) is taken to have
 * consumed the OLDEST credits first, so the balance still held is made of the NEWEST credits.
 * Each remaining part is aged from the time of its credit. Pure: no Nest, no TypeORM.
 */
export type AgeBucket = 'days0to90' | 'days90to365' | 'over365Days';
export const AGE_BUCKETS: readonly AgeBucket[] = ['days0to90', 'days90to365', 'over365Days'];

const DAY_MS = 86_400_000;

export function bucketOf(creditedAt: Date, now: Date): AgeBucket {
  const days = (now.getTime() - creditedAt.getTime()) / DAY_MS;
  if (days < 90) return 'days0to90';
  if (days < 365) return 'days90to365';
  return 'over365Days';
}

export interface Credit {
  at: Date;
  /** Positive: what this posting added to the amount held. */
  amount: bigint;
}

export interface Aged {
  buckets: Record<AgeBucket, bigint>;
  /** The oldest credit still (partly) unpaid, or null when nothing is held. */
  oldestUnpaidCreditAt: Date | null;
}

/**
 * `held` is the balance still held (positive); `creditsNewestFirst` the credits of the account,
 * newest first (they may be given lazily, page by page). Only as many credits as cover `held`
 * are read.
 */
export function ageHeldBalance(held: bigint, creditsNewestFirst: Iterable<Credit>, now: Date): Aged {
  const buckets: Record<AgeBucket, bigint> = { days0to90: 0n, days90to365: 0n, over365Days: 0n };
  let remaining = held;
  let oldest: Date | null = null;
  if (remaining <= 0n) return { buckets, oldestUnpaidCreditAt: null };
  for (const credit of creditsNewestFirst) {
    if (credit.amount <= 0n) continue;
    const take = credit.amount < remaining ? credit.amount : remaining;
    buckets[bucketOf(credit.at, now)] += take;
    oldest = credit.at;
    remaining -= take;
    if (remaining === 0n) break;
  }
  // More held than ever credited cannot happen in a balanced ledger; never hide it though.
  if (remaining > 0n) buckets.over365Days += remaining;
  return { buckets, oldestUnpaidCreditAt: oldest };
}
