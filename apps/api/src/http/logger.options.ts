import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { Params } from 'nestjs-pino';
import { levels } from 'pino';
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

/** pino-http logs each finished request at this level ("request completed"). */
const REQUEST_LOG_LEVEL = 'info';
/** pino's own level numbers; 'silent' (not among them) is above every level. */
const levelValue = (level: string): number => levels.values[level] ?? Infinity;

export const loggerOptions = (config: AppConfig, stream?: Writable): Params => {
  // Above 'info' no request line can be written: no 'finish'/'close' listeners nor end-of-request
  // work per request then (LOG_LEVEL=warn in production-like runs and benchmarks). The request's
  // logger (requestId, redaction) stays for what is logged during the request.
  const logsRequests = levelValue(config.LOG_LEVEL) <= levelValue(REQUEST_LOG_LEVEL);
  const options = {
    level: config.LOG_LEVEL,
    genReqId: (req: IncomingMessage, res: ServerResponse) => requestIdOf(req as Request, res as Response),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    customProps: (req: IncomingMessage) => ({ requestId: (req as { id?: string }).id }),
    autoLogging: logsRequests ? { ignore: (req: IncomingMessage) => req.url === '/health' } : false,
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
