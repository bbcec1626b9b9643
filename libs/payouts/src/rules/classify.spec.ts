import { amountToPay, classifyBalance, owedFromPayableBalance, totalsByReason } from './classify';

describe('payout classification', () => {
  it.each([
    [-1n, 1000n, true, 'NEGATIVE_BALANCE'],
    [-1n, 1000n, false, 'NEGATIVE_BALANCE'],
    [5000n, 1000n, false, 'NO_PAYOUT_ACCOUNT'],
    [999n, 1000n, true, 'BELOW_MINIMUM'],
    [0n, 1000n, true, 'BELOW_MINIMUM'],
    [1000n, 1000n, true, null],
    [1001n, 1000n, true, null],
  ])('owed %s, minimum %s, enabled %s → %s', (owed, min, enabled, reason) => {
    const c = classifyBalance(owed, min, enabled);
    expect(c.reason).toBe(reason);
    expect(c.status).toBe(reason === null ? 'included' : 'carried_forward');
  });

  it('reads payable balances as credits', () => {
    expect(owedFromPayableBalance(-1234n)).toBe(1234n);
    expect(owedFromPayableBalance(50n)).toBe(-50n);
  });

  it('never pays more than is owed at execution, nor a negative amount', () => {
    expect(amountToPay(5000n, 7000n)).toBe(5000n);
    expect(amountToPay(5000n, 3000n)).toBe(3000n);
    expect(amountToPay(5000n, 0n)).toBe(0n);
    expect(amountToPay(5000n, -10n)).toBe(0n);
  });

  it('totals per reason, with every reason present', () => {
    const t = totalsByReason([
      { status: 'included', reason: null, amount: 1500n },
      { status: 'included', reason: null, amount: 2500n },
      { status: 'carried_forward', reason: 'BELOW_MINIMUM', amount: 300n },
      { status: 'carried_forward', reason: 'NEGATIVE_BALANCE', amount: -40n },
    ]);
    expect(t).toEqual({
      included: { count: 2, amountMinor: 4000n },
      BELOW_MINIMUM: { count: 1, amountMinor: 300n },
      NO_PAYOUT_ACCOUNT: { count: 0, amountMinor: 0n },
      NEGATIVE_BALANCE: { count: 1, amountMinor: -40n },
    });
  });
});
