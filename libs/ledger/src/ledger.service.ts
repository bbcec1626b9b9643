import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Conflict, NotFound, ValidationFailed } from '@fairshare/domain';
import { AccountLineRow, JournalEntryRow, LedgerRepository, PostingRow } from '@fairshare/persistence';
import { isValidAccount } from './accounts';
import { EntryInput, LedgerErrorCodes, negatePostings, postingsDigest, validateEntry } from './rules/entry-rules';

export interface PostResult {
  entryId: string;
  /** false: an entry with this (kind, reference) already existed; nothing was written. */
  created: boolean;
}

export interface LedgerEntry extends JournalEntryRow {
  postings: PostingRow[];
}

/** account → currency → balance (debit positive, credit negative). */
export type BalanceMap = Map<string, Map<string, bigint>>;

export interface TrialBalance {
  currencies: { currency: string; debits: bigint; credits: bigint; net: bigint }[];
  /** Balances per account class (`liability:payable`) and currency. */
  accounts: { accountClass: string; currency: string; balance: bigint }[];
  /** True when every currency's postings sum to zero. */
  balanced: boolean;
}

export interface ReversalInput {
  kind: string;
  reference: string;
  occurredAt: Date;
  description: string;
  metadata?: Record<string, unknown>;
}

/**
 * The double-entry ledger every money path posts to. Writers pass their transaction's
 * EntityManager so that the entry commits (or not) with their business change; the database
 * re-checks balance at commit and refuses any later change.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
  ) {}

  /**
   * Posts one balanced entry, idempotently by (kind, reference): if that pair exists already,
   * returns it with `created: false` and writes nothing — provided its postings are the same
   * (else 409 LEDGER_ENTRY_CONFLICT: a writer computed something different for the same event).
   * All postings go in one INSERT, however many there are.
   */
  async post(em: EntityManager, input: EntryInput): Promise<PostResult> {
    validateEntry(input);
    const digest = postingsDigest(input.postings);
    const entryId = await this.ledger.insertEntry(em, {
      kind: input.kind,
      reference: input.reference,
      occurredAt: input.occurredAt,
      description: input.description,
      metadata: input.metadata ?? {},
      postingsDigest: digest,
    });
    if (entryId) {
      await this.ledger.insertPostings(em, entryId, input.postings);
      return { entryId, created: true };
    }
    const existing = await this.ledger.findEntryByKey(input.kind, input.reference, em);
    if (!existing) throw new Error(`journal entry ${input.kind} ${input.reference} conflicted but cannot be read`);
    if (existing.postingsDigest !== digest) {
      throw new Conflict(
        LedgerErrorCodes.ENTRY_CONFLICT,
        `Journal entry ${input.kind} ${input.reference} was already posted with different postings; post a correcting entry under a new reference instead.`,
        { entryId: existing.id, kind: input.kind, reference: input.reference },
      );
    }
    return { entryId: existing.id, created: false };
  }

  /**
   * A new entry negating every posting of `entryId` (corrections are new entries; nothing is
   * ever changed). Idempotent by the reversal's own (kind, reference).
   */
  async reverse(em: EntityManager, entryId: string, r: ReversalInput): Promise<PostResult> {
    const original = await this.ledger.findEntry(entryId, em);
    if (!original) throw new NotFound(LedgerErrorCodes.ENTRY_NOT_FOUND, `No journal entry ${entryId}.`);
    const postings = await this.ledger.postingsOf(entryId, em);
    return this.post(em, {
      ...r,
      metadata: { ...(r.metadata ?? {}), reversesEntryId: entryId },
      postings: negatePostings(postings),
    });
  }

  /** Balance of one account in one currency; with asOf, only entries that occurred at or before it. */
  balance(account: string, currency: string, em?: EntityManager, asOf?: Date): Promise<bigint> {
    return this.ledger.balance(account, currency, asOf, em);
  }

  /** Balances of the given accounts, or of every account starting with a prefix. Accounts without postings are absent. */
  async balances(accounts: readonly string[] | { prefix: string; currency?: string }, em?: EntityManager): Promise<BalanceMap> {
    const rows = Array.isArray(accounts)
      ? await this.ledger.balancesOf(accounts as readonly string[], em)
      : await this.ledger.balancesByPrefix((accounts as { prefix: string }).prefix, (accounts as { currency?: string }).currency, em);
    const map: BalanceMap = new Map();
    for (const r of rows) {
      if (!map.has(r.account)) map.set(r.account, new Map());
      map.get(r.account)!.set(r.currency, r.balance);
    }
    return map;
  }

  /** Every account under a prefix (e.g. `AccountPrefixes.payable`), optionally in one currency. */
  balancesByPrefix(prefix: string, currency?: string, em?: EntityManager): Promise<BalanceMap> {
    return this.balances({ prefix, currency }, em);
  }

  /**
   * Takes a transaction-scoped advisory lock on an account: two transactions locking the same
   * account run one after the other, so a payout can re-read a balance and post against it
   * without a concurrent writer slipping in between (every such writer must lock too).
   */
  lockAccount(em: EntityManager, account: string): Promise<void> {
    return this.ledger.lockAccount(em, account);
  }

  /** One entry with its postings, or null. */
  async entry(entryId: string, em?: EntityManager): Promise<LedgerEntry | null> {
    const e = await this.ledger.findEntry(entryId, em);
    return e ? { ...e, postings: await this.ledger.postingsOf(e.id, em) } : null;
  }

  /**
   * Entries recording a business reference (optionally of one kind) with all their postings; or
   * the entries touching an account (newest first, at most `limit`, default 100) with only that
   * account's postings — a royalty entry may carry 100,000 postings for other accounts.
   */
  async entriesFor(q: { reference: string; kind?: string } | { account: string; limit?: number }, em?: EntityManager): Promise<LedgerEntry[]> {
    if ('account' in q) {
      const lines = await this.ledger.accountLines(q.account, { limit: q.limit ?? 100 }, em);
      const byEntry = new Map<string, LedgerEntry>();
      for (const l of lines) {
        let e = byEntry.get(l.entryId);
        if (!e) {
          const header = (await this.ledger.findEntry(l.entryId, em))!;
          e = { ...header, postings: [] };
          byEntry.set(l.entryId, e);
        }
        e.postings.push({ account: q.account, currency: l.currency, amount: l.amount });
      }
      return [...byEntry.values()];
    }
    const entries = await this.ledger.entriesByReference(q.reference, q.kind, em);
    return Promise.all(entries.map(async (e) => ({ ...e, postings: await this.ledger.postingsOf(e.id, em) })));
  }

  /** An account's postings with their entries, newest first; `before` = the last postingId of the previous page. */
  accountLines(account: string, page: { limit: number; before?: string }, em?: EntityManager): Promise<AccountLineRow[]> {
    if (!isValidAccount(account)) throw new ValidationFailed(LedgerErrorCodes.ACCOUNT_INVALID, `Not a ledger account: ${String(account).slice(0, 200)}.`);
    return this.ledger.accountLines(account, page, em);
  }

  /**
   * Debits, credits and net per currency (net must be 0: `balanced`), and balances per account
   * class. Tests call this after each scenario: `expect((await ledger.trialBalance()).balanced).toBe(true)`.
   */
  async trialBalance(em?: EntityManager): Promise<TrialBalance> {
    const run = async (m: EntityManager) => {
      const [currencies, classes] = [await this.ledger.totalsByCurrency(m), await this.ledger.balancesByClass(m)];
      return {
        currencies,
        accounts: classes.map((c) => ({ accountClass: c.accountClass, currency: c.currency, balance: c.balance })),
        balanced: currencies.every((c) => c.net === 0n),
      };
    };
    // Both sums from one snapshot, so a concurrent commit cannot make them disagree.
    return em ? run(em) : this.dataSource.transaction('REPEATABLE READ', run);
  }
}

