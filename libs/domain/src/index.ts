export * from './errors';
export * from './uses';
export * from './period';
