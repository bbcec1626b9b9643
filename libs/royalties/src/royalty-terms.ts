import { createHash } from 'node:crypto';
import type { PaidLicenceRow } from '@fairshare/persistence';
import { netPaid, type LicenceTerms } from './rules';

/** The version of docs/distribution-rules.md this code implements. */
export const RULES_VERSION = '1.0';

/** A paid licence as the rules read it (rule 1: A = paid − refunded, lost disputes included). */
export function toTerms(l: PaidLicenceRow): LicenceTerms {
  return {
    id: l.id,
    currency: l.currency,
    netPaidMinor: netPaid(l.amountPaidMinor, l.amountRefundedMinor),
    startsAt: l.startsAt,
    endsAt: l.endsAt,
    revokedAt: l.revokedAt,
    adminFeeBps: l.adminFeeBps,
    distributionKey: l.distributionKey,
  };
}

/**
 * Digest of what the rules read for one (licence, period), apart from the catalogue's splits
 * (which never change for a period that has ended: split changes take effect now or later, and
 * invitations are accepted now). Equal digests mean an approved period need not be re-computed.
 */
export function inputsDigest(t: LicenceTerms, period: string, reportIds: readonly string[]): string {
  const payload = JSON.stringify({
    v: RULES_VERSION,
    period,
    a: t.netPaidMinor.toString(),
    s: t.startsAt.toISOString(),
    e: t.endsAt?.toISOString() ?? null,
    r: t.revokedAt?.toISOString() ?? null,
    bps: t.adminFeeBps,
    key: t.distributionKey,
    reports: reportIds,
  });
  return createHash('sha256').update(payload).digest('hex');
}
