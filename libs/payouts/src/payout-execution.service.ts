import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { PayoutAccountRepository, PayoutItemRepository, PayoutItemRow, PayoutRunRepository } from '@fairshare/persistence';
import { AuditService, ClockService } from '@fairshare/platform';
import { StripeGateway, StripeGatewayError } from '@fairshare/stripe';
import { amountToPay, owedFromPayableBalance } from './rules/classify';
import { retryDecision, transferIdempotencyKey } from './rules/retry';
import { PAYOUT_ENTRY_KIND } from './payout-entry-kinds';

export type ItemOutcome = 'paid' | 'carried_forward' | 'failed' | 'nothing_to_do';

const SYSTEM = { actorType: 'system' as const, actorId: null };
const WAITING = ['pending', 'processing'];

/**
 * Pays one payout item. The effects that matter commit together in ONE transaction holding the
 * creator's payable-account lock: re-read the balance, create the Stripe transfer (idempotency
 * key derived from the item ID), post the ledger entry, mark the item paid. If that commit is
 * lost after Stripe answered, the retry sends the same request under the same key and Stripe
 * returns the transfer it already made: never two transfers for one item.
 */
@Injectable()
export class PayoutExecutionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly items: PayoutItemRepository,
    private readonly runs: PayoutRunRepository,
    private readonly accounts: PayoutAccountRepository,
    private readonly ledger: LedgerService,
    private readonly gateway: StripeGateway,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
  ) {}

  /**
   * One attempt. Throws when the attempt should be retried (BullMQ backs off and calls again);
   * on `finalAttempt`, a Stripe failure marks the item `failed` instead, balance untouched.
   */
  async execute(itemId: string, opts: { finalAttempt: boolean }): Promise<ItemOutcome> {
    const started = await this.dataSource.transaction(async (em) => {
      const item = await this.items.lock(em, itemId);
      if (!item || !WAITING.includes(item.status)) return null;
      const at = await this.clock.now();
      await this.items.markProcessing(em, itemId, at);
      await this.runs.markExecuting(em, item.runId);
      return item;
    });
    if (!started) return 'nothing_to_do';
    const attempt = { keySeq: started.stripeKeySeq };
    try {
      return await this.dataSource.transaction((em) => this.pay(em, itemId, attempt));
    } catch (err) {
      if (!(err instanceof StripeGatewayError)) throw err;
      const decision = retryDecision(err);
      const error = { code: err.code, message: err.message };
      if (decision === 'final' || opts.finalAttempt) {
        await this.fail(itemId, error);
        return 'failed';
      }
      await this.dataSource.transaction(async (em) =>
        this.items.recordAttemptError(em, itemId, { error, nextKeyAfter: decision === 'retry-next-key' ? attempt.keySeq : null, at: await this.clock.now() }),
      );
      throw err;
    }
  }

  private async pay(em: EntityManager, itemId: string, attempt: { keySeq: number }): Promise<ItemOutcome> {
    const unlocked = (await this.items.find(itemId, em))!;
    const payable = Accounts.payable(unlocked.creatorId);
    // Every writer of a payable account takes this lock: nothing lands between the re-read and the posting.
    await this.ledger.lockAccount(em, payable);
    const item = (await this.items.lock(em, itemId))!;
    if (!WAITING.includes(item.status)) return 'nothing_to_do';
    attempt.keySeq = item.stripeKeySeq;
    const at = await this.clock.now();
    const owedNow = owedFromPayableBalance(await this.ledger.balance(payable, item.currency, em));
    const amount = amountToPay(item.amount, owedNow);
    if (amount === 0n) return this.carryForward(em, item, 'NO_BALANCE_AT_EXECUTION', at);
    const account = await this.accounts.findByCreator(item.creatorId, em);
    if (!account?.payoutsEnabled) return this.carryForward(em, item, 'NO_PAYOUT_ACCOUNT', at);

    const transfer = await this.gateway.createTransfer({
      amountMinor: amount,
      currency: item.currency,
      destination: account.stripeAccountId,
      transferGroup: `payout-run-${item.runId}`,
      metadata: { payout_item_id: item.id, payout_run_id: item.runId, creator_id: item.creatorId },
      idempotencyKey: transferIdempotencyKey(item.id, item.stripeKeySeq),
    });
    await this.ledger.post(em, {
      kind: PAYOUT_ENTRY_KIND,
      reference: item.id,
      occurredAt: at,
      description: `Payout to creator ${item.creatorId} (run ${item.runId}), Stripe transfer ${transfer.id}`,
      metadata: { transferId: transfer.id, runId: item.runId, creatorId: item.creatorId, destination: account.stripeAccountId },
      postings: [
        { account: payable, currency: item.currency, amount },
        { account: Accounts.cashStripe, currency: item.currency, amount: -amount },
      ],
    });
    await this.items.markPaid(em, item.id, { paidAmount: amount, transferId: transfer.id, at });
    await this.audit.record(em, {
      action: 'payout_item.paid',
      resourceType: 'payout_item',
      resourceId: item.id,
      details: { transferId: transfer.id, amountMinor: amount.toString(), previewAmountMinor: item.amount.toString(), currency: item.currency },
      actor: SYSTEM,
    });
    await this.finishRun(em, item.runId, at);
    return 'paid';
  }

  private async carryForward(em: EntityManager, item: PayoutItemRow, reason: string, at: Date): Promise<ItemOutcome> {
    await this.items.markCarriedForward(em, item.id, reason, at);
    await this.audit.record(em, { action: 'payout_item.carried_forward', resourceType: 'payout_item', resourceId: item.id, details: { reason }, actor: SYSTEM });
    await this.finishRun(em, item.runId, at);
    return 'carried_forward';
  }

  private async fail(itemId: string, error: { code: string; message: string }): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const at = await this.clock.now();
      const item = (await this.items.find(itemId, em))!;
      if (!(await this.items.markFailed(em, itemId, error, at))) return;
      await this.audit.record(em, { action: 'payout_item.failed', resourceType: 'payout_item', resourceId: itemId, details: error, actor: SYSTEM });
      await this.finishRun(em, item.runId, at);
    });
  }

  /** Locks the run first, so the last of several concurrently finishing items sees the others committed. */
  private async finishRun(em: EntityManager, runId: string, at: Date): Promise<void> {
    await this.runs.lock(em, runId);
    const status = await this.runs.finishIfDone(em, runId, at);
    if (status) await this.audit.record(em, { action: `payout_run.${status}`, resourceType: 'payout_run', resourceId: runId, actor: SYSTEM });
  }
}
