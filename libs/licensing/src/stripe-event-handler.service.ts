import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { LicenceRepository, type LicenceRow, StripeEventRepository, type StripeEventRow } from '@fairshare/persistence';
import { AuditService } from '@fairshare/platform';
import { PayoutWebhookHandlers } from '@fairshare/payouts';
import { StripeGateway } from '@fairshare/stripe';
import { LicenceActivationService } from './licence-activation.service';
import { isFullyRefunded, refundStep } from './rules/refund-rules';
import { EventNotReady } from './stripe-event-types';

const SYSTEM = { actorType: 'system' as const, actorId: null };

interface EventEnvelope {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const idOf = (v: unknown): string | null => str(v) ?? (v && typeof v === 'object' ? str((v as { id?: unknown }).id) : null);
const metadataLicenceId = (o: Record<string, unknown>): string | null => str((o.metadata as Record<string, unknown> | undefined)?.licence_id);

/**
 * Applies stored Stripe events, each once, in any order: the event row and the licence row are
 * locked, effects and the event's new status commit together, and every ledger entry is
 * idempotent by (kind, Stripe ID). An event that arrives before the payment it refers to is
 * deferred (EventNotReady → retried with backoff) so the end state equals the clean order.
 */
@Injectable()
export class StripeEventHandlerService {
  private readonly logger = new Logger(StripeEventHandlerService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: StripeEventRepository,
    private readonly licences: LicenceRepository,
    private readonly activation: LicenceActivationService,
    private readonly ledger: LedgerService,
    private readonly stripe: StripeGateway,
    private readonly audit: AuditService,
    private readonly payouts: PayoutWebhookHandlers,
  ) {}

  async apply(eventId: string): Promise<'processed' | 'ignored' | 'already_done'> {
    return this.dataSource.transaction(async (em) => {
      const row = await this.events.lockById(em, eventId);
      if (!row) throw new Error(`stripe event ${eventId} is not stored`);
      if (row.status === 'processed' || row.status === 'ignored') return 'already_done';
      const event = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as EventEnvelope;
      const outcome = await this.dispatch(em, event, row);
      await this.events.markDone(em, eventId, outcome);
      return outcome;
    });
  }

  recordFailure(eventId: string, err: unknown, final: boolean): Promise<void> {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return this.events.recordFailure(eventId, message, final);
  }

  private async dispatch(em: EntityManager, event: EventEnvelope, row: StripeEventRow): Promise<'processed' | 'ignored'> {
    const at = row.stripeCreatedAt;
    const object = event.data.object;
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return this.onCheckoutPaid(em, object, at);
      case 'checkout.session.async_payment_failed':
      case 'checkout.session.expired':
        return this.onCheckoutFailed(em, object, at, event.type);
      case 'charge.refunded':
        return this.onChargeRefunded(em, object, event.data.previous_attributes, at);
      case 'charge.dispute.created':
        return this.onDisputeCreated(em, object);
      case 'charge.dispute.closed':
        return this.onDisputeClosed(em, object, at);
      case 'account.updated':
      case 'transfer.reversed':
        return this.payouts.handle(em, event).then(() => 'processed' as const);
      default:
        return 'ignored';
    }
  }

  // ---- Checkout -------------------------------------------------------------------------

  private async licenceOfSession(em: EntityManager, session: Record<string, unknown>): Promise<LicenceRow | null> {
    const byId = metadataLicenceId(session) ?? str(session.client_reference_id);
    const id = (byId && (await this.licences.findById(byId, em)) ? byId : null) ?? (str(session.id) ? await this.licences.findIdByCheckoutSession(session.id as string, em) : null);
    if (!id) return null;
    const licence = await this.licences.lockById(em, id);
    // A session must be the licence's own: metadata alone is not trusted across sessions.
    if (licence && licence.stripeCheckoutSessionId && licence.stripeCheckoutSessionId !== session.id) return null;
    return licence;
  }

