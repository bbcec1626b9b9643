import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { WorksImportJob, WorksImportService } from '@fairshare/catalogue';
import { QUEUES } from '@fairshare/jobs';

/** Processes a works CSV import (payload: its ID; the import's state lives in the database). */
@Processor(QUEUES.worksImport)
export class WorksImportProcessor extends WorkerHost {
  private readonly logger = new Logger(WorksImportProcessor.name);
  constructor(private readonly imports: WorksImportService) {
    super();
  }

  async process(job: Job<WorksImportJob>): Promise<void> {
    await this.imports.process(job.data.importId);
  }

  /** After the last attempt, the import is marked failed (with the error) instead of staying `processing`. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<WorksImportJob> | undefined, error: Error): Promise<void> {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    // An event handler must not throw (nothing would catch it): log, and the import stays visible as processing.
    await this.imports.giveUp(job.data.importId, error).catch((e: Error) => this.logger.error({ importId: job.data.importId, err: e }, 'could not mark the import failed'));
  }
}
