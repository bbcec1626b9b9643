import { allocate } from '@fairshare/money';
import type { HolderKind, HolderShare } from './types';

/** A share as the catalogue stores it: a creator, or an invitation (accepted or not). */
export interface StoredShare {
  readonly creatorId: string | null;
  readonly invitationId: string | null;
  /** The creator who accepted the invitation, and when. */
  readonly acceptedBy?: string | null;
  readonly acceptedAt?: Date | null;
  readonly shareBps: number;
}

/**
 * The holder key of a share for a period ending at `periodEnd` (docs/data-model.md): the creator's
 * ID; for an invitation, the accepting creator's ID if it was accepted before the end of the
 * period, else the invitation ID.
 */
export function holderKeyOf(s: StoredShare, periodEnd: Date): { holderKey: string; holderKind: HolderKind } {
  if (s.creatorId) return { holderKey: s.creatorId, holderKind: 'creator' };
  if (!s.invitationId) throw new Error('a share names a creator or an invitation');
  if (s.acceptedBy && s.acceptedAt && s.acceptedAt.getTime() < periodEnd.getTime()) {
    return { holderKey: s.acceptedBy, holderKind: 'creator' };
  }
  return { holderKey: s.invitationId, holderKind: 'invitation' };
}

/**
 * Resolves the holder keys of a split for a period. Two shares that resolve to the same key (an
 * invited holder who joined as a creator already in the split) are merged, their bps added.
 */
export function resolveShares(shares: ReadonlyArray<StoredShare>, periodEnd: Date): HolderShare[] {
  const byKey = new Map<string, HolderShare>();
  for (const s of shares) {
    const k = holderKeyOf(s, periodEnd);
    const prev = byKey.get(k.holderKey);
    byKey.set(k.holderKey, { ...k, shareBps: (prev?.shareBps ?? 0) + s.shareBps });
  }
  return [...byKey.values()];
}

/**
 * Rule 5 — holder shares: a work's amount allocated over its holders by shareBps. Keys: holder
 * keys. Returns the amount per holder key, in the order of `shares`.
 */
export function holderShares(amount: bigint, shares: ReadonlyArray<HolderShare>): Map<string, bigint> {
  return allocate(
    amount,
    shares.map((s) => ({ key: s.holderKey, weight: BigInt(s.shareBps) })),
  );
}
