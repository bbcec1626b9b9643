import Stripe from 'stripe';

/**
 * Builds a `Stripe-Signature` header for `payload` exactly as Stripe does (v1 HMAC-SHA256).
 * Used by the emulator to sign deliveries and by tests to hand-make (or stale-sign) events.
 * `timestamp` is in Unix seconds; it defaults to now.
 */
export function signPayload(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    timestamp: timestamp ?? Math.floor(Date.now() / 1000),
  });
}

/** The API version the installed `stripe` client speaks; the emulator stamps it on events. */
export const STRIPE_API_VERSION: string = Stripe.API_VERSION;
