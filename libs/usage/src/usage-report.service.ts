import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@fairshare/config';
import { AppError, Conflict, Forbidden, NotFound, parsePeriod, PayloadTooLarge, periodStart, UnprocessableEntity, ValidationFailed } from '@fairshare/domain';
import { QUEUES, UsageIngestJob, usageIngestJobId } from '@fairshare/jobs';
import { UsageRejectionRow, UsageReportRepository, UsageReportRow, UsageRejectionRepository } from '@fairshare/persistence';
import { AuditService, ClockService, IdempotencyService, Principal } from '@fairshare/platform';
import { assertCanRead, assertReportableLicence, organisationOf } from './usage-access';
import { ReceivedFile, UsageFileStore } from './usage-file.store';
import { FileFormat, isFileFormat, MAX_JSON_LINES } from './rules';

export interface ReportTarget {
  licenceId: string;
  period: string;
  supersedes?: string;
}
/** Bytes a multipart body may hold beyond its file (boundaries, part headers), within its Content-Length. */
export const MULTIPART_ENVELOPE_BYTES = 64 * 1024;

/**
 * The body of an upload, as the API received it: the file itself (`text/csv`,
 * `application/x-ndjson`), or a `multipart/form-data` body holding exactly one file.
 */
export interface UploadBody {
  multipart: boolean;
  /** The request's Content-Type. */
  contentType: string | undefined;
  /** The request's Content-Length, when declared. */
  contentLength: number | undefined;
  /** Starts reading: the file's bytes (for multipart, once its part begins). */
  open(): Promise<UploadedFile>;
}

export interface UploadedFile {
  stream: Readable;
  /** For a multipart file part: its Content-Type and file name (the format when `format=` is absent). */
  contentType?: string;
  filename?: string;
  /**
   * Settles when the whole request body is read: rejected (4xx) if it was malformed or held
   * anything besides the one file. Nothing is accepted before it resolves.
   */
  finished: Promise<void>;
  /** Stops reading the file (the request is refused): the rest of the body is discarded unread. */
  abandon(): void;
}

export interface Accepted {
  id: string;
  status: 'received';
}

/** Receiving usage reports (JSON or files) and reading them back. */
@Injectable()
export class UsageReportService {
  constructor(
    private readonly config: AppConfig,
    private readonly reports: UsageReportRepository,
    private readonly rejections: UsageRejectionRepository,
    private readonly store: UsageFileStore,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
    @InjectQueue(QUEUES.usageIngest) private readonly queue: Queue<UsageIngestJob>,
  ) {}

  /** POST /v1/usage-reports: the lines are written as NDJSON and take the file pipeline. */
  async submitJson(p: Principal, body: ReportTarget & { lines: unknown[] }, key: string | undefined): Promise<Accepted> {
    if (body.lines.length > MAX_JSON_LINES) {
      throw new PayloadTooLarge('USAGE_REPORT_TOO_LARGE', `A JSON report holds at most ${MAX_JSON_LINES} lines: upload larger reports as a file.`, {
        maxLines: MAX_JSON_LINES,
      });
    }
    const target = await this.precheck(p, body);
    const file = await this.store.writeNdjson(body.lines);
    return this.accept(p, target, 'json', file, key, { route: 'json', ...body });
  }

