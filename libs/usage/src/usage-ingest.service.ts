import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  UsageIngestRepository,
  UsageReportRepository,
  UsageReportRow,
  UsageStagingRepository,
} from '@fairshare/persistence';
import { AuditService, ClockService } from '@fairshare/platform';
import { UsageFileStore } from './usage-file.store';
import { FileFormat, periodOverlapsTerm, UsageFileError, UsageFileParser, UsageLineGroups } from './rules';

/** Lines read between two moves of the report's progress (`linesRead`); each also ends a COPY. */
export const STAGING_CHUNK_LINES = 100_000;

class RunLost extends Error {}
class SupersedeImpossible extends Error {}

/**
 * Ingestion of one report (the `usage-ingest` worker): stream the stored file through the parser,
 * sum its well-formed lines per (reference, use) in memory as it goes (UsageLineGroups, bounded),
 * COPY those groups and the parser's rejected lines into usage_staging, then validate set-based
 * and write rejections,
 * aggregates and the report's final state in ONE transaction. A crash anywhere before that commit
 * leaves nothing counted; the retry starts a new run (a new token), discards the old run's staged
 * rows and redoes the file, and the commit is guarded by the report's status and run token, so
 * every line is counted exactly once.
 */
@Injectable()
export class UsageIngestService {
  private readonly logger = new Logger('UsageIngest');

  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: UsageReportRepository,
    private readonly staging: UsageStagingRepository,
    private readonly ingest: UsageIngestRepository,
    private readonly store: UsageFileStore,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
  ) {}

  async process(reportId: string): Promise<void> {
    const runId = randomUUID();
    const started = await this.reports.startRun(reportId, runId, await this.clock.now());
    if (!started) return; // already processed or failed: nothing to do
    const { report, previousRunId } = started;
    if (previousRunId) await this.staging.deleteRun(previousRunId);
    try {
      const t0 = Date.now();
      const staged = await this.stage(report, runId);
      const t1 = Date.now();
      await this.ingest.ensurePartition(report.period);
      await this.commit(report, runId, staged);
      this.logger.debug(`usage report ${report.id}: ${staged.lines} lines; parse + COPY to staging ${t1 - t0} ms, validate + aggregate + commit ${Date.now() - t1} ms`);
    } catch (e) {
      if (e instanceof UsageFileError) {
        await this.fail(report, runId, e.code, e.message);
      } else if (e instanceof SupersedeImpossible) {
        await this.fail(report, runId, 'SUPERSEDES_INVALID', 'The superseded report is no longer a processed, current report.');
      } else if (!(e instanceof RunLost)) {
        await this.staging.deleteRun(runId).catch(() => undefined);
        throw e;
      }
    }
    await this.staging.deleteRun(runId);
  }

  /** After the last retry: the report fails with PROCESSING_FAILED instead of staying `processing`. */
  async giveUp(reportId: string, error: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      if (await this.reports.markFailed(em, reportId, null, 'PROCESSING_FAILED', `Processing failed after every retry: ${error}`, await this.clock.now())) {
        await this.audit.record(em, { action: 'usage_report.failed', resourceType: 'usage_report', resourceId: reportId, details: { code: 'PROCESSING_FAILED' } });
      }
    });
  }

  private async stage(report: UsageReportRow, runId: string): Promise<{ lines: number; modelIds: string[] }> {
    const format: FileFormat = report.source === 'csv' ? 'csv' : 'ndjson';
    const parser = new UsageFileParser(format);
    const writer = await this.staging.openWriter(report.id, runId);
    let flushedAt = 0;
    try {
      let file;
      try {
        file = this.store.open(report.storageKey);
        await new Promise<void>((resolve, reject) => file!.once('open', () => resolve()).once('error', reject));
      } catch {
        throw new UsageFileError('FILE_MISSING', 'The stored file of this report cannot be read.');
      }
      // The parser hands each line to the groups (plain lines as byte ranges of the chunk); the
      // groups pass rejected lines on to the writer at once and stage the sums when full or at
      // the end; the writer sends full batches to the COPY with backpressure.
      const groups = new UsageLineGroups(writer);
      for await (const chunk of file as AsyncIterable<Buffer>) {
        parser.push(chunk, groups);
        await groups.spillIfFull();
        await writer.drain();
        if (parser.lines - flushedAt >= STAGING_CHUNK_LINES) {
          flushedAt = parser.lines;
          await writer.flush();
          if (!(await this.reports.setLinesRead(report.id, runId, parser.lines))) throw new RunLost();
        }
      }
      parser.end(groups);
      await groups.spill();
      await writer.flush();
      if (!(await this.reports.setLinesRead(report.id, runId, parser.lines))) throw new RunLost();
      this.logger.debug(`usage report ${report.id}: ${groups.grouped} well-formed lines staged as ${groups.staged} groups`);
      return { lines: parser.lines, modelIds: parser.modelIds };
    } finally {
      await writer.close();
    }
  }

  private async commit(report: UsageReportRow, runId: string, staged: { lines: number; modelIds: string[] }): Promise<void> {
    const licence = await this.reports.findLicence(report.licenceId);
    if (!licence) throw new Error(`licence ${report.licenceId} of report ${report.id} vanished`);
    const outsideTerm = !periodOverlapsTerm(report.period, licence);
    await this.dataSource.transaction(async (em) => {
      const locked = await this.reports.lockById(em, report.id);
      if (!locked || locked.status !== 'processing' || locked.processingRunId !== runId) throw new RunLost();
      const now = await this.clock.now();
      const late = await this.ingest.periodHasApprovedRun(em, report.period);
      const counts = await this.ingest.classifyAndWrite(em, {
        reportId: report.id,
        runId,
        licenceId: licence.id,
        period: report.period,
        uses: licence.uses,
        outsideTerm,
        ...staged,
      });
      if (report.supersedesId && !(await this.reports.supersede(em, report.supersedesId, report.id, now))) throw new SupersedeImpossible();
      if (!(await this.reports.markProcessed(em, report.id, runId, { ...counts, late, at: now }))) throw new RunLost();
      await this.audit.record(em, {
        action: 'usage_report.processed',
        resourceType: 'usage_report',
        resourceId: report.id,
        details: {
          lines: counts.lines.toString(),
          accepted: counts.accepted.toString(),
          rejected: counts.rejected.toString(),
          acceptedUnits: counts.acceptedUnits.toString(),
          late,
          supersedes: report.supersedesId,
        },
      });
    });
    this.logger.log(`usage report ${report.id} processed`);
  }

  private async fail(report: UsageReportRow, runId: string, code: string, message: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      if (await this.reports.markFailed(em, report.id, runId, code, message, await this.clock.now())) {
        await this.audit.record(em, { action: 'usage_report.failed', resourceType: 'usage_report', resourceId: report.id, details: { code } });
      }
    });
  }
}
