import { PAYOUT_EVENT_TYPES } from '@fairshare/payouts';

/** Stripe event types the platform acts on; any other verified event is stored as `ignored`. */
export const LICENSING_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
] as const;

export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set<string>([...LICENSING_EVENT_TYPES, ...PAYOUT_EVENT_TYPES]);

/** Thrown when an event cannot be applied yet (e.g. a refund before the payment): retried with backoff. */
export class EventNotReady extends Error {
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'EventNotReady';
  }
}
