import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { StripeAmountError, StripeGatewayError, WebhookSignatureError } from './stripe-gateway.errors';
import type {
  AccountLinkSummary,
  AccountSummary,
  BalanceTransactionSummary,
  ChargeSummary,
  CheckoutSessionSummary,
  CreateAccountLinkInput,
  CreateCheckoutSessionInput,
  CreateExpressAccountInput,
  CreateRefundInput,
  CreateTransferInput,
  ListTransfersInput,
  PaymentIntentSummary,
  RefundSummary,
  StripeEvent,
  StripeGatewayOptions,
  TransferSummary,
} from './stripe-gateway.types';

export const STRIPE_GATEWAY_OPTIONS = Symbol('STRIPE_GATEWAY_OPTIONS');

/**
 * The one place that talks to Stripe. Amounts are bigint minor units on our side and are
 * converted here; answers are small objects of our own so Stripe's types stay inside this lib.
 */
@Injectable()
export class StripeGateway {
  private readonly stripe: Stripe;

  constructor(@Inject(STRIPE_GATEWAY_OPTIONS) private readonly options: StripeGatewayOptions) {
    this.stripe = new Stripe(options.secretKey, {
      apiVersion: Stripe.API_VERSION as Stripe.LatestApiVersion,
      maxNetworkRetries: 2,
      timeout: options.timeoutMs,
      // Latency telemetry is meaningless against the emulator and leaks nothing useful to Stripe.
      telemetry: false,
      ...connectionOptions(options.apiUrl),
    });
  }

  // ---- Checkout ---------------------------------------------------------------------------

