/**
 * Rule 1 — net paid. A = amount paid − amount refunded, where a lost dispute counts as refunded.
 * `refundedMinor` is what the licensing area records as refunded; `disputeLostMinor` is the amount
 * of a lost dispute when it is not already included there. Never below zero: a licence cannot give
 * back more than it took.
 */
export function netPaid(paidMinor: bigint, refundedMinor: bigint, disputeLostMinor = 0n): bigint {
  const a = paidMinor - refundedMinor - disputeLostMinor;
  return a > 0n ? a : 0n;
}
