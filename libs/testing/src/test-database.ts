import { createDataSource } from '@fairshare/persistence';
import { randomBytes } from 'node:crypto';
import { databaseUrl, TEMPLATE_ENV, testInfrastructure, withAdminClient } from './test-env';

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is not set: run integration tests through jest's integration project (npm test).`);
  const name = `${template.replace(/_tpl$/, '')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (e) {
        // Two clones of one template at the same instant can collide; try again shortly.
        if (attempt >= 20 || !/being accessed by other users/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return {
    url: databaseUrl(testInfrastructure().adminUrl, name),
    name,
    drop: () => withAdminClient(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/**
 * A new database with every migration applied (the test run's template, benchmarks' own
 * databases), on the test PostgreSQL. `drop()` removes it, ending its connections.
 */
export async function createMigratedDatabase(name: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const url = databaseUrl(testInfrastructure().adminUrl, name);
  await withAdminClient(async (c) => void (await c.query(`CREATE DATABASE "${name}"`)));
  await runPendingMigrations(url);
  return { name, url, drop: () => withAdminClient(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))) };
}

/** Applies the migrations a database does not have yet (a new one, or one kept by a benchmark). */
export async function runPendingMigrations(url: string): Promise<void> {
  const ds = createDataSource(url, 1, 'fairshare-migrate');
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
