import { isInForce, licenceEndsAt } from './licence-term';
import { csvLine, ndjsonLine, signedPayload } from './manifest-format';
import { isFullyRefunded, refundStep } from './refund-rules';

describe('licence term', () => {
  const start = new Date('2026-01-31T10:00:00Z');
  it.each([
    [null, null],
    [1, '2026-02-01T10:00:00.000Z'],
    [365, '2027-01-31T10:00:00.000Z'],
  ])('termDays %p ends at %p', (days, end) => {
    expect(licenceEndsAt(start, days)?.toISOString() ?? null).toBe(end);
  });
  it('refuses a non-positive term', () => expect(() => licenceEndsAt(start, 0)).toThrow(RangeError));
  it.each([
    ['active', start, null, '2030-01-01T00:00:00Z', true],
    ['active', start, new Date('2026-02-01T10:00:00Z'), '2026-02-01T10:00:00Z', false],
    ['active', start, new Date('2026-02-01T10:00:00Z'), '2026-02-01T09:59:59Z', true],
    ['active', start, null, '2026-01-31T09:59:59Z', false],
    ['revoked', start, null, '2026-03-01T00:00:00Z', false],
    ['pending_payment', null, null, '2026-03-01T00:00:00Z', false],
  ])('%s %p..%p in force at %s: %p', (status, startsAt, endsAt, at, expected) => {
    expect(isInForce({ status, startsAt, endsAt }, new Date(at))).toBe(expected);
  });
});

describe('refund steps', () => {
  it('takes the delta from previous_attributes and names it by the cumulative amount', () => {
    expect(refundStep('ch_1', 1000n, 300n, 0n)).toEqual({ amount: 700n, reference: 'ch_1.refunded_to.1000' });
  });
  it('falls back on what was recorded when previous_attributes is absent', () => {
    expect(refundStep('ch_1', 1000n, null, 300n)).toEqual({ amount: 700n, reference: 'ch_1.refunded_to.1000' });
    expect(refundStep('ch_1', 300n, null, 300n)).toBeNull();
  });
  it('is full when refunds reach what was paid', () => {
    expect(isFullyRefunded(1000n, 999n)).toBe(false);
    expect(isFullyRefunded(1000n, 1000n)).toBe(true);
    expect(isFullyRefunded(0n, 0n)).toBe(false);
  });
});

describe('manifest format', () => {
  const line = { workId: '00000000-0000-4000-8000-000000000001', contentHash: 'a'.repeat(64), consentRecordId: '00000000-0000-4000-8000-000000000002' };
  it('renders canonical NDJSON with a fixed key order', () => {
    expect(ndjsonLine(line)).toBe(`{"workId":"${line.workId}","contentHash":"${'a'.repeat(64)}","consentRecordId":"${line.consentRecordId}"}\n`);
    expect(JSON.parse(ndjsonLine(line))).toEqual(line);
  });
  it('renders CSV', () => expect(csvLine(line)).toBe(`${line.workId},${'a'.repeat(64)},${line.consentRecordId}\n`));
  it('signs the same bytes whatever the field order', () => {
    const f = { licenceId: 'l', organisationId: 'o', offerId: 'f', kind: 'collective', uses: ['train'], commercial: true, startsAt: 's', endsAt: null, workCount: 1, manifestSha256: 'h' };
    const reordered = Object.fromEntries(Object.entries(f).reverse()) as typeof f;
    expect(signedPayload(reordered)).toBe(signedPayload(f));
    expect(JSON.parse(signedPayload(f))).toEqual({ ...f, v: 'fairshare-licence-certificate/1' });
    expect(signedPayload(f)).toMatch(/^\{"commercial":true,"endsAt":null,/);
  });
});
