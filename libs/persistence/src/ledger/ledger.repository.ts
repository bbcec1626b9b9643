import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface NewJournalEntry {
  kind: string;
  reference: string;
  occurredAt: Date;
  description: string;
  metadata: Record<string, unknown>;
  postingsDigest: string;
}

export interface JournalEntryRow extends NewJournalEntry {
  id: string;
  createdAt: Date;
}

export interface PostingRow {
  account: string;
  currency: string;
  /** Minor units; debit positive, credit negative. */
  amount: bigint;
}

export interface AccountBalanceRow {
  account: string;
  currency: string;
  balance: bigint;
}

/** One posting on an account, with its entry's header (an account statement line). */
export interface AccountLineRow {
  postingId: string;
  entryId: string;
  kind: string;
  reference: string;
  occurredAt: Date;
  createdAt: Date;
  description: string;
  currency: string;
  amount: bigint;
}

export interface CurrencyTotalsRow {
  currency: string;
  debits: bigint;
  credits: bigint;
  net: bigint;
}

export interface ClassBalanceRow {
  accountClass: string;
  currency: string;
  balance: bigint;
}

type Row = Record<string, unknown>;

const ENTRY_COLUMNS = `id, kind, reference, occurred_at, created_at, description, metadata, postings_digest`;

const toEntry = (r: Row): JournalEntryRow => ({
  id: r.id as string,
  kind: r.kind as string,
  reference: r.reference as string,
  occurredAt: r.occurred_at as Date,
  createdAt: r.created_at as Date,
  description: r.description as string,
  metadata: (r.metadata as Record<string, unknown>) ?? {},
  postingsDigest: r.postings_digest as string,
});

/** `liability:payable:` → a LIKE pattern matching exactly that prefix (`_` and `%` are literal). */
const likePrefix = (prefix: string) => prefix.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/** The class of an account in SQL: its first two segments (`liability:payable`). */
const CLASS_SQL = `split_part(account, ':', 1) || ':' || split_part(account, ':', 2)`;

