/** Row shapes of the licensing tables, as the repositories return them (money as bigint). */
export type OfferKind = 'collective' | 'dataset';
export type LicenceStatus = 'pending_payment' | 'active' | 'cancelled' | 'revoked';
export type DisputeStatus = 'none' | 'open' | 'won' | 'lost';
export type StripeEventStatus = 'received' | 'processed' | 'ignored' | 'failed';

export interface OfferTierRow {
  code: string;
  label: string;
  priceMinor: bigint;
}

export interface OfferRow {
  id: string;
  kind: OfferKind;
  name: string;
  description: string;
  uses: string[];
  commercial: boolean;
  currency: string;
  priceMinor: bigint;
  termDays: number | null;
  adminFeeBps: number;
  distributionKey: 'usage' | 'equal';
  usageUnit: string;
  active: boolean;
  createdBy: string;
  createdAt: Date;
  tiers: OfferTierRow[];
  workCount: number | null;
}

export interface LicenceRow {
  id: string;
  offerId: string;
  offerName: string;
  organisationId: string;
  organisationName: string;
  purchasedBy: string | null;
  tier: string | null;
  status: LicenceStatus;
  kind: OfferKind;
  uses: string[];
  commercial: boolean;
  currency: string;
  priceMinor: bigint;
  termDays: number | null;
  adminFeeBps: number;
  distributionKey: 'usage' | 'equal';
  usageUnit: string;
  startsAt: Date | null;
  endsAt: Date | null;
  cancelledAt: Date | null;
  revokedAt: Date | null;
  amountPaidMinor: bigint;
  amountRefundedMinor: bigint;
  disputeLostMinor: bigint;
  lastRefundedAt: Date | null;
  disputeStatus: DisputeStatus;
  stripeDisputeId: string | null;
  stripeCheckoutSessionId: string | null;
  stripePaymentIntentId: string | null;
  stripeChargeId: string | null;
  manifestSha256: string | null;
  manifestSignature: string | null;
  manifestKeyId: string | null;
  workCount: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ManifestLineRow {
  workId: string;
  contentHash: string;
  consentRecordId: string;
}

export interface LicenceRefundRow {
  id: string;
  licenceId: string;
  amountMinor: bigint;
  currency: string;
  status: 'requested' | 'submitted';
  stripeRefundId: string | null;
  requestedBy: string | null;
  createdAt: Date;
}

export interface StripeEventRow {
  id: string;
  type: string;
  livemode: boolean;
  stripeCreatedAt: Date;
  payload: unknown;
  status: StripeEventStatus;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}
