import { DataSource } from 'typeorm';
import { createDataSource } from '@fairshare/persistence';
import { createTestDatabase } from '@fairshare/testing';
import { seedLicence } from '../../../test/e2e/usage-fixtures';

/**
 * What the DATABASE guarantees of usage_aggregates → usage_reports, by raw SQL: the statement-level
 * check (migration 1764320000000) that replaced the per-row foreign key.
 */
describe('usage database enforcement (int)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let reportId: string;
  let licenceId: string;
  let workId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 2, 'usage-int');
    await ds.initialize();
    const sql = (q: string, p?: unknown[]) => ds.query(q, p) as Promise<Record<string, unknown>[]>;
    const [org] = await sql(`INSERT INTO organisations (name, slug) VALUES ('Int AI', 'int-' || gen_random_uuid()) RETURNING id`);
    const lic = await seedLicence(sql, { organisationId: org.id as string, works: 3, startsAt: new Date('2025-01-01T00:00:00Z'), endsAt: null });
    licenceId = lic.licenceId;
    workId = lic.works[0].id;
    const [rep] = await sql(
      `INSERT INTO usage_reports (licence_id, organisation_id, period, source, storage_key, file_bytes, file_sha256, submitted_by_type, submitted_by_id, received_at)
       VALUES ($1, $2, '2025-02', 'csv', 'usage/x.csv', 0, repeat('0', 64), 'user', gen_random_uuid(), now()) RETURNING id`,
      [licenceId, org.id],
    );
    reportId = rep.id as string;
    await sql(`CREATE TABLE IF NOT EXISTS usage_aggregates_2025_02 PARTITION OF usage_aggregates FOR VALUES IN ('2025-02')`);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const code = async (q: string, p?: unknown[]): Promise<string | null> => {
    try {
      await ds.query(q, p);
      return null;
    } catch (e) {
      return (e as { code?: string }).code ?? 'unknown';
    }
  };
  const insert = (ids: string[]) =>
    code(
      `INSERT INTO usage_aggregates (period, report_id, licence_id, work_id, units, line_count)
       SELECT '2025-02', r, $2, gen_random_uuid(), 1, 1 FROM unnest($1::uuid[]) r`,
      [ids, licenceId],
    );

  it('refuses aggregates of a report that does not exist, in a statement of many rows too', async () => {
    expect(await insert(['00000000-0000-4000-8000-000000000001'])).toBe('23503');
    expect(await insert([reportId, reportId, '00000000-0000-4000-8000-000000000002'])).toBe('23503');
    expect((await ds.query(`SELECT count(*)::int AS n FROM usage_aggregates`))[0].n).toBe(0);
    expect(await insert([reportId, reportId])).toBeNull();
    expect((await ds.query(`SELECT count(*)::int AS n FROM usage_aggregates WHERE report_id = $1`, [reportId]))[0].n).toBe(2);
    expect(workId).toBeDefined();
  });

  it('a report never disappears nor changes its ID (what the foreign key also guaranteed)', async () => {
    expect(await code(`DELETE FROM usage_reports WHERE id = $1`, [reportId])).toBe('23001');
    expect(await code(`TRUNCATE usage_reports CASCADE`)).toBe('23001');
    expect(await code(`UPDATE usage_reports SET id = gen_random_uuid() WHERE id = $1`, [reportId])).toBe('23001');
    expect(await code(`UPDATE usage_reports SET lines_read = 1 WHERE id = $1`, [reportId])).toBeNull();
  });
});
