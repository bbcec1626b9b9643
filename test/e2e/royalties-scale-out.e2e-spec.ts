import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { LedgerService } from '@fairshare/ledger';
import { RoyaltyClaimsService } from '@fairshare/royalties';
import { bearer, TestSystem, type TestUser } from '@fairshare/testing';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { asExpected, runScenario, type ScenarioFile } from '../../libs/royalties/src/rules/scenarios/scenario-runner';
import { ScenarioSeeder } from '../../libs/royalties/src/testing/scenario-seeder';

/**
 * Two worker processes on the same queues (a second worker Nest context with the same Redis
 * prefix and database) compute a run; the same run re-computed by one worker gives the same
 * lines bit for bit, equal to the pure rules; approval posts exactly one entry.
 */
function world(seed: number): ScenarioFile {
  let x = seed;
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const pad = (n: number) => String(n).padStart(2, '0');
  const creators = Array.from({ length: 10 }, (_, i) => `c${i}`);
  const works = Array.from({ length: 40 }, (_, i) => {
    const holders = [...new Set(Array.from({ length: 1 + rnd(3) }, () => (rnd(5) === 0 ? `i${rnd(4)}` : creators[rnd(10)])))];
    const cuts = holders.map(() => 1 + rnd(100));
    const total = cuts.reduce((a, b) => a + b, 0);
    const bps = cuts.map((c) => Math.floor((c * 10000) / total));
    bps[0] += 10000 - bps.reduce((a, b) => a + b, 0);
    return {
      id: `w${pad(i)}`,
      owner: creators[rnd(10)],
      splits: [{ effectiveAt: '2025-12-01T00:00:00Z', shares: holders.map((h, k) => (h.startsWith('i') ? { invitation: h, bps: bps[k] } : { creator: h, bps: bps[k] })) }],
    };
  });
  const licences = Array.from({ length: 12 }, (_, i) => {
    const manifest = [...new Set(Array.from({ length: 3 + rnd(37) }, () => works[rnd(40)].id))].map((w) => ({ work: w, consent: `cr-${w}` }));
    return {
      id: `L${pad(i)}`,
      currency: i % 4 === 0 ? 'JPY' : 'EUR',
      paidMinor: String(1000 + rnd(5_000_000)),
      startsAt: new Date(Date.parse('2026-01-01T00:00:00Z') + rnd(30 * 86400) * 1000).toISOString(),
      termDays: rnd(3) === 0 ? null : 20 + rnd(380),
      adminFeeBps: rnd(2000),
      distributionKey: (i % 2 ? 'usage' : 'equal') as 'usage' | 'equal',
      manifest,
      refunds: i === 3 ? [{ at: '2026-02-10T00:00:00Z', amountMinor: '500' }] : [],
    };
  });
  const reports = licences
    .filter((l) => l.distributionKey === 'usage' && l.id !== 'L03')
    .map((l, k) => ({
      id: `r${pad(k)}`,
      licence: l.id,
      period: '2026-01',
      processedAt: k % 3 === 0 ? '2026-02-12T00:00:00Z' : '2026-01-31T12:00:00Z',
      units: Object.fromEntries(l.manifest.filter(() => rnd(2) === 0).map((m) => [m.work, String(1 + rnd(1_000_000))])),
    }))
    .filter((r) => Object.keys(r.units).length > 0);
  return {
    name: 'scale-out',
    description: 'generated',
    works,
    invitations: [{ id: 'i0', acceptedBy: 'c1', acceptedAt: '2026-02-05T00:00:00Z' }, { id: 'i1' }, { id: 'i2' }, { id: 'i3' }],
    licences,
    reports,
    runs: [
      { period: '2026-01', at: '2026-02-01T06:00:00Z', expect: { totals: [], lines: [] } },
      { period: '2026-02', at: '2026-03-01T06:00:00Z', expect: { totals: [], lines: [] } },
    ],
  };
}

const LINES_SQL = `SELECT period, original_period, licence_id, work_id, holder_key, holder_kind, currency, units::text, amount::text, consent_record_id, is_adjustment
                     FROM royalty_lines WHERE run_id = $1 ORDER BY licence_id, original_period, work_id, holder_key`;

