import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { AppError } from '@fairshare/domain';
import { createDataSource, LedgerRepository } from '@fairshare/persistence';
import { createTestDatabase } from '@fairshare/testing';
import { AccountPrefixes, Accounts } from './accounts';
import { LedgerService } from './ledger.service';
import { EntryInput, PostingInput } from './rules/entry-rules';

describe('LedgerService (int)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let ledger: LedgerService;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 6, 'ledger-service-int');
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
  const payment = (reference: string, licenceId: string, gross: bigint, fee: bigint, currency = 'EUR'): EntryInput => ({
    kind: 'licence.payment',
    reference,
    occurredAt: new Date('2025-03-10T12:00:00Z'),
    description: `Payment for licence ${licenceId}`,
    metadata: { licenceId },
    postings: [
      { account: Accounts.cashStripe, currency, amount: gross - fee },
      { account: Accounts.stripeFees, currency, amount: fee },
      { account: Accounts.deferredRevenue(licenceId), currency, amount: -gross },
    ],
  });
  const codeOf = (e: unknown) => (e instanceof AppError ? { code: e.code, status: e.status } : { error: String(e) });

  it('posts an entry and is idempotent by (kind, reference)', async () => {
    const first = await ds.transaction((em) => ledger.post(em, payment('ch_1', 'lic-1', 10000n, 320n)));
    expect(first.created).toBe(true);
    const before = await counts();
    // Posting order does not matter to the idempotency check.
    const replay = payment('ch_1', 'lic-1', 10000n, 320n);
    const again = await ds.transaction((em) => ledger.post(em, { ...replay, postings: [...replay.postings].reverse(), occurredAt: new Date() }));
    expect(again).toEqual({ entryId: first.entryId, created: false });
    expect(await counts()).toEqual(before);
    expect(await ledger.balance(Accounts.cashStripe, 'EUR')).toBe(9680n);
    expect(await ledger.balance(Accounts.deferredRevenue('lic-1'), 'EUR')).toBe(-10000n);
    const [entry] = await ledger.entriesFor({ reference: 'ch_1' });
    expect(entry).toMatchObject({ id: first.entryId, kind: 'licence.payment', metadata: { licenceId: 'lic-1' } });
    expect(entry.postings.map((p) => p.amount)).toEqual([9680n, 320n, -10000n]);
  });

  it('refuses the same (kind, reference) with different postings (409) and writes nothing', async () => {
    await ds.transaction((em) => ledger.post(em, payment('ch_2', 'lic-2', 5000n, 100n)));
    const before = await counts();
    const err = await ds.transaction((em) => ledger.post(em, payment('ch_2', 'lic-2', 5000n, 101n))).catch(codeOf);
    expect(err).toEqual({ code: 'LEDGER_ENTRY_CONFLICT', status: 409 });
    expect(await counts()).toEqual(before);
  });

  it('concurrent writers of the same (kind, reference) post it once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => ds.transaction((em) => ledger.post(em, payment('ch_race', 'lic-race', 700n, 20n)))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entryId)).size).toBe(1);
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM journal_entries WHERE reference = 'ch_race'`);
    expect(row.n).toBe(1);
    expect(await ledger.balance(Accounts.deferredRevenue('lic-race'), 'EUR')).toBe(-700n);
  });

  it('rolls back with the caller: an entry exists only if the business change committed', async () => {
    const before = await counts();
    await ds
      .transaction(async (em) => {
        await ledger.post(em, payment('ch_rollback', 'lic-rb', 100n, 1n));
        throw new Error('business failure after posting');
      })
      .catch(() => undefined);
    expect(await counts()).toEqual(before);
  });

  it.each<[string, Partial<EntryInput>, string]>([
    ['unbalanced', { postings: [{ account: Accounts.cashStripe, currency: 'EUR', amount: 10n }, { account: Accounts.platformFees, currency: 'EUR', amount: -9n }] }, 'LEDGER_ENTRY_UNBALANCED'],
    ['empty', { postings: [] }, 'LEDGER_ENTRY_EMPTY'],
    ['zero', { postings: [{ account: Accounts.cashStripe, currency: 'EUR', amount: 0n }] }, 'LEDGER_POSTING_ZERO'],
    ['currency', { postings: [{ account: Accounts.cashStripe, currency: 'eur', amount: 1n }, { account: Accounts.platformFees, currency: 'eur', amount: -1n }] }, 'LEDGER_CURRENCY_INVALID'],
    ['account', { postings: [{ account: 'Cash Stripe', currency: 'EUR', amount: 1n }, { account: Accounts.platformFees, currency: 'EUR', amount: -1n }] }, 'LEDGER_ACCOUNT_INVALID'],
    ['kind', { kind: 'Licence Payment' }, 'LEDGER_ENTRY_INVALID'],
    ['range', { postings: [{ account: Accounts.cashStripe, currency: 'EUR', amount: 2n ** 63n }, { account: Accounts.platformFees, currency: 'EUR', amount: -(2n ** 63n) }] }, 'LEDGER_AMOUNT_OUT_OF_RANGE'],
  ])('refuses an invalid entry before the database (%s) and writes nothing', async (_name, patch, code) => {
    const before = await counts();
    const err = await ds.transaction((em) => ledger.post(em, { ...payment('ch_bad_' + _name, 'lic-bad', 100n, 1n), ...patch })).catch(codeOf);
    expect(err).toEqual({ code, status: 422 });
    expect(await counts()).toEqual(before);
  });

  it('reverses an entry with a new entry negating every posting', async () => {
    const { entryId } = await ds.transaction((em) => ledger.post(em, payment('ch_rev', 'lic-rev', 2000n, 60n)));
    const rev = await ds.transaction((em) =>
      ledger.reverse(em, entryId, { kind: 'licence.payment_reversal', reference: 'ch_rev', occurredAt: new Date('2025-03-11T00:00:00Z'), description: 'Charge reversed' }),
    );
    expect(rev.created).toBe(true);
    const again = await ds.transaction((em) =>
      ledger.reverse(em, entryId, { kind: 'licence.payment_reversal', reference: 'ch_rev', occurredAt: new Date(), description: 'Charge reversed' }),
    );
    expect(again).toEqual({ entryId: rev.entryId, created: false });
    const reversal = await ledger.entry(rev.entryId);
    expect(reversal!.metadata).toEqual({ reversesEntryId: entryId });
    expect(reversal!.postings.map((p) => p.amount)).toEqual([-1940n, -60n, 2000n]);
    expect(await ledger.balance(Accounts.deferredRevenue('lic-rev'), 'EUR')).toBe(0n);
    const err = await ds.transaction((em) => ledger.reverse(em, '00000000-0000-0000-0000-000000000000', { kind: 'x.y', reference: 'r', occurredAt: new Date(), description: '' })).catch(codeOf);
    expect(err).toEqual({ code: 'LEDGER_ENTRY_NOT_FOUND', status: 404 });
  });

  it('answers balances by account list, by prefix (with literal _), and as of a time', async () => {
    const creators = ['c-a', 'c-b'];
    await ds.transaction((em) =>
      ledger.post(em, {
        kind: 'royalty.approval',
        reference: 'run-balances',
        occurredAt: new Date('2025-04-01T00:00:00Z'),
        description: 'run',
        postings: [
          { account: Accounts.deferredRevenue('lic-bal'), currency: 'USD', amount: 1000n },
          { account: Accounts.platformFees, currency: 'USD', amount: -100n },
          { account: Accounts.payable('c-a'), currency: 'USD', amount: -600n },
          { account: Accounts.payable('c-b'), currency: 'USD', amount: -250n },
          { account: Accounts.unclaimed('inv-1'), currency: 'USD', amount: -50n },
        ],
      }),
    );
    const listed = await ledger.balances(creators.map(Accounts.payable));
    expect(listed.get(Accounts.payable('c-a'))?.get('USD')).toBe(-600n);
    expect(listed.get(Accounts.payable('c-b'))?.get('USD')).toBe(-250n);
    const byPrefix = await ledger.balancesByPrefix(AccountPrefixes.payable, 'USD');
    expect([...byPrefix.keys()].sort()).toEqual([Accounts.payable('c-a'), Accounts.payable('c-b')]);
    // `_` in a prefix is literal: 'liability:payable:creator:c_' must not match 'c-a'.
    expect((await ledger.balancesByPrefix('liability:payable:creator:c_')).size).toBe(0);
    expect(await ledger.balance(Accounts.payable('c-a'), 'USD', undefined, new Date('2025-03-31T23:59:59Z'))).toBe(0n);
    expect(await ledger.balance(Accounts.payable('c-a'), 'USD', undefined, new Date('2025-04-01T00:00:00Z'))).toBe(-600n);
    expect(await ledger.balance(Accounts.payable('nobody'), 'USD')).toBe(0n);
    const entries = await ledger.entriesFor({ account: Accounts.payable('c-a') });
    expect(entries).toHaveLength(1);
    expect(entries[0].postings).toEqual([{ account: Accounts.payable('c-a'), currency: 'USD', amount: -600n }]);
  });

  it('lockAccount makes a second transaction on the same account wait for the first', async () => {
    const account = Accounts.payable('c-lock');
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const firstLocked = new Promise<void>((r) => (locked = r));
    const first = ds.transaction(async (em) => {
      await ledger.lockAccount(em, account);
      locked();
      await held;
      events.push('first commits');
    });
    await firstLocked;
    const second = ds.transaction(async (em) => {
      await ledger.lockAccount(em, account);
      events.push('second locked');
    });
    // Wait until PostgreSQL shows the second transaction waiting on an advisory lock.
    for (let i = 0; i < 200; i++) {
      const [w] = await ds.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      if (w.n > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(events).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first commits', 'second locked']);
  });

  it('posts a 100,000-posting entry in one statement', async () => {
    const n = 100_000;
    const postings: PostingInput[] = [{ account: Accounts.deferredRevenue('lic-big'), currency: 'EUR', amount: BigInt(n) * 3n }];
    for (let i = 0; i < n; i++) postings.push({ account: Accounts.payable(`big-${i}`), currency: 'EUR', amount: -3n });
    const r = await ds.transaction((em) => ledger.post(em, { kind: 'royalty.approval', reference: 'run-big', occurredAt: new Date(), description: 'big', postings }));
    const [row] = await ds.query(`SELECT count(*)::int AS n, sum(amount)::text AS s FROM postings WHERE entry_id = $1`, [r.entryId]);
    expect(row).toEqual({ n: n + 1, s: '0' });
    expect((await ledger.balancesByPrefix('liability:payable:creator:big-')).size).toBe(n);
  });

  describe('property: random entries', () => {
    const currencies = ['EUR', 'USD', 'JPY', 'KWD'];
    const accountArb = fc.constantFrom(Accounts.cashStripe, Accounts.stripeFees, Accounts.platformFees, Accounts.payable('p1'), Accounts.payable('p2'), Accounts.unclaimed('i1'), Accounts.deferredRevenue('l1'));
    const nonZero = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).filter((v) => v !== 0n);
    /** Postings in one currency that sum to zero: n free amounts and one balancing posting. */
    const balancedIn = (currency: string) =>
      fc
        .tuple(fc.array(fc.tuple(accountArb, nonZero), { minLength: 1, maxLength: 6 }), accountArb)
        .map(([free, last]) => {
          const sum = free.reduce((s, [, a]) => s + a, 0n);
          const postings = free.map(([account, amount]) => ({ account, currency, amount }));
          return sum === 0n ? postings : [...postings, { account: last, currency, amount: -sum }];
        });
    const balancedEntry = fc
      .subarray(currencies, { minLength: 1 })
      .chain((cs) => fc.tuple(...cs.map(balancedIn)))
      .map((groups) => groups.flat());
    let seq = 0;

    it('balanced entries in several currencies keep the trial balance at zero', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(balancedEntry, { minLength: 1, maxLength: 4 }), async (entries) => {
          await ds.transaction(async (em) => {
            for (const postings of entries) await ledger.post(em, { kind: 'test.property', reference: `ok-${seq++}`, occurredAt: new Date(), description: '', postings });
          });
          const tb = await ledger.trialBalance();
          expect(tb.balanced).toBe(true);
          for (const c of tb.currencies) expect(c.debits - c.credits).toBe(c.net);
          const perCurrency = new Map<string, bigint>();
          for (const a of tb.accounts) perCurrency.set(a.currency, (perCurrency.get(a.currency) ?? 0n) + a.balance);
          for (const total of perCurrency.values()) expect(total).toBe(0n);
        }),
        { numRuns: 40 },
      );
    });

    it('unbalanced entries are refused by the service AND by the database, and write nothing', async () => {
      await fc.assert(
        fc.asyncProperty(balancedEntry, nonZero, fc.nat(), async (postings, skew, at) => {
          const i = at % postings.length;
          const skewed = postings.map((p, j) => (j === i ? { ...p, amount: p.amount + skew } : p)).filter((p) => p.amount !== 0n);
          fc.pre(skewed.length > 0);
          const before = await counts();
          const reference = `bad-${seq++}`;
          const viaService = await ds.transaction((em) => ledger.post(em, { kind: 'test.property', reference, occurredAt: new Date(), description: '', postings: skewed })).catch(codeOf);
          expect(viaService).toEqual({ code: 'LEDGER_ENTRY_UNBALANCED', status: 422 });
          // Bypassing the service: the deferred trigger refuses it at commit.
          const viaSql = await ds
            .transaction(async (em) => {
              const repo = new LedgerRepository(ds);
              const id = await repo.insertEntry(em, { kind: 'test.property', reference, occurredAt: new Date(), description: '', metadata: {}, postingsDigest: '0'.repeat(64) });
              await repo.insertPostings(em, id!, skewed);
            })
            .then(
              () => 'committed',
              (e: { constraint?: string }) => e.constraint,
            );
          expect(viaSql).toBe('journal_entry_balanced');
          expect(await counts()).toEqual(before);
        }),
        { numRuns: 40 },
      );
      expect((await ledger.trialBalance()).balanced).toBe(true);
    });
  });
});
