import { periodOverlapsTerm } from './licence-term';

const d = (s: string) => new Date(s);
describe('periodOverlapsTerm', () => {
  it.each([
    ['inside', '2024-03', d('2024-01-15T00:00:00Z'), d('2025-01-15T00:00:00Z'), null, true],
    ['starting month', '2024-01', d('2024-01-31T23:59:59Z'), d('2025-01-31T00:00:00Z'), null, true],
    ['before the start', '2023-12', d('2024-01-01T00:00:00Z'), d('2025-01-01T00:00:00Z'), null, false],
    ['end is exclusive', '2025-01', d('2024-01-01T00:00:00Z'), d('2025-01-01T00:00:00Z'), null, false],
    ['last partial month', '2025-01', d('2024-01-15T00:00:00Z'), d('2025-01-15T00:00:00Z'), null, true],
    ['perpetual', '2030-06', d('2024-01-15T00:00:00Z'), null, null, true],
    ['revoked before the period', '2024-05', d('2024-01-15T00:00:00Z'), d('2025-01-15T00:00:00Z'), d('2024-04-30T00:00:00Z'), false],
    ['revoked during the period', '2024-04', d('2024-01-15T00:00:00Z'), null, d('2024-04-10T00:00:00Z'), true],
    ['revoked at its start (full refund)', '2024-01', d('2024-01-15T00:00:00Z'), null, d('2024-01-15T00:00:00Z'), false],
    ['never started', '2024-01', null, null, null, false],
  ])('%s', (_n, period, startsAt, endsAt, revokedAt, expected) => {
    expect(periodOverlapsTerm(period, { startsAt, endsAt, revokedAt })).toBe(expected);
  });
});
