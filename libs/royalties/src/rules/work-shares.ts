import { allocate } from '@fairshare/money';
import type { DistributionKey, ManifestEntry } from './types';

/**
 * Rule 4 — work shares. Under the `usage` key, when the licence has accepted units in the
 * period, N is allocated over the works by their units (works without units get nothing); under
 * the `equal` key, or when no usage was reported, N is allocated equally over the manifest
 * (weight 1 each). Keys: work IDs. Returns the amount per work, in manifest order.
 */
export function workShares(
  net: bigint,
  key: DistributionKey,
  manifest: ReadonlyArray<ManifestEntry>,
  unitsByWork: ReadonlyMap<string, bigint>,
): Map<string, bigint> {
  if (key === 'usage') {
    const items = manifest.map((m) => ({ key: m.workId, weight: unitsByWork.get(m.workId) ?? 0n })).filter((i) => i.weight > 0n);
    if (items.length > 0) return allocate(net, items);
  }
  return allocate(
    net,
    manifest.map((m) => ({ key: m.workId, weight: 1n })),
  );
}

/** True when rule 4 distributes by usage (usage key and some accepted units). */
export function usesUnits(key: DistributionKey, manifest: ReadonlyArray<ManifestEntry>, unitsByWork: ReadonlyMap<string, bigint>): boolean {
  return key === 'usage' && manifest.some((m) => (unitsByWork.get(m.workId) ?? 0n) > 0n);
}
