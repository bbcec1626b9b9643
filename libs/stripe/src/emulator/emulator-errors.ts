/** Stripe's error body: `{"error": {type, code, message, param, ...}}`. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error' | 'authentication_error' | 'rate_limit_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
}

/**
 * An error answered the way Stripe answers it. `saved` says whether the idempotency layer keeps
 * it: Stripe saves the result of any request that began executing, but not of one whose
 * parameters failed validation (so a corrected retry with the same key may still succeed).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly saved = false,
  ) {
    super(body.message);
  }

  static missing(resource: string, id: string, param = 'id'): ApiError {
    return new ApiError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${resource}: '${id}'`,
      param,
      doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
    });
  }

  static invalid(message: string, param?: string, code?: string): ApiError {
    return new ApiError(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}), ...(code ? { code } : {}) });
  }

  /** A request that was valid but could not be carried out: kept by the idempotency layer. */
  static refused(message: string, code: string, param?: string): ApiError {
    return new ApiError(400, { type: 'invalid_request_error', code, message, ...(param ? { param } : {}) }, true);
  }
}
