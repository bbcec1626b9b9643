import type { Response } from 'express';
import { PayloadTooLarge } from '@fairshare/domain';

/** Writes generated chunks with backpressure, then ends the response. */
export async function writeChunks(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/** An upload refused as too large leaves its rest unread: close the connection after the 413. */
export async function closeOnTooLarge<T>(res: Response, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof PayloadTooLarge) res.setHeader('Connection', 'close');
    throw e;
  }
}
