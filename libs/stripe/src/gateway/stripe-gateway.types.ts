import type Stripe from 'stripe';

/** A verified webhook event, as Stripe sent it. */
export type StripeEvent = Stripe.Event;

export interface StripeGatewayOptions {
  secretKey: string;
  /** Base URL of the API, e.g. `http://127.0.0.1:12111` for the emulator; unset means Stripe. */
  apiUrl?: string;
  webhookSecret: string;
  webhookToleranceSeconds: number;
  /** Request timeout in ms (the client's default is 80 s). */
  timeoutMs?: number;
}

export interface CreateCheckoutSessionInput {
  clientReferenceId: string;
  amountMinor: bigint;
  currency: string;
  productName: string;
  successUrl: string;
  cancelUrl: string;
  customerEmail?: string;
  metadata: Record<string, string>;
  idempotencyKey: string;
}

export type CheckoutPaymentStatus = 'paid' | 'unpaid' | 'no_payment_required';
export type CheckoutStatus = 'open' | 'complete' | 'expired';

export interface CheckoutSessionSummary {
  id: string;
  url: string | null;
  paymentStatus: CheckoutPaymentStatus;
  status: CheckoutStatus | null;
  clientReferenceId: string | null;
  paymentIntentId: string | null;
  amountTotal: bigint | null;
  currency: string | null;
  metadata: Record<string, string>;
}

export interface PaymentIntentSummary {
  id: string;
  status: string;
  amountReceived: bigint;
  currency: string;
  latestChargeId: string | null;
}

export interface ChargeSummary {
  id: string;
  amount: bigint;
  amountRefunded: bigint;
  currency: string;
  paymentIntentId: string | null;
  balanceTransactionId: string | null;
  refunded: boolean;
  disputed: boolean;
}

export interface BalanceTransactionSummary {
  id: string;
  /** Signed: negative for money leaving the platform balance (refunds, transfers). */
  amount: bigint;
  fee: bigint;
  net: bigint;
  currency: string;
  type: string;
  sourceId: string | null;
}

export interface CreateRefundInput {
  paymentIntentId: string;
  amountMinor: bigint;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export interface RefundSummary {
  id: string;
  status: string | null;
  amount: bigint;
  currency: string;
  chargeId: string | null;
  balanceTransactionId: string | null;
}

export interface CreateExpressAccountInput {
  country: string;
  defaultCurrency: string;
  email: string;
  metadata: Record<string, string>;
  idempotencyKey: string;
}

export interface AccountSummary {
  id: string;
  payoutsEnabled: boolean;
  chargesEnabled: boolean;
  detailsSubmitted: boolean;
  requirementsDue: string[];
  country: string | null;
  defaultCurrency: string | null;
}

export interface CreateAccountLinkInput {
  accountId: string;
  refreshUrl: string;
  returnUrl: string;
}

export interface AccountLinkSummary {
  url: string;
  expiresAt: Date;
}

export interface CreateTransferInput {
  amountMinor: bigint;
  currency: string;
  destination: string;
  transferGroup?: string;
  metadata: Record<string, string>;
  idempotencyKey: string;
}

export interface TransferSummary {
  id: string;
  amount: bigint;
  currency: string;
  destination: string | null;
  created: Date;
  reversed: boolean;
  amountReversed: bigint;
  transferGroup: string | null;
  metadata: Record<string, string>;
}

export interface ListTransfersInput {
  /** Inclusive. Stripe's `created` has one-second resolution. */
  createdFrom: Date;
  /** Exclusive. */
  createdTo: Date;
}
