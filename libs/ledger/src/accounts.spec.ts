import { accountClass, AccountPrefixes, Accounts, creatorIdOfPayable, invitationIdOfUnclaimed, isValidAccount, licenceIdOfDeferredRevenue, naturalBalance, parseAccount } from './accounts';

describe('ledger accounts', () => {
  const id = '3f1c2a9e-8d4b-4c1e-9a7f-2b5d6e8f0a1b';

  it('names every account of the contract', () => {
    expect(Accounts.cashStripe).toBe('cash:stripe');
    expect(Accounts.stripeFees).toBe('expense:stripe_fees');
    expect(Accounts.platformFees).toBe('revenue:platform_fees');
    expect(Accounts.refundsPayable).toBe('liability:refunds_payable');
    expect(Accounts.deferredRevenue(id)).toBe(`liability:deferred_revenue:licence:${id}`);
    expect(Accounts.payable(id)).toBe(`liability:payable:creator:${id}`);
    expect(Accounts.unclaimed(id)).toBe(`liability:unclaimed:invitation:${id}`);
    for (const a of [Accounts.cashStripe, Accounts.stripeFees, Accounts.platformFees, Accounts.refundsPayable, Accounts.payable(id)]) expect(isValidAccount(a)).toBe(true);
  });

  it('refuses IDs that would break the account syntax', () => {
    expect(() => Accounts.payable('a:b')).toThrow(TypeError);
    expect(() => Accounts.unclaimed('')).toThrow(TypeError);
    expect(() => Accounts.deferredRevenue('x y')).toThrow(TypeError);
  });

  it('parses classes and parties', () => {
    expect(accountClass(Accounts.payable(id))).toBe('liability:payable');
    expect(accountClass(Accounts.cashStripe)).toBe('cash:stripe');
    expect(parseAccount(Accounts.unclaimed(id))).toEqual({ account: Accounts.unclaimed(id), type: 'liability', accountClass: 'liability:unclaimed', party: { kind: 'invitation', id } });
    expect(parseAccount(Accounts.stripeFees)?.party).toBeNull();
    expect(parseAccount('cash')).toBeNull();
    expect(parseAccount('Cash:stripe')).toBeNull();
    expect(creatorIdOfPayable(Accounts.payable(id))).toBe(id);
    expect(creatorIdOfPayable(Accounts.unclaimed(id))).toBeNull();
    expect(invitationIdOfUnclaimed(Accounts.unclaimed(id))).toBe(id);
    expect(licenceIdOfDeferredRevenue(Accounts.deferredRevenue(id))).toBe(id);
    expect(Accounts.payable(id).startsWith(AccountPrefixes.payable)).toBe(true);
  });

  it('gives balances in their natural sign', () => {
    expect(naturalBalance(Accounts.payable(id), -600n)).toBe(600n);
    expect(naturalBalance(Accounts.platformFees, -100n)).toBe(100n);
    expect(naturalBalance(Accounts.cashStripe, 9680n)).toBe(9680n);
    expect(naturalBalance(Accounts.stripeFees, 320n)).toBe(320n);
  });
});
