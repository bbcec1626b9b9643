/** Shapes of the API's answers, as the portal reads them. Money: strings of digits, minor units. */

export interface Page<T> {
  data: T[];
  total?: number;
  /** GET /v1/works: 'gte' when total is a lower bound (more than 1,000 matches), 'eq' when exact. */
  totalRelation?: 'eq' | 'gte';
  nextCursor?: string | null;
}

export const USES = ['train', 'fine_tune', 'retrieval', 'evaluation'] as const;
export type Use = (typeof USES)[number];
export const MEDIA_TYPES = ['text', 'image', 'audio', 'video', 'code', 'dataset', 'other'] as const;

export interface Consent {
  train: boolean;
  fineTune: boolean;
  retrieval: boolean;
  evaluation: boolean;
  commercial: boolean;
  collective: boolean;
  excludedOrganisationIds: string[];
}

export const CONSENT_FLAGS = ['train', 'fineTune', 'retrieval', 'evaluation', 'commercial', 'collective'] as const;
export type ConsentFlag = (typeof CONSENT_FLAGS)[number];

export interface ConsentRecord {
  id: string;
  workId: string;
  actorId: string | null;
  actorName: string | null;
  createdAt: string;
  bulkId: string | null;
  consent: Consent;
  previousId: string | null;
  previous: Consent;
}

export interface CreatorProfile {
  id: string;
  displayName: string;
  country: string | null;
  payoutCurrency: string | null;
  bio: string | null;
  links: string[];
  readyForPayouts: boolean;
}

export interface CatalogueCounts {
  works: number;
  byMediaType: Record<string, number>;
  byUse: Record<ConsentFlag, number>;
  byStatus: Record<string, number>;
  includesDrafts?: boolean;
}

export interface Catalogue {
  id: string;
  ownerId: string;
  name: string;
  description: string | null;
  createdAt: string;
  counts?: CatalogueCounts;
}

export interface Work {
  id: string;
  catalogueId: string;
  ownerId: string;
  title: string;
  mediaType: string;
  language: string;
  identifiers: Record<string, string> | null;
  contentHash: string;
  sizeBytes: string | null;
  tags: string[];
  description: string | null;
  sourceUrl: string | null;
  status: string;
  listed: boolean;
  hasContent: boolean;
  consent: Consent & { consentRecordId: string | null };
  createdAt: string;
}

export interface SplitHolder {
  creatorId: string | null;
  creatorName?: string | null;
  invitationId: string | null;
  email: string | null;
  accepted: boolean;
  shareBps: number;
}

export interface Split {
  id: string;
  workId: string;
  version: number;
  effectiveAt: string;
  createdBy: string;
  createdAt: string;
  holders: SplitHolder[];
  invitations?: { email: string; invitationId: string; token: string }[];
}

export interface WorksImport {
  id: string;
  catalogueId: string;
  status: 'queued' | 'processing' | 'completed' | 'failed';
  processedThroughRow: number;
  rowsCreated: number;
  rowsRejected: number;
  error: { code: string; message: string } | null;
  createdAt: string;
  completedAt: string | null;
}

export interface ImportRejection {
  rowNo: number;
  code: string;
  message: string;
}

export interface Offer {
  id: string;
  kind: 'collective' | 'dataset';
  name: string;
  description: string;
  uses: Use[];
  commercial: boolean;
  currency: string;
  priceMinor: string;
  termDays: number | null;
  adminFeeBps: number;
  distributionKey: 'usage' | 'equal';
  usageUnit: string;
  active?: boolean;
  tiers: { code: string; label: string; priceMinor: string }[];
  workCount: number | null;
}

export interface Licence {
  id: string;
  offerId: string;
  offerName: string;
  organisationId: string;
  organisationName?: string;
  tier: string | null;
  status: 'pending_payment' | 'active' | 'cancelled' | 'revoked';
  kind: 'collective' | 'dataset';
  uses: Use[];
  commercial: boolean;
  currency: string;
  priceMinor: string;
  termDays: number | null;
  usageUnit: string;
  startsAt: string | null;
  endsAt: string | null;
  revokedAt?: string | null;
  amountPaidMinor?: string;
  amountRefundedMinor?: string;
  workCount: number | null;
  manifestSha256?: string | null;
  manifestSignature?: string | null;
  checkoutUrl?: string | null;
  createdAt: string;
}

export interface RegisterLicence {
  licenceId: string;
  organisation: string;
  offer: { id: string; name: string };
  kind: string;
  uses: string[];
  commercial: boolean;
  status: string;
  startsAt: string;
  endsAt: string | null;
  revokedAt: string | null;
  workCount: number;
  currency?: string;
  priceMinor?: string;
  consentRecordId?: string;
}

export interface RegisterStats {
  licencesGranted: number;
  licencesActive: number;
  organisations: number;
  worksLicensed: number;
}

