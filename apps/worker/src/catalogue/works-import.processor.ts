import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { WorksImportJob, WorksImportService } from '@fairshare/catalogue';
import { QUEUES } from '@fairshare/jobs';

/** Processes a works CSV import (payload: its ID; the import's state lives in the database). */
@Processor(QUEUES.worksImport)
export class WorksImportProcessor extends WorkerHost {
  constructor(private readonly imports: WorksImportService) {
    super();
  }

  async process(job: Job<WorksImportJob>): Promise<void> {
    await this.imports.process(job.data.importId);
  }
}
