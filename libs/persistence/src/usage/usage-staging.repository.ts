import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { PoolClient, Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { Writable } from 'node:stream';

/** A line the parser rejected, as it produced it (staged on its own). */
export interface StagedLine {
  lineNo: number;
  errorCode: string | null;
  errorMessage: string | null;
}

/** COPY text format: backslash escapes for the four characters that would break a row. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** The row of a rejected line: its line number alone in line_nos, one line, no units. */
export function copyRejectedRow(l: StagedLine): string {
  return '{' + l.lineNo + '}\t\\N\t\\N\t\\N\t\\N\t1\t' + (l.errorCode ?? '\\N') + '\t' + copyText(l.errorMessage) + '\n';
}

const COPY_COLUMNS = '(line_nos, work_id, content_hash, use, units, line_count, error_code, error_message)';
/** Bytes gathered before they are written to the COPY stream. */
const BATCH_BYTES = 1 << 20;

/** The name of a run's staging partition (a UUID, checked, so it is safe in SQL). */
export const stagingPartition = (runId: string): string => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(runId)) throw new Error(`invalid run ID ${runId}`);
  return `usage_staging_r${runId.replace(/-/g, '')}`;
};

/**
 * Streams one processing run's staged rows into its own UNLOGGED partition of usage_staging with
 * COPY: the groups of well-formed lines the worker summed while parsing (one row per reference and
 * use, with its line numbers) and the lines the parser rejected (one row each). Each `flush()`
 * ends one COPY (committed on its own), so a long file is loaded as a series of bounded steps.
 * Rows are written into a batch buffer, sent with backpressure by `drain()`. One pooled
 * connection is held from `open` to `close`.
 */
export class StagingWriter {
  private copy: Writable | null = null;
  private done: Promise<void> | null = null;
  private buf = Buffer.allocUnsafe(BATCH_BYTES * 2);
  private pos = 0;

  /** Set when the connection fails (dropped, terminated): the next call throws it, failing the job for a retry. */
  private failure: Error | null = null;
  // A pg client with no 'error' listener turns a dropped connection into an uncaught exception
  // that kills the whole worker; held here, it becomes this job's failure instead.
  private readonly onError = (e: Error) => {
    this.failure ??= e;
  };

  constructor(
    private readonly client: PoolClient,
    readonly table: string,
  ) {
    client.on('error', this.onError);
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /**
   * One group of well-formed lines (same reference and use): its line numbers (ascending), the
   * reference (a lower-case UUID or SHA-256, checked by the parser), the use, Σ units (digits).
   */
  group(workId: string | null, contentHash: string | null, use: string | null, units: string, lineNos: Uint32Array): void {
    const head = (workId ?? '\\N') + '\t' + (contentHash ?? '\\N') + '\t' + copyText(use) + '\t' + units + '\t' + lineNos.length + '\t\\N\t\\N\n';
    // Each line number ≤ 10 digits and a comma; the braces, a tab, the rest.
    const need = 11 * lineNos.length + 3 + Buffer.byteLength(head);
    if (this.pos + need > this.buf.length) this.grow(need);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 123; // {
    for (let i = 0; i < lineNos.length; i++) {
      if (i > 0) b[p++] = 44; // ,
      p = writeDigits(b, p, lineNos[i]);
    }
    b[p++] = 125; // }
    b[p++] = 9;
    p += b.write(head, p, 'utf8');
    this.pos = p;
  }

  /** A line the parser rejected. */
  line(l: StagedLine): void {
    const row = copyRejectedRow(l);
    const need = Buffer.byteLength(row);
    if (this.pos + need > this.buf.length) this.grow(need);
    this.pos += this.buf.write(row, this.pos, 'utf8');
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length, this.pos + need) * 2);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Writes the gathered lines to the COPY (starting one if needed) once a batch is full, or always with `force`. */
  async drain(force = false): Promise<void> {
    this.check();
    if (this.pos === 0 || (!force && this.pos < BATCH_BYTES)) return;
    if (!this.copy) {
      const stream = this.client.query(copyFrom(`COPY ${this.table} ${COPY_COLUMNS} FROM STDIN`));
      this.done = new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve());
        stream.on('error', reject);
      });
      this.done.catch(() => undefined);
      this.copy = stream;
    }
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.buf.length); // the stream keeps `out` until it is sent
    this.pos = 0;
    if (!this.copy.write(out)) await Promise.race([once(this.copy, 'drain'), this.done]);
  }

  /** Ends the current COPY (its rows are then committed). */
  async flush(): Promise<void> {
    await this.drain(true);
    this.check();
    if (!this.copy) return;
    const done = this.done as Promise<void>;
    this.copy.end();
    this.copy = null;
    this.done = null;
    await done;
  }

  /** Gives the connection back; an unfinished COPY is abandoned (its rows are never committed). */
  async close(): Promise<void> {
    this.pos = 0;
    if (this.copy || this.failure) {
      // Our listener stays: the destroyed connection may still report an error while closing.
      this.copy?.destroy(new Error('staging abandoned'));
      this.copy = null;
      this.client.release(true); // a broken or mid-COPY connection is not given back to the pool
      return;
    }
    this.client.off('error', this.onError); // the pooled client is reused: do not pile up listeners
    this.client.release();
  }
}

/** Writes the decimal digits of an unsigned 32-bit integer at p; returns the position after them. */
function writeDigits(b: Buffer, p: number, v: number): number {
  if (v < 10) {
    b[p] = 48 + v;
    return p + 1;
  }
  let len = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) len++;
  for (let i = p + len - 1; i >= p; i--) {
    b[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return p + len;
}

/** usage_staging: scratch rows of processing runs, one partition per run (never the record of anything). */
@Injectable()
export class UsageStagingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates the run's UNLOGGED partition, its report and run IDs as constant column defaults (the
   * COPY stream carries only line data, and no per-row function runs), and opens a writer on it.
   * Creating (and dropping) a partition briefly locks the parent; the worker only ever reads and
   * writes its own partition, so runs of other reports do not wait on each other.
   */
  async openWriter(reportId: string, runId: string): Promise<StagingWriter> {
    const table = stagingPartition(runId);
    if (!/^[0-9a-f-]{36}$/.test(reportId)) throw new Error(`invalid report ID ${reportId}`);
    await this.dataSource.query(
      `CREATE UNLOGGED TABLE IF NOT EXISTS ${table} PARTITION OF usage_staging
         (report_id DEFAULT '${reportId}', run_id DEFAULT '${runId}') FOR VALUES IN ('${runId}')`,
    );
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    return new StagingWriter(client, table);
  }

  /** Drops a run's partition (a no-op if it is already gone). */
  async deleteRun(runId: string): Promise<void> {
    await this.dataSource.query(`DROP TABLE IF EXISTS ${stagingPartition(runId)}`);
  }
}
