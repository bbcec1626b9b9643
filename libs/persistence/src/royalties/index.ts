export * from './royalty-rows';
export * from './royalty-run.repository';
export * from './royalty-computation.repository';
export * from './royalty-statement.repository';
