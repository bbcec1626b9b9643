export * from './test-env';
export * from './test-database';
export * from './test-system';
export * from './worker-process';