/**
 * All SQL of the ledger. Entries and postings are only ever inserted (the database refuses
 * UPDATE/DELETE); balances are always derived from postings.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  private q(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  /** The new entry's ID, or null when (kind, reference) already exists (nothing written). */
  async insertEntry(em: EntityManager, e: NewJournalEntry): Promise<string | null> {
    const rows: Row[] = await em.query(
      `INSERT INTO journal_entries (kind, reference, occurred_at, description, metadata, postings_digest)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (kind, reference) DO NOTHING
       RETURNING id`,
      [e.kind, e.reference, e.occurredAt, e.description, JSON.stringify(e.metadata), e.postingsDigest],
    );
    return rows.length ? (rows[0].id as string) : null;
  }

  /** Every posting of an entry in ONE statement (arrays unnested server-side), whatever their number. */
  async insertPostings(em: EntityManager, entryId: string, postings: readonly PostingRow[]): Promise<void> {
    await em.query(
      `INSERT INTO postings (entry_id, account, currency, amount)
       SELECT $1::uuid, a, c, m FROM unnest($2::text[], $3::text[], $4::bigint[]) AS t(a, c, m)`,
      [entryId, postings.map((p) => p.account), postings.map((p) => p.currency), postings.map((p) => p.amount.toString())],
    );
  }

  async findEntryByKey(kind: string, reference: string, em?: EntityManager): Promise<JournalEntryRow | null> {
    const rows: Row[] = await this.q(em).query(`SELECT ${ENTRY_COLUMNS} FROM journal_entries WHERE kind = $1 AND reference = $2`, [kind, reference]);
    return rows.length ? toEntry(rows[0]) : null;
  }

  async findEntry(id: string, em?: EntityManager): Promise<JournalEntryRow | null> {
    const rows: Row[] = await this.q(em).query(`SELECT ${ENTRY_COLUMNS} FROM journal_entries WHERE id = $1`, [id]);
    return rows.length ? toEntry(rows[0]) : null;
  }

  async entriesByReference(reference: string, kind?: string, em?: EntityManager): Promise<JournalEntryRow[]> {
    const rows: Row[] = await this.q(em).query(
      `SELECT ${ENTRY_COLUMNS} FROM journal_entries WHERE reference = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY created_at, id`,
      [reference, kind ?? null],
    );
    return rows.map(toEntry);
  }

  async postingsOf(entryId: string, em?: EntityManager): Promise<PostingRow[]> {
    const rows: Row[] = await this.q(em).query(`SELECT account, currency, amount FROM postings WHERE entry_id = $1 ORDER BY id`, [entryId]);
    return rows.map((r) => ({ account: r.account as string, currency: r.currency as string, amount: BigInt(r.amount as string) }));
  }

  /** Σ postings of one account in one currency; with asOf, only entries that occurred at or before it. */
  async balance(account: string, currency: string, asOf?: Date, em?: EntityManager): Promise<bigint> {
    const rows: Row[] = asOf
      ? await this.q(em).query(
          `SELECT coalesce(sum(p.amount), 0)::text AS balance
             FROM postings p JOIN journal_entries e ON e.id = p.entry_id
            WHERE p.account = $1 AND p.currency = $2 AND e.occurred_at <= $3`,
          [account, currency, asOf],
        )
      : await this.q(em).query(`SELECT coalesce(sum(amount), 0)::text AS balance FROM postings WHERE account = $1 AND currency = $2`, [account, currency]);
    return BigInt(rows[0].balance as string);
  }

  async balancesOf(accounts: readonly string[], em?: EntityManager): Promise<AccountBalanceRow[]> {
    if (!accounts.length) return [];
    const rows: Row[] = await this.q(em).query(
      `SELECT account, currency, sum(amount)::text AS balance FROM postings WHERE account = ANY($1::text[])
        GROUP BY account, currency ORDER BY account, currency`,
      [accounts],
    );
    return rows.map(toBalance);
  }

  async balancesByPrefix(prefix: string, currency?: string, em?: EntityManager): Promise<AccountBalanceRow[]> {
    const rows: Row[] = await this.q(em).query(
      `SELECT account, currency, sum(amount)::text AS balance FROM postings
        WHERE account LIKE $1 AND ($2::text IS NULL OR currency = $2)
        GROUP BY account, currency ORDER BY account, currency`,
      [likePrefix(prefix), currency ?? null],
    );
    return rows.map(toBalance);
  }

  /** Postings of an account, newest first, keyset-paginated by posting ID. */
  async accountLines(account: string, page: { limit: number; before?: string }, em?: EntityManager): Promise<AccountLineRow[]> {
    const rows: Row[] = await this.q(em).query(
      `SELECT p.id AS posting_id, p.entry_id, e.kind, e.reference, e.occurred_at, e.created_at, e.description, p.currency, p.amount
         FROM postings p JOIN journal_entries e ON e.id = p.entry_id
        WHERE p.account = $1 AND ($2::bigint IS NULL OR p.id < $2)
        ORDER BY p.id DESC LIMIT $3`,
      [account, page.before ?? null, page.limit],
    );
    return rows.map((r) => ({
      postingId: String(r.posting_id),
      entryId: r.entry_id as string,
      kind: r.kind as string,
      reference: r.reference as string,
      occurredAt: r.occurred_at as Date,
      createdAt: r.created_at as Date,
      description: r.description as string,
      currency: r.currency as string,
      amount: BigInt(r.amount as string),
    }));
  }

  async totalsByCurrency(em?: EntityManager): Promise<CurrencyTotalsRow[]> {
    const rows: Row[] = await this.q(em).query(
      `SELECT currency,
              coalesce(sum(amount) FILTER (WHERE amount > 0), 0)::text AS debits,
              coalesce(-sum(amount) FILTER (WHERE amount < 0), 0)::text AS credits,
              sum(amount)::text AS net
         FROM postings GROUP BY currency ORDER BY currency`,
    );
    return rows.map((r) => ({ currency: r.currency as string, debits: BigInt(r.debits as string), credits: BigInt(r.credits as string), net: BigInt(r.net as string) }));
  }

  async balancesByClass(em?: EntityManager): Promise<ClassBalanceRow[]> {
    const rows: Row[] = await this.q(em).query(
      `SELECT ${CLASS_SQL} AS account_class, currency, sum(amount)::text AS balance
         FROM postings GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return rows.map((r) => ({ accountClass: r.account_class as string, currency: r.currency as string, balance: BigInt(r.balance as string) }));
  }

  /** Serialises writers of one account until the end of the transaction (e.g. a payout re-checking a balance). */
  async lockAccount(em: EntityManager, account: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('fairshare.ledger:' || $1, 0))`, [account]);
  }
}

const toBalance = (r: Row): AccountBalanceRow => ({ account: r.account as string, currency: r.currency as string, balance: BigInt(r.balance as string) });