  private async onCheckoutPaid(em: EntityManager, session: Record<string, unknown>, at: Date): Promise<'processed' | 'ignored'> {
    const licence = await this.licenceOfSession(em, session);
    if (!licence) return 'ignored';
    if (licence.status !== 'pending_payment') return 'processed';
    // The event's own snapshot decides whether it is the payment (an async card completes
    // unpaid and pays later), so the payment time is the same whatever the processing order.
    if (session.payment_status !== 'paid') return 'processed';
    // Current truth from Stripe, not the event's snapshot: session → payment intent → charge → fee.
    const current = await this.stripe.retrieveCheckoutSession(session.id as string);
    if (current.paymentStatus !== 'paid' || !current.paymentIntentId) return 'processed'; // async card still processing
    const pi = await this.stripe.retrievePaymentIntent(current.paymentIntentId);
    if (pi.status !== 'succeeded' || !pi.latestChargeId) return 'processed';
    const charge = await this.stripe.retrieveCharge(pi.latestChargeId);
    if (!charge.balanceTransactionId) throw new EventNotReady(`charge ${charge.id} has no balance transaction yet`);
    const txn = await this.stripe.retrieveBalanceTransaction(charge.balanceTransactionId);
    if (txn.currency.toUpperCase() !== licence.currency || charge.amount !== licence.priceMinor) {
      throw new Error(`licence ${licence.id}: Stripe charged ${charge.amount} ${txn.currency}, expected ${licence.priceMinor} ${licence.currency}`);
    }
    await this.activation.activate(em, licence, { paidAt: at, amountMinor: charge.amount, paymentIntentId: pi.id, chargeId: charge.id });
    const postings = [
      { account: Accounts.cashStripe, currency: licence.currency, amount: txn.net },
      { account: Accounts.stripeFees, currency: licence.currency, amount: txn.fee },
      { account: Accounts.deferredRevenue(licence.id), currency: licence.currency, amount: -charge.amount },
    ].filter((p) => p.amount !== 0n);
    await this.ledger.post(em, {
      kind: 'licence.payment',
      reference: charge.id,
      occurredAt: at,
      description: `Payment for licence ${licence.id} (${licence.offerName})`,
      metadata: { licenceId: licence.id, chargeId: charge.id, balanceTransactionId: txn.id },
      postings,
    });
    return 'processed';
  }

  private async onCheckoutFailed(em: EntityManager, session: Record<string, unknown>, at: Date, type: string): Promise<'processed' | 'ignored'> {
    const licence = await this.licenceOfSession(em, session);
    if (!licence) return 'ignored';
    if (licence.status !== 'pending_payment') return 'processed';
    await this.licences.cancel(em, licence.id, at);
    await this.audit.record(em, { action: 'licence.cancelled', resourceType: 'licence', resourceId: licence.id, details: { reason: type }, actor: SYSTEM });
    return 'processed';
  }

  // ---- Refunds and disputes --------------------------------------------------------------

  /** The paid licence of a charge; deferred while the payment is not recorded yet. */
  private async paidLicenceOfCharge(em: EntityManager, chargeId: string, metadataId: string | null): Promise<LicenceRow | null> {
    const id = (await this.licences.findIdByChargeId(chargeId, em)) ?? (metadataId && (await this.licences.findById(metadataId, em)) ? metadataId : null);
    if (!id) return null;
    const licence = await this.licences.lockById(em, id);
    if (!licence) return null;
    if (licence.stripeChargeId === null) {
      if (licence.status === 'pending_payment') throw new EventNotReady(`licence ${id} is not paid yet; charge ${chargeId} event deferred`);
      return null;
    }
    return licence.stripeChargeId === chargeId ? licence : null;
  }

  private async onChargeRefunded(em: EntityManager, charge: Record<string, unknown>, previous: Record<string, unknown> | undefined, at: Date): Promise<'processed' | 'ignored'> {
    const chargeId = idOf(charge.id);
    if (!chargeId) return 'ignored';
    const licence = await this.paidLicenceOfCharge(em, chargeId, metadataLicenceId(charge));
    if (!licence) return 'ignored';
    const before = typeof previous?.amount_refunded === 'number' ? BigInt(previous.amount_refunded) : null;
    const step = refundStep(chargeId, BigInt(charge.amount_refunded as number), before, licence.amountRefundedMinor - licence.disputeLostMinor);
    if (!step) return 'processed';
    const posted = await this.ledger.post(em, {
      kind: 'licence.refund',
      reference: step.reference,
      occurredAt: at,
      description: `Refund on licence ${licence.id}`,
      metadata: { licenceId: licence.id, chargeId },
      postings: [
        { account: Accounts.deferredRevenue(licence.id), currency: licence.currency, amount: step.amount },
        { account: Accounts.cashStripe, currency: licence.currency, amount: -step.amount },
      ],
    });
    if (!posted.created) return 'processed';
    await this.licences.addRefunded(em, licence.id, step.amount, at, false);
    await this.audit.record(em, { action: 'licence.refunded', resourceType: 'licence', resourceId: licence.id, details: { amountMinor: step.amount.toString(), chargeId }, actor: SYSTEM });
    await this.revokeIfFullyRefunded(em, licence.id);
    return 'processed';
  }

