/**
 * The one error type of the money library. `code` is stable and machine-readable
 * (SCREAMING_SNAKE); callers in other libs translate it into their own typed errors.
 * Deliberately independent of `@fairshare/domain`: money has no dependencies.
 */
export type MoneyErrorCode =
  | 'UNSUPPORTED_CURRENCY'
  | 'CURRENCY_MISMATCH'
  | 'INVALID_AMOUNT'
  | 'INVALID_BPS'
  | 'ALLOCATION_EMPTY'
  | 'ALLOCATION_ZERO_WEIGHTS'
  | 'NEGATIVE_WEIGHT'
  | 'DUPLICATE_KEY';

export class MoneyError extends Error {
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}
