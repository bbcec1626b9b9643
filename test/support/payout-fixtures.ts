import { randomUUID } from 'node:crypto';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { PAYOUT_ENTRY_KIND } from '@fairshare/payouts';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';

/**
 * TEST FIXTURE: `count` creators with a French profile, a Stripe Connect account onboarded in the
 * emulator, and a payable balance of `base + i` minor units in EUR (posted as `test.fixture.royalty`
 * entries, standing in for royalty runs), ready for a payout run.
 */
export async function onboardedCreatorsOwed(sys: TestSystem, count: number, opts: { name: string; base: bigint }): Promise<TestUser[]> {
  const ledger = sys.get(LedgerService);
  const creators: TestUser[] = [];
  for (let i = 0; i < count; i++) {
    const c = await sys.registerCreator(`${opts.name} ${i}`);
    await sys.http.put('/v1/me/creator-profile').set(bearer(c)).send({ displayName: `${opts.name} ${i}`, country: 'FR', payoutCurrency: 'EUR' }).expect(200);
    const res = await sys.http.post('/v1/me/payout-account').set(bearer(c)).expect(201);
    sys.stripe.completeOnboarding(res.body.account.stripeAccountId);
    const amount = opts.base + BigInt(i);
    await sys.dataSource.transaction((em) =>
      ledger.post(em, {
        kind: 'test.fixture.royalty',
        reference: randomUUID(),
        occurredAt: new Date(),
        description: 'test fixture',
        postings: [
          { account: Accounts.deferredRevenue(randomUUID()), currency: 'EUR', amount },
          { account: Accounts.payable(c.id), currency: 'EUR', amount: -amount },
        ],
      }),
    );
    creators.push(c);
  }
  return creators;
}

/**
 * TEST FIXTURE: holds `count` items of a payout run (the first by ID) between their Stripe transfer
 * and their ledger entry. An open transaction of the test inserts (uncommitted) the entries those
 * items' payments will write — kind PAYOUT_ENTRY_KIND, reference the item ID — so the worker's own
 * `INSERT … ON CONFLICT` waits on it, after it has made the transfer and before anything of the
 * payment is committed. `waiting()` counts the worker's connections waiting there; `release()`
 * rolls the hold back and the payments go on.
 */
export async function holdPayoutsAtLedgerEntry(
  sys: TestSystem,
  runId: string,
  count: number,
): Promise<{ itemIds: string[]; waiting: () => Promise<number>; release: () => Promise<void> }> {
  const hold = sys.dataSource.createQueryRunner();
  await hold.connect();
  await hold.startTransaction();
  const held: { reference: string }[] = await hold.query(
    `INSERT INTO journal_entries (kind, reference, occurred_at, description, postings_digest)
     SELECT $1, i.id::text, now(), 'held by a test', repeat('0', 64)
       FROM (SELECT id FROM payout_items WHERE run_id = $2 ORDER BY id LIMIT $3) i
     RETURNING reference`,
    [PAYOUT_ENTRY_KIND, runId, count],
  );
  let released = false;
  return {
    itemIds: held.map((r) => r.reference),
    waiting: async () =>
      (
        await sys.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'fairshare-worker' AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO journal_entries%'`,
        )
      )[0].n as number,
    release: async () => {
      if (released) return;
      released = true;
      await hold.rollbackTransaction();
      await hold.release();
    },
  };
}
