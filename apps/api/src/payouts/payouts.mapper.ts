import type { Mismatch, Onboarding, PayoutRunView, ReconciliationReport, UnclaimedReport } from '@fairshare/payouts';
import type { PayoutAccountRow, PayoutItemRow, PayoutRunRow } from '@fairshare/persistence';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const s = (n: bigint | null) => (n === null ? null : n.toString());

export const toPayoutAccount = (a: PayoutAccountRow) => ({
  stripeAccountId: a.stripeAccountId,
  country: a.country,
  defaultCurrency: a.defaultCurrency,
  payoutsEnabled: a.payoutsEnabled,
  detailsSubmitted: a.detailsSubmitted,
  requirements: a.requirements,
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

export const toOnboarding = (o: Onboarding) => ({
  account: toPayoutAccount(o.account),
  onboardingUrl: o.onboardingUrl,
  expiresAt: iso(o.expiresAt),
});

export const toPayoutRun = (r: PayoutRunRow) => ({
  id: r.id,
  currency: r.currency,
  status: r.status,
  minimumMinor: s(r.minimumMinor),
  totals: Object.fromEntries(Object.entries(r.totals).map(([k, v]) => [k, { count: v.count, amountMinor: s(v.amountMinor) }])),
  createdBy: r.createdBy,
  createdByName: r.createdByName ?? null,
  approvedBy: r.approvedBy,
  approvedByName: r.approvedByName ?? null,
  createdAt: iso(r.createdAt),
  approvedAt: iso(r.approvedAt),
  finishedAt: iso(r.finishedAt),
});

export const toPayoutItem = (i: PayoutItemRow) => ({
  id: i.id,
  runId: i.runId,
  creatorId: i.creatorId,
  creatorName: i.creatorName ?? null,
  currency: i.currency,
  amountMinor: s(i.amount),
  paidAmountMinor: s(i.paidAmount),
  reversedAmountMinor: s(i.reversedAmount),
  status: i.status,
  reason: i.reason,
  stripeTransferId: i.stripeTransferId,
  attempts: i.attempts,
  lastError: i.lastError,
  paidAt: iso(i.paidAt),
});

export const toPayoutRunView = (v: PayoutRunView) => ({
  ...toPayoutRun(v.run),
  progress: { total: v.items.length, byStatus: v.progress },
  items: v.items.map(toPayoutItem),
});

const toMismatch = (m: Mismatch) => ({
  kind: m.kind,
  transferId: m.transferId,
  itemId: m.itemId,
  ledger: m.ledger && { amountMinor: s(m.ledger.amount), currency: m.ledger.currency, destination: m.ledger.destination, reversedMinor: s(m.ledger.reversed) },
  stripe: m.stripe && { amountMinor: s(m.stripe.amount), currency: m.stripe.currency, destination: m.stripe.destination, reversedMinor: s(m.stripe.amountReversed) },
});

export const toReconciliation = (r: ReconciliationReport) => ({
  from: iso(r.from),
  to: iso(r.to),
  ledgerTransfers: r.ledgerTransfers,
  stripeTransfers: r.stripeTransfers,
  balanced: r.mismatches.length === 0,
  mismatches: r.mismatches.map(toMismatch),
});

const toBuckets = (b: Record<string, bigint>) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.toString()]));

export const toUnclaimed = (r: UnclaimedReport) => ({
  asOf: iso(r.asOf),
  method: 'FIFO: amounts that left an account consumed its oldest credits first; what is held is aged from the credits still unpaid.',
  totals: r.totals.map((t) => ({ currency: t.currency, totalMinor: t.total.toString(), buckets: toBuckets(t.buckets) })),
  balances: r.balances.map((b) => ({
    account: b.account,
    holder: b.holder,
    reason: b.reason,
    currency: b.currency,
    balanceMinor: b.balance.toString(),
    buckets: toBuckets(b.buckets),
    oldestUnpaidCreditAt: iso(b.oldestUnpaidCreditAt),
  })),
  // Display names by holder ID (a creator's name, an invited e-mail), beside the balances whose shape stays as it was.
  holderNames: Object.fromEntries(r.balances.filter((b) => b.holderName).map((b) => [b.holder.id, b.holderName as string])),
});
