import { AppError } from '@fairshare/domain';
import { Accounts } from '../accounts';
import { EntryInput, negatePostings, postingsDigest, validateEntry } from './entry-rules';

const entry = (postings: EntryInput['postings'], patch: Partial<EntryInput> = {}): EntryInput => ({
  kind: 'licence.payment',
  reference: 'ch_1',
  occurredAt: new Date('2025-01-01T00:00:00Z'),
  description: '',
  postings,
  ...patch,
});
const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as AppError).code;
  }
};

describe('entry rules', () => {
  const ok = [
    { account: Accounts.cashStripe, currency: 'EUR', amount: 970n },
    { account: Accounts.stripeFees, currency: 'EUR', amount: 30n },
    { account: Accounts.deferredRevenue('l1'), currency: 'EUR', amount: -1000n },
  ];

  it.each<[string, EntryInput, string | null]>([
    ['balanced', entry(ok), null],
    ['balanced in two currencies', entry([...ok, { account: Accounts.cashStripe, currency: 'JPY', amount: 5n }, { account: Accounts.platformFees, currency: 'JPY', amount: -5n }]), null],
    ['off by one', entry([...ok.slice(0, 2), { ...ok[2], amount: -999n }]), 'LEDGER_ENTRY_UNBALANCED'],
    ['balanced across currencies only', entry([{ account: Accounts.cashStripe, currency: 'EUR', amount: 5n }, { account: Accounts.platformFees, currency: 'USD', amount: -5n }]), 'LEDGER_ENTRY_UNBALANCED'],
    ['empty', entry([]), 'LEDGER_ENTRY_EMPTY'],
    ['zero', entry([...ok, { account: Accounts.platformFees, currency: 'EUR', amount: 0n }]), 'LEDGER_POSTING_ZERO'],
    ['number amount', entry([{ account: Accounts.cashStripe, currency: 'EUR', amount: 5 as unknown as bigint }]), 'LEDGER_ENTRY_INVALID'],
    ['unknown currency', entry([{ account: Accounts.cashStripe, currency: 'XXX', amount: 5n }, { account: Accounts.platformFees, currency: 'XXX', amount: -5n }]), 'LEDGER_CURRENCY_INVALID'],
    ['bad account', entry([{ account: 'stripe', currency: 'EUR', amount: 5n }, { account: Accounts.platformFees, currency: 'EUR', amount: -5n }]), 'LEDGER_ACCOUNT_INVALID'],
    ['bad kind', entry(ok, { kind: 'Payment' }), 'LEDGER_ENTRY_INVALID'],
    ['empty reference', entry(ok, { reference: '' }), 'LEDGER_ENTRY_INVALID'],
    ['invalid date', entry(ok, { occurredAt: new Date('nope') }), 'LEDGER_ENTRY_INVALID'],
  ])('%s', (_name, e, code) => {
    expect(codeOf(() => validateEntry(e))).toBe(code);
  });

  it('digests postings independently of their order, and differently for different amounts', () => {
    expect(postingsDigest(ok)).toBe(postingsDigest([...ok].reverse()));
    expect(postingsDigest(ok)).toMatch(/^[0-9a-f]{64}$/);
    expect(postingsDigest(ok)).not.toBe(postingsDigest([{ ...ok[0], amount: 969n }, { ...ok[1], amount: 31n }, ok[2]]));
  });

  it('negates every posting for a reversal', () => {
    expect(negatePostings(ok).map((p) => p.amount)).toEqual([-970n, -30n, 1000n]);
  });
});
