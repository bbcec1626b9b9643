import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@fairshare/config';
import { jobId, QUEUES } from '@fairshare/jobs';

export const PAYOUT_ITEM_JOB = 'payout.item';

export interface PayoutItemJob {
  itemId: string;
}

/** Producer of the `payouts` queue: one job per item, its ID derived from the item's. */
@Injectable()
export class PayoutJobs {
  constructor(
    @InjectQueue(QUEUES.payouts) private readonly queue: Queue<PayoutItemJob>,
    private readonly config: AppConfig,
  ) {}

  static jobIdOf(itemId: string): string {
    return jobId('payout', itemId);
  }

  /** Adding an item twice is a no-op while its job exists (BullMQ dedupes on jobId). */
  async enqueueItems(itemIds: readonly string[]): Promise<void> {
    if (!itemIds.length) return;
    await this.queue.addBulk(
      itemIds.map((itemId) => ({
        name: PAYOUT_ITEM_JOB,
        data: { itemId },
        opts: {
          jobId: PayoutJobs.jobIdOf(itemId),
          attempts: this.config.PAYOUT_JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.PAYOUT_RETRY_DELAY_MS },
        },
      })),
    );
  }
}