  private async onDisputeCreated(em: EntityManager, dispute: Record<string, unknown>): Promise<'processed' | 'ignored'> {
    const chargeId = idOf(dispute.charge);
    if (!chargeId) return 'ignored';
    const licence = await this.paidLicenceOfCharge(em, chargeId, metadataLicenceId(dispute));
    if (!licence) return 'ignored';
    // A `closed` that overtook this `created` already settled the dispute: keep its outcome.
    if (licence.stripeDisputeId === dispute.id && licence.disputeStatus !== 'none') return 'processed';
    await this.licences.setDispute(em, licence.id, dispute.id as string, 'open');
    await this.audit.record(em, { action: 'licence.dispute_opened', resourceType: 'licence', resourceId: licence.id, details: { disputeId: dispute.id }, actor: SYSTEM });
    return 'processed';
  }

  private async onDisputeClosed(em: EntityManager, dispute: Record<string, unknown>, at: Date): Promise<'processed' | 'ignored'> {
    const chargeId = idOf(dispute.charge);
    const disputeId = str(dispute.id);
    if (!chargeId || !disputeId) return 'ignored';
    const licence = await this.paidLicenceOfCharge(em, chargeId, metadataLicenceId(dispute));
    if (!licence) return 'ignored';
    const status = dispute.status === 'lost' ? 'lost' : dispute.status === 'won' ? 'won' : null;
    if (!status) return 'processed';
    await this.licences.setDispute(em, licence.id, disputeId, status);
    if (status === 'lost') {
      const amount = BigInt(dispute.amount as number);
      const txns = (dispute.balance_transactions as { fee?: number }[] | undefined) ?? [];
      const fee = txns.reduce((sum, t) => sum + BigInt(t.fee ?? 0), 0n);
      const posted = await this.ledger.post(em, {
        kind: 'licence.dispute_lost',
        reference: disputeId,
        occurredAt: at,
        description: `Lost dispute on licence ${licence.id}`,
        metadata: { licenceId: licence.id, chargeId, disputeId },
        postings: [
          { account: Accounts.deferredRevenue(licence.id), currency: licence.currency, amount },
          { account: Accounts.stripeFees, currency: licence.currency, amount: fee },
          { account: Accounts.cashStripe, currency: licence.currency, amount: -(amount + fee) },
        ].filter((p) => p.amount !== 0n),
      });
      if (posted.created) {
        const refundable = licence.amountPaidMinor - licence.amountRefundedMinor;
        await this.licences.addRefunded(em, licence.id, amount < refundable ? amount : refundable, at, true);
        await this.revokeIfFullyRefunded(em, licence.id);
      }
    }
    await this.audit.record(em, { action: `licence.dispute_${status}`, resourceType: 'licence', resourceId: licence.id, details: { disputeId }, actor: SYSTEM });
    return 'processed';
  }

  /** Full refund: revoked at the time of the latest refund, whatever order they were applied in. */
  private async revokeIfFullyRefunded(em: EntityManager, licenceId: string): Promise<void> {
    const l = await this.licences.findById(licenceId, em);
    if (!l || l.status !== 'active' || !isFullyRefunded(l.amountPaidMinor, l.amountRefundedMinor)) return;
    await this.licences.revoke(em, l.id, l.lastRefundedAt as Date);
    await this.audit.record(em, { action: 'licence.revoked', resourceType: 'licence', resourceId: l.id, details: { reason: 'fully_refunded' }, actor: SYSTEM });
    this.logger.log(`licence ${l.id} revoked: fully refunded`);
  }
}
