import type { Request, Response } from 'express';
import { AppError, PayloadTooLarge } from '@fairshare/domain';

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

/**
 * Uploads are read from the request stream: JSON and form bodies (already consumed by the body
 * parsers) are refused, and so is any other type when `accepted` is given.
 */
export function streamedBody(req: Request, accepted?: readonly string[]): Request {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const parsed = type === 'application/json' || type === 'application/x-www-form-urlencoded' || req.readableEnded;
  if (parsed || (accepted && !accepted.includes(type))) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send the bytes as the request body with Content-Type ${accepted ? accepted.join(' or ') : 'application/octet-stream'}.`, 415);
  }
  return req;
}
