import { LedgerService } from '@fairshare/ledger';
import { bearer, TestSystem, WorkerProcess } from '@fairshare/testing';
import { asExpected, runScenario } from '../../libs/royalties/src/rules/scenarios/scenario-runner';
import type { ScenarioSeeder } from '../../libs/royalties/src/testing/scenario-seeder';
import { namedLines, royaltyWorld, seedWorld, startRun, waitComputed } from './royalty-world';

jest.setTimeout(420_000);

/**
 * kill -9 of the real worker process while a royalty run is `computing` (some licence chunks done,
 * others not), then a new worker: the run completes, and its lines are exactly those of an
 * undisturbed run of the same data in a second test system (and of the pure rules). Approved by a
 * second finance user: one ledger entry, trial balance zero.
 */
describe('royalty run survives a killed worker (chaos)', () => {
  const scenario = royaltyWorld(20260201);
  let chaos: TestSystem;
  let calm: TestSystem;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    [chaos, calm] = await Promise.all([
      // Short job locks: the dead worker's chunk jobs are taken over within seconds.
      TestSystem.start({ worker: false, env: { WORKER_LOCK_DURATION_MS: '4000', WORKER_STALLED_INTERVAL_MS: '1000' } }),
      TestSystem.start(),
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await w.crash().catch(() => undefined);
    await chaos?.stop();
    await calm?.stop();
  }, 60_000);

  it('kill -9 mid-run, new worker: lines identical to an undisturbed run; one posting; trial balance zero', async () => {
    const [finA, finB, calmFin] = [await chaos.createStaff(['finance'], 'A'), await chaos.createStaff(['finance'], 'B'), await calm.createStaff(['finance'], 'C')];
    const [seeder, calmSeeder]: ScenarioSeeder[] = await Promise.all([seedWorld(chaos, scenario, finA), seedWorld(calm, scenario, calmFin)]);

    // The undisturbed run, in the second system (in-process worker).
    const calmRun = await startRun(calm, calmFin);
    await waitComputed(calm, calmFin, calmRun);
    const want = await namedLines(calm, calmSeeder, calmRun);
    expect(want.length).toBeGreaterThan(1000);

    // The disturbed one.
    workers.push(await WorkerProcess.start(chaos.config, { WORKER_LOCK_DURATION_MS: '4000', WORKER_STALLED_INTERVAL_MS: '1000' }));
    const id = await startRun(chaos, finA);
    const chunkState = async () =>
      (
        await chaos.dataSource.query(
          `SELECT r.status, count(c.*) FILTER (WHERE c.status = 'done')::int AS done, count(c.*)::int AS total
             FROM royalty_runs r LEFT JOIN royalty_run_chunks c ON c.run_id = r.id AND c.generation = r.generation
            WHERE r.id = $1 GROUP BY r.status`,
          [id],
        )
      )[0] as { status: string; done: number; total: number };
    for (;;) {
      const s = await chunkState();
      if (s.status === 'computing' && s.done > 0) break;
      if (s.status === 'computed' || s.status === 'failed') throw new Error(`run became ${s.status} before the kill: make the world bigger`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await workers[0].crash();
    const atKill = await chunkState();
    expect(atKill.status).toBe('computing');
    expect(atKill.done).toBeGreaterThan(0);
    expect(atKill.done).toBeLessThan(atKill.total); // killed mid-run, not after it

    workers.push(await WorkerProcess.start(chaos.config, { WORKER_LOCK_DURATION_MS: '4000', WORKER_STALLED_INTERVAL_MS: '1000' }));
    const done = await waitComputed(chaos, finA, id);
    expect(done).toMatchObject({ status: 'computed', generation: 1 });
    const got = await namedLines(chaos, seeder, id);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
    // Each (licence, work, holder) of the run's period once: no chunk written twice.
    const [dups] = await chaos.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM royalty_lines WHERE run_id = $1 GROUP BY original_period, licence_id, work_id, holder_key HAVING count(*) > 1) d`,
      [id],
    );
    expect(dups.n).toBe(0);

    // And both are what the pure rules give.
    const rules = asExpected(runScenario(scenario)[0]);
    const byRules = (xs: { licence: unknown; work: unknown; holder: unknown; units: unknown; amount: unknown; consent: unknown }[]) =>
      xs.map((l) => JSON.stringify([l.licence, l.work, l.holder, l.units, l.amount, l.consent])).sort();
    expect(byRules(got.map((r) => ({ licence: r.licence_id, work: r.work_id, holder: r.holder_key, units: r.units, amount: r.amount, consent: r.consent_record_id })))).toEqual(byRules(rules.lines));

    // Four eyes: B approves what A started; exactly one ledger entry; the books balance.
    await chaos.http.post(`/v1/royalty-runs/${id}/approve`).set(bearer(finB)).expect(200);
    await chaos.http.post(`/v1/royalty-runs/${id}/approve`).set(bearer(finB)).expect(200);
    const [entries] = await chaos.dataSource.query(`SELECT count(*)::int AS n FROM journal_entries WHERE kind = 'royalty.approval' AND reference = $1`, [id]);
    expect(entries.n).toBe(1);
    const tb = await chaos.get(LedgerService).trialBalance();
    expect(tb.balanced).toBe(true);
  });
});
