import { DataSource, EntityManager } from 'typeorm';
import { createDataSource, LedgerRepository } from '@fairshare/persistence';
import { createTestDatabase } from '@fairshare/testing';
import { Accounts } from './accounts';
import { LedgerService } from './ledger.service';

/** What the DATABASE refuses, by raw SQL, whatever the TypeScript in front of it does. */
describe('ledger database enforcement (int)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let ledger: LedgerService;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 4, 'ledger-int');
    await ds.initialize();
    ledger = new LedgerService(ds, new LedgerRepository(ds));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const counts = async () => {
    const [r] = await ds.query(`SELECT (SELECT count(*) FROM journal_entries)::int AS entries, (SELECT count(*) FROM postings)::int AS postings`);
    return r as { entries: number; postings: number };
  };
  const rawEntry = async (em: EntityManager, reference: string): Promise<string> => {
    const [row] = await em.query(
      `INSERT INTO journal_entries (kind, reference, occurred_at, postings_digest) VALUES ('test.raw', $1, now(), repeat('0', 64)) RETURNING id`,
      [reference],
    );
    return row.id;
  };
  const rawPostings = (em: EntityManager, entryId: string, rows: [string, string, number][]) =>
    em.query(
      `INSERT INTO postings (entry_id, account, currency, amount) SELECT $1, a, c, m FROM unnest($2::text[], $3::text[], $4::bigint[]) t(a, c, m)`,
      [entryId, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
    );
  type PgError = { code?: string; constraint?: string; message: string };
  const pgError = (e: unknown): PgError => e as PgError;

  it('refuses at commit an entry whose postings do not sum to zero per currency, writing nothing', async () => {
    const before = await counts();
    const err = await ds
      .transaction(async (em) => {
        const id = await rawEntry(em, 'unbalanced');
        await rawPostings(em, id, [
          [Accounts.cashStripe, 'EUR', 1000],
          [Accounts.deferredRevenue('L1'), 'EUR', -999],
        ]);
      })
      .then(() => ({ message: 'committed' }) as PgError, pgError);
    expect(err).toMatchObject({ code: '23514', constraint: 'journal_entry_balanced' });
    expect(err.message).toMatch(/unbalanced: its EUR postings sum to 1 instead of 0/);
    expect(await counts()).toEqual(before);
  });

  it('checks each currency separately (EUR +5 and USD −5 do not balance)', async () => {
    const err = await ds
      .transaction(async (em) => {
        const id = await rawEntry(em, 'cross-currency');
        await rawPostings(em, id, [
          [Accounts.cashStripe, 'EUR', 5],
          [Accounts.cashStripe, 'USD', -5],
        ]);
      })
      .catch(pgError);
    expect(err).toMatchObject({ code: '23514', constraint: 'journal_entry_balanced' });
  });

  it('refuses an entry without postings', async () => {
    const before = await counts();
    const err = await ds.transaction((em) => rawEntry(em, 'empty')).catch(pgError);
    expect(err).toMatchObject({ code: '23514', constraint: 'journal_entry_has_postings' });
    expect(await counts()).toEqual(before);
  });

  it('refuses postings added to a committed entry from another transaction, even balanced ones', async () => {
    const { entryId } = await ds.transaction((em) =>
      ledger.post(em, {
        kind: 'test.committed',
        reference: 'late',
        occurredAt: new Date(),
        description: 'committed',
        postings: [
          { account: Accounts.cashStripe, currency: 'EUR', amount: 100n },
          { account: Accounts.deferredRevenue('L2'), currency: 'EUR', amount: -100n },
        ],
      }),
    );
    const before = await counts();
    const err = await ds
      .transaction((em) =>
        rawPostings(em, entryId, [
          [Accounts.cashStripe, 'EUR', 50],
          [Accounts.platformFees, 'EUR', -50],
        ]),
      )
      .then(() => ({ message: 'committed' }) as PgError, pgError);
    expect(err).toMatchObject({ code: '23514', constraint: 'postings_same_transaction' });
    expect(err.message).toMatch(/only be added in the transaction that created it/);
    expect(await counts()).toEqual(before);
  });

  it('stamps tx_id itself: a writer cannot claim another transaction', async () => {
    // An entry inserted with a forged tx_id still belongs to its real transaction…
    const id = await ds.transaction(async (em) => {
      const [row] = await em.query(
        `INSERT INTO journal_entries (kind, reference, occurred_at, postings_digest, tx_id) VALUES ('test.raw', 'forged', now(), repeat('0', 64), 1) RETURNING id, tx_id, txid_current() AS now_tx`,
      );
      expect(row.tx_id).toBe(row.now_tx);
      await rawPostings(em, row.id, [
        [Accounts.cashStripe, 'EUR', 1],
        [Accounts.platformFees, 'EUR', -1],
      ]);
      return row.id as string;
    });
    // …and is closed once committed.
    const err = await ds.transaction((em) => rawPostings(em, id, [[Accounts.cashStripe, 'EUR', 1], [Accounts.platformFees, 'EUR', -1]])).catch(pgError);
    expect(err).toMatchObject({ constraint: 'postings_same_transaction' });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on both tables', async () => {
    const { entryId } = await ds.transaction((em) =>
      ledger.post(em, {
        kind: 'test.committed',
        reference: 'immutable',
        occurredAt: new Date(),
        description: '',
        postings: [
          { account: Accounts.cashStripe, currency: 'GBP', amount: 7n },
          { account: Accounts.platformFees, currency: 'GBP', amount: -7n },
        ],
      }),
    );
    const before = await counts();
    const attempts = [
      `UPDATE postings SET amount = amount * 2 WHERE entry_id = '${entryId}'`,
      `UPDATE journal_entries SET description = 'changed' WHERE id = '${entryId}'`,
      `DELETE FROM postings WHERE entry_id = '${entryId}'`,
      `DELETE FROM journal_entries WHERE id = '${entryId}'`,
      `TRUNCATE postings`,
      `TRUNCATE journal_entries CASCADE`,
    ];
    for (const sql of attempts) {
      const err = await ds.query(sql).then(() => ({ message: 'done' }) as PgError, pgError);
      expect({ sql, code: err.code }).toEqual({ sql, code: '23001' });
      expect(err.message).toMatch(/is append-only/);
    }
    expect(await counts()).toEqual(before);
    const [row] = await ds.query(`SELECT sum(amount)::int AS s, count(*)::int AS n FROM postings WHERE entry_id = $1 AND amount > 0`, [entryId]);
    expect(row).toEqual({ s: 7, n: 1 });
  });

  it('refuses a zero amount, a malformed currency or account', async () => {
    const cases: [string, number, string][] = [
      [Accounts.cashStripe, 0, 'postings_amount_nonzero'],
      ['Cash', 5, 'postings_account_check'],
    ];
    for (const [account, amount, constraint] of cases) {
      const err = await ds.transaction(async (em) => rawPostings(em, await rawEntry(em, `bad-${constraint}`), [[account, 'EUR', amount], [Accounts.platformFees, 'EUR', -amount || 1]])).catch(pgError);
      expect(err).toMatchObject({ code: '23514', constraint });
    }
    const err = await ds.transaction(async (em) => rawPostings(em, await rawEntry(em, 'bad-currency'), [[Accounts.cashStripe, 'eur', 5], [Accounts.platformFees, 'eur', -5]])).catch(pgError);
    expect(err).toMatchObject({ code: '23514', constraint: 'postings_currency_format' });
  });

  it('refuses a second entry with the same (kind, reference) at the database too', async () => {
    await ds.transaction(async (em) => rawPostings(em, await rawEntry(em, 'dup'), [[Accounts.cashStripe, 'EUR', 3], [Accounts.platformFees, 'EUR', -3]]));
    const err = await ds.transaction((em) => rawEntry(em, 'dup')).catch(pgError);
    expect(err).toMatchObject({ code: '23505', constraint: 'journal_entries_kind_reference_key' });
  });

  it('accepts a balanced multi-currency entry and keeps the trial balance at zero', async () => {
    await ds.transaction(async (em) =>
      rawPostings(em, await rawEntry(em, 'multi'), [
        [Accounts.cashStripe, 'EUR', 1000],
        [Accounts.stripeFees, 'EUR', 30],
        [Accounts.deferredRevenue('L3'), 'EUR', -1030],
        [Accounts.cashStripe, 'JPY', 500],
        [Accounts.deferredRevenue('L3'), 'JPY', -500],
      ]),
    );
    const tb = await ledger.trialBalance();
    expect(tb.balanced).toBe(true);
    expect(tb.currencies.every((c) => c.net === 0n && c.debits === c.credits)).toBe(true);
  });
});
