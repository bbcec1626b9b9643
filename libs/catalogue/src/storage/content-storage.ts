import type { Readable } from 'node:stream';

/** Injection token of the content store (local directory by default; an S3 store can be added). */
export const CONTENT_STORAGE = Symbol('CONTENT_STORAGE');

export interface StoredObject {
  key: string;
  sha256: string;
  sizeBytes: bigint;
}

export interface PutOptions {
  /** Keys are `<namespace>/<sha256>`: content-addressed, so the same bytes are stored once. */
  namespace: 'content' | 'imports';
  /** Refuse (and keep nothing) unless the bytes hash to this. */
  expectedSha256?: string;
  /** Refuse as soon as more bytes than this arrive. */
  maxBytes: number;
}

export interface ContentStorage {
  /**
   * Streams `body` into the store while hashing it. Throws PayloadTooLarge (CONTENT_TOO_LARGE)
   * past maxBytes and UnprocessableEntity (CONTENT_HASH_MISMATCH) on a wrong hash; in both
   * cases nothing is kept.
   */
  put(body: Readable, options: PutOptions): Promise<StoredObject>;
  /** A stream of a stored object (downloads, import processing). */
  open(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
}
