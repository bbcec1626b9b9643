import { ThrottlerStorageService } from '@nestjs/throttler';
import fc from 'fast-check';
import { ThrottlerMemoryStorage } from './throttler-storage';

// The same answers as the library's storage, request by request, whatever the sequence.
const step = fc.record({
  advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 90_000 }), fc.integer({ min: -1_000, max: 0 })),
  key: fc.constantFrom('a', 'b'),
  name: fc.constantFrom('default', 'default', 'burst'),
});
const setting = fc.record({
  ttl: fc.constantFrom(1_000, 5_000, 60_000),
  limit: fc.integer({ min: 1, max: 12 }),
  blockDuration: fc.constantFrom(0, 1_000, 5_000, 60_000),
});

describe('ThrottlerMemoryStorage', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers exactly as @nestjs/throttler ThrottlerStorageService', async () => {
    await fc.assert(
      fc.asyncProperty(setting, fc.array(step, { minLength: 1, maxLength: 120 }), async ({ ttl, limit, blockDuration }, steps) => {
        let now = 1_700_000_000_000;
        jest.spyOn(Date, 'now').mockImplementation(() => now);
        const theirs = new ThrottlerStorageService();
        const ours = new ThrottlerMemoryStorage();
        try {
          for (const s of steps) {
            now += s.advanceMs;
            expect(await ours.increment(s.key, ttl, limit, blockDuration, s.name)).toEqual(await theirs.increment(s.key, ttl, limit, blockDuration, s.name));
          }
        } finally {
          theirs.onApplicationShutdown();
          ours.onApplicationShutdown();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds one busy tracker: 60,000 live hits, then blocked past the limit', () => {
    const s = new ThrottlerMemoryStorage();
    const t0 = 1_700_000_000_000;
    let blocked = 0;
    for (let i = 0; i < 60_000; i++) if (s.hit('ip', 120_000, 60_000, 60_000, 'default', t0 + i).isBlocked) blocked++;
    expect(blocked).toBe(0);
    expect(s.hit('ip', 120_000, 60_000, 60_000, 'default', t0 + 60_000)).toEqual({ totalHits: 60_001, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 });
    s.onApplicationShutdown();
  });

  it('forgets idle trackers', () => {
    const s = new ThrottlerMemoryStorage();
    s.hit('ip', 1_000, 10, 1_000, 'default', 0);
    s.evictIdle(500);
    expect(s.size).toBe(1);
    s.evictIdle(1_000);
    expect(s.size).toBe(0);
    s.onApplicationShutdown();
  });
});
