import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig } from '@fairshare/config';
import type { Role } from '@fairshare/domain';
import { UserAdminService } from '@fairshare/identity';
import { StripeEmulator } from '@fairshare/stripe';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { WorkerModule } from '../../../apps/worker/src/worker.module';
import { createTestDatabase } from './test-database';
import { testConfig } from './test-env';

export interface TestSystemOptions {
  /** Run the BullMQ processors in this process too (default true). */
  worker?: boolean;
  /** Extra environment for the config schema (e.g. rate limits). */
  env?: Record<string, string>;
  /** Receives the API's log lines (set LOG_LEVEL in env too, tests default to silent). */
  logStream?: import('node:stream').Writable;
  /** Start a Stripe emulator wired to the API's webhook (default true); see `sys.stripe`. */
  stripe?: boolean;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
  organisationId: string | null;
}

/**
 * The real system for one test file: its own database (migrated), its own Redis key prefix, the
 * API listening on a free port and, unless disabled, the worker's processors.
 */
export class TestSystem {
  private constructor(
    readonly config: AppConfig,
    readonly api: NestExpressApplication,
    readonly worker: INestApplicationContext | null,
    readonly baseUrl: string,
    private readonly cleanups: (() => Promise<void>)[],
  ) {}

  /** The Stripe emulator the API talks to (its clock follows `setClock`). */
  stripe: StripeEmulator;
  private emulatorClock: { frozenAt: number | null } = { frozenAt: null };

  static async start(options: TestSystemOptions = {}): Promise<TestSystem> {
    const db = await createTestDatabase();
    const storage = mkdtempSync(join(tmpdir(), 'fairshare-storage-'));
    const prefix = 'fst' + randomBytes(4).toString('hex');
    const emulatorClock = { frozenAt: null as number | null };
    let emulator: StripeEmulator | null = null;
    const stripeEnv: Record<string, string> = {};
    if (options.stripe !== false) {
      const secretKey = 'sk_test_' + randomBytes(8).toString('hex');
      const webhookSecret = 'whsec_' + randomBytes(16).toString('hex');
      emulator = new StripeEmulator({ secretKey, now: () => emulatorClock.frozenAt ?? Date.now(), webhookRetry: { attempts: 5, baseDelayMs: 50 } });
      const { url } = await emulator.start({ webhookSecret });
      Object.assign(stripeEnv, { STRIPE_API_URL: url, STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret });
    }
    const config = testConfig({ databaseUrl: db.url, queuePrefix: prefix, storageDir: storage, env: { WORKER_CONCURRENCY: '2', ...stripeEnv, ...options.env } });
    const cleanups: (() => Promise<void>)[] = [];
    cleanups.push(async () => rmSync(storage, { recursive: true, force: true }));
    cleanups.push(() => db.drop());
    cleanups.push(() => deleteRedisPrefix(config.REDIS_URL, prefix));
    if (emulator) cleanups.push(() => (emulator as StripeEmulator).stop());
    const api = await createApiApp(config, { logStream: options.logStream });
    await api.listen(0, '127.0.0.1');
    const address = api.getHttpServer().address() as { port: number };
    const baseUrl = `http://127.0.0.1:${address.port}`;
    let worker: INestApplicationContext | null = null;
    if (options.worker !== false) {
      worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
      await worker.init();
    }
    const sys = new TestSystem(config, api, worker, baseUrl, cleanups);
    if (emulator) {
      // The API's port is known only now: the emulator learns where to deliver webhooks.
      emulator.setWebhookUrl(`${baseUrl}/v1/stripe/webhook`);
      sys.stripe = emulator;
      sys.emulatorClock = emulatorClock;
    }
    return sys;
  }

  get http() {
    return request(this.api.getHttpServer());
  }

  get dataSource(): DataSource {
    return this.api.get(DataSource);
  }

  /** Any provider of the API app (services, repositories). */
  get<T>(token: abstract new (...args: never[]) => T): T {
    return this.api.get(token, { strict: false });
  }

  async registerCreator(name = 'Creator'): Promise<TestUser> {
    return this.register({ role: 'creator', displayName: name });
  }

  async registerLicensee(organisationName = 'Org ' + randomBytes(3).toString('hex')): Promise<TestUser> {
    return this.register({ role: 'licensee', displayName: 'Licensee', organisationName });
  }

  async register(body: { role: 'creator' | 'licensee'; displayName: string; organisationName?: string; organisationInviteCode?: string }): Promise<TestUser> {
    const email = `${body.role}-${randomBytes(5).toString('hex')}@example.test`;
    const password = 'correct horse battery staple';
    const res = await this.http.post('/v1/auth/register').send({ ...body, email, password });
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.user.id, email, password, token: res.body.accessToken, refreshToken: res.body.refreshToken, organisationId: res.body.user.organisationId };
  }

  /** Finance and admin accounts are made by admins; tests make them directly through the service. */
  async createStaff(roles: Role[], name = 'Staff'): Promise<TestUser> {
    const email = `${roles.join('-')}-${randomBytes(5).toString('hex')}@example.test`;
    const password = 'correct horse battery staple';
    await this.get(UserAdminService).createStaff({ email, displayName: name, password, roles });
    const res = await this.http.post('/v1/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.user.id, email, password, token: res.body.accessToken, refreshToken: res.body.refreshToken, organisationId: null };
  }

  /** Sets the business clock (the test clock is enabled in tests). */
  async setClock(at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE test_clock SET frozen_at = $1, updated_at = now() WHERE id`, [at]);
    this.emulatorClock.frozenAt = at.getTime();
  }

  async stop(): Promise<void> {
    if (this.worker) await this.worker.close();
    await this.api.close();
    for (const c of this.cleanups.reverse()) await c().catch(() => undefined);
  }
}

async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export const bearer = (u: { token: string }) => ({ Authorization: `Bearer ${u.token}` });
