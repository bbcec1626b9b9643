/** Ledger entry kinds of the payouts area (docs/ledger.md): reference = payout item ID / Stripe reversal ID. */
export const PAYOUT_ENTRY_KIND = 'payout.transfer';
export const PAYOUT_REVERSAL_ENTRY_KIND = 'payout.transfer_reversal';
