export * from './rules';
export * from './usage-access';
export * from './usage-file.store';
export * from './usage-report.service';
export * from './usage-ingest.service';
export * from './usage.module';
