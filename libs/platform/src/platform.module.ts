import { Global, Module } from '@nestjs/common';
import { AuditRepository, ClockRepository, IdempotencyRepository } from '@fairshare/persistence';
import { AuditService } from './audit.service';
import { ClockService } from './clock.service';
import { IdempotencyService } from './idempotency.service';

@Global()
@Module({
  providers: [AuditRepository, ClockRepository, IdempotencyRepository, AuditService, ClockService, IdempotencyService],
  exports: [AuditRepository, AuditService, ClockService, IdempotencyService],
})
export class PlatformModule {}
