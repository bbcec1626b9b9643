import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageRepository } from '@fairshare/persistence';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';
import { SeededLicence, seedLicence, Sql, waitForReport } from './usage-fixtures';

describe('usage reports (e2e)', () => {
  let sys: TestSystem;
  let sql: Sql;
  let acme: TestUser;
  let rival: TestUser;
  let lic: SeededLicence;

  const get = async (id: string, who: TestUser = acme) => (await sys.http.get(`/v1/usage-reports/${id}`).set(bearer(who)).expect(200)).body;
  const processed = (id: string) => waitForReport((x) => get(x), id);
  const postJson = (body: object, key: string, who: TestUser = acme) =>
    sys.http.post('/v1/usage-reports').set(bearer(who)).set('Idempotency-Key', key).send(body);
  const upload = (query: string, body: string, key: string, type = 'text/csv', who: TestUser = acme) =>
    sys.http.post(`/v1/usage-reports/upload?${query}`).set(bearer(who)).set('Idempotency-Key', key).set('Content-Type', type).send(body);
  const rejections = async (id: string) =>
    (await sys.dataSource.query(`SELECT line_no::int AS "lineNo", code FROM usage_rejections WHERE report_id = $1 ORDER BY line_no`, [id])) as {
      lineNo: number;
      code: string;
    }[];
  const aggregates = async (id: string) =>
    Object.fromEntries(
      ((await sys.dataSource.query(`SELECT work_id, units::text FROM usage_aggregates WHERE report_id = $1`, [id])) as { work_id: string; units: string }[]).map(
        (r) => [r.work_id, r.units],
      ),
    );

  beforeAll(async () => {
    sys = await TestSystem.start({ env: { USAGE_UPLOAD_MAX_BYTES: '20000' } });
    sql = (q, p) => sys.dataSource.query(q, p);
    await sys.setClock(new Date('2025-03-15T12:00:00Z'));
    acme = await sys.registerLicensee('Acme AI');
    rival = await sys.registerLicensee('Rival AI');
    lic = await seedLicence(sql, {
      organisationId: acme.organisationId as string,
      works: 3,
      uses: ['train', 'fine_tune'],
      startsAt: new Date('2025-01-10T00:00:00Z'),
      endsAt: new Date('2026-01-10T00:00:00Z'),
    });
  });
  afterAll(() => sys.stop());

  it('a JSON report: one line of each rejection code, sums per work, exact counts and rejections', async () => {
    const [w1, w2, w3] = lic.works;
    const lines = [
      { workId: w1.id, units: 10, use: 'train' },
      { contentHash: w2.hash.toUpperCase(), units: '20' },
      { workId: w1.id, units: '5', modelId: 'acme-7b' },
      {},
      { workId: randomUUID(), units: 1 },
      { workId: lic.unlicensed.id, units: 1 },
      { workId: w2.id, units: 1, use: 'retrieval' },
      { workId: w2.id, units: 0 },
      { workId: w3.id, units: '1000000000000001' },
    ];
    const res = await postJson({ licenceId: lic.licenceId, period: '2025-02', lines }, 'json-1').expect(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'received' });
    const report = await processed(res.body.id);
    expect(report).toMatchObject({
      status: 'processed',
      late: false,
      source: 'json',
      counts: { lines: '9', accepted: '3', rejected: '6', acceptedUnits: '35', works: '2' },
      progress: { linesRead: '9' },
      modelIds: ['acme-7b'],
    });
    expect(await rejections(res.body.id)).toEqual([
      { lineNo: 4, code: 'MALFORMED_LINE' },
      { lineNo: 5, code: 'UNKNOWN_WORK' },
      { lineNo: 6, code: 'WORK_NOT_LICENSED' },
      { lineNo: 7, code: 'USE_NOT_LICENSED' },
      { lineNo: 8, code: 'INVALID_UNITS' },
      { lineNo: 9, code: 'INVALID_UNITS' },
    ]);
    expect(await aggregates(res.body.id)).toEqual({ [w1.id]: '15', [w2.id]: '20' });

    const json = await sys.http.get(`/v1/usage-reports/${res.body.id}/rejections`).set(bearer(acme)).expect(200);
    expect(json.body.data).toHaveLength(6);
    expect(json.body.data[2]).toEqual({ lineNo: 6, code: 'WORK_NOT_LICENSED', message: expect.stringContaining(lic.unlicensed.id) });
    const csv = await sys.http.get(`/v1/usage-reports/${res.body.id}/rejections?format=csv`).set(bearer(acme)).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe('lineNo,code,message');
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 2).join(','))).toEqual([
      '4,MALFORMED_LINE',
      '5,UNKNOWN_WORK',
      '6,WORK_NOT_LICENSED',
      '7,USE_NOT_LICENSED',
      '8,INVALID_UNITS',
      '9,INVALID_UNITS',
    ]);

    const audit = await sys.dataSource.query(`SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY id`, [res.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['usage_report.received', 'usage_report.processed']);
  });

  it('PERIOD_OUTSIDE_TERM for otherwise valid lines of a period the term does not overlap', async () => {
    const res = await postJson(
      { licenceId: lic.licenceId, period: '2024-12', lines: [{ workId: lic.works[0].id, units: 3 }, { workId: randomUUID(), units: 1 }] },
      'json-outside',
    ).expect(202);
    const report = await processed(res.body.id);
    expect(report.counts).toMatchObject({ lines: '2', accepted: '0', rejected: '2', acceptedUnits: '0' });
    expect(await rejections(res.body.id)).toEqual([
      { lineNo: 1, code: 'PERIOD_OUTSIDE_TERM' },
      { lineNo: 2, code: 'UNKNOWN_WORK' },
    ]);
  });

  it('a CSV upload: every code, exact counts; the same key and file create nothing twice; another file under that key is refused', async () => {
    const [w1, w2, w3] = lic.works;
    const csv = [
      'workId,contentHash,units,use,modelId',
      `${w1.id},,7,train,"model, v2"`,
      `,${w3.hash},8,fine_tune,`,
      `${w1.id},${w1.hash},1,,`,
      `${randomUUID()},,1,,`,
      `,${lic.unlicensed.hash},1,,`,
      `${w2.id},,1,evaluation,`,
      `${w2.id},,-4,,`,
      '',
    ].join('\n');
    const query = `licenceId=${lic.licenceId}&period=2025-02`;
    const first = await upload(query, csv, 'csv-1').expect(202);
    const again = await upload(query, csv, 'csv-1').expect(202);
    expect(again.body.id).toBe(first.body.id);
    const report = await processed(first.body.id);
    expect(report).toMatchObject({ source: 'csv', counts: { lines: '7', accepted: '2', rejected: '5', acceptedUnits: '15' }, modelIds: ['model, v2'] });
    expect(await rejections(first.body.id)).toEqual([
      { lineNo: 4, code: 'MALFORMED_LINE' },
      { lineNo: 5, code: 'UNKNOWN_WORK' },
      { lineNo: 6, code: 'WORK_NOT_LICENSED' },
      { lineNo: 7, code: 'USE_NOT_LICENSED' },
      { lineNo: 8, code: 'INVALID_UNITS' },
    ]);
    expect(await aggregates(first.body.id)).toEqual({ [w1.id]: '7', [w3.id]: '8' });
    // A replay after processing still answers the same report and counts nothing again.
    const late = await upload(query, csv, 'csv-1').expect(202);
    expect(late.body.id).toBe(first.body.id);
    const n = await sys.dataSource.query(`SELECT count(*)::int AS n FROM usage_reports WHERE storage_key LIKE '%' || $1 || '%'`, [first.body.id]);
    expect(n[0].n).toBe(1);
    expect(await aggregates(first.body.id)).toEqual({ [w1.id]: '7', [w3.id]: '8' });
    const other = await upload(query, csv + `${w1.id},,1,,\n`, 'csv-1').expect(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a multipart/form-data upload: the one file part is the report (format from its type or name); same key and file, same report, raw or multipart', async () => {
    const [w1, w2] = lic.works;
    const csv = ['workId,contentHash,units,use,modelId', `${w1.id},,5,train,`, `${w2.id},,2,,`, `${randomUUID()},,1,,`, ''].join('\n');
    const query = `licenceId=${lic.licenceId}&period=2025-02`;
    const multipart = (key: string, attach: (r: ReturnType<typeof sys.http.post>) => ReturnType<typeof sys.http.post>, q = query) =>
      attach(sys.http.post(`/v1/usage-reports/upload?${q}`).set(bearer(acme)).set('Idempotency-Key', key));
    // curl -F file=@usage.csv sends application/octet-stream: the file name says CSV.
    const first = await multipart('mp-1', (r) => r.attach('file', Buffer.from(csv), { filename: 'usage.csv', contentType: 'application/octet-stream' })).expect(202);
    const report = await processed(first.body.id);
    expect(report).toMatchObject({ source: 'csv', counts: { lines: '3', accepted: '2', rejected: '1', acceptedUnits: '7' } });
    expect(await aggregates(first.body.id)).toEqual({ [w1.id]: '5', [w2.id]: '2' });
    expect(await rejections(first.body.id)).toEqual([{ lineNo: 4, code: 'UNKNOWN_WORK' }]);
    // The key covers the file's bytes, not the envelope: another boundary, or the raw body, is the same request.
    const again = await multipart('mp-1', (r) => r.attach('file', Buffer.from(csv), { filename: 'other-name.csv', contentType: 'text/csv' })).expect(202);
    expect(again.body.id).toBe(first.body.id);
    expect((await upload(query, csv, 'mp-1').expect(202)).body.id).toBe(first.body.id);
    const changed = await multipart('mp-1', (r) => r.attach('file', Buffer.from(csv + `${w1.id},,1,,\n`), 'usage.csv')).expect(409);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // NDJSON by the part's type, and by format= whatever the part says.
    const ndjson = `{"workId":"${w1.id}","units":3}\n`;
    const byType = await multipart('mp-nd', (r) => r.attach('file', Buffer.from(ndjson), { filename: 'usage', contentType: 'application/x-ndjson' })).expect(202);
    expect(await processed(byType.body.id)).toMatchObject({ source: 'ndjson', counts: { lines: '1', accepted: '1', acceptedUnits: '3' } });
    const byQuery = await multipart('mp-fmt', (r) => r.attach('file', Buffer.from(ndjson), { filename: 'usage.txt', contentType: 'text/plain' }), `${query}&format=ndjson`).expect(202);
    expect(await processed(byQuery.body.id)).toMatchObject({ source: 'ndjson', counts: { accepted: '1' } });
  });

  it('a multipart upload with anything but one file, malformed, cut off or too large is refused with a code and leaves nothing behind', async () => {
    const query = `licenceId=${lic.licenceId}&period=2025-02`;
    const before = await sys.dataSource.query(`SELECT count(*)::int AS n FROM usage_reports`);
    const csv = Buffer.from(`workId,units\n${lic.works[0].id},1\n`);
    const post = (key: string) => sys.http.post(`/v1/usage-reports/upload?${query}`).set(bearer(acme)).set('Idempotency-Key', key);
    const refused = async (res: { status: number; body: { error: { code: string } } }, status: number, code: string) => {
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
    };
    await refused(await post('mp-field').field('licenceId', lic.licenceId).attach('file', csv, 'usage.csv'), 400, 'MULTIPART_INVALID');
    await refused(await post('mp-after').attach('file', csv, 'usage.csv').field('period', '2025-02'), 400, 'MULTIPART_INVALID');
    await refused(await post('mp-two').attach('file', csv, 'a.csv').attach('more', csv, 'b.csv'), 400, 'MULTIPART_INVALID');
    const raw = (key: string, body: string, type = 'multipart/form-data; boundary=XyZ') => post(key).set('Content-Type', type).send(body);
    await refused(await raw('mp-empty', '--XyZ--\r\n'), 400, 'MULTIPART_NO_FILE');
    const part = '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="usage.csv"\r\nContent-Type: text/csv\r\n\r\n' + csv.toString();
    await refused(await raw('mp-cut', part), 400, 'MULTIPART_INVALID'); // no closing boundary
    const noBoundary = await raw('mp-noboundary', part, 'multipart/form-data');
    await refused(noBoundary, 400, 'MULTIPART_INVALID');
    expect(noBoundary.body.error.message).toMatch(/^The multipart body cannot be read: .*[^.]\.$/);
    await refused(await post('mp-bin').attach('file', csv, { filename: 'usage.bin', contentType: 'application/octet-stream' }), 400, 'UNSUPPORTED_FORMAT');
    const big = Buffer.from('workId,units\n' + `${lic.works[0].id},1\n`.repeat(600)); // > USAGE_UPLOAD_MAX_BYTES (20,000)
    await refused(await post('mp-big').attach('file', big, 'usage.csv'), 413, 'USAGE_UPLOAD_TOO_LARGE');
    const ok = await raw('mp-whole', part + '\r\n--XyZ--\r\n').expect(202); // the same bytes, whole: accepted
    expect((await processed(ok.body.id)).counts).toMatchObject({ lines: '1', accepted: '1' });
    const after = await sys.dataSource.query(`SELECT count(*)::int AS n FROM usage_reports`);
    expect(after[0].n).toBe(before[0].n + 1);
    expect(readdirSync(join(sys.config.STORAGE_DIR, 'usage', 'tmp'))).toEqual([]);
  });

  it('content hashes: a hash held twice by the manifest counts for the lowest work ID; unknown and unlicensed hashes are named in their rejection', async () => {
    const own = await seedLicence(sql, { organisationId: acme.organisationId as string, works: 2, startsAt: new Date('2025-01-10T00:00:00Z'), endsAt: null });
    const [w1, w2] = own.works;
    // A second work with w1's file in another catalogue, also in the manifest.
    const [cat] = await sql(`SELECT catalogue_id, owner_id FROM works WHERE id = $1`, [w1.id]);
    const [twin] = await sql(
      `INSERT INTO works (catalogue_id, owner_id, title, media_type, language, content_hash)
       VALUES ((SELECT id FROM catalogues WHERE owner_id = $1 AND id <> $2 LIMIT 1), $1, 'Twin', 'text', 'en', $3) RETURNING id`,
      [cat.owner_id, cat.catalogue_id, w1.hash],
    );
    await sql(`INSERT INTO licence_manifest_lines (licence_id, work_id, content_hash, consent_record_id) VALUES ($1, $2, $3, gen_random_uuid())`, [
      own.licenceId,
      twin.id,
      w1.hash,
    ]);
    const lowest = [w1.id, twin.id as string].sort()[0];
    const unknownHash = 'e'.repeat(64);
    const csv = [
      'workId,contentHash,units,use,modelId',
      `,${w1.hash},3,train,`,
      `,${w2.hash},4,,`,
      `,${unknownHash},1,,`,
      `,${own.unlicensed.hash},1,,`,
      `,${w2.hash},1,retrieval,`,
      `${w2.id},,5,,`,
      `,${w1.hash.toUpperCase()},2,,`,
      '',
    ].join('\n');
    const res = await upload(`licenceId=${own.licenceId}&period=2025-02`, csv, 'hashes-1').expect(202);
    const report = await processed(res.body.id);
    const json = await sys.http.get(`/v1/usage-reports/${res.body.id}/rejections`).set(bearer(acme)).expect(200);
    expect({ counts: report.counts, aggregates: await aggregates(res.body.id), rejections: json.body.data }).toEqual({
      counts: { lines: '7', accepted: '4', rejected: '3', acceptedUnits: '14', works: '2' },
      aggregates: { [lowest]: '5', [w2.id]: '9' },
      rejections: [
        { lineNo: 4, code: 'UNKNOWN_WORK', message: `No work with content hash ${unknownHash} is known to Fairshare.` },
        { lineNo: 5, code: 'WORK_NOT_LICENSED', message: `Work with content hash ${own.unlicensed.hash} is not in the licence's manifest.` },
        { lineNo: 6, code: 'USE_NOT_LICENSED', message: expect.stringContaining('"retrieval"') },
      ],
    });
  });

  it('whole-file errors fail the report with a code and count nothing', async () => {
    const query = `licenceId=${lic.licenceId}&period=2025-02`;
    const noHeader = await upload(query, `${lic.works[0].id},1\n`, 'bad-header').expect(202);
    expect(await processed(noHeader.body.id)).toMatchObject({ status: 'failed', error: { code: 'MISSING_HEADER' }, counts: null });
    const latin1 = Buffer.concat([Buffer.from(`workId,units,modelId\n${lic.works[0].id},1,caf`), Buffer.from([0xe9]), Buffer.from('\n')]);
    const bad = await sys.http
      .post(`/v1/usage-reports/upload?${query}&format=csv`)
      .set(bearer(acme))
      .set('Idempotency-Key', 'bad-utf8')
      .set('Content-Type', 'application/octet-stream')
      .send(latin1)
      .expect(202);
    expect(await processed(bad.body.id)).toMatchObject({ status: 'failed', error: { code: 'INVALID_ENCODING' } });
    const ndjson = await upload(query, 'workId,units\n', 'not-ndjson', 'application/x-ndjson').expect(202);
    expect(await processed(ndjson.body.id)).toMatchObject({ status: 'failed', error: { code: 'UNSUPPORTED_FORMAT' } });
    for (const id of [noHeader.body.id, bad.body.id, ndjson.body.id]) {
      expect(await rejections(id)).toEqual([]);
      expect(await aggregates(id)).toEqual({});
    }
    const staged = await sys.dataSource.query(`SELECT count(*)::int AS n FROM usage_staging`);
    expect(staged[0].n).toBe(0);
  });

  it('refuses too large reports with codes, changing nothing', async () => {
    const before = await sys.dataSource.query(`SELECT count(*)::int AS n FROM usage_reports`);
    const lines = Array.from({ length: 10_001 }, () => ({ workId: lic.works[0].id, units: 1 }));
    const big = await postJson({ licenceId: lic.licenceId, period: '2025-02', lines }, 'too-big').expect(413);
    expect(big.body.error.code).toBe('USAGE_REPORT_TOO_LARGE');
    const file = 'workId,units\n' + `${lic.works[0].id},1\n`.repeat(600); // > 20,000 bytes
    const tooLarge = await upload(`licenceId=${lic.licenceId}&period=2025-02`, file, 'too-large-file').expect(413);
    expect(tooLarge.body.error.code).toBe('USAGE_UPLOAD_TOO_LARGE');
    const noFormat = await upload(`licenceId=${lic.licenceId}&period=2025-02`, 'x', 'no-format', 'application/octet-stream').expect(400);
    expect(noFormat.body.error.code).toBe('UNSUPPORTED_FORMAT');
    const future = await postJson({ licenceId: lic.licenceId, period: '2025-04', lines: [] }, 'future').expect(422);
    expect(future.body.error.code).toBe('PERIOD_NOT_STARTED');
    const noKey = await sys.http.post('/v1/usage-reports').set(bearer(acme)).send({ licenceId: lic.licenceId, period: '2025-02', lines: [] }).expect(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const after = await sys.dataSource.query(`SELECT count(*)::int AS n FROM usage_reports`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('a superseding report replaces the first for its licence and period; both stay readable', async () => {
    const [w1, w2] = lic.works;
    const period = '2025-03';
    const first = await postJson({ licenceId: lic.licenceId, period, lines: [{ workId: w1.id, units: 100 }, { workId: w2.id, units: 50 }] }, 'sup-1').expect(202);
    await processed(first.body.id);
    const repo = sys.get(UsageRepository);
    expect(await repo.acceptedUnits(undefined, { period, licenceIds: [lic.licenceId] })).toEqual([
      { licenceId: lic.licenceId, workId: w1.id, units: 100n },
      { licenceId: lic.licenceId, workId: w2.id, units: 50n },
    ].sort((a, b) => (a.workId < b.workId ? -1 : 1)));
    const t0 = new Date('2025-03-15T12:00:00Z');
    await sys.setClock(new Date('2025-03-20T00:00:00Z'));

    const second = await postJson({ licenceId: lic.licenceId, period, supersedes: first.body.id, lines: [{ workId: w1.id, units: 60 }] }, 'sup-2').expect(202);
    const dup = await postJson({ licenceId: lic.licenceId, period, supersedes: first.body.id, lines: [] }, 'sup-3').expect(409);
    expect(dup.body.error.code).toBe('REPORT_ALREADY_SUPERSEDED');
    await processed(second.body.id);
    const old = await get(first.body.id);
    expect(old).toMatchObject({ status: 'processed', supersededById: second.body.id, supersededAt: '2025-03-20T00:00:00.000Z', counts: { acceptedUnits: '150' } });
    expect(await repo.acceptedUnits(undefined, { period, licenceIds: [lic.licenceId] })).toEqual([{ licenceId: lic.licenceId, workId: w1.id, units: 60n }]);
    expect(await repo.licencesWithUsage(undefined, { period })).toEqual([lic.licenceId]);
    expect(await repo.changedSince(undefined, t0)).toEqual([{ licenceId: lic.licenceId, period, late: false }]);

    const wrongPeriod = await postJson({ licenceId: lic.licenceId, period: '2025-02', supersedes: second.body.id, lines: [] }, 'sup-4').expect(422);
    expect(wrongPeriod.body.error.code).toBe('SUPERSEDES_OTHER_PERIOD');
    await sys.setClock(new Date('2025-03-15T12:00:00Z'));
  });

  it('a report for a period with an approved royalty run is accepted and marked late', async () => {
    const finance = await sys.createStaff(['finance']);
    const approver = await sys.createStaff(['finance']);
    await sys.dataSource.query(
      `INSERT INTO royalty_runs (period, status, created_by, created_at, approved_by, approved_at) VALUES ('2025-01', 'approved', $1, now(), $2, now())`,
      [finance.id, approver.id],
    );
    const res = await postJson({ licenceId: lic.licenceId, period: '2025-01', lines: [{ workId: lic.works[0].id, units: 4 }] }, 'late-1').expect(202);
    expect(await processed(res.body.id)).toMatchObject({ status: 'processed', late: true, counts: { accepted: '1', acceptedUnits: '4' } });
    const onTime = await postJson({ licenceId: lic.licenceId, period: '2025-02', lines: [] }, 'late-2').expect(202);
    expect(await processed(onTime.body.id)).toMatchObject({ late: false, counts: { lines: '0' } });
  });

  it('a licensee cannot send or read reports for another organisation’s licence (403); API keys can send', async () => {
    const sent = await postJson({ licenceId: lic.licenceId, period: '2025-02', lines: [] }, 'rival-1', rival).expect(403);
    expect(sent.body.error.code).toBe('LICENCE_NOT_YOURS');
    const up = await upload(`licenceId=${lic.licenceId}&period=2025-02`, 'workId,units\n', 'rival-2', 'text/csv', rival).expect(403);
    expect(up.body.error.code).toBe('LICENCE_NOT_YOURS');
    const mine = await postJson({ licenceId: lic.licenceId, period: '2025-02', lines: [] }, 'mine-1').expect(202);
    const read = await sys.http.get(`/v1/usage-reports/${mine.body.id}`).set(bearer(rival)).expect(403);
    expect(read.body.error.code).toBe('LICENCE_NOT_YOURS');
    await sys.http.get(`/v1/usage-reports/${mine.body.id}/rejections`).set(bearer(rival)).expect(403);
    await sys.http.get(`/v1/usage-reports?licenceId=${lic.licenceId}`).set(bearer(rival)).expect(403);
    const rivalList = await sys.http.get('/v1/usage-reports').set(bearer(rival)).expect(200);
    expect(rivalList.body.data).toEqual([]);
    const creator = await sys.registerCreator();
    await sys.http.get(`/v1/usage-reports/${mine.body.id}`).set(bearer(creator)).expect(403);
    const finance = await sys.createStaff(['finance']);
    await sys.http.get(`/v1/usage-reports/${mine.body.id}`).set(bearer(finance)).expect(200);

    const key = await sys.http.post('/v1/organisations/me/api-keys').set(bearer(acme)).send({ name: 'usage' }).expect(201);
    const byKey = await sys.http
      .post('/v1/usage-reports')
      .set('Authorization', `Bearer ${key.body.key}`)
      .set('Idempotency-Key', 'api-key-1')
      .send({ licenceId: lic.licenceId, period: '2025-02', lines: [{ workId: lic.works[0].id, units: 2 }] })
      .expect(202);
    expect(await processed(byKey.body.id)).toMatchObject({ counts: { accepted: '1' } });
    const list = await sys.http.get(`/v1/usage-reports?licenceId=${lic.licenceId}&limit=2`).set(bearer(acme)).expect(200);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const page2 = await sys.http.get(`/v1/usage-reports?licenceId=${lic.licenceId}&limit=2&cursor=${list.body.nextCursor}`).set(bearer(acme)).expect(200);
    expect(page2.body.data[0].id).not.toBe(list.body.data[1].id);
  });
});
