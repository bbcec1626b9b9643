import { randomUUID } from 'node:crypto';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from '@fairshare/platform';

const ACCEPTED_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** A request ID for every request (the caller's X-Request-Id if sane), bound to logs and audit rows. */
export function requestIdOf(req: Request & { id?: unknown }, res: Response): string {
  if (typeof req.id === 'string') return req.id;
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && ACCEPTED_ID.test(header) ? header : randomUUID();
  req.id = id;
  res.setHeader('X-Request-Id', id);
  return id;
}

@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    RequestContext.run({ requestId: requestIdOf(req, res) }, next);
  }
}
