import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFound, PayloadTooLarge, UnprocessableEntity } from '@fairshare/domain';
import type { ContentStorage, PutOptions, StoredObject } from './content-storage';

const KEY = /^(content|imports)\/[0-9a-f]{64}$/;

class TooLarge extends Error {}

/** Content store in a local directory: temp file while hashing, renamed into place on success. */
export class LocalContentStorage implements ContentStorage {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new NotFound('CONTENT_NOT_FOUND', 'No such stored object.');
    return join(this.root, key);
  }

  async put(body: Readable, o: PutOptions): Promise<StoredObject> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomBytes(16).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > o.maxBytes) return cb(new TooLarge());
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { flags: 'wx' }));
    } catch (e) {
      await rm(tmp, { force: true });
      if (e instanceof TooLarge) throw new PayloadTooLarge('CONTENT_TOO_LARGE', `The upload is larger than ${o.maxBytes} bytes.`, { maxBytes: o.maxBytes });
      throw e;
    }
    const sha256 = hash.digest('hex');
    if (o.expectedSha256 && sha256 !== o.expectedSha256) {
      await rm(tmp, { force: true });
      throw new UnprocessableEntity('CONTENT_HASH_MISMATCH', 'The uploaded bytes do not hash to the work’s contentHash; nothing was stored.', {
        expected: o.expectedSha256,
        actual: sha256,
      });
    }
    const key = `${o.namespace}/${sha256}`;
    const dest = this.pathOf(key);
    await mkdir(dirname(dest), { recursive: true });
    await rename(tmp, dest);
    return { key, sha256, sizeBytes: BigInt(size) };
  }

  async open(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    if (!(await this.exists(key))) throw new NotFound('CONTENT_NOT_FOUND', 'No such stored object.');
    return createReadStream(path);
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }
}
