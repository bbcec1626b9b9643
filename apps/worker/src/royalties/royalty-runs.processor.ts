import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { QUEUES, type RoyaltyRunJob } from '@fairshare/jobs';
import { RoyaltyComputeService } from '@fairshare/royalties';

/**
 * Royalty runs: `plan` adds a BullMQ flow, `finalize` (parent) over one `chunk` per licence. The
 * payload holds IDs only; each step re-reads the run. A computation error that cannot heal (rule
 * input error) or the last failed attempt marks the run failed with its code.
 */
@Processor(QUEUES.royaltyRuns, { concurrency: 2 })
export class RoyaltyRunsProcessor extends WorkerHost {
  constructor(private readonly compute: RoyaltyComputeService) {
    super();
  }

  async process(job: Job<RoyaltyRunJob>): Promise<void> {
    const { runId, generation, chunk } = job.data;
    try {
      if (job.name === 'plan') return await this.compute.plan(runId, generation);
      if (job.name === 'chunk') return await this.compute.computeChunk(runId, generation, chunk!);
      if (job.name === 'finalize') return await this.compute.finalize(runId, generation);
      throw new UnrecoverableError(`unknown royalty job ${job.name}`);
    } catch (err: unknown) {
      const retryable = (err as { retryable?: boolean }).retryable !== false && !(err instanceof UnrecoverableError);
      if (!retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.compute.fail(runId, generation, err);
        if (!retryable) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      }
      throw err;
    }
  }
}
