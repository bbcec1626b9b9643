/** Rows of the usage area as the repositories return them (bigint/numeric columns converted). */
export type UsageReportStatus = 'received' | 'processing' | 'processed' | 'failed';
export type UsageReportSource = 'json' | 'csv' | 'ndjson';

export interface UsageReportRow {
  id: string;
  licenceId: string;
  organisationId: string;
  period: string;
  source: UsageReportSource;
  storageKey: string;
  fileBytes: bigint;
  fileSha256: string;
  supersedesId: string | null;
  supersededById: string | null;
  supersededAt: Date | null;
  status: UsageReportStatus;
  late: boolean;
  linesRead: bigint;
  lineCount: bigint | null;
  acceptedCount: bigint | null;
  rejectedCount: bigint | null;
  acceptedUnits: bigint | null;
  workCount: bigint | null;
  modelIds: string[] | null;
  errorCode: string | null;
  errorMessage: string | null;
  processingRunId: string | null;
  attempts: number;
  submittedByType: 'user' | 'api_key';
  submittedById: string;
  receivedAt: Date;
  processingStartedAt: Date | null;
  processedAt: Date | null;
  failedAt: Date | null;
}

export interface NewUsageReport {
  id: string;
  licenceId: string;
  organisationId: string;
  period: string;
  source: UsageReportSource;
  storageKey: string;
  fileBytes: bigint;
  fileSha256: string;
  supersedesId: string | null;
  submittedByType: 'user' | 'api_key';
  submittedById: string;
  receivedAt: Date;
}

/** What the usage area reads of a licence (columns of the data-model contract). */
export interface LicenceForUsage {
  id: string;
  organisationId: string;
  status: string;
  uses: string[];
  startsAt: Date | null;
  endsAt: Date | null;
  revokedAt: Date | null;
  usageUnit: string;
}

export interface UsageRejectionRow {
  lineNo: bigint;
  code: string;
  message: string;
}

/** The outcome of a report's final transaction. */
export interface UsageCommitCounts {
  lines: bigint;
  rejected: bigint;
  accepted: bigint;
  acceptedUnits: bigint;
  works: bigint;
  modelIds: string[];
}

/** Accepted units of one work under one licence in a period (Σ over processed, non-superseded reports). */
export interface AcceptedUnitsRow {
  licenceId: string;
  workId: string;
  units: bigint;
}
