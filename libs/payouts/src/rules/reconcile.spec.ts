import { reconcile } from './reconcile';

const l = (id: string, amount: bigint, extra: Partial<{ currency: string; destination: string; reversed: bigint }> = {}) => ({
  itemId: 'item-' + id,
  transferId: id,
  amount,
  currency: 'EUR',
  destination: 'acct_1',
  reversed: 0n,
  ...extra,
});
const s = (id: string, amount: bigint, extra: Partial<{ currency: string; destination: string; amountReversed: bigint }> = {}) => ({
  id,
  amount,
  currency: 'eur',
  destination: 'acct_1',
  amountReversed: 0n,
  ...extra,
});

describe('reconciliation', () => {
  it('finds nothing when both sides agree (currency case aside)', () => {
    expect(reconcile([l('tr_1', 100n)], [s('tr_1', 100n)])).toEqual([]);
  });

  it('reports every kind of mismatch', () => {
    const found = reconcile(
      [l('tr_1', 100n), l('tr_2', 200n), l('tr_3', 300n, { destination: 'acct_9' }), l('tr_4', 50n, { reversed: 50n })],
      [s('tr_1', 101n, { currency: 'usd' }), s('tr_3', 300n), s('tr_4', 50n), s('tr_x', 999n)],
    );
    expect(found.map((m) => [m.kind, m.transferId])).toEqual([
      ['CURRENCY_MISMATCH', 'tr_1'],
      ['AMOUNT_MISMATCH', 'tr_1'],
      ['MISSING_IN_STRIPE', 'tr_2'],
      ['DESTINATION_MISMATCH', 'tr_3'],
      ['REVERSAL_MISMATCH', 'tr_4'],
      ['MISSING_IN_LEDGER', 'tr_x'],
    ]);
  });
});