export interface UsageReport {
  id: string;
  licenceId: string;
  organisationId: string;
  period: string;
  source: string;
  status: 'received' | 'processing' | 'processed' | 'failed';
  late: boolean;
  supersedesId: string | null;
  supersededById: string | null;
  progress: { linesRead: string };
  counts: { lines: string; accepted: string; rejected: string; acceptedUnits: string; works: string } | null;
  error: { code: string; message: string } | null;
  file: { bytes: string; sha256: string };
  receivedAt: string;
  processedAt: string | null;
}

export interface RoyaltyTotals {
  currency: string;
  recognised: string;
  fees: string;
  distributed: string;
  adjustments: string;
}

/** GET /v1/royalty-runs/{id}/creators: a creator with lines in the run, and their sums per currency. */
export interface RunCreator {
  creatorId: string;
  name: string;
  lineCount: number;
  totals: { currency: string; amount: string }[];
}

export interface RoyaltyRun {
  id: string;
  period: string;
  status: 'queued' | 'computing' | 'computed' | 'approved' | 'posted' | 'failed';
  percent: number;
  totals: RoyaltyTotals[];
  createdBy: string;
  createdByName?: string | null;
  recomputedBy: string | null;
  recomputedByName?: string | null;
  approvedBy: string | null;
  approvedByName?: string | null;
  createdAt: string;
  computedAt: string | null;
  approvedAt: string | null;
  postedAt: string | null;
  error: { code: string; message: string } | null;
}

export interface RoyaltyLine {
  period: string;
  originalPeriod: string;
  isAdjustment: boolean;
  licenceId: string;
  organisationName?: string | null;
  workId: string;
  workTitle?: string | null;
  holderKey: string;
  holderKind: 'creator' | 'invitation';
  holderName?: string | null;
  consentRecordId: string;
  units: string;
  currency: string;
  amount: string;
}

export interface StatementTotals {
  currency: string;
  royalties: string;
  adjustments: string;
  total: string;
}

export interface StatementSummary {
  runId: string;
  period: string;
  status: string;
  postedAt: string | null;
  totals: StatementTotals[];
}

export interface Statement extends StatementSummary {
  creatorId: string;
  rulesVersion: string;
  byLicence: { licenceId: string; organisationName?: string | null; currency: string; amount: string }[];
  byWork: { workId: string; workTitle?: string | null; currency: string; amount: string }[];
  lines: RoyaltyLine[];
  adjustments: RoyaltyLine[];
}

export interface Balance {
  currency: string;
  amount: string;
}

export interface PayoutAccount {
  stripeAccountId: string;
  country: string;
  defaultCurrency: string;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  requirements: string[] | Record<string, unknown> | null;
}

export interface PayoutItem {
  id: string;
  runId: string;
  creatorId: string;
  creatorName?: string | null;
  currency: string;
  amountMinor: string | null;
  paidAmountMinor: string | null;
  reversedAmountMinor: string | null;
  status: 'included' | 'carried_forward' | 'pending' | 'processing' | 'paid' | 'failed' | 'reversed';
  reason: string | null;
  stripeTransferId: string | null;
  attempts: number;
  lastError: string | null;
  paidAt: string | null;
}

export interface PayoutRun {
  id: string;
  currency: string;
  status: 'preview' | 'approved' | 'executing' | 'completed' | 'failed';
  minimumMinor: string | null;
  totals: Record<string, { count: number; amountMinor: string | null }>;
  createdBy: string;
  createdByName?: string | null;
  approvedBy: string | null;
  approvedByName?: string | null;
  createdAt: string;
  approvedAt: string | null;
  finishedAt: string | null;
  progress?: { total: number; byStatus: Record<string, number> };
  items?: PayoutItem[];
}

export interface Reconciliation {
  from: string;
  to: string;
  ledgerTransfers: number;
  stripeTransfers: number;
  balanced: boolean;
  mismatches: {
    kind: string;
    transferId: string | null;
    itemId: string | null;
    ledger: { amountMinor: string; currency: string; destination: string; reversedMinor: string } | null;
    stripe: { amountMinor: string; currency: string; destination: string; reversedMinor: string } | null;
  }[];
}

export interface Unclaimed {
  asOf: string;
  method: string;
  totals: { currency: string; totalMinor: string; buckets: Record<string, string> }[];
  balances: { account: string; holder: { kind: 'invitation' | 'creator'; id: string }; reason: string; currency: string; balanceMinor: string; buckets: Record<string, string>; oldestUnpaidCreditAt: string | null }[];
  /** Display names by holder ID (a creator's name, or the e-mail an invitation went to). */
  holderNames?: Record<string, string>;
}

export interface DisputedClaim extends Work {
  ownerName: string | null;
}

export interface Dispute {
  contentHash: string;
  works: DisputedClaim[];
}

export interface DisputeResolution {
  kept: Work;
  rejected: Work[];
  mergedSplitId: string | null;
}

export interface RefundRequest {
  id: string;
  licenceId: string;
  amountMinor: string;
  currency: string;
  status: 'submitted';
  stripeRefundId: string;
}
