/**
 * Errors raised by the gateway. Both carry a stable `code` and `status` (the HTTP status our API
 * should answer with), the same shape as `AppError` in @fairshare/domain, so the API's error
 * filter can map them without knowing about Stripe.
 */

/** A Stripe API call failed (declined, invalid, idempotency conflict, outage…). */
export class StripeGatewayError extends Error {
  /** Stripe's `code` when it gives one (e.g. `balance_insufficient`), else its error `type`. */
  readonly code: string;
  /** HTTP status Stripe answered with; undefined when Stripe was not reached. */
  readonly statusCode: number | undefined;
  /** True when the same call may succeed later (5xx, 429, connection failure). */
  readonly retryable: boolean;
  /** Stripe's request id, for support and logs. */
  readonly requestId: string | undefined;
  /** The parameter Stripe blamed, if any. */
  readonly param: string | undefined;
  /** What our API answers: upstream failures are a 502 to our callers. */
  readonly status = 502;

  constructor(init: {
    code: string;
    message: string;
    statusCode?: number;
    retryable: boolean;
    requestId?: string;
    param?: string;
  }) {
    super(init.message);
    this.name = 'StripeGatewayError';
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.retryable = init.retryable;
    this.requestId = init.requestId;
    this.param = init.param;
  }
}

export type WebhookSignatureErrorCode = 'WEBHOOK_SIGNATURE_INVALID' | 'WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE';

/** A webhook could not be verified: answered with 400 so Stripe records the failure. */
export class WebhookSignatureError extends Error {
  readonly status = 400;

  constructor(
    readonly code: WebhookSignatureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/** We refused to send an amount Stripe cannot represent exactly (it takes JSON numbers). */
export class StripeAmountError extends Error {
  readonly code = 'STRIPE_AMOUNT_OUT_OF_RANGE';
  readonly status = 400;

  constructor(amount: bigint) {
    super(`Amount ${amount.toString()} is not a positive safe integer of minor units and cannot be sent to Stripe.`);
    this.name = 'StripeAmountError';
  }
}
