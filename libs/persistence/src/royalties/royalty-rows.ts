export type RoyaltyRunStatus = 'queued' | 'computing' | 'computed' | 'approved' | 'posted' | 'failed';

export interface CurrencyTotals {
  recognised: bigint;
  fees: bigint;
  distributed: bigint;
  adjustments: bigint;
}

export interface RoyaltyRunRow {
  id: string;
  period: string;
  status: RoyaltyRunStatus;
  rulesVersion: string;
  generation: number;
  chunksTotal: number | null;
  chunksDone: number;
  totals: Record<string, CurrencyTotals> | null;
  createdBy: string;
  createdAt: Date;
  recomputedBy: string | null;
  recomputedAt: Date | null;
  computedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  postedAt: Date | null;
  journalEntryId: string | null;
  /** Display names of the users above, joined in the same query (null: no such user). */
  createdByName?: string | null;
  recomputedByName?: string | null;
  approvedByName?: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** A paid licence as the distribution rules read it. */
export interface PaidLicenceRow {
  id: string;
  currency: string;
  amountPaidMinor: bigint;
  amountRefundedMinor: bigint;
  startsAt: Date;
  endsAt: Date | null;
  revokedAt: Date | null;
  adminFeeBps: number;
  distributionKey: 'usage' | 'equal';
}

/** What was posted so far for one (licence, original period). */
export interface PostedLicencePeriodRow {
  licenceId: string;
  period: string;
  recognised: bigint;
  fee: bigint;
  /** Digest of the inputs at the latest posted computation. */
  inputsDigest: string;
}

export interface RoyaltyLineRow {
  runId: string;
  period: string;
  originalPeriod: string;
  licenceId: string;
  workId: string;
  holderKey: string;
  holderKind: 'creator' | 'invitation';
  currency: string;
  units: bigint;
  amount: bigint;
  consentRecordId: string;
  isAdjustment: boolean;
  /** Joined for display when the lines are read (absent on lines being written). */
  workTitle?: string | null;
  /** The licensee organisation of the line's licence. */
  organisationName?: string | null;
  /** The holder's display name: the creator's, or for an invitation the creator who accepted it, else its e-mail. */
  holderName?: string | null;
}

export interface LicenceTotalRow {
  runId: string;
  period: string;
  originalPeriod: string;
  licenceId: string;
  currency: string;
  recognised: bigint;
  fee: bigint;
  isAdjustment: boolean;
}
