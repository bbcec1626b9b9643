import { createHash, randomBytes } from 'node:crypto';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { bearer, TestSystem, type TestUser } from '@fairshare/testing';

/**
 * An invited holder's royalties accrue as unclaimed; when they accept the invitation through the
 * catalogue's API, the unclaimed balance moves to their payable account by one ledger entry.
 */
describe('royalties of invited holders (e2e)', () => {
  let sys: TestSystem;
  let finA: TestUser;
  let finB: TestUser;
  let ada: TestUser;

  beforeAll(async () => {
    sys = await TestSystem.start();
    finA = await sys.createStaff(['finance'], 'A');
    finB = await sys.createStaff(['finance'], 'B');
    ada = await sys.registerCreator('Ada');
  });
  afterAll(() => sys?.stop());
  afterEach(async () => {
    expect((await sys.get(LedgerService).trialBalance()).balanced).toBe(true);
  });

  it('accrues to the invitation, then moves to the creator who accepts it', async () => {
    await sys.setClock(new Date('2026-01-01T00:00:00Z'));
    await sys.http.put('/v1/me/creator-profile').set(bearer(ada)).send({ displayName: 'Ada' }).expect(200);
    const cat = (await sys.http.post('/v1/catalogues').set(bearer(ada)).send({ name: 'Ada’s' }).expect(201)).body;
    const hash = createHash('sha256').update(randomBytes(8)).digest('hex');
    const work = (await sys.http.post(`/v1/catalogues/${cat.id}/works`).set(bearer(ada)).send({ title: 'Shared', mediaType: 'text', language: 'en', contentHash: hash }).expect(201)).body;
    const split = await sys.http.put(`/v1/works/${work.id}/splits`).set(bearer(ada)).send({ holders: [{ creatorId: ada.id, shareBps: 7000 }, { email: 'dora@example.test', shareBps: 3000 }] }).expect(200);
    const { invitationId, token } = split.body.invitations[0];

    // A paid licence (as the licensing area records it): 100.00 EUR on 10 January, perpetual, fee 10 %.
    const org = (await sys.dataSource.query(`INSERT INTO organisations (name, slug) VALUES ('Claims AI', 'claims-ai') RETURNING id`))[0].id;
    const offer = (
      await sys.dataSource.query(
        `INSERT INTO offers (kind, name, uses, commercial, currency, price_minor, term_days, admin_fee_bps, distribution_key, usage_unit, created_by)
         VALUES ('dataset', 'One work', '{train}', true, 'EUR', 10000, NULL, 1000, 'equal', 'tokens', $1) RETURNING id`,
        [finA.id],
      )
    )[0].id;
    const licence = (
      await sys.dataSource.query(
        `INSERT INTO licences (offer_id, organisation_id, status, kind, uses, commercial, currency, price_minor, admin_fee_bps, distribution_key, usage_unit, starts_at, amount_paid_minor, manifest_sha256, work_count)
         VALUES ($1, $2, 'active', 'dataset', '{train}', true, 'EUR', 10000, 1000, 'equal', 'tokens', '2026-01-10T00:00:00Z', 10000, repeat('a', 64), 1) RETURNING id`,
        [offer, org],
      )
    )[0].id;
    const consent = '00000000-0000-4000-8000-00000000c0de';
    await sys.dataSource.query(`INSERT INTO licence_manifest_lines (licence_id, work_id, content_hash, consent_record_id) VALUES ($1, $2, $3, $4)`, [licence, work.id, hash, consent]);
    await sys.dataSource.transaction((em) =>
      sys.get(LedgerService).post(em, {
        kind: 'licence.payment',
        reference: `claims-${licence}`,
        occurredAt: new Date('2026-01-10T00:00:00Z'),
        description: 'payment',
        postings: [
          { account: Accounts.cashStripe, currency: 'EUR', amount: 10000n },
          { account: Accounts.deferredRevenue(licence), currency: 'EUR', amount: -10000n },
        ],
      }),
    );

    await sys.setClock(new Date('2026-02-01T06:00:00Z'));
    const run = (await sys.http.post('/v1/royalty-runs').set(bearer(finA)).set('Idempotency-Key', 'jan').send({ period: '2026-01' }).expect(202)).body;
    for (let i = 0; i < 300; i++) {
      const r = await sys.http.get(`/v1/royalty-runs/${run.id}`).set(bearer(finA)).expect(200);
      if (r.body.status === 'computed') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await sys.http.post(`/v1/royalty-runs/${run.id}/approve`).set(bearer(finB)).expect(200);
    const ledger = sys.get(LedgerService);
    expect(await ledger.balance(Accounts.payable(ada.id), 'EUR')).toBe(-6300n);
    expect(await ledger.balance(Accounts.unclaimed(invitationId), 'EUR')).toBe(-2700n);
    const lines = (await sys.http.get(`/v1/royalty-runs/${run.id}/lines`).set(bearer(finA)).expect(200)).body.data;
    expect(lines.map((l: { holderKey: string; holderKind: string; amount: string; consentRecordId: string }) => [l.holderKey, l.holderKind, l.amount, l.consentRecordId]).sort()).toEqual(
      [[ada.id, 'creator', '6300', consent], [invitationId, 'invitation', '2700', consent]].sort(),
    );

    // Dora joins and accepts: the unclaimed 27.00 EUR moves to her payable account.
    await sys.setClock(new Date('2026-02-10T00:00:00Z'));
    const dora = await sys.registerCreator('Dora');
    await sys.http.put('/v1/me/creator-profile').set(bearer(dora)).send({ displayName: 'Dora' }).expect(200);
    await sys.http.post('/v1/holder-invitations/accept').set(bearer(dora)).send({ token }).expect(200);
    expect(await ledger.balance(Accounts.unclaimed(invitationId), 'EUR')).toBe(0n);
    expect(await ledger.balance(Accounts.payable(dora.id), 'EUR')).toBe(-2700n);
    const claims = await sys.dataSource.query(`SELECT id FROM journal_entries WHERE kind = 'royalty.invitation_claimed' AND reference = $1`, [invitationId]);
    expect(claims).toHaveLength(1);
    const balance = await sys.http.get('/v1/me/balance').set(bearer(dora)).expect(200);
    expect(balance.body.balances).toEqual([{ currency: 'EUR', amount: '2700' }]);
    // Her statement for January shows the line earned under the invitation.
    const st = (await sys.http.get(`/v1/me/statements/${run.id}`).set(bearer(dora)).expect(200)).body;
    expect(st.lines).toMatchObject([{ holderKey: invitationId, holderKind: 'invitation', amount: '2700', consentRecordId: consent, workId: work.id }]);
    expect(st.totals).toEqual([{ currency: 'EUR', royalties: '2700', adjustments: '0', total: '2700' }]);
  });
});
