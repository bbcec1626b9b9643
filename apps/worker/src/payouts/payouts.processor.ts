import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES } from '@fairshare/jobs';
import { ItemOutcome, PayoutExecutionService, PayoutItemJob } from '@fairshare/payouts';

/** Pays one payout item per job (payload: its ID; the item's state lives in the database). */
@Processor(QUEUES.payouts)
export class PayoutsProcessor extends WorkerHost {
  constructor(private readonly execution: PayoutExecutionService) {
    super();
  }

  async process(job: Job<PayoutItemJob>): Promise<ItemOutcome> {
    // attemptsMade counts the attempts that already failed: this one is the last when it reaches the limit.
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.execution.execute(job.data.itemId, { finalAttempt });
  }
}
