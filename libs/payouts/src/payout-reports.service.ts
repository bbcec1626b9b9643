import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '@fairshare/domain';
import { AccountPrefixes, Accounts, creatorIdOfPayable, invitationIdOfUnclaimed, LedgerService } from '@fairshare/ledger';
import { CreatorRepository, PayoutAccountRepository, PayoutItemRepository } from '@fairshare/persistence';
import { ClockService } from '@fairshare/platform';
import { StripeGateway } from '@fairshare/stripe';
import { PayoutErrorCodes } from './payouts.errors';
import { ageHeldBalance, AgeBucket, Credit } from './rules/aging';
import { LedgerTransfer, Mismatch, reconcile } from './rules/reconcile';
import { PAYOUT_ENTRY_KIND, PAYOUT_REVERSAL_ENTRY_KIND } from './payout-entry-kinds';

export interface ReconciliationReport {
  from: Date;
  to: Date;
  ledgerTransfers: number;
  stripeTransfers: number;
  mismatches: Mismatch[];
}

export interface HeldBalance {
  account: string;
  holder: { kind: 'invitation' | 'creator'; id: string };
  /** The creator's display name, or the invited e-mail (read for all balances in one query). */
  holderName?: string | null;
  reason: 'INVITATION_NOT_ACCEPTED' | 'NO_PAYOUT_ACCOUNT';
  currency: string;
  balance: bigint;
  buckets: Record<AgeBucket, bigint>;
  oldestUnpaidCreditAt: Date | null;
}

export interface UnclaimedReport {
  asOf: Date;
  balances: HeldBalance[];
  totals: { currency: string; total: bigint; buckets: Record<AgeBucket, bigint> }[];
}

/** Clock skew allowed between our business time (ledger) and Stripe's `created`. */
const STRIPE_WINDOW_SLACK_MS = 86_400_000;
const PAGE = 500;

/** Finance reports of the payouts area: reconciliation with Stripe, unclaimed royalties. */
@Injectable()
export class PayoutReportsService {
  constructor(
    private readonly items: PayoutItemRepository,
    private readonly accounts: PayoutAccountRepository,
    private readonly creators: CreatorRepository,
    private readonly ledger: LedgerService,
    private readonly gateway: StripeGateway,
    private readonly clock: ClockService,
  ) {}

  /**
   * The ledger's payouts in [from, to) against Stripe's transfers created in the same window.
   * Ledger side: each paid item's `payout` entry (amount taken from its cash:stripe posting, not
   * from the item) and its `payout.transfer_reversal` entries. Stripe's side is read with a day of slack
   * each way, so business time and Stripe time need not agree to the second; a transfer outside
   * [from, to) on Stripe's side is only reported if the ledger knows nothing of it.
   */
  async reconciliation(from: Date, to: Date): Promise<ReconciliationReport> {
    if (!(from.getTime() < to.getTime())) throw new ValidationFailed(PayoutErrorCodes.RECONCILIATION_RANGE_INVALID, '`from` must be before `to`.');
    const paid = await this.items.listPaidBetween(from, to);
    const ledger: LedgerTransfer[] = [];
    const accountsByCreator = new Map((await this.accounts.findByCreators([...new Set(paid.map((i) => i.creatorId))])).map((a) => [a.creatorId, a]));
    for (const item of paid) {
      const [entry] = await this.ledger.entriesFor({ reference: item.id, kind: PAYOUT_ENTRY_KIND });
      if (!entry) continue; // paid without its entry cannot commit (same transaction); nothing to compare
      const cash = entry.postings.filter((p) => p.account === Accounts.cashStripe);
      const reversals = await this.reversalsOf(item.stripeTransferId!);
      ledger.push({
        itemId: item.id,
        transferId: (entry.metadata.transferId as string) ?? item.stripeTransferId!,
        amount: -cash.reduce((s, p) => s + p.amount, 0n),
        currency: cash[0]?.currency ?? item.currency,
        destination: (entry.metadata.destination as string) ?? accountsByCreator.get(item.creatorId)?.stripeAccountId ?? '',
        reversed: reversals,
      });
    }
    const stripeAll = await this.gateway.listTransfers({
      createdFrom: new Date(from.getTime() - STRIPE_WINDOW_SLACK_MS),
      createdTo: new Date(to.getTime() + STRIPE_WINDOW_SLACK_MS),
    });
    const inLedger = new Set(ledger.map((l) => l.transferId));
    const inRange = (d: Date) => d.getTime() >= from.getTime() && d.getTime() < to.getTime();
    // Outside the window, a transfer only matters if the ledger knows it (matched) or no item does at all.
    const known = new Set((await this.items.findByTransfers(stripeAll.filter((t) => !inLedger.has(t.id)).map((t) => t.id))).map((i) => i.stripeTransferId));
    const stripe = stripeAll.filter((t) => inLedger.has(t.id) || (!known.has(t.id) && inRange(t.created)));
    return { from, to, ledgerTransfers: ledger.length, stripeTransfers: stripe.length, mismatches: reconcile(ledger, stripe) };
  }

