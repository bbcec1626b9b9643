import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { LicenceForUsage, NewUsageReport, UsageCommitCounts, UsageReportRow } from './usage-rows';

const COLUMNS = `id, licence_id, organisation_id, period, source, storage_key, file_bytes::text, file_sha256, supersedes_id,
  superseded_by_id, superseded_at, status, late, lines_read::text, line_count::text, accepted_count::text, rejected_count::text,
  accepted_units::text, work_count::text, model_ids, error_code, error_message, processing_run_id, attempts, submitted_by_type,
  submitted_by_id, received_at, processing_started_at, processed_at, failed_at`;

type Raw = Record<string, unknown>;
const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string));

function toRow(r: Raw): UsageReportRow {
  return {
    id: r.id as string,
    licenceId: r.licence_id as string,
    organisationId: r.organisation_id as string,
    period: r.period as string,
    source: r.source as UsageReportRow['source'],
    storageKey: r.storage_key as string,
    fileBytes: BigInt(r.file_bytes as string),
    fileSha256: r.file_sha256 as string,
    supersedesId: r.supersedes_id as string | null,
    supersededById: r.superseded_by_id as string | null,
    supersededAt: r.superseded_at as Date | null,
    status: r.status as UsageReportRow['status'],
    late: r.late as boolean,
    linesRead: BigInt(r.lines_read as string),
    lineCount: big(r.line_count),
    acceptedCount: big(r.accepted_count),
    rejectedCount: big(r.rejected_count),
    acceptedUnits: big(r.accepted_units),
    workCount: big(r.work_count),
    modelIds: r.model_ids as string[] | null,
    errorCode: r.error_code as string | null,
    errorMessage: r.error_message as string | null,
    processingRunId: r.processing_run_id as string | null,
    attempts: r.attempts as number,
    submittedByType: r.submitted_by_type as UsageReportRow['submittedByType'],
    submittedById: r.submitted_by_id as string,
    receivedAt: r.received_at as Date,
    processingStartedAt: r.processing_started_at as Date | null,
    processedAt: r.processed_at as Date | null,
    failedAt: r.failed_at as Date | null,
  };
}

