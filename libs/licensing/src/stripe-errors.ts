import { AppError, UnprocessableEntity } from '@fairshare/domain';
import { StripeGatewayError } from '@fairshare/stripe';

/** Stripe failures as our API reports them: refusals are 422, outages 502 (retry later). */
export function fromStripeError(err: unknown): unknown {
  if (!(err instanceof StripeGatewayError)) return err;
  if (!err.retryable && err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 && err.statusCode !== 401) {
    return new UnprocessableEntity('STRIPE_REFUSED', `Stripe refused the request: ${err.message}`, { stripeCode: err.code, param: err.param ?? null });
  }
  return new AppError('STRIPE_UNAVAILABLE', 'Stripe could not be reached or failed; nothing was changed. Retry with the same Idempotency-Key.', 502, {
    stripeCode: err.code,
  });
}
