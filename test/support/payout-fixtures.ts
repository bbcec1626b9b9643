import { randomUUID } from 'node:crypto';
import { Accounts, LedgerService } from '@fairshare/ledger';
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