  async createCheckoutSession(input: CreateCheckoutSessionInput): Promise<CheckoutSessionSummary> {
    const session = await this.call(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: input.clientReferenceId,
          customer_email: input.customerEmail,
          success_url: input.successUrl,
          cancel_url: input.cancelUrl,
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: input.currency.toLowerCase(),
                unit_amount: toStripeAmount(input.amountMinor),
                product_data: { name: input.productName },
              },
            },
          ],
          metadata: input.metadata,
          // The PaymentIntent (hence the charge and refunds) carries the same references, so
          // any later event can be traced back without the session.
          payment_intent_data: { metadata: input.metadata },
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return toCheckoutSession(session);
  }

  async retrieveCheckoutSession(id: string): Promise<CheckoutSessionSummary> {
    return toCheckoutSession(await this.call(() => this.stripe.checkout.sessions.retrieve(id)));
  }

  async retrievePaymentIntent(id: string): Promise<PaymentIntentSummary> {
    const pi = await this.call(() => this.stripe.paymentIntents.retrieve(id));
    return {
      id: pi.id,
      status: pi.status,
      amountReceived: BigInt(pi.amount_received),
      currency: pi.currency,
      latestChargeId: idOf(pi.latest_charge),
    };
  }

  async retrieveCharge(id: string): Promise<ChargeSummary> {
    const charge = await this.call(() => this.stripe.charges.retrieve(id));
    return {
      id: charge.id,
      amount: BigInt(charge.amount),
      amountRefunded: BigInt(charge.amount_refunded),
      currency: charge.currency,
      paymentIntentId: idOf(charge.payment_intent),
      balanceTransactionId: idOf(charge.balance_transaction),
      refunded: charge.refunded,
      disputed: charge.disputed,
    };
  }

  async retrieveBalanceTransaction(id: string): Promise<BalanceTransactionSummary> {
    const txn = await this.call(() => this.stripe.balanceTransactions.retrieve(id));
    return {
      id: txn.id,
      amount: BigInt(txn.amount),
      fee: BigInt(txn.fee),
      net: BigInt(txn.net),
      currency: txn.currency,
      type: txn.type,
      sourceId: idOf(txn.source),
    };
  }

  async createRefund(input: CreateRefundInput): Promise<RefundSummary> {
    const refund = await this.call(() =>
      this.stripe.refunds.create(
        {
          payment_intent: input.paymentIntentId,
          amount: toStripeAmount(input.amountMinor),
          metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return {
      id: refund.id,
      status: refund.status,
      amount: BigInt(refund.amount),
      currency: refund.currency,
      chargeId: idOf(refund.charge),
      balanceTransactionId: idOf(refund.balance_transaction),
    };
  }

  // ---- Connect ----------------------------------------------------------------------------

  async createExpressAccount(input: CreateExpressAccountInput): Promise<{ id: string }> {
    const account = await this.call(() =>
      this.stripe.accounts.create(
        {
          type: 'express',
          country: input.country,
          default_currency: input.defaultCurrency.toLowerCase(),
          email: input.email,
          // Creators only receive transfers; they never take card payments themselves.
          capabilities: { transfers: { requested: true } },
          metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return { id: account.id };
  }

  async createAccountLink(input: CreateAccountLinkInput): Promise<AccountLinkSummary> {
    const link = await this.call(() =>
      this.stripe.accountLinks.create({
        account: input.accountId,
        type: 'account_onboarding',
        refresh_url: input.refreshUrl,
        return_url: input.returnUrl,
      }),
    );
    return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
  }

  async retrieveAccount(id: string): Promise<AccountSummary> {
    const account = await this.call(() => this.stripe.accounts.retrieve(id));
    return {
      id: account.id,
      payoutsEnabled: account.payouts_enabled,
      chargesEnabled: account.charges_enabled,
      detailsSubmitted: account.details_submitted,
      requirementsDue: [...(account.requirements?.currently_due ?? []), ...(account.requirements?.past_due ?? [])].filter(
        (r, i, all) => all.indexOf(r) === i,
      ),
      country: account.country ?? null,
      defaultCurrency: account.default_currency ?? null,
    };
  }

  async createTransfer(input: CreateTransferInput): Promise<TransferSummary> {
    const transfer = await this.call(() =>
      this.stripe.transfers.create(
        {
          amount: toStripeAmount(input.amountMinor),
          currency: input.currency.toLowerCase(),
          destination: input.destination,
          transfer_group: input.transferGroup,
          metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return toTransfer(transfer);
  }

  /** Every transfer created in [createdFrom, createdTo), newest first, across all pages. */
  async listTransfers(input: ListTransfersInput): Promise<TransferSummary[]> {
    return this.call(async () => {
      const out: TransferSummary[] = [];
      const pages = this.stripe.transfers.list({
        created: { gte: toUnixSeconds(input.createdFrom), lt: toUnixSeconds(input.createdTo) },
        limit: 100,
      });
      for await (const transfer of pages) out.push(toTransfer(transfer));
      return out;
    });
  }

  // ---- Webhooks ---------------------------------------------------------------------------

  /** Verifies a webhook over its raw body and returns the event; throws WebhookSignatureError. */
  constructEvent(rawBody: Buffer, signatureHeader: string | undefined): StripeEvent {
    const tolerance = this.options.webhookToleranceSeconds;
    let event: StripeEvent;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signatureHeader ?? '', this.options.webhookSecret, tolerance);
    } catch (err: unknown) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
        // The library only says "why" in its message; this one is stable across versions.
        if (/timestamp outside the tolerance zone/i.test(err.message)) {
          throw new WebhookSignatureError(
            'WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE',
            `The webhook's signature timestamp is more than ${tolerance} s old; refusing a possible replay.`,
          );
        }
        throw new WebhookSignatureError('WEBHOOK_SIGNATURE_INVALID', `The webhook signature could not be verified: ${firstLine(err.message)}`);
      }
      if (err instanceof SyntaxError) {
        throw new WebhookSignatureError('WEBHOOK_SIGNATURE_INVALID', 'The webhook body is signed but is not valid JSON.');
      }
      throw err;
    }
    // The library only refuses old timestamps; one far in the future is just as suspect.
    const timestamp = signatureTimestamp(signatureHeader);
    if (tolerance > 0 && timestamp !== null && timestamp - Math.floor(Date.now() / 1000) > tolerance) {
      throw new WebhookSignatureError(
        'WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE',
        `The webhook's signature timestamp is more than ${tolerance} s in the future.`,
      );
    }
    return event;
  }

  // ---- Plumbing ---------------------------------------------------------------------------

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err: unknown) {
      throw toGatewayError(err);
    }
  }
}

function connectionOptions(apiUrl: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (!apiUrl) return {};
  const url = new URL(apiUrl);
  const protocol = url.protocol.replace(/:$/, '');
  if (protocol !== 'http' && protocol !== 'https') {
    throw new Error(`Stripe API URL must be http(s): ${apiUrl}`);
  }
  return {
    host: url.hostname,
    port: url.port !== '' ? Number(url.port) : protocol === 'https' ? 443 : 80,
    protocol,
  };
}

/** Stripe takes JSON numbers: refuse anything that would not survive the trip exactly. */
export function toStripeAmount(amount: bigint): number {
  if (amount <= 0n || amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new StripeAmountError(amount);
  return Number(amount);
}

function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (ref == null) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

function toCheckoutSession(s: Stripe.Checkout.Session): CheckoutSessionSummary {
  return {
    id: s.id,
    url: s.url,
    paymentStatus: s.payment_status as CheckoutSessionSummary['paymentStatus'],
    status: s.status as CheckoutSessionSummary['status'],
    clientReferenceId: s.client_reference_id,
    paymentIntentId: idOf(s.payment_intent),
    amountTotal: s.amount_total == null ? null : BigInt(s.amount_total),
    currency: s.currency,
    metadata: { ...(s.metadata ?? {}) },
  };
}

function toTransfer(t: Stripe.Transfer): TransferSummary {
  return {
    id: t.id,
    amount: BigInt(t.amount),
    currency: t.currency,
    destination: idOf(t.destination),
    created: new Date(t.created * 1000),
    reversed: t.reversed,
    amountReversed: BigInt(t.amount_reversed),
    transferGroup: t.transfer_group,
    metadata: { ...t.metadata },
  };
}

function toGatewayError(err: unknown): unknown {
  if (err instanceof StripeAmountError || err instanceof StripeGatewayError) return err;
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  const statusCode = err.statusCode;
  const connection = err instanceof Stripe.errors.StripeConnectionError;
  const retryable = connection || statusCode === undefined || statusCode >= 500 || statusCode === 429 || statusCode === 409;
  return new StripeGatewayError({
    code: err.code ?? err.rawType ?? (connection ? 'api_connection_error' : 'api_error'),
    message: err.message,
    statusCode,
    retryable,
    requestId: err.requestId,
    param: err.param,
  });
}

function signatureTimestamp(header: string | undefined): number | null {
  const t = header
    ?.split(',')
    .map((part) => part.trim().split('='))
    .find(([k]) => k === 't')?.[1];
  const n = t === undefined ? NaN : Number(t);
  return Number.isFinite(n) ? n : null;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
