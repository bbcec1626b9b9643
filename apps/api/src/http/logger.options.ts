import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { Params } from 'nestjs-pino';
import type { Request, Response } from 'express';
import type { AppConfig } from '@fairshare/config';
import { requestIdOf } from './request-context.middleware';

/** Paths whose values must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.key',
];

export const loggerOptions = (config: AppConfig, stream?: Writable): Params => {
  const options = {
    level: config.LOG_LEVEL,
    genReqId: (req: IncomingMessage, res: ServerResponse) => requestIdOf(req as Request, res as Response),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    customProps: (req: IncomingMessage) => ({ requestId: (req as { id?: string }).id }),
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
    serializers: {
      // Query strings may carry signed-URL tokens: log the path only.
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
      // Status only: response headers are noise in every line and may carry tokens.
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
  // A stream of our own (tests read the log lines); otherwise pino writes to stdout.
  return { pinoHttp: stream ? [options, stream] : options };
};
