import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { PoolClient, Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { Writable } from 'node:stream';

/** One staged line, as the parser produced it. */
export interface StagedLine {
  lineNo: number;
  workId: string | null;
  contentHash: string | null;
  units: string | null;
  use: string | null;
  modelId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** COPY text format: backslash escapes for the four characters that would break a row. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

export function copyRow(l: StagedLine): string {
  return (
    l.lineNo +
    '\t' +
    (l.workId ?? '\\N') +
    '\t' +
    (l.contentHash ?? '\\N') +
    '\t' +
    (l.units ?? '\\N') +
    '\t' +
    copyText(l.use) +
    '\t' +
    copyText(l.modelId) +
    '\t' +
    (l.errorCode ?? '\\N') +
    '\t' +
    copyText(l.errorMessage) +
    '\n'
  );
}

/**
 * Streams one processing run's lines into usage_staging with COPY, in chunks: each `flush()`
 * ends one COPY (committed on its own), so a long file is loaded as a series of bounded steps.
 * One pooled connection is held from `open` to `close`.
 */
export class StagingWriter {
  private copy: Writable | null = null;
  private done: Promise<void> | null = null;

  constructor(private readonly client: PoolClient) {}

  async write(lines: StagedLine[]): Promise<void> {
    if (lines.length === 0) return;
    if (!this.copy) {
      const stream = this.client.query(
        copyFrom(`COPY usage_staging (line_no, work_id, content_hash, units, use, model_id, error_code, error_message) FROM STDIN`),
      );
      this.done = new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve());
        stream.on('error', reject);
      });
      this.done.catch(() => undefined);
      this.copy = stream;
    }
    let text = '';
    for (const l of lines) text += copyRow(l);
    if (!this.copy.write(text)) await Promise.race([once(this.copy, 'drain'), this.done]);
  }

  /** Ends the current COPY (its rows are then committed). */
  async flush(): Promise<void> {
    if (!this.copy) return;
    const done = this.done as Promise<void>;
    this.copy.end();
    this.copy = null;
    this.done = null;
    await done;
  }

  /** Gives the connection back; an unfinished COPY is abandoned (its rows are never committed). */
  async close(): Promise<void> {
    if (this.copy) {
      this.copy.destroy(new Error('staging abandoned'));
      this.copy = null;
      this.client.release(true);
      return;
    }
    this.client.release();
  }
}

/** usage_staging: scratch rows of processing runs (never the record of anything). */
@Injectable()
export class UsageStagingRepository {
  constructor(private readonly dataSource: DataSource) {}

  async openWriter(reportId: string, runId: string): Promise<StagingWriter> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    try {
      // report_id and run_id default to these settings (see the usage migration).
      await client.query(`SELECT set_config('fairshare.usage_report_id', $1, false), set_config('fairshare.usage_run_id', $2, false)`, [
        reportId,
        runId,
      ]);
    } catch (e) {
      client.release(true);
      throw e;
    }
    return new StagingWriter(client);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM usage_staging WHERE run_id = $1`, [runId]);
  }

  /** Every staged row of a report, whatever the run (after the report is final). */
  async deleteReport(reportId: string, runIds: string[]): Promise<void> {
    await this.dataSource.query(`DELETE FROM usage_staging WHERE run_id = ANY($2::uuid[]) AND report_id = $1`, [reportId, runIds]);
  }
}
