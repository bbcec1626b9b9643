import { MoneyError } from './errors';

export type AllocationItem = { readonly key: string; readonly weight: bigint };

/*
 * allocate(total, items) — THE function for every split of money in the product.
 *
 * Rule (largest remainder, exact to the smallest currency unit):
 *   - Each item gets floor(|total| × weight / Σweight).
 *   - The units left over (|total| − Σ of those floors, always fewer than the number of items)
 *     go one each to the items with the largest remainders, where
 *     remainder = |total| × weight mod Σweight;
 *     ties go to the smaller key (plain string comparison, `a < b`, NOT localeCompare).
 *   - A negative total is allocated as its absolute value and every part is negated,
 *     so allocate(−t) = −allocate(t) (a reversal mirrors the original exactly).
 *   - An item of weight zero gets zero.
 *   - A total of zero gives every item zero.
 *
 * Consequences: the parts always sum to the total; each part is within one unit of the exact
 * proportion (|part × Σweight − total × weight| < Σweight); the result depends only on the
 * set of (key, weight) pairs, not on their order. The returned Map iterates in input order.
 *
 * Errors (MoneyError): ALLOCATION_EMPTY (no items, non-zero total), NEGATIVE_WEIGHT,
 * ALLOCATION_ZERO_WEIGHTS (all weights zero, non-zero total), DUPLICATE_KEY.
 * Weights and keys are validated even when the total is zero.
 *
 * Cost: O(n log n) — one sort of the items with a non-zero remainder.
 */
export function allocate(total: bigint, items: ReadonlyArray<AllocationItem>): Map<string, bigint> {
  if (typeof total !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', 'total must be a bigint', { got: typeof total });
  }
  const n = items.length;
  const seen = new Set<string>();
  let weightSum = 0n;
  for (let i = 0; i < n; i++) {
    const { key, weight } = items[i];
    if (typeof key !== 'string') {
      throw new MoneyError('INVALID_AMOUNT', 'allocation keys must be strings', { index: i });
    }
    if (typeof weight !== 'bigint') {
      throw new MoneyError('INVALID_AMOUNT', 'allocation weights must be bigints', { key });
    }
    if (weight < 0n) {
      throw new MoneyError('NEGATIVE_WEIGHT', `Negative weight for key ${key}`, { key, weight: weight.toString() });
    }
    if (seen.has(key)) {
      throw new MoneyError('DUPLICATE_KEY', `Duplicate allocation key ${key}`, { key });
    }
    seen.add(key);
    weightSum += weight;
  }

  const result = new Map<string, bigint>();
  if (total === 0n) {
    for (const { key } of items) result.set(key, 0n);
    return result;
  }
  if (n === 0) {
    throw new MoneyError('ALLOCATION_EMPTY', 'Cannot allocate a non-zero total among no items', {
      total: total.toString(),
    });
  }
  if (weightSum === 0n) {
    throw new MoneyError('ALLOCATION_ZERO_WEIGHTS', 'Cannot allocate a non-zero total when all weights are zero', {
      total: total.toString(),
    });
  }

  const negative = total < 0n;
  const abs = negative ? -total : total;
  const parts = new Array<bigint>(n);
  // Only items with a positive remainder can receive a leftover unit: the leftover count equals
  // Σremainder / Σweight and each remainder is < Σweight, so it never exceeds their number.
  const withRemainder: { index: number; key: string; remainder: bigint }[] = [];
  let distributed = 0n;
  for (let i = 0; i < n; i++) {
    const product = abs * items[i].weight;
    const part = product / weightSum;
    const remainder = product % weightSum;
    parts[i] = part;
    distributed += part;
    if (remainder > 0n) withRemainder.push({ index: i, key: items[i].key, remainder });
  }

  let leftover = abs - distributed;
  if (leftover > 0n) {
    withRemainder.sort((a, b) => {
      if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
      return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    });
    for (let j = 0; leftover > 0n; j++, leftover--) {
      parts[withRemainder[j].index] += 1n;
    }
  }

  for (let i = 0; i < n; i++) result.set(items[i].key, negative ? -parts[i] : parts[i]);
  return result;
}
