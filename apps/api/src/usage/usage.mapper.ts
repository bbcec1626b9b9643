import type { UsageRejectionRow, UsageReportRow } from '@fairshare/persistence';
import { csvRow } from '@fairshare/usage';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const str = (n: bigint | null) => (n === null ? null : n.toString());

/** A usage report as the API shows it: counts and units are strings of digits. */
export const toUsageReport = (r: UsageReportRow) => ({
  id: r.id,
  licenceId: r.licenceId,
  organisationId: r.organisationId,
  period: r.period,
  source: r.source,
  status: r.status,
  late: r.late,
  supersedesId: r.supersedesId,
  supersededById: r.supersededById,
  supersededAt: iso(r.supersededAt),
  progress: { linesRead: r.linesRead.toString() },
  counts:
    r.status === 'processed'
      ? { lines: str(r.lineCount), accepted: str(r.acceptedCount), rejected: str(r.rejectedCount), acceptedUnits: str(r.acceptedUnits), works: str(r.workCount) }
      : null,
  modelIds: r.modelIds ?? [],
  error: r.errorCode ? { code: r.errorCode, message: r.errorMessage } : null,
  file: { bytes: r.fileBytes.toString(), sha256: r.fileSha256 },
  receivedAt: r.receivedAt.toISOString(),
  processingStartedAt: iso(r.processingStartedAt),
  processedAt: iso(r.processedAt),
  failedAt: iso(r.failedAt),
});

export const toRejectionJson = (r: UsageRejectionRow) => JSON.stringify({ lineNo: Number(r.lineNo), code: r.code, message: r.message });
export const REJECTIONS_CSV_HEADER = csvRow(['lineNo', 'code', 'message']);
export const toRejectionCsv = (r: UsageRejectionRow) => csvRow([r.lineNo, r.code, r.message]);
