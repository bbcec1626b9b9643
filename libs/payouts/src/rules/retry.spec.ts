import { retryDecision, transferIdempotencyKey } from './retry';

describe('payout retry decisions', () => {
  it.each([
    [{ code: 'api_connection_error', retryable: true, statusCode: undefined }, 'retry-same-key'],
    [{ code: 'api_error', retryable: true, statusCode: 500 }, 'retry-same-key'],
    [{ code: 'rate_limit', retryable: true, statusCode: 429 }, 'retry-same-key'],
    [{ code: 'balance_insufficient', retryable: false, statusCode: 400 }, 'retry-next-key'],
    [{ code: 'insufficient_capabilities_for_transfer', retryable: false, statusCode: 400 }, 'final'],
    [{ code: 'idempotency_error', retryable: false, statusCode: 400 }, 'final'],
    [{ code: 'resource_missing', retryable: false, statusCode: 404 }, 'final'],
  ])('%o → %s', (error, decision) => {
    expect(retryDecision(error)).toBe(decision);
  });

  it('derives keys from the item ID', () => {
    expect(transferIdempotencyKey('abc', 0)).toBe('payout-item-abc');
    expect(transferIdempotencyKey('abc', 2)).toBe('payout-item-abc-2');
  });
});
