import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppError } from '@fairshare/domain';
import { RequestContext } from '@fairshare/platform';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string | null };
}

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
};

/**
 * The one error filter: every failure answers `{"error":{"code","message","details","requestId"}}`.
 * Typed AppErrors keep their code and status; a 500 says nothing of its cause but its requestId,
 * under which the cause is logged.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request & { id?: string }>();
    const requestId = RequestContext.current()?.requestId ?? (req?.id ? String(req.id) : null);
    const { status, body } = this.describe(exception, requestId);
    if (status >= 500) {
      this.logger.error({ err: exception, requestId, path: req?.url }, 'Unhandled error');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json(body);
  }

  private describe(exception: unknown, requestId: string | null): { status: number; body: ErrorBody } {
    const make = (status: number, code: string, message: string, details?: unknown) => ({
      status,
      body: { error: { code, message, ...(details === undefined ? {} : { details }), requestId } },
    });
    if (exception instanceof AppError) return make(exception.status, exception.code, exception.message, exception.details);
    if (exception instanceof ThrottlerException) return make(429, 'RATE_LIMITED', 'Too many requests: slow down and retry after the time in Retry-After.');
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse() as string | { message?: unknown; code?: string; details?: unknown };
      if (typeof response === 'object' && response.code) {
        return make(status, response.code, String(response.message ?? exception.message), response.details);
      }
      if (status === 404) return make(404, 'ROUTE_NOT_FOUND', 'No such route.');
      // Nest wraps body-parser failures; keep their meaning.
      const cause = (exception as { cause?: { type?: string } }).cause;
      if (cause?.type === 'entity.parse.failed' || (status === 400 && /JSON/.test(exception.message))) {
        return make(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      }
      if (status === 413) return make(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
      const message = typeof response === 'object' && typeof response.message === 'string' ? response.message : exception.message;
      return make(status, STATUS_CODES[status] ?? `HTTP_${status}`, message);
    }
    // body-parser errors carry a status and a type, not an HttpException.
    const e = exception as { status?: number; type?: string; message?: string };
    if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      if (e.type === 'entity.too.large') return make(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
      if (e.type === 'entity.parse.failed') return make(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      return make(e.status, STATUS_CODES[e.status] ?? `HTTP_${e.status}`, 'The request could not be read.');
    }
    return make(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL_ERROR', 'Something went wrong on our side. Quote the requestId if you contact us.');
  }
}
