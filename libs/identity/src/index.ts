export * from './identity.module';
export * from './auth.service';
export * from './api-key.service';
export * from './user-admin.service';
export * from './secrets';
