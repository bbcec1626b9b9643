import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@fairshare/config';
import { QUEUES, UsageIngestJob, usageIngestJobId } from '@fairshare/jobs';
import { UsageReportRepository } from '@fairshare/persistence';
import { UsageIngestService } from '@fairshare/usage';

@Processor(QUEUES.usageIngest, { concurrency: 2 })
export class UsageIngestProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('UsageIngestProcessor');
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly ingest: UsageIngestService,
    private readonly reports: UsageReportRepository,
    @InjectQueue(QUEUES.usageIngest) private readonly queue: Queue<UsageIngestJob>,
    @Inject(AppConfig) private readonly config: AppConfig,
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

  /** Reports left `received`/`processing` are (re-)enqueued at start and every USAGE_SWEEP_INTERVAL_MS: a lost job cannot strand a report. */
  onApplicationBootstrap(): void {
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.config.USAGE_SWEEP_INTERVAL_MS);
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
