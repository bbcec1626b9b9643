import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { RoyaltyClaimsService } from '@fairshare/royalties';
import { bearer, TestSystem, type TestUser } from '@fairshare/testing';
import type { ScenarioFile } from '../../libs/royalties/src/rules/scenarios/scenario-runner';
import { ScenarioSeeder } from '../../libs/royalties/src/testing/scenario-seeder';

/**
 * Every scenario file of the distribution rules, through the real system: data seeded into the
 * other areas' tables, each run started, computed by the BullMQ workers, approved by a second
 * finance user and posted to the ledger through the API; the persisted lines, figures and ledger
 * balances must match the file to the unit, and the trial balance stays zero.
 */
const dir = join(__dirname, '../../libs/royalties/src/rules/scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

const sortJson = <T>(xs: T[]) => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe.each(files)('royalty scenario %s (e2e)', (file) => {
  const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ScenarioFile;
  let sys: TestSystem;
  let starter: TestUser;
  let approver: TestUser;
  let seeder: ScenarioSeeder;

  beforeAll(async () => {
    sys = await TestSystem.start();
    starter = await sys.createStaff(['finance'], 'Finance A');
    approver = await sys.createStaff(['finance'], 'Finance B');
    seeder = new ScenarioSeeder(sys.dataSource, sys.get(LedgerService), sys.get(RoyaltyClaimsService), scenario);
    await seeder.seed(starter.id);
  });
  afterAll(() => sys?.stop());
  afterEach(async () => {
    expect((await sys.get(LedgerService).trialBalance()).balanced).toBe(true);
  });

  it.each(scenario.runs.map((r, i) => [r.period, i] as const))('run %s matches the scenario to the unit', async (period, i) => {
    const run = scenario.runs[i];
    await seeder.applyUntil(new Date(run.at));
    await sys.setClock(new Date(run.at));
    const started = await sys.http.post('/v1/royalty-runs').set(bearer(starter)).set('Idempotency-Key', `run-${period}`).send({ period }).expect(202);
    const id = started.body.id as string;
    const computed = await waitFor(sys, starter, id, 'computed');

    const name = (uuid: string) => seeder.names.get(uuid) ?? uuid;
    const lines: Record<string, string>[] = [];
    for (let cursor: string | null = null; ; ) {
      const page: { body: { data: Record<string, string>[]; nextCursor: string | null } } = await sys.http.get(`/v1/royalty-runs/${id}/lines`).query(cursor ? { cursor, limit: 2 } : { limit: 2 }).set(bearer(starter)).expect(200);
      lines.push(...page.body.data);
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    const current = lines.filter((l) => !l.isAdjustment).map((l) => ({ licence: name(l.licenceId), work: name(l.workId), holder: name(l.holderKey), units: l.units, amount: l.amount, consent: name(l.consentRecordId) }));
    expect(sortJson(current)).toEqual(sortJson(run.expect.lines));
    const adjustments = lines.filter((l) => l.isAdjustment).map((l) => ({ originalPeriod: l.originalPeriod, licence: name(l.licenceId), work: name(l.workId), holder: name(l.holderKey), amount: l.amount }));
    expect(sortJson(adjustments)).toEqual(sortJson(run.expect.adjustments ?? []));

    const figures: { licence_id: string; original_period: string; recognised: string; fee: string; is_adjustment: boolean }[] = await sys.dataSource.query(
      `SELECT licence_id, original_period, recognised::text, fee::text, is_adjustment FROM royalty_licence_totals WHERE run_id = $1`,
      [id],
    );
    const totals = figures.filter((f) => !f.is_adjustment).map((f) => ({ licence: name(f.licence_id), recognised: f.recognised, fee: f.fee, net: String(BigInt(f.recognised) - BigInt(f.fee)) }));
    expect(sortJson(totals)).toEqual(sortJson(run.expect.totals));
    const adjTotals = figures
      .filter((f) => f.is_adjustment && (f.recognised !== '0' || f.fee !== '0'))
      .map((f) => ({ originalPeriod: f.original_period, licence: name(f.licence_id), recognised: f.recognised, fee: f.fee }));
    expect(sortJson(adjTotals)).toEqual(sortJson(run.expect.adjustmentTotals ?? []));

    // Run totals per currency agree with the figures and lines.
    for (const t of computed.totals as { currency: string; recognised: string; fees: string; distributed: string }[]) {
      expect(BigInt(t.recognised) - BigInt(t.fees)).toBe(BigInt(t.distributed));
    }

    // Four eyes, then posted to the ledger.
    const refused = await sys.http.post(`/v1/royalty-runs/${id}/approve`).set(bearer(starter)).expect(403);
    expect(refused.body.error.code).toBe('FOUR_EYES_REQUIRED');
    const posted = await sys.http.post(`/v1/royalty-runs/${id}/approve`).set(bearer(approver)).expect(200);
    expect(posted.body.status).toBe('posted');

    if (run.expect.balances) await expectLedgerBalances(sys, seeder, scenario, run.expect.balances, new Date(run.at));
  });
});

async function waitFor(sys: TestSystem, user: TestUser, id: string, status: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const r = await sys.http.get(`/v1/royalty-runs/${id}`).set(bearer(user)).expect(200);
    if (r.body.status === status) return r.body;
    if (r.body.status === 'failed') throw new Error(`run failed: ${JSON.stringify(r.body.error)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`run ${id} never reached ${status}`);
}

/**
 * The scenario's balances are per holder key; on the ledger, an invitation accepted by `at` has
 * had its unclaimed money moved to the accepting creator's payable account.
 */
async function expectLedgerBalances(sys: TestSystem, seeder: ScenarioSeeder, s: ScenarioFile, balances: Record<string, Record<string, string>>, at: Date) {
  const ledger = sys.get(LedgerService);
  const expected = new Map<string, bigint>();
  for (const [holder, byCurrency] of Object.entries(balances)) {
    const inv = (s.invitations ?? []).find((i) => i.id === holder);
    const accepted = inv?.acceptedAt && Date.parse(inv.acceptedAt) <= at.getTime();
    const account = inv && !accepted ? Accounts.unclaimed(seeder.id(holder)) : Accounts.payable(seeder.id(accepted ? inv!.acceptedBy! : holder));
    for (const [currency, amount] of Object.entries(byCurrency)) expected.set(`${account}|${currency}`, (expected.get(`${account}|${currency}`) ?? 0n) + BigInt(amount));
  }
  for (const [k, amount] of expected) {
    const [account, currency] = k.split('|');
    expect(`${account} ${currency} ${-(await ledger.balance(account, currency))}`).toBe(`${account} ${currency} ${amount}`);
  }
}
