import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { LedgerService } from '@fairshare/ledger';
import { Roles } from '@fairshare/platform';
import { AccountEntriesQuery } from './ledger.dto';
import { toAccountPage, toTrialBalance } from './ledger.mapper';

@ApiTags('ledger')
@Controller('v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('trial-balance') @Roles('finance', 'admin')
  async trialBalance() {
    return toTrialBalance(await this.ledger.trialBalance());
  }

  @Get('accounts/:account/entries') @Roles('finance', 'admin')
  async accountEntries(@Param('account') account: string, @Query() q: AccountEntriesQuery) {
    return toAccountPage(account, await this.ledger.accountLines(account, q), q.limit);
  }
}
