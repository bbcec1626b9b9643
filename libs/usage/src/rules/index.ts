export * from './usage-codes';
export * from './usage-line';
export * from './usage-file-parser';
export * from './csv-cell';
export * from './licence-term';
export * from './usage-line-groups';
