import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Accounts, LedgerService } from '@fairshare/ledger';
import { RoyaltyClaimsService } from '@fairshare/royalties';
import { bearer, TestSystem, type TestUser } from '@fairshare/testing';
import type { ScenarioFile } from '../../libs/royalties/src/rules/scenarios/scenario-runner';
import { ScenarioSeeder } from '../../libs/royalties/src/testing/scenario-seeder';

/**
 * Royalty runs through the API on scenario 05 (a usage licence; a late and a superseding report
 * after January is approved; an invited holder who joins in February), with c1 and c3 played by
 * creators registered through the API so that they can read their statements.
 */
const scenario = JSON.parse(readFileSync(join(__dirname, '../../libs/royalties/src/rules/scenarios/05-late-and-superseding-reports.json'), 'utf8')) as ScenarioFile;

async function waitFor(sys: TestSystem, user: TestUser, id: string, status: string, generation = 1) {
  for (let i = 0; i < 600; i++) {
    const r = await sys.http.get(`/v1/royalty-runs/${id}`).set(bearer(user)).expect(200);
    if (r.body.status === status && r.body.generation === generation) return r.body;
    if (r.body.status === 'failed') throw new Error(`run failed: ${JSON.stringify(r.body.error)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`run ${id} never reached ${status}`);
}

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trim().split('\r\n').map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('royalty runs (e2e)', () => {
  let sys: TestSystem;
  let finA: TestUser;
  let finB: TestUser;
  let finC: TestUser;
  let c1: TestUser;
  let c3: TestUser;
  let seeder: ScenarioSeeder;
  let janRun: string;
  let febRun: string;

  beforeAll(async () => {
    sys = await TestSystem.start();
    [finA, finB, finC] = [await sys.createStaff(['finance'], 'A'), await sys.createStaff(['finance'], 'B'), await sys.createStaff(['finance'], 'C')];
    c1 = await sys.registerCreator('c1');
    c3 = await sys.registerCreator('c3');
    // c1 < c2 < c3 < i1 must hold as in the file (ties): pick IDs accordingly by swapping if needed.
    seeder = new ScenarioSeeder(sys.dataSource, sys.get(LedgerService), sys.get(RoyaltyClaimsService), scenario, { c1: c1.id, c3: c3.id });
    await seeder.seed(finA.id);
  });
  afterAll(() => sys?.stop());
  afterEach(async () => {
    expect((await sys.get(LedgerService).trialBalance()).balanced).toBe(true);
  });

  const start = (user: TestUser, period: string, key?: string) => {
    const r = sys.http.post('/v1/royalty-runs').set(bearer(user));
    return (key ? r.set('Idempotency-Key', key) : r).send({ period });
  };

  it('refuses with codes, and changes nothing', async () => {
    await seeder.applyUntil(new Date('2026-01-20T00:00:00Z'));
    await sys.setClock(new Date('2026-01-20T00:00:00Z'));
    expect((await start(c1, '2026-01', 'k0').expect(403)).body.error.code).toBe('ROLE_REQUIRED');
    expect((await start(finA, '2026-01').expect(400)).body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await start(finA, '2026-13', 'k1').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await start(finA, '2026-01', 'k2').expect(422)).body.error.code).toBe('PERIOD_NOT_ENDED');
    await seeder.applyUntil(new Date('2026-02-01T06:00:00Z'));
    await sys.setClock(new Date('2026-03-01T00:00:00Z'));
    const earlier = await start(finA, '2026-02', 'k3').expect(409);
    expect(earlier.body.error).toMatchObject({ code: 'EARLIER_PERIOD_NOT_APPROVED', details: { period: '2026-01' } });
    expect((await sys.dataSource.query(`SELECT count(*)::int AS n FROM royalty_runs`))[0].n).toBe(0);
  });

  it('January: idempotent start, preview, re-compute, four eyes, one posting', async () => {
    await sys.setClock(new Date('2026-02-01T06:00:00Z'));
    const first = await start(finA, '2026-01', 'jan').expect(202);
    janRun = first.body.id;
    expect(first.body).toMatchObject({ period: '2026-01', status: expect.stringMatching(/queued|computing|computed/) });
    const replay = await start(finA, '2026-01', 'jan').expect(202);
    expect(replay.body.id).toBe(janRun);
    expect((await start(finA, '2026-01', 'jan-2').expect(409)).body.error.code).toBe('RUN_ALREADY_EXISTS');

    const computed = await waitFor(sys, finA, janRun, 'computed');
    expect(computed.percent).toBe(100);
    expect(computed.totals).toEqual([{ currency: 'EUR', recognised: '3100', fees: '310', distributed: '2790', adjustments: '0' }]);
    const lines = (await sys.http.get(`/v1/royalty-runs/${janRun}/lines`).set(bearer(finA)).expect(200)).body.data;
    const byHolder = (h: string) => lines.filter((l: { holderKey: string }) => l.holderKey === h).map((l: { workId: string; amount: string; units: string }) => [seeder.names.get(l.workId), l.units, l.amount]);
    expect(byHolder(c1.id)).toEqual([['w1', '100', '698']]);
    const c1Only = (await sys.http.get(`/v1/royalty-runs/${janRun}/lines`).query({ holder: c1.id }).set(bearer(finA)).expect(200)).body.data;
    expect(c1Only).toHaveLength(1);

    // A preview is for finance: creators see statements once posted.
    expect((await sys.http.get(`/v1/me/statements/${janRun}`).set(bearer(c1)).expect(404)).body.error.code).toBe('STATEMENT_NOT_FOUND');
    const preview = await sys.http.get(`/v1/me/statements/${janRun}`).query({ creatorId: c1.id }).set(bearer(finA)).expect(200);
    expect(preview.body.totals).toEqual([{ currency: 'EUR', royalties: '698', adjustments: '0', total: '698' }]);

    // Re-compute by B: a new generation with the same figures; neither A nor B may approve.
    const re = await sys.http.post(`/v1/royalty-runs/${janRun}/recompute`).set(bearer(finB)).expect(202);
    expect(re.body.generation).toBe(2);
    await waitFor(sys, finA, janRun, 'computed', 2);
    const lines2 = (await sys.http.get(`/v1/royalty-runs/${janRun}/lines`).set(bearer(finA)).expect(200)).body.data;
    expect(lines2).toEqual(lines);
    for (const u of [finA, finB]) {
      expect((await sys.http.post(`/v1/royalty-runs/${janRun}/approve`).set(bearer(u)).expect(403)).body.error.code).toBe('FOUR_EYES_REQUIRED');
    }
    const [a, b] = await Promise.all([
      sys.http.post(`/v1/royalty-runs/${janRun}/approve`).set(bearer(finC)),
      sys.http.post(`/v1/royalty-runs/${janRun}/approve`).set(bearer(finC)),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.status).toBe('posted');
    const entries = await sys.dataSource.query(`SELECT id FROM journal_entries WHERE kind = 'royalty.approval' AND reference = $1`, [janRun]);
    expect(entries).toHaveLength(1);
    expect(a.body.journalEntryId).toBe(entries[0].id);
    // Posted: deferred revenue released by 3100, fees 310, holders 2790.
    const ledger = sys.get(LedgerService);
    expect(await ledger.balance(Accounts.deferredRevenue(seeder.id('L1')), 'EUR')).toBe(-5900n + 3100n);
    expect(await ledger.balance(Accounts.platformFees, 'EUR')).toBe(-310n);
    expect(await ledger.balance(Accounts.payable(c1.id), 'EUR')).toBe(-698n);

    // Immutable.
    expect((await sys.http.post(`/v1/royalty-runs/${janRun}/recompute`).set(bearer(finA)).expect(409)).body.error.code).toBe('RUN_NOT_RECOMPUTABLE');
    await expect(sys.dataSource.query(`UPDATE royalty_lines SET amount = amount + 1 WHERE run_id = $1`, [janRun])).rejects.toThrow(/approved royalty run/);
    await expect(sys.dataSource.query(`UPDATE royalty_runs SET status = 'computed' WHERE id = $1`, [janRun])).rejects.toThrow(/posted/);
    const list = await sys.http.get('/v1/royalty-runs').set(bearer(finA)).expect(200);
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([janRun]);
  });

  it('February: statements with lines, adjustments apart, CSV and PDF; balances from the ledger', async () => {
    // After approval: a late report and a superseding one for January; i1 accepted by c3 (its
    // unclaimed balance, nothing yet, is claimed); February's usage.
    await seeder.applyUntil(new Date('2026-03-01T06:00:00Z'));
    await sys.setClock(new Date('2026-03-01T06:00:00Z'));
    // Earlier runs are closed: a run for January again is refused.
    expect((await start(finA, '2026-01', 'jan-again').expect(409)).body.error.code).toBe('RUN_ALREADY_EXISTS');
    const feb = await start(finA, '2026-02', 'feb').expect(202);
    febRun = feb.body.id;
    await waitFor(sys, finA, febRun, 'computed');
    await sys.http.post(`/v1/royalty-runs/${febRun}/approve`).set(bearer(finB)).expect(200);

    const list = await sys.http.get('/v1/me/statements').set(bearer(c1)).expect(200);
    expect(list.body.data.map((s: { period: string }) => s.period)).toEqual(['2026-02', '2026-01']);

    const st = (await sys.http.get(`/v1/me/statements/${febRun}`).set(bearer(c1)).expect(200)).body;
    expect(st.lines.map((l: { workId: string; amount: string; originalPeriod: string }) => [seeder.names.get(l.workId), l.amount, l.originalPeriod]).sort()).toEqual([
      ['w1', '840', '2026-02'],
      ['w3', '840', '2026-02'],
    ]);
    expect(st.lines.every((l: { consentRecordId: string }) => seeder.names.get(l.consentRecordId)?.startsWith('cr-'))).toBe(true);
    expect(st.adjustments.map((l: { workId: string; amount: string; originalPeriod: string }) => [seeder.names.get(l.workId), l.amount, l.originalPeriod]).sort()).toEqual([
      ['w1', '-233', '2026-01'],
      ['w3', '930', '2026-01'],
    ]);
    expect(st.totals).toEqual([{ currency: 'EUR', royalties: '1680', adjustments: '697', total: '2377' }]);
    expect(st.byWork.map((w: { workId: string; amount: string }) => [seeder.names.get(w.workId), w.amount]).sort()).toEqual([['w1', '607'], ['w3', '1770']]);

    // c3 joined in February: c3's statement shows the January adjustment earned under the invitation key.
    const st3 = (await sys.http.get(`/v1/me/statements/${febRun}`).set(bearer(c3)).expect(200)).body;
    expect(st3.adjustments).toMatchObject([{ holderKey: seeder.id('i1'), holderKind: 'invitation', originalPeriod: '2026-01', amount: '930' }]);
    expect(st3.totals).toEqual([{ currency: 'EUR', royalties: '840', adjustments: '930', total: '1770' }]);
    // Creators read only their own.
    expect((await sys.http.get(`/v1/me/statements/${febRun}`).query({ creatorId: c1.id }).set(bearer(c3)).expect(403)).body.error.code).toBe('STATEMENT_FORBIDDEN');

    const csv = await sys.http.get(`/v1/me/statements/${febRun}`).query({ format: 'csv' }).set(bearer(c1)).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = parseCsv(csv.text);
    expect(rows.filter((r) => r.section === 'line').reduce((a, r) => a + BigInt(r.amount_minor), 0n)).toBe(1680n);
    expect(rows.filter((r) => r.section === 'adjustment').map((r) => [r.original_period, r.amount_minor]).sort()).toEqual([['2026-01', '-233'], ['2026-01', '930']]);
    expect(rows.find((r) => r.section === 'total')).toMatchObject({ currency: 'EUR', amount_minor: '2377', amount: '23.77' });
    expect(rows.filter((r) => r.section === 'total_work')).toHaveLength(2);
    const pdf = await sys.http.get(`/v1/me/statements/${febRun}`).query({ format: 'pdf' }).set(bearer(c1)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const balance = await sys.http.get('/v1/me/balance').set(bearer(c1)).expect(200);
    expect(balance.body.balances).toEqual([{ currency: 'EUR', amount: '3075' }]);
    const b3 = await sys.http.get('/v1/me/balance').set(bearer(c3)).expect(200);
    expect(b3.body.balances).toEqual([{ currency: 'EUR', amount: String(930n + 840n) }]);
  });

  it('finance finds a run’s creators by name, ID or e-mail, with their sums over every key (accepted invitations included)', async () => {
    const find = (q: string, run = febRun) => sys.http.get(`/v1/royalty-runs/${run}/creators`).query({ q }).set(bearer(finC));
    const expected = async (c: TestUser) => {
      const st = (await sys.http.get(`/v1/me/statements/${febRun}`).query({ creatorId: c.id }).set(bearer(finC)).expect(200)).body;
      const [u] = await sys.dataSource.query(`SELECT coalesce(p.display_name, u.display_name) AS name, u.email FROM users u LEFT JOIN creators p ON p.id = u.id WHERE u.id = $1`, [c.id]);
      const totals = st.totals.map((t: { currency: string; total: string }) => ({ currency: t.currency, amount: t.total }));
      return { row: { creatorId: c.id, name: u.name, lineCount: st.lines.length + st.adjustments.length, totals }, email: u.email as string, name: u.name as string };
    };
    const e1 = await expected(c1);
    const e3 = await expected(c3);
    expect(e3.row.totals).toEqual([{ currency: 'EUR', amount: '1770' }]); // 930 of it under the invitation c3 accepted
    expect((await find(e3.name.toUpperCase()).expect(200)).body.data).toEqual([e3.row]);
    expect((await find(c3.id).expect(200)).body.data).toEqual([e3.row]);
    expect((await find(e1.email.toUpperCase()).expect(200)).body.data).toEqual([e1.row]);
    // Two creators whose names share "Poet": both, by name; the limit keeps the first.
    for (const [c, n] of [[c1, 'Poet Zed'], [c3, 'Poet Ann']] as const) {
      await sys.dataSource.query(`UPDATE users SET display_name = $2 WHERE id = $1`, [c.id, n]);
      await sys.dataSource.query(`UPDATE creators SET display_name = $2 WHERE id = $1`, [c.id, n]);
    }
    const poets = (await find('poet').expect(200)).body.data;
    expect(poets).toEqual([{ ...e3.row, name: 'Poet Ann' }, { ...e1.row, name: 'Poet Zed' }]);
    expect((await sys.http.get(`/v1/royalty-runs/${febRun}/creators`).query({ q: 'POET', limit: 1 }).set(bearer(finC)).expect(200)).body.data).toEqual([poets[0]]);
    // A part of an e-mail address finds nothing (only the whole address), and LIKE's wildcards are plain characters.
    expect((await find(e1.email.slice(0, 6)).expect(200)).body.data).toEqual([]);
    expect((await find('%%').expect(200)).body.data).toEqual([]);
    expect((await find('__').expect(200)).body.data).toEqual([]);
    // A finance user without lines in the run is not a creator of it.
    expect((await find(finA.id).expect(200)).body.data).toEqual([]);
    expect((await find('x').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await find('c1', '00000000-0000-4000-8000-000000000000').expect(404)).body.error.code).toBe('ROYALTY_RUN_NOT_FOUND');
  });
});
