import fc from 'fast-check';
import { nextPeriod, periodEnd, type Period } from '@fairshare/domain';
import { computePeriod } from './compute-period';
import { recognise } from './recognise';
import { periodInput, runScenario, type ScenarioFile } from './scenarios/scenario-runner';

const HOLDERS = ['c1', 'c2', 'c3', 'i1', 'i2'];
const WORKS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
const FIRST: Period = '2026-01';
const periods = (n: number) => {
  const out: Period[] = [FIRST];
  while (out.length < n) out.push(nextPeriod(out[out.length - 1]));
  return out;
};

/** Splits of bps summing to 10000 over 1–3 distinct holders. */
const split = fc.uniqueArray(fc.constantFrom(...HOLDERS), { minLength: 1, maxLength: 3 }).chain((holders) =>
  fc.array(fc.integer({ min: 1, max: 9998 }), { minLength: holders.length - 1, maxLength: holders.length - 1 }).map((cuts) => {
    const points = [...new Set(cuts)].sort((a, b) => a - b).slice(0, holders.length - 1);
    const bounds = [0, ...points, 10000];
    return holders.slice(0, bounds.length - 1).map((h, i) => (h.startsWith('i') ? { invitation: h, bps: bounds[i + 1] - bounds[i] } : { creator: h, bps: bounds[i + 1] - bounds[i] }));
  }),
);

