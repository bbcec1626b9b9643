import { AppError } from '@fairshare/domain';

/**
 * Errors raised by the gateway: AppErrors with a stable `code` and the HTTP `status` our API
 * answers with, so the API's error filter maps them without knowing about Stripe.
 */

/** A Stripe API call failed (declined, invalid, idempotency conflict, outage…). */
export class StripeGatewayError extends AppError {
  /** HTTP status Stripe answered with; undefined when Stripe was not reached. */
  readonly statusCode: number | undefined;
  /** True when the same call may succeed later (5xx, 429, connection failure). */
  readonly retryable: boolean;
  /** Stripe's request id, for support and logs. */
  readonly requestId: string | undefined;
  /** The parameter Stripe blamed, if any. */
  readonly param: string | undefined;
  constructor(init: {
    code: string;
    message: string;
    statusCode?: number;
    retryable: boolean;
    requestId?: string;
    param?: string;
  }) {
    // Stripe's `code` when it gives one (e.g. `balance_insufficient`), else its error `type`;
    // upstream failures are a 502 to our callers.
    super(init.code, init.message, 502, { stripeRequestId: init.requestId, param: init.param });
    this.name = 'StripeGatewayError';
    this.statusCode = init.statusCode;
    this.retryable = init.retryable;
    this.requestId = init.requestId;
    this.param = init.param;
  }
}

export type WebhookSignatureErrorCode = 'WEBHOOK_SIGNATURE_INVALID' | 'WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE';

/** A webhook could not be verified: answered with 400 so Stripe records the failure. */
export class WebhookSignatureError extends AppError {
  constructor(code: WebhookSignatureErrorCode, message: string) {
    super(code, message, 400);
    this.name = 'WebhookSignatureError';
  }
}

/** We refused to send an amount Stripe cannot represent exactly (it takes JSON numbers). */
export class StripeAmountError extends AppError {
  constructor(amount: bigint) {
    super('STRIPE_AMOUNT_OUT_OF_RANGE', `Amount ${amount.toString()} is not a positive safe integer of minor units and cannot be sent to Stripe.`, 400);
    this.name = 'StripeAmountError';
  }
}
