import { LedgerService } from '@fairshare/ledger';
import { RoyaltyClaimsService } from '@fairshare/royalties';
import { bearer, TestSystem, type TestUser } from '@fairshare/testing';
import type { ScenarioFile } from '../../libs/royalties/src/rules/scenarios/scenario-runner';
import { ScenarioSeeder } from '../../libs/royalties/src/testing/scenario-seeder';

/**
 * A generated royalty world big enough that a run takes a few seconds: many licences (one chunk
 * each), hundreds of works with multi-holder splits and invitations, usage reports for the
 * usage-keyed licences. January 2026 is the period run; the seeded reports count in it.
 */
export function royaltyWorld(seed: number, size = { creators: 40, works: 400, licences: 160 }): ScenarioFile {
  let x = seed;
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const pad = (n: number) => String(n).padStart(4, '0');
  const creators = Array.from({ length: size.creators }, (_, i) => `c${pad(i)}`);
  const works = Array.from({ length: size.works }, (_, i) => {
    const holders = [...new Set(Array.from({ length: 1 + rnd(3) }, () => (rnd(6) === 0 ? `i${rnd(5)}` : creators[rnd(size.creators)])))];
    const cuts = holders.map(() => 1 + rnd(100));
    const total = cuts.reduce((a, b) => a + b, 0);
    const bps = cuts.map((c) => Math.floor((c * 10000) / total));
    bps[0] += 10000 - bps.reduce((a, b) => a + b, 0);
    return {
      id: `w${pad(i)}`,
      owner: creators[rnd(size.creators)],
      splits: [{ effectiveAt: '2025-12-01T00:00:00Z', shares: holders.map((h, k) => (h.startsWith('i') ? { invitation: h, bps: bps[k] } : { creator: h, bps: bps[k] })) }],
    };
  });
  const licences = Array.from({ length: size.licences }, (_, i) => {
    const manifest = [...new Set(Array.from({ length: 5 + rnd(60) }, () => works[rnd(size.works)].id))].map((w) => ({ work: w, consent: `cr-${w}` }));
    return {
      id: `L${pad(i)}`,
      currency: i % 5 === 0 ? 'JPY' : 'EUR',
      paidMinor: String(1000 + rnd(5_000_000)),
      startsAt: new Date(Date.parse('2026-01-01T00:00:00Z') + rnd(25 * 86400) * 1000).toISOString(),
      termDays: rnd(3) === 0 ? null : 20 + rnd(380),
      adminFeeBps: rnd(2000),
      distributionKey: (i % 2 ? 'usage' : 'equal') as 'usage' | 'equal',
      manifest,
      refunds: [],
    };
  });
  const reports = licences
    .filter((l) => l.distributionKey === 'usage')
    .map((l, k) => ({
      id: `r${pad(k)}`,
      licence: l.id,
      period: '2026-01',
      processedAt: '2026-01-31T12:00:00Z',
      units: Object.fromEntries(l.manifest.filter(() => rnd(3) !== 0).map((m) => [m.work, String(1 + rnd(1_000_000))])),
    }))
    .filter((r) => Object.keys(r.units).length > 0);
  return {
    name: 'chaos',
    description: 'generated',
    works,
    invitations: [{ id: 'i0', acceptedBy: creators[1], acceptedAt: '2026-01-05T00:00:00Z' }, { id: 'i1' }, { id: 'i2' }, { id: 'i3' }, { id: 'i4' }],
    licences,
    reports,
    runs: [{ period: '2026-01', at: '2026-02-01T06:00:00Z', expect: { totals: [], lines: [] } }],
  };
}

export const RUN_AT = new Date('2026-02-01T06:00:00Z');

/** Every line of a run, in a stable order, with scenario names in place of this database's IDs. */
export async function namedLines(sys: TestSystem, seeder: ScenarioSeeder, runId: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = await sys.dataSource.query(
    `SELECT period, original_period, licence_id, work_id, holder_key, holder_kind, currency, units::text AS units, amount::text AS amount, consent_record_id, is_adjustment
       FROM royalty_lines WHERE run_id = $1`,
    [runId],
  );
  const n = (id: unknown) => seeder.names.get(id as string) ?? id;
  return rows
    .map((r) => ({ ...r, licence_id: n(r.licence_id), work_id: n(r.work_id), holder_key: n(r.holder_key), consent_record_id: n(r.consent_record_id) }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** Seeds the world into a system's database (up to the run's time) and sets its clock. */
export async function seedWorld(sys: TestSystem, scenario: ScenarioFile, staff: TestUser): Promise<ScenarioSeeder> {
  const seeder = new ScenarioSeeder(sys.dataSource, sys.get(LedgerService), sys.get(RoyaltyClaimsService), scenario);
  await seeder.seed(staff.id);
  await seeder.applyUntil(RUN_AT);
  await sys.setClock(RUN_AT);
  return seeder;
}

export async function startRun(sys: TestSystem, finance: TestUser, period = '2026-01'): Promise<string> {
  return (await sys.http.post('/v1/royalty-runs').set(bearer(finance)).set('Idempotency-Key', `chaos-${period}`).send({ period }).expect(202)).body.id as string;
}

/** Polls the run through the API until it is computed (throws if it fails or time runs out). */
export async function waitComputed(sys: TestSystem, finance: TestUser, id: string, timeoutMs = 240_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await sys.http.get(`/v1/royalty-runs/${id}`).set(bearer(finance)).expect(200);
    if (r.body.status === 'computed') return r.body;
    if (r.body.status === 'failed') throw new Error(`run failed: ${JSON.stringify(r.body.error)}`);
    if (Date.now() > deadline) throw new Error(`run ${id} still ${r.body.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
