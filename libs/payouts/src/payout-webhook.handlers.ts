import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { PayoutAccountRepository, PayoutItemRepository } from '@fairshare/persistence';
import { AuditService, ClockService } from '@fairshare/platform';
import { PAYOUT_REVERSAL_ENTRY_KIND } from './payout-entry-kinds';

/** The Stripe event types this area handles (the licensing area's dispatcher routes them here). */
export const PAYOUT_EVENT_TYPES = ['account.updated', 'transfer.reversed'] as const;

interface AccountObject {
  id: string;
  payouts_enabled: boolean;
  details_submitted: boolean;
  requirements?: { currently_due?: string[] | null; past_due?: string[] | null } | null;
}

interface TransferObject {
  id: string;
  amount: number;
  amount_reversed: number;
  currency: string;
  reversals?: { data: { id: string; amount: number; currency: string; created: number }[] };
}

const SYSTEM = { actorType: 'system' as const, actorId: null };

/** What the handlers read of a verified, stored Stripe event. */
export interface PayoutStripeEvent {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}

/**
 * Stripe webhooks of the payouts area, applied inside the caller's transaction (the one that
 * marks the stored event processed), so an event's effects and its status commit together.
 * Both handlers are idempotent: replays and redeliveries change nothing.
 */
@Injectable()
export class PayoutWebhookHandlers {
  private readonly logger = new Logger(PayoutWebhookHandlers.name);

  constructor(
    private readonly accounts: PayoutAccountRepository,
    private readonly items: PayoutItemRepository,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
  ) {}

  handles(type: string): boolean {
    return (PAYOUT_EVENT_TYPES as readonly string[]).includes(type);
  }

  async handle(em: EntityManager, event: PayoutStripeEvent): Promise<void> {
    if (event.type === 'account.updated') return this.accountUpdated(em, event);
    if (event.type === 'transfer.reversed') return this.transferReversed(em, event);
  }

  /** Keeps payoutsEnabled and requirements current; an older event arriving late is ignored. */
  private async accountUpdated(em: EntityManager, event: PayoutStripeEvent): Promise<void> {
    const a = event.data.object as unknown as AccountObject;
    const requirements = [...(a.requirements?.currently_due ?? []), ...(a.requirements?.past_due ?? [])].filter((r, i, all) => all.indexOf(r) === i);
    const row = await this.accounts.applyStripeState(em, {
      stripeAccountId: a.id,
      payoutsEnabled: a.payouts_enabled,
      detailsSubmitted: a.details_submitted,
      requirements,
      stateAt: new Date(event.created * 1000),
      at: await this.clock.now(),
    });
    if (!row) return;
    await this.audit.record(em, {
      action: 'payout_account.updated',
      resourceType: 'payout_account',
      resourceId: row.creatorId,
      details: { eventId: event.id, payoutsEnabled: row.payoutsEnabled, requirements },
      actor: SYSTEM,
    });
  }

  /**
   * Each reversal of one of our transfers returns its amount to the creator's payable balance:
   * Dr cash:stripe / Cr payable, kind `payout.transfer_reversal`, reference = the reversal's ID (so a
   * redelivered event, or a later event listing the same reversal, posts nothing twice).
   */
  private async transferReversed(em: EntityManager, event: PayoutStripeEvent): Promise<void> {
    const t = event.data.object as unknown as TransferObject;
    const item = await this.items.findByTransfer(t.id, em);
    if (!item) {
      // Not a Fairshare payout (or not ours): reconciliation lists such transfers.
      this.logger.warn({ transferId: t.id, eventId: event.id }, 'transfer.reversed for a transfer no payout item knows');
      return;
    }
    const payable = Accounts.payable(item.creatorId);
    await this.ledger.lockAccount(em, payable);
    const at = await this.clock.now();
    for (const r of t.reversals?.data ?? []) {
      const amount = BigInt(r.amount);
      const posted = await this.ledger.post(em, {
        kind: PAYOUT_REVERSAL_ENTRY_KIND,
        reference: r.id,
        occurredAt: at,
        description: `Stripe reversed ${r.id} of transfer ${t.id} (payout item ${item.id})`,
        metadata: { transferId: t.id, payoutItemId: item.id, runId: item.runId, creatorId: item.creatorId, eventId: event.id },
        postings: [
          { account: Accounts.cashStripe, currency: item.currency, amount },
          { account: payable, currency: item.currency, amount: -amount },
        ],
      });
      if (posted.created) {
        await this.audit.record(em, {
          action: 'payout_item.reversed',
          resourceType: 'payout_item',
          resourceId: item.id,
          details: { transferId: t.id, reversalId: r.id, amountMinor: amount.toString(), eventId: event.id },
          actor: SYSTEM,
        });
      }
    }
    await this.items.setReversed(em, item.id, BigInt(t.amount_reversed), at);
  }
}
