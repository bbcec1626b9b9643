/**
 * Typed application errors. Each carries a stable machine-readable `code` and the HTTP status
 * the API answers with; the API's single error filter turns them into
 * `{"error":{"code","message","details","requestId"}}`. No framework imports here.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 400, details);
  }
}
export class Unauthenticated extends AppError {
  constructor(code = 'UNAUTHENTICATED', message = 'Authentication is required.', details?: unknown) {
    super(code, message, 401, details);
  }
}
export class Forbidden extends AppError {
  constructor(code = 'FORBIDDEN', message = 'You may not do this.', details?: unknown) {
    super(code, message, 403, details);
  }
}
export class NotFound extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 404, details);
  }
}
export class Conflict extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 409, details);
  }
}
export class PayloadTooLarge extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 413, details);
  }
}
export class UnprocessableEntity extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 422, details);
  }
}
