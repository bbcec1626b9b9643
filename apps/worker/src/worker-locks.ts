import { BullModule } from '@nestjs/bullmq';
import { Worker } from 'bullmq';
import type { AppConfig } from '@fairshare/config';

/**
 * Every BullMQ worker this process creates gets its job lock and stalled-check interval from
 * AppConfig (WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS): a job whose worker was killed
 * is taken over once its lock expires and a stalled check runs. A processor's own options win.
 * @nestjs/bullmq builds workers from one process-wide class, hence the static setter.
 */
export function useWorkerLocks(config: AppConfig): void {
  const timings = { lockDuration: config.WORKER_LOCK_DURATION_MS, stalledInterval: config.WORKER_STALLED_INTERVAL_MS };
  BullModule.workerClass = class ConfiguredWorker extends Worker {
    constructor(...args: unknown[]) {
      const [name, processor, opts, ...rest] = args as ConstructorParameters<typeof Worker>;
      super(name, processor, { ...timings, ...(opts as object) } as never, ...(rest as []));
    }
  };
}