  /**
   * POST /v1/usage-reports/upload: the file (the raw body, or the one file of a multipart body) is
   * streamed to storage with a byte limit. Everything that needs no body is checked first.
   */
  async submitUpload(p: Principal, q: ReportTarget & { format?: string }, body: UploadBody, key: string | undefined): Promise<Accepted> {
    const declared = body.multipart ? (q.format !== undefined ? formatOf(q.format, undefined) : undefined) : formatOf(q.format, body.contentType);
    const target = await this.precheck(p, q);
    const max = this.config.USAGE_UPLOAD_MAX_BYTES;
    if (body.contentLength !== undefined && body.contentLength > max + (body.multipart ? MULTIPART_ENVELOPE_BYTES : 0)) {
      throw new PayloadTooLarge('USAGE_UPLOAD_TOO_LARGE', `The file is larger than the limit of ${max} bytes.`, { maxBytes: max });
    }
    const upload = await body.open();
    let format: FileFormat;
    let file: ReceivedFile;
    try {
      format = declared ?? formatOfFilePart(upload.contentType, upload.filename);
      try {
        file = await this.store.receive(upload.stream, max);
      } catch (e) {
        if (e instanceof AppError || !upload.stream.errored) throw e;
        // The file's stream failed: a malformed or cut-off multipart body says why (400).
        throw await upload.finished.then(() => e, (why: unknown) => why);
      }
    } catch (e) {
      upload.abandon();
      throw e;
    }
    try {
      await upload.finished;
    } catch (e) {
      await this.store.discard(file.tmpPath);
      throw e;
    }
    return this.accept(p, target, format, file, key, { route: 'upload', ...target, format, sha256: file.sha256 });
  }

  async get(p: Principal, id: string): Promise<UsageReportRow> {
    return assertCanRead(p, await this.reports.findById(id));
  }

  async list(p: Principal, f: { licenceId?: string; period?: string; before?: string; limit: number }): Promise<{ rows: UsageReportRow[]; next: string | null }> {
    const before = f.before ? decodeCursor(f.before) : undefined;
    const staff = p.kind === 'user' && p.roles.some((r) => r === 'finance' || r === 'admin');
    if (!staff && f.licenceId) {
      const licence = await this.reports.findLicence(f.licenceId);
      if (licence && licence.organisationId !== organisationOf(p)) throw new Forbidden('LICENCE_NOT_YOURS', 'This licence belongs to another organisation.');
    }
    const rows = await this.reports.list({ organisationId: staff ? undefined : organisationOf(p), licenceId: f.licenceId, period: f.period, before, limit: f.limit + 1 });
    const page = rows.slice(0, f.limit);
    const last = page[page.length - 1];
    return { rows: page, next: rows.length > f.limit && last ? encodeCursor(last) : null };
  }

