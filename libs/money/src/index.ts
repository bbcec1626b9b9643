export * from './errors';
export * from './currency';
export * from './money';
export * from './allocate';
export * from './bps';

/**
 * @deprecated Placeholder kept only because apps/api/src/main.ts still imports it;
 * remove once main.ts no longer does.
 */
