/**
 * Ledger account names (text). Pure: no Nest/TypeORM. Every writer names accounts through these
 * helpers so that balances, prefixes and the trial balance's classes stay consistent.
 *
 * An account is `<type>:<name>[:<segment>…]`; its class is its first two segments
 * (`liability:payable:creator:<id>` → `liability:payable`).
 */
export const ACCOUNT_PATTERN = /^[a-z][a-z_]*(:[A-Za-z0-9_.-]+)+$/;
export const ACCOUNT_MAX_LENGTH = 200;

const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

function withId(prefix: string, id: string): string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new TypeError(`Invalid ID for ledger account ${prefix}<id>: ${String(id)}`);
  return prefix + id;
}

/** Prefixes of the per-party accounts, for `balancesByPrefix()`. */
export const AccountPrefixes = Object.freeze({
  deferredRevenue: 'liability:deferred_revenue:licence:',
  payable: 'liability:payable:creator:',
  unclaimed: 'liability:unclaimed:invitation:',
});

export const Accounts = Object.freeze({
  /** Asset: money held at Stripe (our platform balance). */
  cashStripe: 'cash:stripe',
  /** Expense: Stripe's processing fees. */
  stripeFees: 'expense:stripe_fees',
  /** Revenue: the collective's administration fee, recognised at royalty approval. */
  platformFees: 'revenue:platform_fees',
  /** Liability: refunds owed to licensees but not yet paid out by Stripe (only if a flow needs it). */
  refundsPayable: 'liability:refunds_payable',
  /** Liability: a licence's paid amount not yet distributed as royalties. */
  deferredRevenue: (licenceId: string) => withId(AccountPrefixes.deferredRevenue, licenceId),
  /** Liability: royalties owed to a creator (rights holder who has joined). */
  payable: (creatorId: string) => withId(AccountPrefixes.payable, creatorId),
  /** Liability: royalties held for an invited holder who has not joined yet. */
  unclaimed: (invitationId: string) => withId(AccountPrefixes.unclaimed, invitationId),
});

export type AccountType = 'cash' | 'expense' | 'revenue' | 'liability' | 'equity' | 'asset';

export interface ParsedAccount {
  account: string;
  /** First segment: `cash`, `expense`, `revenue`, `liability`, … */
  type: string;
  /** First two segments: `liability:payable`. */
  accountClass: string;
  /** For per-party accounts: which party (`licence`, `creator`, `invitation`) and its ID. */
  party: { kind: string; id: string } | null;
}

export function isValidAccount(account: unknown): account is string {
  return typeof account === 'string' && account.length <= ACCOUNT_MAX_LENGTH && ACCOUNT_PATTERN.test(account);
}

/** The class of an account: its first two segments. */
export function accountClass(account: string): string {
  const [type, name] = account.split(':');
  return `${type}:${name}`;
}

/** Splits an account name; null if it is not a valid account. */
export function parseAccount(account: string): ParsedAccount | null {
  if (!isValidAccount(account)) return null;
  const segments = account.split(':');
  const party = segments.length === 4 ? { kind: segments[2], id: segments[3] } : null;
  return { account, type: segments[0], accountClass: `${segments[0]}:${segments[1]}`, party };
}

/** The creator ID of `liability:payable:creator:<id>`, else null. */
export function creatorIdOfPayable(account: string): string | null {
  return account.startsWith(AccountPrefixes.payable) ? account.slice(AccountPrefixes.payable.length) || null : null;
}

/** The invitation ID of `liability:unclaimed:invitation:<id>`, else null. */
export function invitationIdOfUnclaimed(account: string): string | null {
  return account.startsWith(AccountPrefixes.unclaimed) ? account.slice(AccountPrefixes.unclaimed.length) || null : null;
}

/** The licence ID of `liability:deferred_revenue:licence:<id>`, else null. */
export function licenceIdOfDeferredRevenue(account: string): string | null {
  return account.startsWith(AccountPrefixes.deferredRevenue) ? account.slice(AccountPrefixes.deferredRevenue.length) || null : null;
}

/** Credit-normal accounts (liabilities, revenue, equity) carry negative balances in our sign convention. */
export function isCreditNormal(account: string): boolean {
  const type = account.split(':')[0];
  return type === 'liability' || type === 'revenue' || type === 'equity';
}

/**
 * The balance in the account's natural sign: what a creator is owed on `liability:payable:…`
 * (the stored balance is negative: credits are negative), what we hold on `cash:stripe`.
 */
export function naturalBalance(account: string, balance: bigint): bigint {
  return isCreditNormal(account) ? -balance : balance;
}