  /** Every rejection of a report, in line order, a page at a time (for streaming). */
  async *rejectionPages(p: Principal, id: string, pageSize = 5000): AsyncGenerator<UsageRejectionRow[]> {
    await this.get(p, id);
    let after = 0n;
    for (;;) {
      const page = await this.rejections.page(id, after, pageSize);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1].lineNo;
      if (page.length < pageSize) return;
    }
  }

  /** Checks that need no body, so a refused request is refused before its upload is read. */
  private async precheck(p: Principal, t: ReportTarget): Promise<ReportTarget> {
    const period = parsePeriod(t.period);
    assertReportableLicence(p, await this.reports.findLicence(t.licenceId));
    if (periodStart(period).getTime() > (await this.clock.now()).getTime()) {
      throw new UnprocessableEntity('PERIOD_NOT_STARTED', `Period ${period} has not started: usage is reported for past or current months.`);
    }
    return { licenceId: t.licenceId, period, supersedes: t.supersedes };
  }

  private async accept(p: Principal, t: ReportTarget, source: 'json' | FileFormat, file: ReceivedFile, key: string | undefined, request: unknown): Promise<Accepted> {
    const organisationId = organisationOf(p);
    const id = randomUUID();
    const storageKey = this.store.keyFor(id, source === 'csv' ? 'csv' : 'ndjson');
    let result;
    try {
      result = await this.idempotency.execute<Accepted>({ scope: `usage:${organisationId}`, key, request }, async (em) => {
        assertReportableLicence(p, await this.reports.findLicence(t.licenceId, em));
        if (t.supersedes) await this.assertSupersedable(em, organisationId, t);
        await this.store.commit(file.tmpPath, storageKey);
        try {
          await this.reports.insert(em, {
            id,
            licenceId: t.licenceId,
            organisationId,
            period: t.period,
            source,
            storageKey,
            fileBytes: file.bytes,
            fileSha256: file.sha256,
            supersedesId: t.supersedes ?? null,
            submittedByType: p.kind === 'user' ? 'user' : 'api_key',
            submittedById: p.kind === 'user' ? p.userId : p.apiKeyId,
            receivedAt: await this.clock.now(),
          });
        } catch (e) {
          await this.store.discard(this.store.pathOf(storageKey));
          if ((e as { constraint?: string }).constraint === 'usage_reports_one_superseder') {
            throw new Conflict('REPORT_ALREADY_SUPERSEDED', 'Another report already supersedes that report.');
          }
          throw e;
        }
        await this.audit.record(em, {
          action: 'usage_report.received',
          resourceType: 'usage_report',
          resourceId: id,
          details: { licenceId: t.licenceId, period: t.period, source, bytes: file.bytes.toString(), sha256: file.sha256, supersedes: t.supersedes ?? null },
        });
        return { status: 202, body: { id, status: 'received' as const } };
      });
    } finally {
      await this.store.discard(file.tmpPath);
    }
    // Deterministic job ID: a replay (or a retry after Redis was away) enqueues nothing twice.
    await this.enqueue(result.body.id);
    return result.body;
  }

  async enqueue(reportId: string): Promise<void> {
    await this.queue.add('ingest', { reportId }, { jobId: usageIngestJobId(reportId) });
  }

  private async assertSupersedable(em: EntityManager, organisationId: string, t: ReportTarget): Promise<void> {
    const old = await this.reports.lockById(em, t.supersedes as string);
    if (!old || old.organisationId !== organisationId) throw new NotFound('SUPERSEDED_REPORT_NOT_FOUND', 'The report to supersede does not exist.');
    if (old.licenceId !== t.licenceId || old.period !== t.period) {
      throw new UnprocessableEntity('SUPERSEDES_OTHER_PERIOD', 'A report can only supersede a report of the same licence and period.');
    }
    if (old.status !== 'processed') throw new Conflict('SUPERSEDED_REPORT_NOT_PROCESSED', `The report to supersede is ${old.status}: only a processed report can be superseded.`);
    if (old.supersededById) throw new Conflict('REPORT_ALREADY_SUPERSEDED', 'That report is already superseded; supersede its replacement instead.');
  }
}

function formatOf(format: string | undefined, contentType: string | undefined): FileFormat {
  if (format !== undefined) {
    if (!isFileFormat(format)) throw new ValidationFailed('UNSUPPORTED_FORMAT', 'format must be csv or ndjson.');
    return format;
  }
  const byType = formatOfType(contentType);
  if (byType) return byType;
  throw new ValidationFailed('UNSUPPORTED_FORMAT', 'Send format=csv or format=ndjson, or a text/csv or application/x-ndjson body.');
}

/** The format a media type names (parameters ignored), if any. */
function formatOfType(contentType: string | undefined): FileFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
  return undefined;
}

/** The format of a multipart file part: its Content-Type, else its file name's extension. */
function formatOfFilePart(contentType: string | undefined, filename: string | undefined): FileFormat {
  const byType = formatOfType(contentType);
  if (byType) return byType;
  const ext = /\.([a-z]+)$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  throw new ValidationFailed(
    'UNSUPPORTED_FORMAT',
    'Send format=csv or format=ndjson, or a file part typed text/csv or application/x-ndjson, or named *.csv, *.ndjson or *.jsonl.',
  );
}

function encodeCursor(r: UsageReportRow): string {
  return Buffer.from(`${r.receivedAt.toISOString()}|${r.id}`).toString('base64url');
}
function decodeCursor(c: string): { receivedAt: Date; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  const receivedAt = new Date(at);
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(receivedAt.getTime())) throw new ValidationFailed('INVALID_CURSOR', 'The cursor is not valid.');
  return { receivedAt, id };
}
