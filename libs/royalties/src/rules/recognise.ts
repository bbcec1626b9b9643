import { overlapSeconds, periodOf, periodsOverlapping, periodStart, periodEnd, type Period } from '@fairshare/domain';
import { allocate } from '@fairshare/money';
import type { LicenceTerms } from './types';

/** The end of a licence's term for recognition: endsAt, or the revocation time if earlier. */
export function termEnd(l: Pick<LicenceTerms, 'endsAt' | 'revokedAt'>): Date | null {
  if (l.endsAt === null) return l.revokedAt;
  if (l.revokedAt !== null && l.revokedAt.getTime() < l.endsAt.getTime()) return l.revokedAt;
  return l.endsAt;
}

/**
 * Rule 2 — recognition. Returns the amount recognised in every period of the licence (all periods
 * with a non-zero weight, keyed `YYYY-MM`, in order), summing exactly to the net paid amount.
 *  - A licence with a term recognises A over [startsAt, end) by seconds of overlap with each
 *    period, through allocate().
 *  - A perpetual licence (endsAt null) recognises A in the period of startsAt.
 *  - A term that ends before it covers a whole second (revoked at once) recognises A in the
 *    period of startsAt, so that the amount is never lost.
 * `periods`, when given, restricts the answer to those periods (the allocation is always made over
 * the whole term, so the figures of a period never depend on which others are asked for).
 */
export function recognise(l: LicenceTerms, periods?: ReadonlyArray<Period>): Map<Period, bigint> {
  const all = recogniseAll(l);
  if (!periods) return all;
  const out = new Map<Period, bigint>();
  for (const p of periods) out.set(p, all.get(p) ?? 0n);
  return out;
}

function recogniseAll(l: LicenceTerms): Map<Period, bigint> {
  const A = l.netPaidMinor;
  const first = periodOf(l.startsAt);
  if (l.endsAt === null && l.revokedAt === null) return new Map([[first, A]]);
  const end = termEnd(l)!;
  const items = periodsOverlapping(l.startsAt, end)
    .map((p) => ({ key: p, weight: overlapSeconds(l.startsAt, end, periodStart(p), periodEnd(p)) }))
    .filter((i) => i.weight > 0n);
  // A perpetual licence that was revoked still recognised everything at its start.
  if (l.endsAt === null || items.length === 0) return new Map([[first, A]]);
  return allocate(A, items);
}
