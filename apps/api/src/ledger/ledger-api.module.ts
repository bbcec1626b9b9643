import { Module } from '@nestjs/common';
import { LedgerModule } from '@fairshare/ledger';
import { LedgerController } from './ledger.controller';

@Module({
  imports: [LedgerModule],
  controllers: [LedgerController],
})
export class LedgerApiModule {}