/** usage_reports: a report's life from `received` to `processed` or `failed`. */
@Injectable()
export class UsageReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  private m(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  async insert(em: EntityManager, r: NewUsageReport): Promise<void> {
    await em.query(
      `INSERT INTO usage_reports (id, licence_id, organisation_id, period, source, storage_key, file_bytes, file_sha256, supersedes_id,
         submitted_by_type, submitted_by_id, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [r.id, r.licenceId, r.organisationId, r.period, r.source, r.storageKey, r.fileBytes.toString(), r.fileSha256, r.supersedesId,
        r.submittedByType, r.submittedById, r.receivedAt],
    );
  }

  async findById(id: string, em?: EntityManager): Promise<UsageReportRow | null> {
    const rows: Raw[] = await this.m(em).query(`SELECT ${COLUMNS} FROM usage_reports WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async lockById(em: EntityManager, id: string): Promise<UsageReportRow | null> {
    const rows: Raw[] = await em.query(`SELECT ${COLUMNS} FROM usage_reports WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Newest first; keyset pagination on (received_at, id). */
  async list(
    f: { organisationId?: string; licenceId?: string; period?: string; before?: { receivedAt: Date; id: string }; limit: number },
    em?: EntityManager,
  ): Promise<UsageReportRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...v: unknown[]) => {
      params.push(...v);
      where.push(sql.replace(/\$(\d)/g, (_, i: string) => `$${params.length - v.length + Number(i)}`));
    };
    if (f.organisationId) add('organisation_id = $1', f.organisationId);
    if (f.licenceId) add('licence_id = $1', f.licenceId);
    if (f.period) add('period = $1', f.period);
    if (f.before) add('(received_at, id) < ($1, $2)', f.before.receivedAt, f.before.id);
    params.push(f.limit);
    const rows: Raw[] = await this.m(em).query(
      `SELECT ${COLUMNS} FROM usage_reports ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRow);
  }

  /**
   * Starts a processing attempt: a new run token, unless the report is already final. Returns the
   * previous run's token (its staged rows are stale) and the report, or null if there is nothing to do.
   */
  async startRun(id: string, runId: string, at: Date): Promise<{ report: UsageReportRow; previousRunId: string | null } | null> {
    return this.dataSource.transaction(async (em) => {
      const report = await this.lockById(em, id);
      if (!report || report.status === 'processed' || report.status === 'failed') return null;
      await em.query(
        `UPDATE usage_reports SET status = 'processing', processing_run_id = $2, lines_read = 0, attempts = attempts + 1,
           processing_started_at = coalesce(processing_started_at, $3) WHERE id = $1`,
        [id, runId, at],
      );
      return { report: { ...report, status: 'processing', processingRunId: runId }, previousRunId: report.processingRunId };
    });
  }

  /** Progress, outside the final transaction; only while this run still owns the report. */
  async setLinesRead(id: string, runId: string, linesRead: number): Promise<boolean> {
    const [, n]: [unknown, number] = await this.dataSource.query(
      `UPDATE usage_reports SET lines_read = $3 WHERE id = $1 AND processing_run_id = $2 AND status = 'processing'`,
      [id, runId, linesRead],
    );
    return n > 0;
  }

  async markFailed(em: EntityManager, id: string, runId: string | null, code: string, message: string, at: Date): Promise<boolean> {
    const [, n]: [unknown, number] = await em.query(
      `UPDATE usage_reports SET status = 'failed', error_code = $3, error_message = $4, failed_at = $5
        WHERE id = $1 AND status IN ('received','processing') AND ($2::uuid IS NULL OR processing_run_id = $2)`,
      [id, runId, code, message.slice(0, 1000), at],
    );
    return n > 0;
  }

  async markProcessed(em: EntityManager, id: string, runId: string, c: UsageCommitCounts & { late: boolean; at: Date }): Promise<boolean> {
    const [, n]: [unknown, number] = await em.query(
      `UPDATE usage_reports SET status = 'processed', late = $3, line_count = $4, accepted_count = $5, rejected_count = $6,
         accepted_units = $7, work_count = $8, model_ids = $9, lines_read = $4, processed_at = $10
        WHERE id = $1 AND processing_run_id = $2 AND status = 'processing'`,
      [id, runId, c.late, c.lines.toString(), c.accepted.toString(), c.rejected.toString(), c.acceptedUnits.toString(), c.works.toString(),
        c.modelIds, c.at],
    );
    return n > 0;
  }

  /** Marks `oldId` superseded by `newId`; false if it is not a processed, not yet superseded report. */
  async supersede(em: EntityManager, oldId: string, newId: string, at: Date): Promise<boolean> {
    const [, n]: [unknown, number] = await em.query(
      `UPDATE usage_reports SET superseded_by_id = $2, superseded_at = $3
        WHERE id = $1 AND status = 'processed' AND superseded_by_id IS NULL`,
      [oldId, newId, at],
    );
    return n > 0;
  }

  /** Reports left `received` or `processing` (for re-enqueueing after an outage). */
  async unfinishedIds(limit: number, em?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await this.m(em).query(
      `SELECT id FROM usage_reports WHERE status IN ('received','processing') ORDER BY received_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** The licence columns usage needs (docs/data-model.md "Licensing"). */
  async findLicence(id: string, em?: EntityManager): Promise<LicenceForUsage | null> {
    const rows: Raw[] = await this.m(em).query(
      `SELECT id, organisation_id, status, uses, starts_at, ends_at, revoked_at, usage_unit FROM licences WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id as string,
          organisationId: r.organisation_id as string,
          status: r.status as string,
          uses: r.uses as string[],
          startsAt: r.starts_at as Date | null,
          endsAt: r.ends_at as Date | null,
          revokedAt: r.revoked_at as Date | null,
          usageUnit: r.usage_unit as string,
        }
      : null;
  }
}
