export * from './request-context';
export * from './access.decorators';
export * from './clock.service';
export * from './audit.service';
export * from './idempotency.service';
export * from './platform.module';
