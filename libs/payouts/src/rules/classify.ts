/**
 * Which creators a payout run pays, and how much. Pure: no Nest, no TypeORM.
 *
 * Amounts are minor units. `owed` is what the creator is owed: the payable account's balance
 * negated (payable is a liability, so money owed is a CREDIT balance, negative in our ledger).
 */
export type CarryForwardReason = 'BELOW_MINIMUM' | 'NO_PAYOUT_ACCOUNT' | 'NEGATIVE_BALANCE';
export const CARRY_FORWARD_REASONS: readonly CarryForwardReason[] = ['BELOW_MINIMUM', 'NO_PAYOUT_ACCOUNT', 'NEGATIVE_BALANCE'];

export type Classification = { status: 'included'; reason: null } | { status: 'carried_forward'; reason: CarryForwardReason };

/** Owed from a payable account's ledger balance (debit positive, credit negative). */
export function owedFromPayableBalance(balance: bigint): bigint {
  return -balance;
}

/**
 * A negative balance (a clawback larger than what was owed) is never paid and shown first; a
 * creator who cannot receive money is carried forward whatever the amount; then the minimum.
 */
export function classifyBalance(owed: bigint, minimum: bigint, payoutsEnabled: boolean): Classification {
  if (owed < 0n) return { status: 'carried_forward', reason: 'NEGATIVE_BALANCE' };
  if (!payoutsEnabled) return { status: 'carried_forward', reason: 'NO_PAYOUT_ACCOUNT' };
  if (owed < minimum) return { status: 'carried_forward', reason: 'BELOW_MINIMUM' };
  return { status: 'included', reason: null };
}

/**
 * What an item pays at execution: what the preview said, but never more than is owed now (a
 * clawback may have landed since). Zero or less means nothing is paid.
 */
export function amountToPay(previewAmount: bigint, owedNow: bigint): bigint {
  const amount = owedNow < previewAmount ? owedNow : previewAmount;
  return amount > 0n ? amount : 0n;
}

export interface Total {
  count: number;
  amountMinor: bigint;
}

/** Count and sum per key (`included` or the reason). */
export function totalsByReason(items: readonly { status: string; reason: string | null; amount: bigint }[]): Record<string, Total> {
  const out: Record<string, Total> = { included: { count: 0, amountMinor: 0n } };
  for (const r of CARRY_FORWARD_REASONS) out[r] = { count: 0, amountMinor: 0n };
  for (const item of items) {
    const key = item.status === 'included' ? 'included' : (item.reason ?? 'other');
    const t = (out[key] ??= { count: 0, amountMinor: 0n });
    t.count += 1;
    t.amountMinor += item.amount;
  }
  return out;
}
