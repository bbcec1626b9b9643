import './alias-hook';
import { createMigratedDatabase } from './test-database';
import { TEMPLATE_ENV, TEST_DB_PREFIX, withAdminClient } from './test-env';

/**
 * Creates one migrated template database per test run; every test file clones its own database
 * from it (CREATE DATABASE … TEMPLATE), so files run in parallel without sharing state.
 */
export default async function globalSetup(): Promise<void> {
  const stamp = Date.now().toString(36);
  const template = `${TEST_DB_PREFIX}${stamp}_${process.pid}_tpl`;
  await withAdminClient(async (c) => {
    // Leftovers of runs that were killed more than six hours ago.
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [TEST_DB_PREFIX + '%']);
    for (const { datname } of rows) {
      const born = parseInt(datname.slice(TEST_DB_PREFIX.length).split('_')[0], 36);
      if (Number.isFinite(born) && Date.now() - born > 6 * 3600_000) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
  await createMigratedDatabase(template);
  process.env[TEMPLATE_ENV] = template;
}