const NRUNS = 4;
const scenario: fc.Arbitrary<ScenarioFile> = fc
  .record({
    splits: fc.array(split, { minLength: WORKS.length, maxLength: WORKS.length }),
    licences: fc.array(
      fc.record({
        currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
        paid: fc.bigInt({ min: 0n, max: 10n ** 12n }),
        startDay: fc.integer({ min: 0, max: 80 }),
        startSecond: fc.integer({ min: 0, max: 86399 }),
        termDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
        fee: fc.integer({ min: 0, max: 10000 }),
        key: fc.constantFrom('usage' as const, 'equal' as const),
        works: fc.uniqueArray(fc.constantFrom(...WORKS), { minLength: 1, maxLength: WORKS.length }),
        refund: fc.option(fc.record({ afterRun: fc.integer({ min: 0, max: NRUNS - 1 }), permille: fc.integer({ min: 0, max: 1000 }), revokes: fc.boolean() }), { nil: null }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    reports: fc.array(
      fc.record({
        licence: fc.nat(3),
        period: fc.integer({ min: 0, max: NRUNS - 1 }),
        visibleAfterRun: fc.integer({ min: -1, max: NRUNS - 1 }),
        supersedesPrevious: fc.boolean(),
        units: fc.dictionary(fc.constantFrom(...WORKS), fc.bigInt({ min: 1n, max: 10n ** 9n }).map(String), { minKeys: 1 }),
      }),
      { maxLength: 8 },
    ),
    acceptance: fc.option(fc.integer({ min: 0, max: NRUNS - 1 }), { nil: null }),
  })
  .map(({ splits, licences, reports, acceptance }) => {
    const ps = periods(NRUNS);
    // Run i happens one hour into period i + 1; "after run k" means between run k and run k+1.
    const runAt = (i: number) => new Date(periodEnd(ps[i]).getTime() + 3_600_000);
    const between = (k: number) => new Date(runAt(k).getTime() + 86_400_000).toISOString();
    const s: ScenarioFile = {
      name: 'random',
      description: '',
      works: WORKS.map((w, i) => ({ id: w, owner: 'c1', splits: [{ effectiveAt: '2025-12-01T00:00:00Z', shares: splits[i] }] })),
      invitations: [{ id: 'i1', acceptedBy: 'c3', acceptedAt: acceptance === null ? undefined : between(acceptance) }, { id: 'i2' }],
      licences: licences.map((l, i) => {
        const startsAt = new Date(Date.parse('2026-01-01T00:00:00Z') + l.startDay * 86_400_000 + l.startSecond * 1000);
        return {
          id: `L${i}`,
          currency: l.currency,
          paidMinor: String(l.paid),
          startsAt: startsAt.toISOString(),
          termDays: l.termDays,
          adminFeeBps: l.fee,
          distributionKey: l.key,
          manifest: l.works.map((w) => ({ work: w, consent: `cr-${w}` })),
          refunds: l.refund ? [{ at: between(l.refund.afterRun), amountMinor: String((l.paid * BigInt(l.refund.permille)) / 1000n), revokes: l.refund.revokes }] : [],
        };
      }),
      reports: [],
      runs: ps.map((p, i) => ({ period: p, at: runAt(i).toISOString(), expect: { totals: [], lines: [] } })),
    };
    const last = new Map<string, string>();
    reports.forEach((r, i) => {
      const licence = `L${r.licence % licences.length}`;
      const period = ps[r.period];
      const k = `${licence}|${period}`;
      const processedAt = r.visibleAfterRun < 0 ? new Date(periodEnd(period).getTime() - 60_000).toISOString() : between(Math.max(r.visibleAfterRun, r.period));
      const rep = { id: `r${i}`, licence, period, processedAt, supersedes: r.supersedesPrevious ? last.get(k) : undefined, units: r.units };
      last.set(k, rep.id);
      s.reports!.push(rep);
    });
    // Reports are processed in the order of their time.
    s.reports!.sort((a, b) => (a.processedAt < b.processedAt ? -1 : a.processedAt > b.processedAt ? 1 : 0));
    return s;
  });

describe('distribution rules: properties', () => {
  it('recognition sums to the net paid amount over the term', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.option(fc.integer({ min: 1, max: 10 ** 8 }), { nil: null }),
        (A, startOffset, termSeconds) => {
          const startsAt = new Date(Date.parse('2026-01-01T00:00:00Z') + startOffset * 1000);
          const endsAt = termSeconds === null ? null : new Date(startsAt.getTime() + termSeconds * 1000);
          const r = recognise({ id: 'L', currency: 'EUR', netPaidMinor: A, startsAt, endsAt, revokedAt: null, adminFeeBps: 0, distributionKey: 'equal' });
          expect([...r.values()].reduce((a, b) => a + b, 0n)).toBe(A);
        },
      ),
    );
  });

  it('every run satisfies recognised = fees + Σ lines per licence and period', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const run of s.runs) {
          const r = computePeriod(periodInput(s, run.period, new Date(run.at)));
          for (const t of r.totals) {
            const sum = r.lines.filter((l) => l.licenceId === t.licenceId).reduce((a, l) => a + l.amount, 0n);
            expect(t.fee + sum).toBe(t.recognised);
            expect(t.net).toBe(sum);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('cumulative postings equal the rules applied to the current data (rule 7)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const results = runScenario(s);
        results.forEach((_, i) => {
          const at = new Date(s.runs[i].at);
          // Everything posted up to run i, per (period, licence, work, holder)...
          const posted = new Map<string, bigint>();
          const postedRec = new Map<string, bigint>();
          for (const r of results.slice(0, i + 1)) {
            for (const l of [...r.current.lines, ...r.adjustments]) {
              const k = `${l.period}|${l.licenceId}|${l.workId}|${l.holderKey}`;
              posted.set(k, (posted.get(k) ?? 0n) + l.amount);
            }
            for (const t of [...r.current.totals, ...r.adjustmentTotals]) {
              const k = `${t.period}|${t.licenceId}`;
              postedRec.set(k, (postedRec.get(k) ?? 0n) + t.recognised);
            }
          }
          // ...equals the rules over the data as it stands at run i, for every approved period.
          const expected = new Map<string, bigint>();
          const expectedRec = new Map<string, bigint>();
          for (const run of s.runs.slice(0, i + 1)) {
            const now = computePeriod(periodInput(s, run.period, at));
            for (const l of now.lines) expected.set(`${l.period}|${l.licenceId}|${l.workId}|${l.holderKey}`, l.amount);
            for (const t of now.totals) expectedRec.set(`${t.period}|${t.licenceId}`, t.recognised);
          }
          const nonZero = (m: Map<string, bigint>) => new Map([...m].filter(([, v]) => v !== 0n));
          expect(nonZero(posted)).toEqual(nonZero(expected));
          expect(nonZero(postedRec)).toEqual(nonZero(expectedRec));
        });
      }),
      { numRuns: 150 },
    );
  });
});
