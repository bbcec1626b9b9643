import { periodEnd, periodStart } from '@fairshare/domain';

/**
 * Whether a period (a UTC month) overlaps a licence's term [startsAt, end), where end is the
 * revocation time if earlier than endsAt; no endsAt = perpetual. A licence never paid has no term.
 */
export function periodOverlapsTerm(period: string, term: { startsAt: Date | null; endsAt: Date | null; revokedAt: Date | null }): boolean {
  if (!term.startsAt) return false;
  const ends = [term.endsAt, term.revokedAt].filter((d): d is Date => d !== null).map((d) => d.getTime());
  const end = ends.length ? Math.min(...ends) : Number.POSITIVE_INFINITY;
  return term.startsAt.getTime() < periodEnd(period).getTime() && end > periodStart(period).getTime() && end > term.startsAt.getTime();
}
