/** Pure rules of a licence's term. */
const DAY_MS = 86_400_000;

/** endsAt = startsAt + termDays days; null = perpetual. */
export function licenceEndsAt(startsAt: Date, termDays: number | null): Date | null {
  if (termDays === null) return null;
  if (!Number.isInteger(termDays) || termDays <= 0) throw new RangeError(`termDays must be a positive integer, got ${termDays}`);
  return new Date(startsAt.getTime() + termDays * DAY_MS);
}

/** In force at `at`: active, started, not ended. A revoked or cancelled licence never is. */
export function isInForce(l: { status: string; startsAt: Date | null; endsAt: Date | null }, at: Date): boolean {
  if (l.status !== 'active' || l.startsAt === null) return false;
  if (at.getTime() < l.startsAt.getTime()) return false;
  return l.endsAt === null || at.getTime() < l.endsAt.getTime();
}

/** Stripe's `created` is in Unix seconds. */
export const fromUnixSeconds = (s: number): Date => new Date(s * 1000);
