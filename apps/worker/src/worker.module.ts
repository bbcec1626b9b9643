import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigModule } from '@fairshare/config';
import { JobsModule } from '@fairshare/jobs';
import { PersistenceModule } from '@fairshare/persistence';
import { PlatformModule } from '@fairshare/platform';
import { CatalogueWorkerModule } from './catalogue/catalogue-worker.module';
import { LicensingWorkerModule } from './licensing/licensing-worker.module';
import { PayoutsWorkerModule } from './payouts/payouts-worker.module';
import { ProcessorCheck } from './processor-check';
import { RoyaltiesWorkerModule } from './royalties/royalties-worker.module';
import { UsageWorkerModule } from './usage/usage-worker.module';
import { useWorkerLocks } from './worker-locks';

/** Processor modules of the worker, one line each (one processor per queue). */
export const PROCESSOR_MODULES: DynamicModule['imports'] = [CatalogueWorkerModule, LicensingWorkerModule, PayoutsWorkerModule, UsageWorkerModule, RoyaltiesWorkerModule];

@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    if (config) useWorkerLocks(config);
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (c: AppConfig) => ({ pinoHttp: { level: c.LOG_LEVEL, redact: { paths: ['*.password', '*.secret', '*.key'], censor: '[redacted]' } } }),
        }),
        PersistenceModule.forRoot('fairshare-worker'),
        PlatformModule,
        JobsModule.forRoot(),
        DiscoveryModule,
        ...(PROCESSOR_MODULES ?? []),
      ],
      providers: [ProcessorCheck],
    };
  }
}
