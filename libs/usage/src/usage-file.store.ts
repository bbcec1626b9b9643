import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, ReadStream, WriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@fairshare/config';
import { PayloadTooLarge } from '@fairshare/domain';

export interface ReceivedFile {
  tmpPath: string;
  bytes: bigint;
  sha256: string;
}

/** Report files under STORAGE_DIR/usage: written as they stream in, never held in memory. */
@Injectable()
export class UsageFileStore {
  private readonly root: string;

  constructor(config: AppConfig) {
    this.root = resolve(config.STORAGE_DIR);
  }

  keyFor(reportId: string, ext: 'csv' | 'ndjson'): string {
    return `usage/${reportId}.${ext}`;
  }

  pathOf(key: string): string {
    if (!/^usage\/[0-9a-f-]{36}\.(csv|ndjson)$/.test(key)) throw new Error(`bad usage storage key ${key}`);
    return join(this.root, key);
  }

  open(key: string): ReadStream {
    return createReadStream(this.pathOf(key), { highWaterMark: 1024 * 1024 });
  }

  /** Streams a request body to a temporary file, counting bytes and hashing as it goes. */
  async receive(body: Readable, maxBytes: number): Promise<ReceivedFile> {
    const tmpPath = await this.tmpPath();
    const out = createWriteStream(tmpPath);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          throw new PayloadTooLarge('USAGE_UPLOAD_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes.`, { maxBytes });
        }
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    } catch (e) {
      await closed(out);
      await this.discard(tmpPath);
      throw e;
    }
    return { tmpPath, bytes: BigInt(bytes), sha256: hash.digest('hex') };
  }

  /** Writes JSON lines as NDJSON (the JSON route shares the file pipeline). */
  async writeNdjson(lines: unknown[]): Promise<ReceivedFile> {
    const tmpPath = await this.tmpPath();
    const out = createWriteStream(tmpPath);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for (const line of lines) {
        const buf = Buffer.from(JSON.stringify(line ?? null) + '\n');
        bytes += buf.length;
        hash.update(buf);
        if (!out.write(buf)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    } catch (e) {
      await closed(out);
      await this.discard(tmpPath);
      throw e;
    }
    return { tmpPath, bytes: BigInt(bytes), sha256: hash.digest('hex') };
  }

  async commit(tmpPath: string, key: string): Promise<void> {
    await rename(tmpPath, this.pathOf(key));
  }

  async discard(path: string): Promise<void> {
    await unlink(path).catch(() => undefined);
  }

  private async tmpPath(): Promise<string> {
    const dir = join(this.root, 'usage');
    await mkdir(join(dir, 'tmp'), { recursive: true });
    return join(dir, 'tmp', `${randomUUID()}.part`);
  }
}

/**
 * Destroys a file being written and waits until it is closed: a stream destroyed while its file
 * is still being opened creates the file afterwards, which would outlive an unlink made at once.
 */
async function closed(out: WriteStream): Promise<void> {
  if (out.closed) return;
  const done = new Promise<void>((resolve) => out.once('close', () => resolve()));
  out.destroy();
  await done;
}
