import { Module } from '@nestjs/common';
import { UsageReportRepository } from '@fairshare/persistence';
import { UsageModule } from '@fairshare/usage';
import { UsageIngestProcessor } from './usage-ingest.processor';

@Module({ imports: [UsageModule], providers: [UsageReportRepository, UsageIngestProcessor] })
export class UsageWorkerModule {}
