import { AppConfig, loadConfig } from '@fairshare/config';
import { Client } from 'pg';

/** Where the tests find PostgreSQL (an admin connection) and Redis: TEST_DATABASE_URL, TEST_REDIS_URL. */
export function testInfrastructure(): { adminUrl: string; redisUrl: string } {
  const c = loadConfig({ ...process.env, NODE_ENV: 'test' });
  return { adminUrl: c.TEST_DATABASE_URL, redisUrl: c.TEST_REDIS_URL };
}

export function databaseUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = '/' + name;
  return u.toString();
}

export async function withAdminClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testInfrastructure().adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const TEMPLATE_ENV = 'FAIRSHARE_TEST_TEMPLATE_DB';
export const TEST_DB_PREFIX = 'fairshare_test_';

/**
 * The configuration of a system under test or benchmark: its own database and Redis key prefix,
 * the test clock on, silent logs, rate limits out of the way; `env` overrides any of it.
 */
export function testConfig(p: { databaseUrl: string; queuePrefix: string; storageDir: string; env?: Record<string, string> }): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: p.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: testInfrastructure().redisUrl,
    QUEUE_PREFIX: p.queuePrefix,
    TEST_CLOCK_ENABLED: 'true',
    LOG_LEVEL: 'silent',
    STORAGE_DIR: p.storageDir,
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...p.env,
  });
}
