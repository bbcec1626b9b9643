export * from './accounts';
export * from './rules/entry-rules';
export * from './ledger.service';
export * from './ledger.module';
