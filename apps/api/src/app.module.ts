import { BullBoardModule } from '@bull-board/nestjs';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Writable } from 'node:stream';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule, Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigModule } from '@fairshare/config';
import { AuthService, IdentityModule } from '@fairshare/identity';
import { ALL_QUEUES, JobsModule } from '@fairshare/jobs';
import { PersistenceModule } from '@fairshare/persistence';
import { PlatformModule } from '@fairshare/platform';
import { HealthModule } from './health/health.module';
import { AccessRulesCheck } from './http/access-rules.check';
import { AuthGuard } from './http/auth.guard';
import { ErrorFilter } from './http/error.filter';
import { loggerOptions } from './http/logger.options';
import { queueBoardGuard } from './http/queue-board.middleware';
import { RequestContextMiddleware } from './http/request-context.middleware';
import { ThrottlerMemoryStorage } from './http/throttler-storage';
import { AUTH_RATE_LIMITED } from './identity/auth-rate-limit';
import { CatalogueApiModule } from './catalogue/catalogue-api.module';
import { IdentityApiModule } from './identity/identity-api.module';
import { LedgerApiModule } from './ledger/ledger-api.module';
import { LicensingApiModule } from './licensing/licensing-api.module';
import { PayoutsApiModule } from './payouts/payouts-api.module';
import { RoyaltiesApiModule } from './royalties/royalties-api.module';
import { UsageApiModule } from './usage/usage-api.module';

/** Area modules of the HTTP API, one line each. */
const AREA_MODULES = [IdentityApiModule, HealthModule, LedgerApiModule, CatalogueApiModule, LicensingApiModule, PayoutsApiModule, UsageApiModule, RoyaltiesApiModule];

@Module({})
export class AppModule implements NestModule {
  static forRoot(config?: AppConfig, options: { logStream?: Writable } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (c: AppConfig) => loggerOptions(c, options.logStream) }),
        PersistenceModule.forRoot('fairshare-api'),
        PlatformModule,
        JobsModule.forRoot(),
        DiscoveryModule,
        IdentityModule,
        ThrottlerModule.forRootAsync({
          inject: [AppConfig, Reflector],
          useFactory: (c: AppConfig, reflector: Reflector) => ({
            // The library's in-memory storage, at a constant cost per request (see throttler-storage.ts).
            storage: new ThrottlerMemoryStorage(),
            // The library's key is a SHA-256 of this same string, computed on every request; the
            // storage only needs a distinct key per route × throttler × client.
            generateKey: (ctx, tracker, name) => `${ctx.getClass().name}-${ctx.getHandler().name}-${name}-${tracker}`,
            throttlers: [
              {
                name: 'default',
                ttl: 60_000,
                limit: (ctx) => (reflector.get<boolean>(AUTH_RATE_LIMITED, ctx.getHandler()) ? c.AUTH_RATE_LIMIT_PER_MINUTE : c.RATE_LIMIT_PER_MINUTE),
              },
            ],
          }),
        }),
        BullBoardModule.forRootAsync({
          imports: [IdentityModule],
          inject: [AuthService],
          useFactory: (auth: AuthService) => ({ route: '/admin/queues', adapter: ExpressAdapter, middleware: queueBoardGuard(auth) }),
        }),
        ...ALL_QUEUES.map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
        ...AREA_MODULES,
      ],
      providers: [
        AccessRulesCheck,
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*');
  }
}
