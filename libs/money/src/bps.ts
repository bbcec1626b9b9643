import { MoneyError } from './errors';

/** 100% in basis points. */
export const BPS_DENOMINATOR = 10_000n;

/** Validates an integer rate in basis points, 0 ≤ bps ≤ 10000, and returns it as bigint. */
export function toBps(bps: bigint | number): bigint {
  let b: bigint;
  if (typeof bps === 'bigint') {
    b = bps;
  } else if (typeof bps === 'number' && Number.isSafeInteger(bps)) {
    b = BigInt(bps);
  } else {
    throw new MoneyError('INVALID_BPS', 'Basis points must be an integer', { bps: String(bps) });
  }
  if (b < 0n || b > BPS_DENOMINATOR) {
    throw new MoneyError('INVALID_BPS', 'Basis points must be between 0 and 10000', { bps: b.toString() });
  }
  return b;
}

/**
 * The share of `amount` at a rate of `bps` basis points, rounded toward zero:
 * floor(|amount| × bps / 10000) carrying the sign of amount. So a negative amount (a reversal)
 * yields exactly the negation of what the positive amount yields.
 * The remainder (amount − applyBps(amount, bps)) is the other party's share; to split one amount
 * among several parties, use allocate() instead so that the parts always add up.
 */
export function applyBps(amount: bigint, bps: bigint | number): bigint {
  if (typeof amount !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', 'amount must be a bigint', { got: typeof amount });
  }
  const b = toBps(bps);
  const magnitude = ((amount < 0n ? -amount : amount) * b) / BPS_DENOMINATOR;
  return amount < 0n ? -magnitude : magnitude;
}
