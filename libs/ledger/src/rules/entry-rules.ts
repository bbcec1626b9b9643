import { createHash } from 'node:crypto';
import { UnprocessableEntity } from '@fairshare/domain';
import { isSupportedCurrency } from '@fairshare/money';
import { isValidAccount } from '../accounts';

/** One posting: debit positive, credit negative, in the currency's minor unit. */
export interface PostingInput {
  account: string;
  currency: string;
  amount: bigint;
}

export interface EntryInput {
  /** What kind of event this is (`licence.payment`, `royalty.approval`, …): lower case, dots. */
  kind: string;
  /** The business ID the entry records (Stripe charge, run ID…): unique per kind. */
  reference: string;
  occurredAt: Date;
  description: string;
  metadata?: Record<string, unknown>;
  postings: readonly PostingInput[];
}

export const KIND_PATTERN = /^[a-z][a-z0-9_.]{0,99}$/;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Stable error codes of the ledger. */
export const LedgerErrorCodes = {
  ENTRY_INVALID: 'LEDGER_ENTRY_INVALID',
  ENTRY_EMPTY: 'LEDGER_ENTRY_EMPTY',
  ENTRY_UNBALANCED: 'LEDGER_ENTRY_UNBALANCED',
  POSTING_ZERO: 'LEDGER_POSTING_ZERO',
  AMOUNT_OUT_OF_RANGE: 'LEDGER_AMOUNT_OUT_OF_RANGE',
  CURRENCY_INVALID: 'LEDGER_CURRENCY_INVALID',
  ACCOUNT_INVALID: 'LEDGER_ACCOUNT_INVALID',
  ENTRY_CONFLICT: 'LEDGER_ENTRY_CONFLICT',
  ENTRY_NOT_FOUND: 'LEDGER_ENTRY_NOT_FOUND',
} as const;

const fail = (code: string, message: string, details?: unknown): never => {
  throw new UnprocessableEntity(code, message, details);
};

/**
 * Checks an entry before it reaches the database (which enforces the same balance rule again at
 * commit): a kind and reference, at least one posting, every amount a non-zero int64 bigint, a
 * supported currency, a well-formed account, and postings summing to zero in every currency.
 */
export function validateEntry(e: EntryInput): void {
  const C = LedgerErrorCodes;
  if (typeof e.kind !== 'string' || !KIND_PATTERN.test(e.kind)) fail(C.ENTRY_INVALID, `Invalid entry kind: ${String(e.kind)} (lower case letters, digits, '_' and '.').`);
  if (typeof e.reference !== 'string' || e.reference.length < 1 || e.reference.length > 300) fail(C.ENTRY_INVALID, 'An entry needs a reference of 1 to 300 characters.');
  if (!(e.occurredAt instanceof Date) || Number.isNaN(e.occurredAt.getTime())) fail(C.ENTRY_INVALID, 'An entry needs a valid occurredAt.');
  if (typeof e.description !== 'string' || e.description.length > 1000) fail(C.ENTRY_INVALID, 'An entry description is a string of at most 1000 characters.');
  if (!Array.isArray(e.postings) || e.postings.length === 0) fail(C.ENTRY_EMPTY, `Journal entry ${e.kind} ${e.reference} has no postings.`);
  const sums = new Map<string, bigint>();
  e.postings.forEach((p, index) => {
    if (typeof p.amount !== 'bigint') fail(C.ENTRY_INVALID, `Posting ${index}: amount must be a bigint.`, { index });
    if (p.amount === 0n) fail(C.POSTING_ZERO, `Posting ${index} to ${p.account} has a zero amount: leave it out.`, { index, account: p.account });
    if (p.amount > INT64_MAX || p.amount < INT64_MIN) fail(C.AMOUNT_OUT_OF_RANGE, `Posting ${index}: amount out of the 64-bit range.`, { index });
    if (!isSupportedCurrency(p.currency)) fail(C.CURRENCY_INVALID, `Posting ${index}: unsupported currency ${String(p.currency)}.`, { index, currency: p.currency });
    if (!isValidAccount(p.account)) fail(C.ACCOUNT_INVALID, `Posting ${index}: invalid account ${String(p.account)}.`, { index, account: p.account });
    sums.set(p.currency, (sums.get(p.currency) ?? 0n) + p.amount);
  });
  const unbalanced = [...sums].filter(([, sum]) => sum !== 0n).map(([currency, sum]) => ({ currency, sum: sum.toString() }));
  if (unbalanced.length) {
    fail(C.ENTRY_UNBALANCED, `Journal entry ${e.kind} ${e.reference} does not balance: ${unbalanced.map((u) => `${u.currency} ${u.sum}`).join(', ')} instead of 0.`, { unbalanced });
  }
}

/**
 * SHA-256 of the postings, independent of their order: the same (kind, reference) posted again
 * must carry the same postings, or it is refused as a conflict.
 */
export function postingsDigest(postings: readonly PostingInput[]): string {
  const lines = postings.map((p) => `${p.account}\u0000${p.currency}\u0000${p.amount.toString()}`).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line + '\n');
  return hash.digest('hex');
}

/** The postings of a reversal: every posting negated. */
export function negatePostings(postings: readonly PostingInput[]): PostingInput[] {
  return postings.map((p) => ({ account: p.account, currency: p.currency, amount: -p.amount }));
}
