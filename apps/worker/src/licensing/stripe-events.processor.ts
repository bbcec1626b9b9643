import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '@fairshare/config';
import { QUEUES, type StripeEventJob } from '@fairshare/jobs';
import { StripeEventHandlerService, StripeWebhookService } from '@fairshare/licensing';

/**
 * Applies one stored Stripe event (payload: its ID). Failures are recorded on the event row
 * before BullMQ retries with backoff; errors that cannot heal by waiting stop the retries.
 * At start and every STRIPE_EVENTS_SWEEP_INTERVAL_MS, events still `received` after
 * STRIPE_EVENTS_SWEEP_MIN_AGE_MS are enqueued again (their job may have been lost with Redis).
 */
@Processor(QUEUES.stripeEvents, { concurrency: 2 })
export class StripeEventsProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('StripeEventsProcessor');
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly handler: StripeEventHandlerService,
    private readonly inbox: StripeWebhookService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.config.STRIPE_EVENTS_SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  private async sweep(): Promise<void> {
    try {
      const n = await this.inbox.requeueReceived(this.config.STRIPE_EVENTS_SWEEP_MIN_AGE_MS);
      if (n) this.logger.log(`stripe-events sweep: ${n} received event(s) enqueued again`);
    } catch (e) {
      this.logger.warn(`stripe-events sweep failed: ${(e as Error).message}`);
    }
  }

  async process(job: Job<StripeEventJob>): Promise<string> {
    try {
      return await this.handler.apply(job.data.eventId);
    } catch (err: unknown) {
      const retryable = isRetryable(err);
      const final = !retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.handler.recordFailure(job.data.eventId, err, final);
      if (!retryable) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
}

/** Deferred events, Stripe outages and database conflicts heal with time; malformed data does not. */
function isRetryable(err: unknown): boolean {
  const e = err as { retryable?: boolean; status?: number; name?: string };
  if (typeof e?.retryable === 'boolean') return e.retryable;
  if (e?.name === 'QueryFailedError') return true;
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return false;
  return true;
}
