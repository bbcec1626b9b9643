import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { RSL_ELEMENTS, RSL_USAGE_TOKENS, RSL_USER_TOKENS, WorksImportService } from '@fairshare/catalogue';
import { QUEUES, redisConnection } from '@fairshare/jobs';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';
import { WorksImportProcessor } from '../../apps/worker/src/catalogue/works-import.processor';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const randomHash = () => sha(randomBytes(16));
const ALL = { train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true };
const NONE = { train: false, fineTune: false, retrieval: false, evaluation: false, commercial: false, collective: false };

async function waitFor<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('catalogue (e2e)', () => {
  let sys: TestSystem;
  let ada: TestUser;
  let bob: TestUser;
  let licensee: TestUser;
  let catalogueId: string;
  let worker: Worker;

  beforeAll(async () => {
    // The works-import processor runs on a real BullMQ worker of its own, so this file does not
    // depend on every other area's processors being wired.
    sys = await TestSystem.start({ worker: false, env: { LOG_LEVEL: 'error', CONTENT_MAX_BYTES: '4096', PUBLIC_URL: 'https://fairshare.example' } });
    const processor = new WorksImportProcessor(sys.get(WorksImportService));
    worker = new Worker(QUEUES.worksImport, (job) => processor.process(job), { connection: redisConnection(sys.config.REDIS_URL), prefix: sys.config.QUEUE_PREFIX });
    ada = await sys.registerCreator('Ada');
    bob = await sys.registerCreator('Bob');
    licensee = await sys.registerLicensee();
  });
  afterAll(async () => {
    await worker?.close();
    await sys?.stop();
  });

  const createWork = (user: TestUser, catId: string, body: Record<string, unknown>) =>
    sys.http.post(`/v1/catalogues/${catId}/works`).set(bearer(user)).send({ title: 'A work', mediaType: 'text', language: 'en', contentHash: randomHash(), ...body });

  it('creates a creator profile and a catalogue (lazily creating the profile otherwise)', async () => {
    const cat = await sys.http.post('/v1/catalogues').set(bearer(ada)).send({ name: 'Ada’s essays', description: 'Essays' }).expect(201);
    catalogueId = cat.body.id;
    expect(cat.body.ownerId).toBe(ada.id);
    const lazy = await sys.http.get('/v1/me/creator-profile').set(bearer(ada)).expect(200);
    expect(lazy.body).toMatchObject({ id: ada.id, displayName: 'Ada', country: null, readyForPayouts: false });
    const put = await sys.http.put('/v1/me/creator-profile').set(bearer(ada)).send({ displayName: 'Ada L.', country: 'GB', payoutCurrency: 'GBP', links: ['https://ada.example'] }).expect(200);
    expect(put.body).toMatchObject({ displayName: 'Ada L.', country: 'GB', payoutCurrency: 'GBP', readyForPayouts: true });
    const badCurrency = await sys.http.put('/v1/me/creator-profile').set(bearer(ada)).send({ displayName: 'Ada', payoutCurrency: 'XXX' }).expect(400);
    expect(badCurrency.body.error.code).toBe('UNSUPPORTED_CURRENCY');
    await sys.http.post('/v1/catalogues').set(bearer(licensee)).send({ name: 'nope' }).expect(403);
    const rows = await sys.dataSource.query(`SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY id`, [ada.id]);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['creator.profile_created', 'creator.profile_updated']));
  });

  it('creates works with defaults (nothing allowed, owner holds 10000 bps) and refuses bad input with codes', async () => {
    const hash = randomHash();
    const w = await createWork(ada, catalogueId, {
      title: 'On machines', contentHash: hash.toUpperCase(), tags: ['Essay', 'computing'], sizeBytes: '1234',
      identifiers: { isbn: '978-3-16-148410-0', doi: '10.1000/xyz123' }, sourceUrl: 'https://ada.example/machines',
    }).expect(201);
    expect(w.body).toMatchObject({ contentHash: hash, status: 'active', listed: false, sizeBytes: '1234', tags: ['essay', 'computing'] });
    expect(w.body.consent).toMatchObject({ ...NONE, consentRecordId: null });
    const splits = await sys.http.get(`/v1/works/${w.body.id}/splits`).set(bearer(ada)).expect(200);
    expect(splits.body.data).toHaveLength(1);
    expect(splits.body.data[0].holders).toEqual([expect.objectContaining({ creatorId: ada.id, shareBps: 10000 })]);

    const cases: [Record<string, unknown>, string][] = [
      [{ contentHash: 'abc' }, 'INVALID_CONTENT_HASH'],
      [{ contentHash: 'g'.repeat(64) }, 'INVALID_CONTENT_HASH'],
      [{ mediaType: 'hologram' }, 'INVALID_MEDIA_TYPE'],
      [{ language: 'english!' }, 'INVALID_LANGUAGE'],
      [{ identifiers: { isbn: '978-3-16-148410-1' } }, 'INVALID_IDENTIFIER'],
      [{ sourceUrl: 'ftp://x' }, 'INVALID_SOURCE_URL'],
      [{ isAdmin: true }, 'UNKNOWN_FIELD'],
      [{ identifiers: { isni: '1' } }, 'UNKNOWN_FIELD'],
    ];
    for (const [body, code] of cases) {
      const r = await createWork(ada, catalogueId, body).expect(400);
      expect(r.body.error.code).toBe(code);
    }
    const dup = await createWork(ada, catalogueId, { contentHash: hash }).expect(409);
    expect(dup.body.error.code).toBe('WORK_EXISTS');
    const count = await sys.dataSource.query(`SELECT count(*)::int AS n FROM works WHERE catalogue_id = $1`, [catalogueId]);
    expect(count[0].n).toBe(1);
  });

  it('sets consent, withdraws it, and keeps every change in an append-only history', async () => {
    const w = (await createWork(ada, catalogueId, { title: 'Consent subject' }).expect(201)).body;
    const first = await sys.http.put(`/v1/works/${w.id}/consent`).set(bearer(ada)).send({ ...ALL, commercial: false }).expect(200);
    expect(first.body).toMatchObject({ workId: w.id, actorId: ada.id, previousId: null, previous: { ...NONE } });
    const org = licensee.organisationId!;
    const second = await sys.http.put(`/v1/works/${w.id}/consent`).set(bearer(ada)).send({ ...ALL, excludedOrganisationIds: [org] }).expect(200);
    expect(second.body.previousId).toBe(first.body.id);
    const withdrawn = await sys.http.put(`/v1/works/${w.id}/consent`).set(bearer(ada)).send(NONE).expect(200);

    const history = await sys.http.get(`/v1/works/${w.id}/consent-history`).set(bearer(ada)).expect(200);
    expect(history.body.data.map((r: { id: string }) => r.id)).toEqual([first.body.id, second.body.id, withdrawn.body.id]);
    expect(history.body.data[1]).toMatchObject({ consent: { ...ALL, excludedOrganisationIds: [org] }, previous: { ...ALL, commercial: false } });
    expect(history.body.data[2]).toMatchObject({ consent: NONE, previous: { ...ALL } });
    // Who made each change, by name: the creator profile's ('Ada L.', set above) before the account's ('Ada').
    expect(history.body.data.map((r: { actorId: string; actorName: string }) => [r.actorId, r.actorName])).toEqual(Array(3).fill([ada.id, 'Ada L.']));

    const row = await sys.dataSource.query(`SELECT consent_record_id, allow_train, listed FROM works WHERE id = $1`, [w.id]);
    expect(row[0]).toEqual({ consent_record_id: withdrawn.body.id, allow_train: false, listed: false });
    await expect(sys.dataSource.query(`UPDATE consent_records SET allow_train = true WHERE id = $1`, [first.body.id])).rejects.toThrow(/append-only/);
    await expect(sys.dataSource.query(`DELETE FROM consent_records WHERE id = $1`, [first.body.id])).rejects.toThrow(/append-only/);
    const audit = await sys.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE resource_id = $1 AND action = 'work.consent_changed'`, [w.id]);
    expect(audit[0].n).toBe(3);

    const unknownOrg = await sys.http.put(`/v1/works/${w.id}/consent`).set(bearer(ada)).send({ ...ALL, excludedOrganisationIds: ['00000000-0000-4000-8000-000000000000'] }).expect(400);
    expect(unknownOrg.body.error.code).toBe('UNKNOWN_ORGANISATION');
    const missing = await sys.http.put(`/v1/works/${w.id}/consent`).set(bearer(ada)).send({ train: true }).expect(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    const records = await sys.dataSource.query(`SELECT count(*)::int AS n FROM consent_records WHERE work_id = $1`, [w.id]);
    expect(records[0].n).toBe(3);
  });

  it('keeps creator A out of B’s drafts and works (403), and answers 404 for unknown works', async () => {
    const bobCat = (await sys.http.post('/v1/catalogues').set(bearer(bob)).send({ name: 'Bob’s' }).expect(201)).body;
    const draft = (await createWork(bob, bobCat.id, { title: 'Bob draft' }).expect(201)).body;
    const read = await sys.http.get(`/v1/works/${draft.id}`).set(bearer(ada)).expect(403);
    expect(read.body.error.code).toBe('WORK_NOT_VISIBLE');
    await sys.http.get(`/v1/works/${draft.id}`).expect(403);
    await sys.http.get(`/v1/works/${draft.id}`).set(bearer(bob)).expect(200);
    const consent = await sys.http.put(`/v1/works/${draft.id}/consent`).set(bearer(ada)).send(ALL).expect(403);
    expect(consent.body.error.code).toBe('NOT_WORK_OWNER');
    const addWork = await createWork(ada, bobCat.id, {}).expect(403);
    expect(addWork.body.error.code).toBe('NOT_CATALOGUE_OWNER');
    const bulk = await sys.http.post(`/v1/catalogues/${bobCat.id}/consent`).set(bearer(ada)).send({ consent: ALL }).expect(403);
    expect(bulk.body.error.code).toBe('NOT_CATALOGUE_OWNER');
    const split = await sys.http.put(`/v1/works/${draft.id}/splits`).set(bearer(ada)).send({ holders: [{ creatorId: ada.id, shareBps: 10000 }] }).expect(403);
    expect(split.body.error.code).toBe('NOT_WORK_OWNER');
    const history = await sys.http.get(`/v1/works/${draft.id}/consent-history`).set(bearer(ada)).expect(403);
    expect(history.body.error.code).toBe('WORK_NOT_VISIBLE');
    const content = await sys.http.post(`/v1/works/${draft.id}/content`).set(bearer(ada)).set('content-type', 'application/octet-stream').send(Buffer.from('x')).expect(403);
    expect(content.body.error.code).toBe('NOT_WORK_OWNER');
    const mine = await sys.http.get(`/v1/works?creatorId=${bob.id}`).set(bearer(ada)).expect(200);
    expect(mine.body.data.map((w: { id: string }) => w.id)).not.toContain(draft.id);
    const notFound = await sys.http.get(`/v1/works/00000000-0000-4000-8000-000000000000`).set(bearer(ada)).expect(404);
    expect(notFound.body.error.code).toBe('WORK_NOT_FOUND');
    const after = await sys.dataSource.query(`SELECT consent_record_id FROM works WHERE id = $1`, [draft.id]);
    expect(after[0].consent_record_id).toBeNull();
  });

  it('refuses content whose hash does not match and stores nothing; stores matching content', async () => {
    const bytes = Buffer.from('the real content of the work');
    const w = (await createWork(ada, catalogueId, { contentHash: sha(bytes) }).expect(201)).body;
    const storageDir = sys.config.STORAGE_DIR;
    const files = () => (existsSync(join(storageDir, 'content')) ? readdirSync(join(storageDir, 'content')) : []);
    const before = files();
    const bad = await sys.http.post(`/v1/works/${w.id}/content`).set(bearer(ada)).set('content-type', 'application/octet-stream').send(Buffer.from('something else')).expect(422);
    expect(bad.body.error.code).toBe('CONTENT_HASH_MISMATCH');
    expect(files()).toEqual(before);
    expect(existsSync(join(storageDir, 'tmp')) ? readdirSync(join(storageDir, 'tmp')) : []).toEqual([]);
    expect((await sys.dataSource.query(`SELECT storage_key FROM works WHERE id = $1`, [w.id]))[0].storage_key).toBeNull();

    const big = await sys.http.post(`/v1/works/${w.id}/content`).set(bearer(ada)).set('content-type', 'application/octet-stream').send(randomBytes(5000)).expect(413);
    expect(big.body.error.code).toBe('CONTENT_TOO_LARGE');
    expect(files()).toEqual(before);

    const ok = await sys.http.post(`/v1/works/${w.id}/content`).set(bearer(ada)).set('content-type', 'application/octet-stream').send(bytes).expect(200);
    expect(ok.body).toMatchObject({ hasContent: true, sizeBytes: String(bytes.length) });
    const key = (await sys.dataSource.query(`SELECT storage_key FROM works WHERE id = $1`, [w.id]))[0].storage_key;
    expect(key).toBe(`content/${sha(bytes)}`);
    expect(files()).toContain(sha(bytes));
  });

  const csvOf = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';
  const uploadCsv = (user: TestUser, catId: string, csv: string) =>
    sys.http.post(`/v1/catalogues/${catId}/imports`).set(bearer(user)).set('content-type', 'text/csv').send(Buffer.from(csv));
  const waitImport = (user: TestUser, id: string) =>
    waitFor(() => sys.http.get(`/v1/works-imports/${id}`).set(bearer(user)), (r) => ['completed', 'failed'].includes(r.body.status));

  it('imports 1,000 works from CSV, reports each bad row by row number and code, and creates nothing twice on re-upload', async () => {
    const cat = (await sys.http.post('/v1/catalogues').set(bearer(ada)).send({ name: 'Imported' }).expect(201)).body;
    const header = ['title', 'mediaType', 'language', 'contentHash', 'sizeBytes', 'tags', 'description', 'sourceUrl', 'isbn'];
    const rows: string[][] = [];
    for (let i = 1; i <= 1000; i++) {
      rows.push([`Imported work ${i}, "quoted"`, i % 2 ? 'text' : 'image', 'en', sha(`import-${i}`), String(i * 10), 'bulk;batch', `Description of work ${i}`, `https://ada.example/works/${i}`, '']);
    }
    rows[9][3] = 'not-a-hash'; // spreadsheet row 11
    rows[499][1] = 'hologram'; // row 501
    rows[998][3] = sha('import-1'); // row 1000: same content as row 2
    const csv = csvOf([header, ...rows]);
    const up = await uploadCsv(ada, cat.id, csv).expect(202);
    const done = await waitImport(ada, up.body.id);
    expect(done.body).toMatchObject({ status: 'completed', rowsCreated: 997, rowsRejected: 3, error: null });
    const rej = await sys.http.get(`/v1/works-imports/${up.body.id}/rejections`).set(bearer(ada)).expect(200);
    expect(rej.body.data.map((r: { rowNo: number; code: string }) => [r.rowNo, r.code])).toEqual([
      [11, 'INVALID_CONTENT_HASH'],
      [501, 'INVALID_MEDIA_TYPE'],
      [1000, 'DUPLICATE_IN_FILE'],
    ]);
    const works = await sys.dataSource.query(`SELECT count(*)::int AS n, count(DISTINCT content_hash)::int AS h FROM works WHERE catalogue_id = $1`, [cat.id]);
    expect(works[0]).toEqual({ n: 997, h: 997 });
    const splits = await sys.dataSource.query(
      `SELECT count(*)::int AS n FROM work_splits s JOIN works w ON w.id = s.work_id JOIN work_split_shares sh ON sh.split_id = s.id
        WHERE w.catalogue_id = $1 AND sh.holder_creator_id = $2 AND sh.share_bps = 10000`, [cat.id, ada.id]);
    expect(splits[0].n).toBe(997);
    const one = await sys.dataSource.query(`SELECT title, tags, size_bytes, source_url FROM works WHERE catalogue_id = $1 AND content_hash = $2`, [cat.id, sha('import-2')]);
    expect(one[0]).toEqual({ title: 'Imported work 2, "quoted"', tags: ['bulk', 'batch'], size_bytes: '20', source_url: 'https://ada.example/works/2' });

    const again = await uploadCsv(ada, cat.id, csv).expect(200);
    expect(again.body.id).toBe(up.body.id);
    const imports = await sys.dataSource.query(`SELECT count(*)::int AS n FROM works_imports WHERE catalogue_id = $1`, [cat.id]);
    expect(imports[0].n).toBe(1);
    // Another file with the same rows: every row already exists, nothing is created.
    const other = await uploadCsv(ada, cat.id, csv + csvOf([['One more', 'text', 'en', sha('one-more'), '', '', '', '', '']])).expect(202);
    const otherDone = await waitImport(ada, other.body.id);
    expect(otherDone.body).toMatchObject({ status: 'completed', rowsCreated: 1, rowsRejected: 1000 });
    const after = await sys.dataSource.query(`SELECT count(*)::int AS n FROM works WHERE catalogue_id = $1`, [cat.id]);
    expect(after[0].n).toBe(998);
    const exists = await sys.http.get(`/v1/works-imports/${other.body.id}/rejections?limit=5`).set(bearer(ada)).expect(200);
    expect(exists.body.data[0]).toMatchObject({ rowNo: 2, code: 'WORK_EXISTS' });

    const badHeader = await uploadCsv(ada, cat.id, 'title,colour\nx,red\n').expect(202);
    expect((await waitImport(ada, badHeader.body.id)).body).toMatchObject({ status: 'failed', error: { code: 'INVALID_HEADER' } });
    await sys.http.get(`/v1/works-imports/${up.body.id}`).set(bearer(bob)).expect(403);
    await uploadCsv(bob, cat.id, csv).expect(403);

    // Bulk consent: the image works of this catalogue, one record per work with a shared bulkId.
    const bulk = await sys.http.post(`/v1/catalogues/${cat.id}/consent`).set(bearer(ada)).send({ consent: { ...ALL, commercial: false }, filter: { mediaType: 'image' } }).expect(200);
    expect(bulk.body.works).toBe(498);
    const recs = await sys.dataSource.query(`SELECT count(*)::int AS n, count(DISTINCT work_id)::int AS w FROM consent_records WHERE bulk_id = $1`, [bulk.body.bulkId]);
    expect(recs[0]).toEqual({ n: 498, w: 498 });
    const current = await sys.dataSource.query(
      `SELECT count(*)::int AS n FROM works w JOIN consent_records c ON c.id = w.consent_record_id WHERE w.catalogue_id = $1 AND c.bulk_id = $2 AND w.allow_train AND w.media_type = 'image'`,
      [cat.id, bulk.body.bulkId]);
    expect(current[0].n).toBe(498);

    // Licensees and the public see only consented works; the owner sees drafts too.
    const pub = await sys.http.get(`/v1/works?catalogueId=${cat.id}&limit=100`).set(bearer(licensee)).expect(200);
    expect(pub.body.total).toBe(498);
    expect(pub.body.totalRelation).toBe('eq');
    expect(pub.body.data.every((w: { mediaType: string; listed: boolean }) => w.mediaType === 'image' && w.listed)).toBe(true);
    const own = await sys.http.get(`/v1/works?catalogueId=${cat.id}&limit=1`).set(bearer(ada)).expect(200);
    expect(own.body.total).toBe(998);
    expect(own.body.totalRelation).toBe('eq');
    const q = await sys.http.get(`/v1/works?q=${encodeURIComponent('work 40')}&catalogueId=${cat.id}&use=train,retrieval&mediaType=image`).expect(200);
    expect(q.body.data.map((w: { title: string }) => w.title)).toContain('Imported work 40, "quoted"');
    expect(q.body.data.every((w: { consent: { train: boolean } }) => w.consent.train)).toBe(true);

    // Cursor pagination walks every listed work exactly once.
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null; total: number } } = await sys.http
        .get(`/v1/works?catalogueId=${cat.id}&limit=100${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      for (const w of page.body.data) seen.add(w.id);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(498);
    const badCursor = await sys.http.get('/v1/works?cursor=nonsense').expect(400);
    expect(badCursor.body.error.code).toBe('INVALID_CURSOR');

    // Withdrawal (bulk, whole catalogue): from the next request on, nothing is listed.
    await sys.http.post(`/v1/catalogues/${cat.id}/consent`).set(bearer(ada)).send({ consent: NONE }).expect(200);
    const gone = await sys.http.get(`/v1/works?catalogueId=${cat.id}`).set(bearer(licensee)).expect(200);
    expect(gone.body.total).toBe(0);
    const counts = await sys.http.get(`/v1/catalogues/${cat.id}`).set(bearer(ada)).expect(200);
    expect(counts.body.counts).toMatchObject({ works: 998, includesDrafts: true, byMediaType: { image: 498, text: 500 }, byUse: { train: 0 } });
  });

  it('counts matches exactly up to 1,000 and answers "at least 1,000" (totalRelation gte) beyond', async () => {
    const cat = (await sys.http.post('/v1/catalogues').set(bearer(bob)).send({ name: 'Bob’s many works' }).expect(201)).body;
    // 1,000 listed text works (3 of them about zebras) and 1 listed image work, inserted set-wise.
    await sys.dataSource.query(
      `INSERT INTO works (catalogue_id, owner_id, title, media_type, language, content_hash, allow_train)
       SELECT $1::uuid, $2::uuid, CASE WHEN g <= 3 THEN 'Zebra crossing ' ELSE 'Many ' END || g, CASE WHEN g = 1001 THEN 'image' ELSE 'text' END,
              'en', encode(sha256(('many' || g || $1)::bytea), 'hex'), true
         FROM generate_series(1, 1001) g`,
      [cat.id, bob.id],
    );
    const listed = await sys.dataSource.query(`SELECT count(*)::int AS n FROM works WHERE catalogue_id = $1 AND listed`, [cat.id]);
    expect(listed[0].n).toBe(1001);
    const all = await sys.http.get(`/v1/works?catalogueId=${cat.id}&limit=5`).set(bearer(licensee)).expect(200);
    expect(all.body).toMatchObject({ total: 1000, totalRelation: 'gte' });
    expect(all.body.data).toHaveLength(5);
    const text = await sys.http.get(`/v1/works?catalogueId=${cat.id}&mediaType=text&limit=5`).set(bearer(licensee)).expect(200);
    expect(text.body).toMatchObject({ total: 1000, totalRelation: 'eq' });
    const zebras = await sys.http.get(`/v1/works?catalogueId=${cat.id}&q=zebra`).set(bearer(licensee)).expect(200);
    expect(zebras.body).toMatchObject({ total: 3, totalRelation: 'eq' });
    expect(zebras.body.data.map((w: { title: string }) => w.title).sort()).toEqual(['Zebra crossing 1', 'Zebra crossing 2', 'Zebra crossing 3']);
  });

  it('marks both claims of a duplicate hash disputed, hides them, and lets an admin resolve (keep, then merge)', async () => {
    const admin = await sys.createStaff(['admin']);
    const bobCat = (await sys.http.post('/v1/catalogues').set(bearer(bob)).send({ name: 'Bob’s claims' }).expect(201)).body;
    const hash = randomHash();
    const a = (await createWork(ada, catalogueId, { title: 'Contested original', contentHash: hash }).expect(201)).body;
    await sys.http.put(`/v1/works/${a.id}/consent`).set(bearer(ada)).send(ALL).expect(200);
    expect((await sys.http.get(`/v1/works/${a.id}`).expect(200)).body.listed).toBe(true);
    const b = (await createWork(bob, bobCat.id, { title: 'Contested copy', contentHash: hash }).expect(201)).body;
    expect(b.status).toBe('disputed');
    const statuses = await sys.dataSource.query(`SELECT id, status FROM works WHERE content_hash = $1 ORDER BY created_at, id`, [hash]);
    expect(statuses.map((r: { status: string }) => r.status)).toEqual(['disputed', 'disputed']);
    // Disputed works leave the public listing and the offer eligibility at once.
    await sys.http.get(`/v1/works/${a.id}`).set(bearer(licensee)).expect(403);
    const search = await sys.http.get(`/v1/works?q=contested`).set(bearer(licensee)).expect(200);
    expect(search.body.total).toBe(0);

    await sys.http.get('/v1/admin/disputes').set(bearer(ada)).expect(403);
    const list = await sys.http.get('/v1/admin/disputes').set(bearer(admin)).expect(200);
    const dispute = list.body.data.find((d: { contentHash: string }) => d.contentHash === hash);
    expect(dispute.works.map((w: { id: string }) => w.id).sort()).toEqual([a.id, b.id].sort());

    const wrong = await sys.http.post(`/v1/admin/disputes/${hash}/resolve`).set(bearer(admin)).send({ keepWorkId: '00000000-0000-4000-8000-000000000000' }).expect(422);
    expect(wrong.body.error.code).toBe('WORK_NOT_IN_DISPUTE');
    const kept = await sys.http.post(`/v1/admin/disputes/${hash}/resolve`).set(bearer(admin)).send({ keepWorkId: a.id }).expect(200);
    expect(kept.body.kept).toMatchObject({ id: a.id, status: 'active', listed: true });
    expect(kept.body.rejected.map((w: { id: string; status: string }) => [w.id, w.status])).toEqual([[b.id, 'rejected']]);
    await sys.http.post(`/v1/admin/disputes/${hash}/resolve`).set(bearer(admin)).send({ keepWorkId: a.id }).expect(404);
    expect((await sys.http.get(`/v1/works/${a.id}`).set(bearer(licensee)).expect(200)).body.status).toBe('active');

    // A merge: a third claim re-opens the dispute; the admin merges the holders into one split.
    const carol = await sys.registerCreator('Carol');
    const carolCat = (await sys.http.post('/v1/catalogues').set(bearer(carol)).send({ name: 'Carol’s' }).expect(201)).body;
    const c = (await createWork(carol, carolCat.id, { title: 'Contested again', contentHash: hash }).expect(201)).body;
    expect(c.status).toBe('disputed');
    expect((await sys.dataSource.query(`SELECT status FROM works WHERE id = $1`, [a.id]))[0].status).toBe('disputed');
    const merged = await sys.http.post(`/v1/admin/disputes/${hash}/resolve`).set(bearer(admin)).send({ keepWorkId: a.id, merge: true }).expect(200);
    expect(merged.body.mergedSplitId).toBeTruthy();
    const splits = await sys.http.get(`/v1/works/${a.id}/splits`).set(bearer(ada)).expect(200);
    expect(splits.body.data[0].holders.map((h: { creatorId: string; shareBps: number }) => [h.creatorId, h.shareBps]).sort()).toEqual([[ada.id, 5000], [carol.id, 5000]].sort());
    // Carol, now a holder, sees the kept work and its splits.
    await sys.http.get(`/v1/works/${a.id}/splits`).set(bearer(carol)).expect(200);
    const audit = await sys.dataSource.query(`SELECT action FROM audit_log WHERE resource_type = 'content_hash' AND resource_id = $1 ORDER BY id`, [hash]);
    expect(audit.map((r: { action: string }) => r.action)).toEqual(['dispute.resolved_kept', 'dispute.resolved_merged']);
  });

  it('versions splits (Σ = 10000), invites holders by email and resolves holder keys by acceptance time', async () => {
    const w = (await createWork(ada, catalogueId, { title: 'Shared work' }).expect(201)).body;
    const bad = await sys.http.put(`/v1/works/${w.id}/splits`).set(bearer(ada)).send({ holders: [{ creatorId: ada.id, shareBps: 6000 }, { email: 'x@example.test', shareBps: 3000 }] }).expect(400);
    expect(bad.body.error.code).toBe('SHARES_NOT_10000');
    const dupHolder = await sys.http.put(`/v1/works/${w.id}/splits`).set(bearer(ada)).send({ holders: [{ creatorId: ada.id, shareBps: 5000 }, { creatorId: ada.id, shareBps: 5000 }] }).expect(400);
    expect(dupHolder.body.error.code).toBe('DUPLICATE_HOLDER');
    expect((await sys.dataSource.query(`SELECT count(*)::int AS n FROM work_splits WHERE work_id = $1`, [w.id]))[0].n).toBe(1);
    await expect(
      sys.dataSource.transaction(async (em) => {
        const [s] = await em.query(`INSERT INTO work_splits (work_id, version, effective_at) VALUES ($1, 99, now()) RETURNING id`, [w.id]);
        await em.query(`INSERT INTO work_split_shares (split_id, holder_creator_id, share_bps) VALUES ($1, $2, 9999)`, [s.id, ada.id]);
      }),
    ).rejects.toThrow(/not 10000/);

    const t0 = new Date('2030-01-01T00:00:00Z');
    await sys.setClock(t0);
    const set = await sys.http.put(`/v1/works/${w.id}/splits`).set(bearer(ada)).send({ holders: [{ creatorId: ada.id, shareBps: 7000 }, { email: 'dora@example.test', shareBps: 3000 }] }).expect(200);
    expect(set.body.version).toBe(2);
    expect(set.body.invitations).toHaveLength(1);
    const invitationId = set.body.invitations[0].invitationId;
    const { SplitRepository } = await import('@fairshare/persistence');
    const splits = sys.get(SplitRepository);
    const before = await splits.sharesInEffect(sys.dataSource.manager, [w.id], new Date('2030-01-15T00:00:00Z'));
    expect(before.get(w.id)!.map((s) => [s.holderKey, s.holderKind, s.shareBps]).sort()).toEqual([[ada.id, 'creator', 7000], [invitationId, 'invitation', 3000]].sort());

    const dora = await sys.registerCreator('Dora');
    await sys.http.put('/v1/me/creator-profile').set(bearer(dora)).send({ displayName: 'Dora' }).expect(200);
    await sys.setClock(new Date('2030-02-10T00:00:00Z'));
    await sys.http.post('/v1/holder-invitations/accept').set(bearer(dora)).send({ token: 'x'.repeat(20) }).expect(404);
    await sys.http.post('/v1/holder-invitations/accept').set(bearer(dora)).send({ token: set.body.invitations[0].token }).expect(200);
    await sys.http.post('/v1/holder-invitations/accept').set(bearer(dora)).send({ token: set.body.invitations[0].token }).expect(409);
    // Accepted on 10 February: January's royalties stay with the invitation, February's go to Dora.
    const jan = await splits.sharesInEffect(sys.dataSource.manager, [w.id], new Date('2030-02-01T00:00:00Z'));
    expect(jan.get(w.id)!.find((s) => s.shareBps === 3000)).toMatchObject({ holderKey: invitationId, holderKind: 'invitation' });
    const feb = await splits.sharesInEffect(sys.dataSource.manager, [w.id], new Date('2030-03-01T00:00:00Z'));
    expect(feb.get(w.id)!.find((s) => s.shareBps === 3000)).toMatchObject({ holderKey: dora.id, holderKind: 'creator' });
    // Before version 2 took effect, version 1 (Ada 10000) was in effect.
    const old = await splits.sharesInEffect(sys.dataSource.manager, [w.id], t0);
    expect(old.get(w.id)).toEqual([expect.objectContaining({ holderKey: ada.id, shareBps: 10000, version: 1 })]);
    // Every holder sees the work (a draft) and its splits.
    await sys.http.get(`/v1/works/${w.id}`).set(bearer(dora)).expect(200);
    const seen = await sys.http.get(`/v1/works/${w.id}/splits`).set(bearer(dora)).expect(200);
    expect(seen.body.data.map((s: { version: number }) => s.version)).toEqual([2, 1]);
    const past = await sys.http.put(`/v1/works/${w.id}/splits`).set(bearer(ada)).send({ holders: [{ creatorId: ada.id, shareBps: 10000 }], effectiveAt: '2029-01-01T00:00:00Z' }).expect(400);
    expect(past.body.error.code).toBe('EFFECTIVE_AT_IN_PAST');
    await sys.dataSource.query(`UPDATE test_clock SET frozen_at = NULL`);
  });

  it('serves RSL and TDMRep terms that follow consent exactly, including after a withdrawal', async () => {
    const cat = (await sys.http.post('/v1/catalogues').set(bearer(ada)).send({ name: 'Terms <&> "quoted"' }).expect(201)).body;
    const trainOnly = (await createWork(ada, cat.id, { title: 'Train', sourceUrl: 'https://ada.example/train?a=1&b=2' }).expect(201)).body;
    const ragOnly = (await createWork(ada, cat.id, { title: 'Rag', sourceUrl: 'https://ada.example/rag' }).expect(201)).body;
    await createWork(ada, cat.id, { title: 'Nothing', sourceUrl: 'https://ada.example/nothing' }).expect(201);
    const everything = (await createWork(ada, cat.id, { title: 'All' }).expect(201)).body;
    await sys.http.put(`/v1/works/${trainOnly.id}/consent`).set(bearer(ada)).send({ ...NONE, train: true, fineTune: true, commercial: true }).expect(200);
    await sys.http.put(`/v1/works/${ragOnly.id}/consent`).set(bearer(ada)).send({ ...NONE, retrieval: true }).expect(200);
    await sys.http.put(`/v1/works/${everything.id}/consent`).set(bearer(ada)).send(ALL).expect(200);

    const parseRsl = (xml: string) => {
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rsl xmlns="https://rslstandard.org/rsl">')).toBe(true);
      const elements = [...xml.matchAll(/<\/?([a-zA-Z]+)/g)].map((m) => m[1]).filter((n) => n !== 'xml');
      for (const e of elements) expect(RSL_ELEMENTS).toContain(e);
      const contents = new Map<string, { permits: string[]; prohibits: string[]; user: string[] }>();
      for (const m of xml.matchAll(/<content url="([^"]*)">([\s\S]*?)<\/content>/g)) {
        const body = m[2];
        const tokens = (re: RegExp) => (re.exec(body)?.[1] ?? '').split(' ').filter(Boolean);
        const entry = { permits: tokens(/<permits type="usage">([^<]*)</), prohibits: tokens(/<prohibits type="usage">([^<]*)</), user: tokens(/<prohibits type="user">([^<]*)</) };
        for (const t of [...entry.permits, ...entry.prohibits]) expect(RSL_USAGE_TOKENS).toContain(t);
        for (const t of entry.user) expect(RSL_USER_TOKENS).toContain(t);
        for (const t of entry.permits) expect(entry.prohibits).not.toContain(t);
        contents.set(m[1].replace(/&amp;/g, '&'), entry);
      }
      return contents;
    };
    const rsl = await sys.http.get(`/v1/catalogues/${cat.id}/rsl.xml`).expect(200);
    expect(rsl.headers['content-type']).toMatch(/^application\/rsl\+xml/);
    const terms = parseRsl(rsl.text);
    expect(rsl.text).toContain('url="https://ada.example/train?a=1&amp;b=2"');
    expect(terms.size).toBe(4);
    expect(terms.get('https://ada.example/train?a=1&b=2')).toEqual({ permits: ['ai-train'], prohibits: ['ai-input', 'ai-index'], user: [] });
    expect(terms.get('https://ada.example/rag')).toEqual({ permits: ['ai-input'], prohibits: ['ai-train', 'ai-index'], user: ['commercial'] });
    expect(terms.get('https://ada.example/nothing')).toEqual({ permits: [], prohibits: ['ai-all'], user: [] });
    expect(terms.get(`https://fairshare.example/v1/works/${everything.id}`)).toEqual({ permits: ['ai-all'], prohibits: [], user: [] });

    const tdm = async () => {
      const r = await sys.http.get('/.well-known/tdmrep.json').expect(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      return new Map((JSON.parse(r.text) as { location: string }[]).map((e) => [e.location, e]));
    };
    const policy = `https://fairshare.example/v1/catalogues/${cat.id}/rsl.xml`;
    let rules = await tdm();
    expect(rules.get('https://ada.example/train?a=1&b=2')).toEqual({ location: 'https://ada.example/train?a=1&b=2', 'tdm-reservation': 0 });
    expect(rules.get('https://ada.example/rag')).toEqual({ location: 'https://ada.example/rag', 'tdm-reservation': 1, 'tdm-policy': policy });
    expect(rules.get('https://ada.example/nothing')).toMatchObject({ 'tdm-reservation': 1 });

    // Withdrawal: the very next request reflects it.
    await sys.http.put(`/v1/works/${trainOnly.id}/consent`).set(bearer(ada)).send(NONE).expect(200);
    const after = parseRsl((await sys.http.get(`/v1/catalogues/${cat.id}/rsl.xml`).expect(200)).text);
    expect(after.get('https://ada.example/train?a=1&b=2')).toEqual({ permits: [], prohibits: ['ai-all'], user: [] });
    rules = await tdm();
    expect(rules.get('https://ada.example/train?a=1&b=2')).toEqual({ location: 'https://ada.example/train?a=1&b=2', 'tdm-reservation': 1, 'tdm-policy': policy });
    await sys.http.get('/v1/catalogues/00000000-0000-4000-8000-000000000000/rsl.xml').expect(404);
  });

  it('answers offer eligibility from current consent (uses, commercial, collective, excluded organisation, disputes)', async () => {
    const { WorkRepository } = await import('@fairshare/persistence');
    const works = sys.get(WorkRepository);
    const cat = (await sys.http.post('/v1/catalogues').set(bearer(ada)).send({ name: 'Eligibility' }).expect(201)).body;
    const mk = async (consent: Record<string, unknown>) => {
      const w = (await createWork(ada, cat.id, {}).expect(201)).body;
      const r = await sys.http.put(`/v1/works/${w.id}/consent`).set(bearer(ada)).send(consent).expect(200);
      return { id: w.id as string, hash: w.contentHash as string, record: r.body.id as string };
    };
    const all = await mk(ALL);
    const nonCommercial = await mk({ ...ALL, commercial: false });
    const notCollective = await mk({ ...ALL, collective: false });
    const trainOnly = await mk({ ...NONE, train: true, commercial: true, collective: true });
    const excluding = await mk({ ...ALL, excludedOrganisationIds: [licensee.organisationId] });
    const ids = [all, nonCommercial, notCollective, trainOnly, excluding].map((w) => w.id);
    const eligible = async (f: Parameters<typeof works.findEligibleForOffer>[1]) =>
      (await works.findEligibleForOffer(sys.dataSource.manager, { ...f, workIds: ids })).map((e) => e.workId).sort();

    expect(await eligible({ uses: ['train'], commercial: false })).toEqual(ids.slice().sort());
    expect(await eligible({ uses: ['train', 'retrieval'], commercial: true, collective: true, excludeOrganisationId: licensee.organisationId })).toEqual([all.id].sort());
    expect(await eligible({ uses: ['train'], commercial: true, collective: true })).toEqual([all.id, trainOnly.id, excluding.id].sort());
    const rows = await works.findEligibleForOffer(sys.dataSource.manager, { uses: ['evaluation'], commercial: false, workIds: [all.id] });
    expect(rows).toEqual([{ workId: all.id, contentHash: all.hash, consentRecordId: all.record }]);

    const batches: string[][] = [];
    for await (const b of works.iterateEligibleForOffer(sys.dataSource.manager, { uses: ['train'], commercial: false, workIds: ids }, 2)) batches.push(b.map((e) => e.workId));
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches.flat().sort()).toEqual(ids.slice().sort());

    // A dispute takes the work out at once; a withdrawal too.
    await createWork(bob, (await sys.http.post('/v1/catalogues').set(bearer(bob)).send({ name: 'x' }).expect(201)).body.id, { contentHash: all.hash }).expect(201);
    await sys.http.put(`/v1/works/${trainOnly.id}/consent`).set(bearer(ada)).send(NONE).expect(200);
    expect(await eligible({ uses: ['train'], commercial: false })).toEqual([nonCommercial.id, notCollective.id, excluding.id].sort());
  });
});
