import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/** Streams to the client; a failure mid-stream can only cut the connection (headers are sent). */
export async function pipeStream(stream: Readable, res: Response): Promise<void> {
  res.status(200);
  try {
    await pipeline(stream, res);
  } catch {
    if (!res.writableEnded) res.destroy();
  }
}
