import { Module } from '@nestjs/common';
import {
  UsageIngestRepository,
  UsageRejectionRepository,
  UsageReportRepository,
  UsageRepository,
  UsageStagingRepository,
} from '@fairshare/persistence';
import { UsageFileStore } from './usage-file.store';
import { UsageIngestService } from './usage-ingest.service';
import { UsageReportService } from './usage-report.service';

/** Usage reports: receiving (API), ingesting (worker), and accepted units for royalties. */
@Module({
  providers: [
    UsageReportRepository,
    UsageStagingRepository,
    UsageIngestRepository,
    UsageRejectionRepository,
    UsageRepository,
    UsageFileStore,
    UsageReportService,
    UsageIngestService,
  ],
  exports: [UsageReportService, UsageIngestService, UsageRepository],
})
export class UsageModule {}
