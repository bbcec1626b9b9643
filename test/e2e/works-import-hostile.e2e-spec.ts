import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { bearer, TestSystem, TestUser } from '@fairshare/testing';

/**
 * Hostile files for the works CSV import, through the API and the real worker: random bytes,
 * invalid UTF-8, a missing header, a huge line, thousands of columns. Each import ends `completed`
 * (bad rows reported) or `failed` with a code; the worker survives; no work is created from a row
 * that was refused.
 */
describe('works CSV import refuses hostile files (e2e)', () => {
  let sys: TestSystem;
  let ada: TestUser;
  let catalogueId: string;
  beforeAll(async () => {
    sys = await TestSystem.start({ stripe: false });
    ada = await sys.registerCreator('Ada');
    catalogueId = (await sys.http.post('/v1/catalogues').set(bearer(ada)).send({ name: 'Hostile' }).expect(201)).body.id;
  });
  afterAll(() => sys.stop());

  async function importFile(body: Buffer): Promise<{ status: string; errorCode?: string | null; rowsRejected?: number }> {
    const up = await sys.http.post(`/v1/catalogues/${catalogueId}/imports`).set(bearer(ada)).set('content-type', 'text/csv').send(body);
    if (up.status >= 400) {
      expect(up.status).toBeLessThan(500);
      expect(up.body.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      return { status: 'refused', errorCode: up.body.error.code };
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await sys.http.get(`/v1/works-imports/${up.body.id}`).set(bearer(ada)).expect(200);
      if (['completed', 'failed'].includes(r.body.status)) return { status: r.body.status, errorCode: r.body.error?.code ?? null, rowsRejected: r.body.rowsRejected };
      if (Date.now() > deadline) {
        const [row] = await sys.dataSource.query(`SELECT * FROM works_imports WHERE id = $1`, [up.body.id]);
        throw new Error(`import ${up.body.id} stuck in ${r.body.status} for the file ${body.subarray(0, 64).toString('hex')}: ${JSON.stringify(row)}`);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  const header = 'title,mediaType,language,contentHash\n';
  const hash = () => randomBytes(32).toString('hex');

  // 16 imports one after another through the worker (2 s on a quiet machine): on a saturated
  // machine the 120 s default ran out before an import's own 60 s deadline could say which file
  // and which state, and fast-check's shrinking repeats imports after a failure.
  it('random bytes and invalid UTF-8 end failed with a code, or with every row refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2000 }), async (bytes) => {
        const before = (await sys.dataSource.query(`SELECT count(*)::int AS n FROM works`))[0].n;
        const r = await importFile(Buffer.from(bytes));
        if (r.status === 'failed') expect(r.errorCode).toMatch(/^[A-Z][A-Z0-9_]+$/);
        const after = (await sys.dataSource.query(`SELECT count(*)::int AS n FROM works`))[0].n;
        expect(after).toBe(before); // random bytes never make a valid row
      }),
      { numRuns: 15 },
    );
    const invalidUtf8 = Buffer.concat([Buffer.from(header), Buffer.from([0xc3, 0x28, 0x2c, 0xff, 0xfe]), Buffer.from(`,text,en,${hash()}\n`)]);
    const r = await importFile(invalidUtf8);
    expect(r.status === 'refused' || r.status === 'failed' || Number(r.rowsRejected) === 1).toBe(true);
  }, 600_000);

  it('a missing header, a huge line and thousands of columns are refused with codes; good rows beside bad ones still land', async () => {
    // Found by the property above: csv-parse's INVALID_OPENING_QUOTE has no CSV_ prefix, and the
    // import was retried as if the infrastructure had failed, ending IMPORT_FAILED minutes later.
    expect(await importFile(Buffer.from([0x00, 0x22]))).toMatchObject({ status: 'failed', errorCode: 'MALFORMED_CSV' });
    expect(await importFile(Buffer.from(header + `Bad "quote",text,en,${hash()}\n`))).toMatchObject({ status: 'failed', errorCode: 'MALFORMED_CSV' });
    const noHeader = await importFile(Buffer.from(`Ode,text,en,${hash()}\n`));
    expect(noHeader).toMatchObject({ status: 'failed', errorCode: 'INVALID_HEADER' });
    const huge = await importFile(Buffer.from(header + `${'x'.repeat(2_000_000)},text,en,${hash()}\n`));
    expect(['failed', 'completed', 'refused']).toContain(huge.status);
    const wide = await importFile(Buffer.from(Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',') + '\n' + Array(5000).fill('x').join(',') + '\n'));
    expect(['failed', 'refused']).toContain(wide.status);
    expect(wide.errorCode).toMatch(/^[A-Z][A-Z0-9_]+$/);

    const good = hash();
    const mixed = await importFile(Buffer.from(header + `Good,text,en,${good}\n=cmd|' /C calc'!A0,text,en,not-a-hash\n`));
    expect(mixed).toMatchObject({ status: 'completed' });
    const works = await sys.dataSource.query(`SELECT title FROM works WHERE content_hash = $1`, [good]);
    expect(works).toEqual([{ title: 'Good' }]);
    // The worker is still alive: a later import completes.
    expect((await importFile(Buffer.from(header + `Later,text,en,${hash()}\n`))).status).toBe('completed');
  }, 300_000);
});
