import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { findFreePort, probePostgres, probeRedis, startRedisServer, which } from './services';

// The launcher's probes against the services this machine runs (PostgreSQL on 5432, Redis on 6379),
// overridable with TEST_DATABASE_URL / TEST_REDIS_URL like the rest of the integration tests.
const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('scripts/lib/services', () => {
  it('finds the live PostgreSQL and Redis', async () => {
    expect(await probePostgres(PG_URL)).toBe(true);
    expect(await probeRedis(REDIS_URL)).toBe(true);
  });

  it('answers false for a closed port, and for the other kind of server', async () => {
    const port = await closedPort();
    expect(await probePostgres(`postgres://postgres@127.0.0.1:${port}/postgres`)).toBe(false);
    expect(await probeRedis(`redis://127.0.0.1:${port}`)).toBe(false);
    const redisPort = new URL(REDIS_URL).port || '6379';
    expect(await probePostgres(`postgres://postgres@127.0.0.1:${redisPort}/postgres`, { timeoutMs: 500 })).toBe(false);
  });

  it('findFreePort returns a port that can be bound, and the preferred one when it is free', async () => {
    const port = await findFreePort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    // While it is taken, asking for it yields another port.
    const other = await findFreePort(port);
    expect(other).not.toBe(port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await findFreePort(port)).toBe(port);
  });

  const itWithRedisServer = which('redis-server') ? it : it.skip;
  itWithRedisServer('starts redis-server on a free port, which answers PING, and stops it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairshare-redis-'));
    const port = await findFreePort();
    const redis = await startRedisServer(dir, port);
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${port}`);
      expect(await probeRedis(redis.url)).toBe(true);
    } finally {
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(await probeRedis(redis.url, { timeoutMs: 500 })).toBe(false);
  }, 20000);
});
