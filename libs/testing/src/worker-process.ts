import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '@fairshare/config';

const ROOT = join(__dirname, '..', '..', '..');

/** The settings a spawned process needs to join a test system (same database, Redis prefix, keys). */
export function environmentOf(config: AppConfig, extra: Record<string, string> = {}): Record<string, string> {
  const keys: (keyof AppConfig)[] = [
    'NODE_ENV', 'DATABASE_URL', 'DATABASE_POOL_SIZE', 'REDIS_URL', 'QUEUE_PREFIX', 'JWT_SECRET', 'STRIPE_SECRET_KEY',
    'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_URL', 'MANIFEST_SIGNING_KEY', 'TEST_CLOCK_ENABLED', 'STORAGE_DIR',
    'PAYOUT_MINIMUM_MAJOR', 'WORKER_CONCURRENCY', 'PUBLIC_URL', 'PAYOUT_JOB_ATTEMPTS', 'PAYOUT_RETRY_DELAY_MS',
    'WORKER_LOCK_DURATION_MS', 'WORKER_STALLED_INTERVAL_MS', 'USAGE_SWEEP_INTERVAL_MS', 'STRIPE_EVENTS_SWEEP_INTERVAL_MS',
    'STRIPE_EVENTS_SWEEP_MIN_AGE_MS',
  ];
  const env: Record<string, string> = {};
  for (const k of keys) {
    const v = config[k];
    if (v !== undefined && v !== null) env[k] = String(v);
  }
  return { ...env, LOG_LEVEL: 'info', ...extra };
}

/**
 * The real worker (apps/worker/src/main.ts) as its own OS process, so a test can kill -9 it mid-job
 * and start another. Its output is kept for the test's error messages.
 */
export class WorkerProcess {
  private output = '';
  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  static async start(config: AppConfig, extraEnv: Record<string, string> = {}, timeoutMs = 60_000): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/ts-register.js'), join(ROOT, 'apps/worker/src/main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...environmentOf(config, { WORKER_HEALTH_PORT: '0', ...extraEnv }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    await worker.waitFor(/Worker ready/, timeoutMs);
    return worker;
  }

  get logs(): string {
    return this.output;
  }

  /** Resolves when the worker's output matches; rejects if it exits first or the time runs out. */
  waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const tick = setInterval(() => {
        if (pattern.test(this.output)) {
          clearInterval(tick);
          resolve();
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          clearInterval(tick);
          reject(new Error(`worker exited (${this.child.exitCode ?? this.child.signalCode}) before ${pattern}:\n${this.output.slice(-4000)}`));
        } else if (Date.now() - started > timeoutMs) {
          clearInterval(tick);
          reject(new Error(`worker did not print ${pattern} within ${timeoutMs} ms:\n${this.output.slice(-4000)}`));
        }
      }, 50);
    });
  }

  /** kill -9: no shutdown hooks, no chance to finish the job. */
  async crash(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private signal(sig: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(sig);
    });
  }
}