describe('royalty runs scale out (e2e)', () => {
  let sys: TestSystem;
  let second: INestApplicationContext | null = null;
  let finA: TestUser;
  let finB: TestUser;
  let seeder: ScenarioSeeder;
  const scenario = world(20261122);
  const expected = runScenario(scenario);

  beforeAll(async () => {
    sys = await TestSystem.start();
    second = await NestFactory.createApplicationContext(WorkerModule.forRoot(sys.config), { logger: false });
    await second.init();
    finA = await sys.createStaff(['finance'], 'A');
    finB = await sys.createStaff(['finance'], 'B');
    seeder = new ScenarioSeeder(sys.dataSource, sys.get(LedgerService), sys.get(RoyaltyClaimsService), scenario);
    await seeder.seed(finA.id);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await sys?.stop();
  }, 60_000);
  afterEach(async () => {
    expect((await sys.get(LedgerService).trialBalance()).balanced).toBe(true);
  });

  async function computed(id: string, generation: number) {
    for (let i = 0; i < 600; i++) {
      const r = await sys.http.get(`/v1/royalty-runs/${id}`).set(bearer(finA)).expect(200);
      if (r.body.status === 'computed' && r.body.generation === generation) return r.body;
      if (r.body.status === 'failed') throw new Error(JSON.stringify(r.body.error));
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('never computed');
  }

  const asFile = (rows: Record<string, unknown>[]) => {
    const n = (id: unknown) => seeder.names.get(id as string) ?? id;
    return {
      lines: rows.filter((r) => !r.is_adjustment).map((r) => ({ licence: n(r.licence_id), work: n(r.work_id), holder: n(r.holder_key), units: r.units, amount: r.amount, consent: n(r.consent_record_id) })),
      adjustments: rows.filter((r) => r.is_adjustment).map((r) => ({ originalPeriod: r.original_period, licence: n(r.licence_id), work: n(r.work_id), holder: n(r.holder_key), amount: r.amount })),
    };
  };
  const sorted = <T>(xs: T[] | undefined) => [...(xs ?? [])].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

  it.each([['2026-01', 0], ['2026-02', 1]] as const)('%s: two workers, then one, give the same lines, equal to the rules; one posting', async (period, i) => {
    const at = new Date(scenario.runs[i].at);
    await seeder.applyUntil(at);
    await sys.setClock(at);
    const id = (await sys.http.post('/v1/royalty-runs').set(bearer(finA)).set('Idempotency-Key', `so-${period}`).send({ period }).expect(202)).body.id;
    await computed(id, 1);
    const two = await sys.dataSource.query(LINES_SQL, [id]);
    expect(two.length).toBeGreaterThan(50);
    const chunks = await sys.dataSource.query(`SELECT count(*)::int AS n FROM royalty_run_chunks WHERE run_id = $1 AND status = 'done'`, [id]);
    expect(chunks[0].n).toBeGreaterThan(5);

    // The same run computed again by one worker process only.
    await second!.close();
    second = null;
    await sys.http.post(`/v1/royalty-runs/${id}/recompute`).set(bearer(finA)).expect(202);
    await computed(id, 2);
    const one = await sys.dataSource.query(LINES_SQL, [id]);
    expect(one).toEqual(two);

    // And both equal the pure rules (libs/royalties/src/rules) on the same data.
    const want = asExpected(expected[i]);
    const got = asFile(one);
    expect(sorted(got.lines)).toEqual(sorted(want.lines));
    expect(sorted(got.adjustments)).toEqual(sorted(want.adjustments));

    // Two approvals racing (two API calls): one journal entry.
    const results = await Promise.all([1, 2, 3].map(() => sys.http.post(`/v1/royalty-runs/${id}/approve`).set(bearer(finB))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const entries = await sys.dataSource.query(`SELECT count(*)::int AS n FROM journal_entries WHERE kind = 'royalty.approval' AND reference = $1`, [id]);
    expect(entries[0].n).toBe(1);

    // Next period: two workers again.
    second = await NestFactory.createApplicationContext(WorkerModule.forRoot(sys.config), { logger: false });
    await second.init();
  });
});
