import type { TrialBalance } from '@fairshare/ledger';
import type { AccountLineRow } from '@fairshare/persistence';

/** Amounts as strings of digits (minor units); credits stay negative, debits positive. */
export const toTrialBalance = (tb: TrialBalance) => ({
  currencies: tb.currencies.map((c) => ({ currency: c.currency, debits: c.debits.toString(), credits: c.credits.toString(), net: c.net.toString() })),
  accounts: tb.accounts.map((a) => ({ class: a.accountClass, currency: a.currency, balance: a.balance.toString() })),
  balanced: tb.balanced,
});

export const toAccountLine = (l: AccountLineRow) => ({
  postingId: l.postingId,
  entryId: l.entryId,
  kind: l.kind,
  reference: l.reference,
  occurredAt: l.occurredAt.toISOString(),
  description: l.description,
  currency: l.currency,
  amount: l.amount.toString(),
});

/** One page of an account's postings; nextBefore is the cursor of the next page (null at the end). */
export const toAccountPage = (account: string, lines: AccountLineRow[], limit: number) => ({
  account,
  data: lines.map(toAccountLine),
  nextBefore: lines.length === limit ? lines[lines.length - 1].postingId : null,
});
