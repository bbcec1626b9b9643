import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CsvError, parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AppConfig } from '@fairshare/config';
import { Forbidden, NotFound } from '@fairshare/domain';
import { jobId, QUEUES } from '@fairshare/jobs';
import {
  CatalogueRepository,
  ImportRejection,
  NewWork,
  SplitRepository,
  WorkRepository,
  WorksImportEntity,
  WorksImportRepository,
} from '@fairshare/persistence';
import { AuditService, ClockService, Principal } from '@fairshare/platform';
import { assertCatalogueOwner, isAdmin, requireCatalogue, userIdOf } from './catalogue-access';
import { checkCsvHeader, csvRecordToInput, MAX_IMPORT_ROWS } from './rules/csv-row';
import { validateWorkInput } from './rules/work-input';
import { CONTENT_STORAGE, ContentStorage } from './storage/content-storage';

const BATCH_ROWS = 500;
/** Row numbers are spreadsheet rows: the header is row 1, the first work row 2. */
const FIRST_DATA_ROW = 2;

export interface WorksImportJob {
  importId: string;
}

/**
 * Bulk import of works from CSV: the upload is stored (content-addressed), one import per file
 * and catalogue (re-uploading answers the same import), and a worker job streams the rows,
 * validates each with the API's rules and inserts valid rows in batches, each batch committing
 * its works, its rejections and the import's progress together (a retried job resumes).
 */
@Injectable()
export class WorksImportService {
  private readonly logger = new Logger(WorksImportService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly catalogues: CatalogueRepository,
    private readonly works: WorkRepository,
    private readonly splits: SplitRepository,
    private readonly imports: WorksImportRepository,
    private readonly clock: ClockService,
    private readonly audit: AuditService,
    @Inject(CONTENT_STORAGE) private readonly storage: ContentStorage,
    @InjectQueue(QUEUES.worksImport) private readonly queue: Queue<WorksImportJob>,
  ) {}

  async upload(p: Principal & { kind: 'user' }, catalogueId: string, body: Readable): Promise<{ imp: WorksImportEntity; created: boolean }> {
    const catalogue = requireCatalogue(await this.catalogues.findById(catalogueId));
    assertCatalogueOwner(catalogue, p);
    const stored = await this.storage.put(body, { namespace: 'imports', maxBytes: this.config.WORKS_IMPORT_MAX_BYTES });
    const at = await this.clock.now();
    const result = await this.dataSource.transaction(async (em) => {
      const r = await this.imports.insertOrGet(em, { catalogueId, createdBy: p.userId, fileSha256: stored.sha256, storageKey: stored.key, sizeBytes: stored.sizeBytes, at });
      if (r.created) await this.audit.record(em, { action: 'works_import.created', resourceType: 'works_import', resourceId: r.imp.id, details: { catalogueId, fileSha256: stored.sha256 } });
      return r;
    });
    // After commit; the job ID is deterministic, so re-uploads and retries never enqueue twice.
    if (result.imp.status === 'queued' || result.imp.status === 'processing') await this.enqueue(result.imp.id);
    return result;
  }

  enqueue(importId: string): Promise<unknown> {
    return this.queue.add('import', { importId }, { jobId: jobId('catalogue', 'import', importId) });
  }

  async get(p: Principal | undefined, id: string): Promise<WorksImportEntity> {
    const imp = await this.imports.findById(id);
    if (!imp) throw new NotFound('IMPORT_NOT_FOUND', 'No such import.');
    const catalogue = requireCatalogue(await this.catalogues.findById(imp.catalogueId));
    if (!isAdmin(p) && catalogue.ownerId !== userIdOf(p)) throw new Forbidden('NOT_CATALOGUE_OWNER', 'Only the owner of this catalogue can see its imports.');
    return imp;
  }

  async rejections(p: Principal | undefined, id: string, afterRow: number, limit: number): Promise<ImportRejection[]> {
    await this.get(p, id);
    return this.imports.rejections(id, afterRow, limit);
  }

