/**
 * What a payout job does with a failed Stripe transfer. Pure: no Nest, no TypeORM.
 *
 * - `retry-same-key`: Stripe may not have answered, or answered "try again" (network, 5xx, 429,
 *   409 concurrent request). The request may have been carried out: retry with the SAME
 *   idempotency key, so a transfer made before the answer was lost is returned, not repeated.
 * - `retry-next-key`: Stripe answered and definitively refused (it saved that refusal under the
 *   key and would replay it), for a reason that may pass (the platform balance is short). No
 *   transfer exists under this key, so the next attempt may safely use the next key.
 * - `final`: retrying cannot help (invalid destination, capabilities missing, different
 *   parameters under the same key...): the item fails now.
 */
export type RetryDecision = 'retry-same-key' | 'retry-next-key' | 'final';

/** Refusals Stripe saves but that may pass by themselves. */
const TRANSIENT_REFUSALS = new Set(['balance_insufficient']);

export function retryDecision(error: { code: string; retryable: boolean; statusCode: number | undefined }): RetryDecision {
  if (error.retryable) return 'retry-same-key';
  if (error.statusCode !== undefined && error.statusCode < 500 && TRANSIENT_REFUSALS.has(error.code)) return 'retry-next-key';
  return 'final';
}

/** The Stripe idempotency key of a payout item: derived from its ID (and, after a saved refusal, a sequence). */
export function transferIdempotencyKey(itemId: string, seq: number): string {
  return seq === 0 ? `payout-item-${itemId}` : `payout-item-${itemId}-${seq}`;
}
