import { Accounts, LedgerService } from '@fairshare/ledger';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';

describe('ledger (e2e)', () => {
  let sys: TestSystem;
  let finance: TestUser;
  let ledger: LedgerService;
  const licence = '6d0c7a52-5b8e-4f0e-9b1a-3c2d4e5f6a7b';
  const creator = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false });
    finance = await sys.createStaff(['finance']);
    ledger = sys.get(LedgerService);
    await sys.dataSource.transaction(async (em) => {
      await ledger.post(em, {
        kind: 'licence.payment',
        reference: 'ch_e2e',
        occurredAt: new Date('2025-02-01T10:00:00Z'),
        description: 'Payment',
        postings: [
          { account: Accounts.cashStripe, currency: 'EUR', amount: 96_80n },
          { account: Accounts.stripeFees, currency: 'EUR', amount: 3_20n },
          { account: Accounts.deferredRevenue(licence), currency: 'EUR', amount: -100_00n },
        ],
      });
      for (let i = 0; i < 3; i++) {
        await ledger.post(em, {
          kind: 'royalty.approval',
          reference: `run-${i}`,
          occurredAt: new Date(`2025-0${3 + i}-01T00:00:00Z`),
          description: `Run ${i}`,
          postings: [
            { account: Accounts.deferredRevenue(licence), currency: 'EUR', amount: 10_00n },
            { account: Accounts.platformFees, currency: 'EUR', amount: -1_00n },
            { account: Accounts.payable(creator), currency: 'EUR', amount: -9_00n },
          ],
        });
      }
    });
  });
  afterAll(() => sys.stop());

  it('answers the trial balance to finance and admins, amounts as strings', async () => {
    const res = await sys.http.get('/v1/ledger/trial-balance').set(bearer(finance)).expect(200);
    expect(res.body).toEqual({
      currencies: [{ currency: 'EUR', debits: '13000', credits: '13000', net: '0' }],
      accounts: [
        { class: 'cash:stripe', currency: 'EUR', balance: '9680' },
        { class: 'expense:stripe_fees', currency: 'EUR', balance: '320' },
        { class: 'liability:deferred_revenue', currency: 'EUR', balance: '-7000' },
        { class: 'liability:payable', currency: 'EUR', balance: '-2700' },
        { class: 'revenue:platform_fees', currency: 'EUR', balance: '-300' },
      ],
      balanced: true,
    });
    const admin = await sys.createStaff(['admin']);
    await sys.http.get('/v1/ledger/trial-balance').set(bearer(admin)).expect(200);
  });

  it('refuses creators, licensees and anonymous callers', async () => {
    const c = await sys.registerCreator();
    const l = await sys.registerLicensee();
    expect((await sys.http.get('/v1/ledger/trial-balance').set(bearer(c)).expect(403)).body.error.code).toBeDefined();
    await sys.http.get(`/v1/ledger/accounts/${Accounts.payable(c.id)}/entries`).set(bearer(l)).expect(403);
    await sys.http.get('/v1/ledger/trial-balance').expect(401);
  });

  it('pages through an account’s postings, newest first', async () => {
    const account = Accounts.payable(creator);
    const first = await sys.http.get(`/v1/ledger/accounts/${account}/entries?limit=2`).set(bearer(finance)).expect(200);
    expect(first.body.account).toBe(account);
    expect(first.body.data.map((d: { reference: string }) => d.reference)).toEqual(['run-2', 'run-1']);
    expect(first.body.data[0]).toMatchObject({ kind: 'royalty.approval', currency: 'EUR', amount: '-900', occurredAt: '2025-05-01T00:00:00.000Z', description: 'Run 2' });
    expect(first.body.nextBefore).toBe(first.body.data[1].postingId);
    const second = await sys.http.get(`/v1/ledger/accounts/${encodeURIComponent(account)}/entries?limit=2&before=${first.body.nextBefore}`).set(bearer(finance)).expect(200);
    expect(second.body.data.map((d: { reference: string }) => d.reference)).toEqual(['run-0']);
    expect(second.body.nextBefore).toBeNull();
    const empty = await sys.http.get(`/v1/ledger/accounts/${Accounts.payable('nobody')}/entries`).set(bearer(finance)).expect(200);
    expect(empty.body).toEqual({ account: Accounts.payable('nobody'), data: [], nextBefore: null });
  });

  it('validates the account and the cursor with stable codes', async () => {
    const bad = await sys.http.get('/v1/ledger/accounts/Not%20An%20Account/entries').set(bearer(finance)).expect(400);
    expect(bad.body.error.code).toBe('LEDGER_ACCOUNT_INVALID');
    const cursor = await sys.http.get(`/v1/ledger/accounts/${Accounts.cashStripe}/entries?before=abc`).set(bearer(finance)).expect(400);
    expect(cursor.body.error.code).toBe('VALIDATION_FAILED');
    await sys.http.get(`/v1/ledger/accounts/${Accounts.cashStripe}/entries?limit=0`).set(bearer(finance)).expect(400);
  });

  it('reports an unbalanced ledger if the database guards were ever bypassed', async () => {
    // Only a superuser disabling triggers can do this; the trial balance must then say so.
    await sys.dataSource.transaction(async (em) => {
      await em.query(`SET LOCAL session_replication_role = replica`);
      const [e] = await em.query(`INSERT INTO journal_entries (kind, reference, occurred_at, postings_digest) VALUES ('test.corrupt', 'x', now(), repeat('0', 64)) RETURNING id`);
      await em.query(`INSERT INTO postings (entry_id, account, currency, amount) VALUES ($1, 'cash:stripe', 'EUR', 1)`, [e.id]);
    });
    const res = await sys.http.get('/v1/ledger/trial-balance').set(bearer(finance)).expect(200);
    expect(res.body.balanced).toBe(false);
    expect(res.body.currencies).toEqual([{ currency: 'EUR', debits: '13001', credits: '13000', net: '1' }]);
  });
});
