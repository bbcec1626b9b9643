/**
 * Pure rules for refunds recorded from `charge.refunded`. The event's charge carries the
 * cumulative amount refunded; `previous_attributes.amount_refunded` the amount before this refund.
 * Modern API versions no longer embed the refund list in the charge, so one refund is named by
 * the charge and the cumulative amount it brings the charge to (unique, and the same on every
 * redelivery of the event).
 */
export interface RefundStep {
  /** Minor units refunded by this event. */
  amount: bigint;
  /** Ledger reference: `<chargeId>.refunded_to.<cumulative>`. */
  reference: string;
}

export function refundStep(chargeId: string, cumulativeAfter: bigint, before: bigint | null, recordedSoFar: bigint): RefundStep | null {
  // Without previous_attributes, what Stripe says now minus what we recorded is the new refund.
  const base = before ?? recordedSoFar;
  const amount = cumulativeAfter - base;
  if (amount <= 0n) return null;
  return { amount, reference: `${chargeId}.refunded_to.${cumulativeAfter.toString()}` };
}

/** Fully refunded (refunds plus lost disputes reach what was paid): the licence is revoked. */
export const isFullyRefunded = (paid: bigint, refunded: bigint): boolean => paid > 0n && refunded >= paid;
