import type { Period } from '@fairshare/domain';

/** How a licence's net amount is spread over its works (rule 4). */
export type DistributionKey = 'usage' | 'equal';

/** Whose key a statement line carries: a creator, or an invitation not yet accepted (rule 5). */
export type HolderKind = 'creator' | 'invitation';

/** The terms of one licence that the rules read. Amounts in the currency's minor unit. */
export interface LicenceTerms {
  readonly id: string;
  readonly currency: string;
  /** Rule 1: amount paid − amount refunded (a lost dispute counts as refunded). */
  readonly netPaidMinor: bigint;
  readonly startsAt: Date;
  /** null: perpetual. */
  readonly endsAt: Date | null;
  /** A revocation (e.g. a full refund) ends the term early. */
  readonly revokedAt: Date | null;
  readonly adminFeeBps: number;
  readonly distributionKey: DistributionKey;
}

/** One work of a licence's manifest and the consent record under which it is in the manifest. */
export interface ManifestEntry {
  readonly workId: string;
  readonly consentRecordId: string;
}

/** A holder's share of a work, with the holder key already resolved for the period (rule 5). */
export interface HolderShare {
  readonly holderKey: string;
  readonly holderKind: HolderKind;
  readonly shareBps: number;
}

/** Everything one licence needs for one period. */
export interface LicencePeriodInput extends LicenceTerms {
  readonly manifest: ReadonlyArray<ManifestEntry>;
  /** Accepted units of this licence in the period, by work (reports processed and not superseded). */
  readonly unitsByWork: ReadonlyMap<string, bigint>;
}

export interface PeriodInput {
  readonly period: Period;
  readonly licences: ReadonlyArray<LicencePeriodInput>;
  /** The split in effect at the end of the period, per work, holder keys resolved. */
  readonly sharesByWork: ReadonlyMap<string, ReadonlyArray<HolderShare>>;
}

/** Rule 3 figures of one (period, licence). Invariant: recognised = fee + net = fee + Σ lines. */
export interface LicencePeriodTotal {
  readonly period: Period;
  readonly licenceId: string;
  readonly currency: string;
  readonly recognised: bigint;
  readonly fee: bigint;
  readonly net: bigint;
}

/** Rule 6: one line per (period, licence, work, holder). */
export interface RoyaltyLine {
  readonly period: Period;
  readonly licenceId: string;
  readonly currency: string;
  readonly workId: string;
  readonly holderKey: string;
  readonly holderKind: HolderKind;
  /** The work's accepted units in the period (0 under the equal key). */
  readonly units: bigint;
  readonly amount: bigint;
  readonly consentRecordId: string;
}

export interface PeriodResult {
  readonly totals: LicencePeriodTotal[];
  readonly lines: RoyaltyLine[];
}
