import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { QUEUES, UsageIngestJob, usageIngestJobId } from '@fairshare/jobs';
import { UsageReportRepository } from '@fairshare/persistence';
import { UsageIngestService } from '@fairshare/usage';

/** How often reports left `received`/`processing` are (re-)enqueued: a lost job cannot strand a report. */
const SWEEP_MS = 60_000;

@Processor(QUEUES.usageIngest, { concurrency: 2 })
export class UsageIngestProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('UsageIngestProcessor');
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly ingest: UsageIngestService,
    private readonly reports: UsageReportRepository,
    @InjectQueue(QUEUES.usageIngest) private readonly queue: Queue<UsageIngestJob>,
  ) {
    super();
  }

  async process(job: Job<UsageIngestJob>): Promise<void> {
    await this.ingest.process(job.data.reportId);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<UsageIngestJob> | undefined, error: Error): Promise<void> {
    if (!job) return;
    this.logger.warn(`usage-ingest ${job.data.reportId} attempt ${job.attemptsMade} failed: ${error.message}`);
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) await this.ingest.giveUp(job.data.reportId, error.message).catch(() => undefined);
  }

  onApplicationBootstrap(): void {
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Deterministic job IDs make this a no-op for reports whose job still exists. */
  private async sweep(): Promise<void> {
    try {
      for (const id of await this.reports.unfinishedIds(1000)) await this.queue.add('ingest', { reportId: id }, { jobId: usageIngestJobId(id) });
    } catch (e) {
      this.logger.warn(`usage-ingest sweep failed: ${(e as Error).message}`);
    }
  }
}
