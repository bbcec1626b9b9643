/** Shapes of the API's answers, as the portal reads them. Money: strings of digits, minor units. */

export interface Page<T> {
  data: T[];
  total?: number;
  nextCursor?: string | null;
}

export const USES = ['train', 'fine_tune', 'retrieval', 'evaluation'] as const;
export type Use = (typeof USES)[number];
export const MEDIA_TYPES = ['text', 'image', 'audio', 'video', 'code', 'dataset', 'other'] as const;

export interface Consent {
  train: boolean;
  fine_tune: boolean;
  retrieval: boolean;
  evaluation: boolean;
  commercial: boolean;
  collective: boolean;
  excludedOrganisationIds: string[];
}

export interface ConsentRecord extends Partial<Consent> {
  id: string;
  workId: string;
  actorId?: string | null;
  createdAt: string;
  previousId?: string | null;
  state?: Consent;
  previous?: Consent | null;
}

export interface Catalogue {
  id: string;
  ownerId: string;
  name: string;
  description: string | null;
  createdAt: string;
  workCount?: number;
  counts?: { byMediaType?: Record<string, number>; byUse?: Record<string, number>; works?: number };
}

export interface Work {
  id: string;
  catalogueId: string;
  ownerId: string;
  title: string;
  mediaType: string;
  language: string;
  identifiers?: Record<string, string>;
  contentHash: string;
  sizeBytes: string | number | null;
  tags: string[];
  description: string | null;
  sourceUrl: string | null;
  status: 'active' | 'disputed' | string;
  hasContent?: boolean;
  consent: Consent | null;
  consentRecordId?: string | null;
  createdAt: string;
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
  organisationName: string;
  offerId: string;
  offerName: string;
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
}

export interface UsageReport {
  id: string;
  licenceId: string;
  period: string;
  status: 'received' | 'processing' | 'processed' | 'failed';
  late?: boolean;
  supersedesId?: string | null;
  supersededById?: string | null;
  linesRead?: number | string;
  counts?: { lines?: number | string; accepted?: number | string; rejected?: number | string; acceptedUnits?: string } | null;
  lines?: number | string;
  acceptedLines?: number | string;
  rejectedLines?: number | string;
  acceptedUnits?: string;
  errorCode?: string | null;
  errorMessage?: string | null;
  createdAt?: string;
}

export interface CurrencyTotals {
  currency: string;
  recognisedMinor?: string;
  feesMinor?: string;
  distributedMinor?: string;
  adjustmentsMinor?: string;
  [k: string]: string | undefined;
}

export interface RoyaltyRun {
  id: string;
  period: string;
  status: 'queued' | 'computing' | 'computed' | 'approved' | 'posted' | 'failed';
  percent?: number;
  progress?: number | { done?: number; total?: number; percent?: number };
  totals?: CurrencyTotals[];
  startedBy?: string;
  createdBy?: string;
  approvedBy?: string | null;
  createdAt: string;
  approvedAt?: string | null;
  error?: string | null;
}

export interface StatementLine {
  runId?: string;
  period: string;
  originalPeriod?: string | null;
  licenceId: string;
  workId: string;
  workTitle?: string;
  holderId?: string;
  units?: string | number;
  amountMinor: string;
  currency: string;
  consentRecordId: string;
  adjustment?: boolean;
}

export interface Statement {
  runId: string;
  period: string;
  status?: string;
  approvedAt?: string | null;
  totals?: { currency: string; amountMinor: string; adjustmentsMinor?: string }[];
  lines?: StatementLine[];
}

export interface Balance {
  currency: string;
  amountMinor: string;
}

export interface PayoutAccount {
  status?: string;
  payoutsEnabled: boolean;
  stripeAccountId?: string;
  requirements?: string[];
  onboardingUrl?: string | null;
  country?: string;
  currency?: string;
}

export interface PayoutItem {
  id: string;
  creatorId: string;
  creatorName?: string;
  amountMinor: string;
  currency: string;
  status: string;
  reason?: string | null;
  included?: boolean;
  stripeTransferId?: string | null;
  error?: string | null;
  lastError?: string | null;
}

export interface PayoutRun {
  id: string;
  currency: string;
  status: string;
  createdBy?: string;
  approvedBy?: string | null;
  createdAt: string;
  totals?: Record<string, unknown>;
  items?: PayoutItem[];
  progress?: { done?: number; total?: number; percent?: number } | number;
}
