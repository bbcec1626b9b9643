/** Stable error codes of the royalties area. */
export const RoyaltyErrorCodes = {
  PERIOD_NOT_ENDED: 'PERIOD_NOT_ENDED',
  EARLIER_PERIOD_NOT_APPROVED: 'EARLIER_PERIOD_NOT_APPROVED',
  RUN_ALREADY_EXISTS: 'RUN_ALREADY_EXISTS',
  RUN_IN_PROGRESS: 'RUN_IN_PROGRESS',
  PERIOD_CLOSED: 'PERIOD_CLOSED',
  RUN_NOT_FOUND: 'ROYALTY_RUN_NOT_FOUND',
  RUN_NOT_COMPUTED: 'RUN_NOT_COMPUTED',
  RUN_NOT_RECOMPUTABLE: 'RUN_NOT_RECOMPUTABLE',
  FOUR_EYES_REQUIRED: 'FOUR_EYES_REQUIRED',
  STATEMENT_NOT_FOUND: 'STATEMENT_NOT_FOUND',
  CREATOR_ID_REQUIRED: 'CREATOR_ID_REQUIRED',
  // Failures of a computation (recorded on the run).
  EMPTY_MANIFEST: 'EMPTY_MANIFEST',
  NO_SPLIT: 'NO_SPLIT',
  LINES_DO_NOT_ADD_UP: 'LINES_DO_NOT_ADD_UP',
} as const;

/** A computation error that waiting will not heal: the run fails with its code. */
export class RoyaltyComputationError extends Error {
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
