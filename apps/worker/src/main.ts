import 'reflect-metadata';
import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import { AppConfig, ConfigError, loadConfig } from '@fairshare/config';
import { WorkerModule } from './worker.module';

/** The worker's only HTTP: GET /health (database and Redis), on WORKER_HEALTH_PORT. */
function startHealthServer(config: AppConfig, dataSource: DataSource) {
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ROUTE_NOT_FOUND', message: 'No such route.' } }));
      return;
    }
    const check = async (f: () => Promise<unknown>) => f().then(() => ({ status: 'up' }), (e: Error) => ({ status: 'down', message: e.message }));
    const database = await check(() => dataSource.query('SELECT 1'));
    const redisState = await check(async () => {
      if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
      await redis.ping();
    });
    const ok = database.status === 'up' && redisState.status === 'up';
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'error', info: { database, redis: redisState } }));
  });
  server.listen(config.WORKER_HEALTH_PORT, '127.0.0.1');
  return { close: () => new Promise<void>((r) => { redis.disconnect(); server.close(() => r()); }) };
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nThe worker did not start.\n`);
      process.exit(78);
    }
    throw e;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const health = startHealthServer(config, app.get(DataSource));
  const stop = async () => {
    await health.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  app.get(Logger).log(`Worker ready; health on http://127.0.0.1:${config.WORKER_HEALTH_PORT}/health`);
}

main().catch((e: unknown) => {
  process.stderr.write(`Worker failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
