import { Module } from '@nestjs/common';
import { LedgerRepository } from '@fairshare/persistence';
import { LedgerService } from './ledger.service';

/** Import this module to post to or read the ledger (LedgerService). */
@Module({
  providers: [LedgerRepository, LedgerService],
  exports: [LedgerService],
})
export class LedgerModule {}