  /** The worker's handler. Idempotent: a finished import is left alone; an interrupted one resumes. */
  async process(importId: string): Promise<void> {
    const imp = await this.imports.findById(importId);
    if (!imp || imp.status === 'completed' || imp.status === 'failed') return;
    const catalogue = requireCatalogue(await this.catalogues.findById(imp.catalogueId));
    const at = await this.clock.now();
    await this.dataSource.transaction((em) => this.imports.markProcessing(em, importId, at));
    const resumeAfter = imp.rowsProcessed;
    const seen = new Set<string>(); // hashes of valid rows, earlier in the file
    let batch: { rowNo: number; work: NewWork }[] = [];
    let rejections: ImportRejection[] = [];
    let rowNo = FIRST_DATA_ROW - 1;
    let header: string[] | null = null;
    const flush = async () => {
      if (rowNo <= resumeAfter) return;
      await this.commitBatch(imp, batch, rejections, rowNo);
      batch = [];
      rejections = [];
    };
    const parser = (await this.storage.open(imp.storageKey)).pipe(
      parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: false, max_record_size: 1_000_000 }),
    );
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (!header) {
          header = record.map((h) => h.trim());
          const problems = checkCsvHeader(header);
          if (problems.length) return await this.fail(imp, 'INVALID_HEADER', `The header row is invalid: ${problems.join('; ')}.`);
          continue;
        }
        rowNo++;
        if (rowNo - FIRST_DATA_ROW + 1 > MAX_IMPORT_ROWS) {
          if (rowNo > resumeAfter) rejections.push({ rowNo, code: 'TOO_MANY_ROWS', message: `An import holds at most ${MAX_IMPORT_ROWS} rows: this row and the rest were not read.` });
          break;
        }
        const rejection = this.checkRow(header, record, rowNo, seen);
        if (rowNo <= resumeAfter) continue; // committed by an earlier attempt; `seen` is rebuilt all the same
        if ('code' in rejection) rejections.push(rejection);
        else batch.push({ rowNo, work: { ...rejection.work, catalogueId: catalogue.id, ownerId: catalogue.ownerId } });
        if (batch.length + rejections.length >= BATCH_ROWS) await flush();
      }
    } catch (e) {
      // Every error of the CSV parser is the file's fault (not all of their codes start with CSV_:
      // INVALID_OPENING_QUOTE does not); anything else is infrastructure.
      if (e instanceof CsvError) {
        await flush();
        return await this.fail(imp, 'MALFORMED_CSV', `The file is not valid CSV after row ${rowNo}: ${(e as Error).message}`);
      }
      throw e; // infrastructure: the job is retried and resumes after the last committed row
    }
    if (!header) return await this.fail(imp, 'EMPTY_FILE', 'The file has no header row.');
    await flush();
    await this.dataSource.transaction(async (em) => {
      await this.imports.finish(em, importId, { status: 'completed', at: await this.clock.now() });
      const done = (await this.imports.findById(importId, em))!;
      await this.audit.record(em, {
        action: 'works_import.completed', resourceType: 'works_import', resourceId: importId,
        actor: { actorType: 'system', actorId: null }, details: { created: done.rowsCreated, rejected: done.rowsRejected },
      });
    });
  }

  private checkRow(header: string[], record: string[], rowNo: number, seen: Set<string>): ImportRejection | { work: Omit<NewWork, 'catalogueId' | 'ownerId'> } {
    if (record.length !== header.length) {
      return { rowNo, code: 'WRONG_COLUMN_COUNT', message: `The row has ${record.length} columns; the header has ${header.length}.` };
    }
    const checked = validateWorkInput(csvRecordToInput(Object.fromEntries(header.map((h, i) => [h, record[i]]))));
    if (!checked.ok) return { rowNo, code: checked.code, message: checked.message };
    if (seen.has(checked.value.contentHash)) {
      return { rowNo, code: 'DUPLICATE_IN_FILE', message: 'An earlier row of this file has the same contentHash.' };
    }
    seen.add(checked.value.contentHash);
    return { work: checked.value };
  }

  private async commitBatch(imp: WorksImportEntity, batch: { rowNo: number; work: NewWork }[], rejections: ImportRejection[], lastRowNo: number): Promise<void> {
    const at = await this.clock.now();
    await this.dataSource.transaction(async (em) => {
      const hashes = batch.map((b) => b.work.contentHash);
      await this.works.lockHashes(em, hashes);
      const created = await this.works.insertMany(em, batch.map((b) => b.work), at);
      const createdHashes = new Set(created.map((c) => c.contentHash));
      const all = [...rejections];
      for (const b of batch) {
        if (!createdHashes.has(b.work.contentHash)) all.push({ rowNo: b.rowNo, code: 'WORK_EXISTS', message: 'The catalogue already has a work with this contentHash.' });
      }
      await this.splits.insertInitial(em, created.map((c) => ({ id: c.id, ownerId: batch[0].work.ownerId })), at);
      const disputed = await this.works.markDisputes(em, [...createdHashes], at);
      await this.imports.recordBatch(em, imp.id, { lastRowNo, created: created.length, rejections: all.sort((a, b) => a.rowNo - b.rowNo) });
      await this.audit.record(em, {
        action: 'works_import.batch_committed', resourceType: 'works_import', resourceId: imp.id, actor: { actorType: 'system', actorId: null },
        details: { throughRow: lastRowNo, created: created.length, rejected: all.length, disputedWorkIds: disputed.map((d) => d.id) },
      });
    });
  }

  /** The worker gave up on an import (its job's last attempt failed): it ends `failed`, never stays `processing`. */
  async giveUp(importId: string, error: Error): Promise<void> {
    const imp = await this.imports.findById(importId);
    if (!imp || imp.status === 'completed' || imp.status === 'failed') return;
    await this.fail(imp, 'IMPORT_FAILED', `The import could not be processed: ${error.message}`);
  }

  private async fail(imp: WorksImportEntity, code: string, rawMessage: string): Promise<void> {
    // PostgreSQL text cannot hold NUL; a message may quote the file.
    const message = rawMessage.split('\u0000').join('\\u0000').slice(0, 2000);
    this.logger.warn({ importId: imp.id, code }, message);
    await this.dataSource.transaction(async (em) => {
      await this.imports.finish(em, imp.id, { status: 'failed', at: await this.clock.now(), errorCode: code, errorMessage: message });
      await this.audit.record(em, { action: 'works_import.failed', resourceType: 'works_import', resourceId: imp.id, actor: { actorType: 'system', actorId: null }, details: { code, message } });
    });
  }
}