  private async reversalsOf(transferId: string): Promise<bigint> {
    const item = await this.items.findByTransfer(transferId);
    if (!item) return 0n;
    // payout.transfer_reversal entries reference the reversal ID; they carry the transfer ID in metadata.
    const entries = await this.ledger.entriesFor({ account: Accounts.payable(item.creatorId), limit: 10_000 });
    return entries
      .filter((e) => e.kind === PAYOUT_REVERSAL_ENTRY_KIND && e.metadata.transferId === transferId)
      .reduce((s, e) => s - e.postings.reduce((t, p) => t + p.amount, 0n), 0n);
  }

  /**
   * Money held for someone who cannot be paid: invited holders who have not joined
   * (`liability:unclaimed:invitation:*`) and creators without a payout account able to receive
   * payouts. Aged first-in-first-out (see rules/aging.ts and docs/payouts.md).
   */
  async unclaimed(): Promise<UnclaimedReport> {
    const asOf = await this.clock.now();
    const balances: HeldBalance[] = [];
    const unclaimed = await this.ledger.balancesByPrefix(AccountPrefixes.unclaimed);
    for (const [account, byCurrency] of unclaimed) {
      const id = invitationIdOfUnclaimed(account)!;
      for (const [currency, balance] of byCurrency) {
        if (-balance > 0n) balances.push(await this.held(account, { kind: 'invitation', id }, 'INVITATION_NOT_ACCEPTED', currency, -balance, asOf));
      }
    }
    const payable = await this.ledger.balancesByPrefix(AccountPrefixes.payable);
    const creatorIds = [...payable.keys()].map((a) => creatorIdOfPayable(a)!).filter(Boolean);
    const enabled = new Set((await this.accounts.findByCreators(creatorIds)).filter((a) => a.payoutsEnabled).map((a) => a.creatorId));
    for (const [account, byCurrency] of payable) {
      const id = creatorIdOfPayable(account)!;
      if (enabled.has(id)) continue;
      for (const [currency, balance] of byCurrency) {
        if (-balance > 0n) balances.push(await this.held(account, { kind: 'creator', id }, 'NO_PAYOUT_ACCOUNT', currency, -balance, asOf));
      }
    }
    const names = await this.creators.holderNames(balances.map((b) => b.holder));
    for (const b of balances) b.holderName = names.get(b.holder.id) ?? null;
    const totals = new Map<string, { currency: string; total: bigint; buckets: Record<AgeBucket, bigint> }>();
    for (const b of balances) {
      const t = totals.get(b.currency) ?? { currency: b.currency, total: 0n, buckets: { days0to90: 0n, days90to365: 0n, over365Days: 0n } };
      t.total += b.balance;
      for (const k of Object.keys(b.buckets) as AgeBucket[]) t.buckets[k] += b.buckets[k];
      totals.set(b.currency, t);
    }
    return { asOf, balances, totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
  }

  private async held(account: string, holder: HeldBalance['holder'], reason: HeldBalance['reason'], currency: string, held: bigint, asOf: Date): Promise<HeldBalance> {
    // Read credits newest first, page by page, only until they cover what is held.
    const credits: Credit[] = [];
    let covered = 0n;
    let before: string | undefined;
    while (covered < held) {
      const lines = await this.ledger.accountLines(account, { limit: PAGE, before });
      if (!lines.length) break;
      for (const l of lines) {
        if (l.currency !== currency || l.amount >= 0n) continue;
        credits.push({ at: l.occurredAt, amount: -l.amount });
        covered += -l.amount;
      }
      before = lines[lines.length - 1].postingId;
    }
    const aged = ageHeldBalance(held, credits, asOf);
    return { account, holder, reason, currency, balance: held, ...aged };
  }
}
