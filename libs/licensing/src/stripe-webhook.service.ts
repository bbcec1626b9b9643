import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PayloadTooLarge, ValidationFailed } from '@fairshare/domain';
import { QUEUES, type StripeEventJob, stripeEventJobId } from '@fairshare/jobs';
import { StripeEventRepository } from '@fairshare/persistence';
import { StripeGateway, WebhookSignatureError } from '@fairshare/stripe';
import { HANDLED_EVENT_TYPES } from './stripe-event-types';

/** Stripe's events are a few kB; anything this large is not from Stripe. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * The webhook's only jobs: verify the signature over the raw body, store the event under its
 * unique Stripe ID, and hand it to the worker. Applying it happens in the `stripe-events` queue.
 */
@Injectable()
export class StripeWebhookService {
  constructor(
    private readonly stripe: StripeGateway,
    private readonly events: StripeEventRepository,
    @InjectQueue(QUEUES.stripeEvents) private readonly queue: Queue<StripeEventJob>,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<{ received: true; duplicate: boolean }> {
    if (!rawBody || rawBody.length === 0) throw new ValidationFailed('WEBHOOK_BODY_MISSING', 'The webhook has no body.');
    if (rawBody.length > WEBHOOK_MAX_BYTES) throw new PayloadTooLarge('WEBHOOK_PAYLOAD_TOO_LARGE', `Webhook bodies are limited to ${WEBHOOK_MAX_BYTES} bytes.`);
    let event: ReturnType<StripeGateway['constructEvent']>;
    try {
      event = this.stripe.constructEvent(rawBody, signature);
    } catch (err: unknown) {
      if (err instanceof WebhookSignatureError) throw new ValidationFailed(err.code, err.message);
      throw err;
    }
    // A valid signature proves who sent it, not that it is an event: refuse what we cannot store.
    const e = event as unknown as Record<string, unknown> | null;
    const data = e && typeof e === 'object' && !Array.isArray(e) ? (e.data as Record<string, unknown> | undefined) : undefined;
    if (
      !e || typeof e !== 'object' || Array.isArray(e) ||
      typeof e.id !== 'string' || !/^evt_[A-Za-z0-9_]{1,250}$/.test(e.id) ||
      typeof e.type !== 'string' || !/^[a-z0-9_.]{1,100}$/.test(e.type) ||
      !Number.isSafeInteger(e.created) || (e.created as number) <= 0 ||
      !data || typeof data !== 'object' || typeof data.object !== 'object' || data.object === null
    ) {
      throw new ValidationFailed('WEBHOOK_EVENT_MALFORMED', 'The body is signed but is not a Stripe event (id, type, created and data.object are required).');
    }
    const handled = HANDLED_EVENT_TYPES.has(event.type);
    const isNew = await this.events.insertIfNew({
      id: event.id,
      type: event.type,
      livemode: event.livemode === true,
      createdAt: new Date(event.created * 1000),
      payload: rawBody.toString('utf8'),
      status: handled ? 'received' : 'ignored',
    });
    if (handled) {
      // Also on a redelivery: if Redis lost the first job, this brings it back; the fixed job ID
      // makes it a no-op otherwise.
      const stored = isNew ? null : await this.events.findById(event.id);
      if (isNew || (stored && (stored.status === 'received' || stored.status === 'failed'))) {
        await this.queue.add('apply', { eventId: event.id }, { jobId: stripeEventJobId(event.id) });
      }
    }
    return { received: true, duplicate: !isNew };
  }

  /**
   * The inbox sweep: events stored `received` more than `minAgeMs` ago are handed to the worker
   * again under their deterministic job IDs — a no-op while their job exists (waiting, retrying),
   * and their recovery when Redis lost it. Returns how many were enqueued.
   */
  async requeueReceived(minAgeMs: number, limit = 1000): Promise<number> {
    const ids = await this.events.receivedIdsOlderThan(minAgeMs, limit);
    for (const id of ids) await this.queue.add('apply', { eventId: id }, { jobId: stripeEventJobId(id) });
    return ids.length;
  }
}
