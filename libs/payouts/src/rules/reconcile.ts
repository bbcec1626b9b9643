/**
 * Reconciliation of the ledger's payouts against Stripe's transfers, matched by transfer ID.
 * Pure: no Nest, no TypeORM.
 */
export interface LedgerTransfer {
  itemId: string;
  transferId: string;
  /** Σ of the `payout.transfer` entry (what left cash:stripe). */
  amount: bigint;
  currency: string;
  destination: string;
  /** Σ of `payout.transfer_reversal` entries for this transfer. */
  reversed: bigint;
}

export interface StripeTransfer {
  id: string;
  amount: bigint;
  currency: string;
  destination: string | null;
  amountReversed: bigint;
}

export type MismatchKind =
  | 'MISSING_IN_STRIPE'
  | 'MISSING_IN_LEDGER'
  | 'AMOUNT_MISMATCH'
  | 'CURRENCY_MISMATCH'
  | 'DESTINATION_MISMATCH'
  | 'REVERSAL_MISMATCH';

export interface Mismatch {
  kind: MismatchKind;
  transferId: string;
  itemId: string | null;
  ledger: { amount: bigint; currency: string; destination: string; reversed: bigint } | null;
  stripe: { amount: bigint; currency: string; destination: string | null; amountReversed: bigint } | null;
}

export function reconcile(ledger: readonly LedgerTransfer[], stripe: readonly StripeTransfer[]): Mismatch[] {
  const out: Mismatch[] = [];
  const byId = new Map(stripe.map((t) => [t.id, t]));
  const seen = new Set<string>();
  for (const l of ledger) {
    seen.add(l.transferId);
    const s = byId.get(l.transferId);
    const ledgerSide = { amount: l.amount, currency: l.currency, destination: l.destination, reversed: l.reversed };
    if (!s) {
      out.push({ kind: 'MISSING_IN_STRIPE', transferId: l.transferId, itemId: l.itemId, ledger: ledgerSide, stripe: null });
      continue;
    }
    const stripeSide = { amount: s.amount, currency: s.currency.toUpperCase(), destination: s.destination, amountReversed: s.amountReversed };
    const kinds: MismatchKind[] = [];
    if (stripeSide.currency !== l.currency.toUpperCase()) kinds.push('CURRENCY_MISMATCH');
    if (s.amount !== l.amount) kinds.push('AMOUNT_MISMATCH');
    if (s.destination !== l.destination) kinds.push('DESTINATION_MISMATCH');
    if (s.amountReversed !== l.reversed) kinds.push('REVERSAL_MISMATCH');
    for (const kind of kinds) out.push({ kind, transferId: l.transferId, itemId: l.itemId, ledger: ledgerSide, stripe: stripeSide });
  }
  for (const s of stripe) {
    if (seen.has(s.id)) continue;
    out.push({
      kind: 'MISSING_IN_LEDGER',
      transferId: s.id,
      itemId: null,
      ledger: null,
      stripe: { amount: s.amount, currency: s.currency.toUpperCase(), destination: s.destination, amountReversed: s.amountReversed },
    });
  }
  return out;
}
