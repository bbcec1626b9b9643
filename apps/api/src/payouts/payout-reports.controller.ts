import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PayoutReportsService } from '@fairshare/payouts';
import { Roles } from '@fairshare/platform';
import { ReconciliationQuery } from './payouts.dto';
import { toReconciliation, toUnclaimed } from './payouts.mapper';

@ApiTags('payouts')
@Controller('v1')
export class PayoutReportsController {
  constructor(private readonly reports: PayoutReportsService) {}

  /** The ledger's transfers against Stripe's list of transfers: every mismatch. */
  @Get('payouts/reconciliation') @Roles('finance')
  async reconciliation(@Query() q: ReconciliationQuery) {
    return toReconciliation(await this.reports.reconciliation(new Date(q.from), new Date(q.to)));
  }

  /** Money held for invited holders who have not joined and for creators who cannot be paid, aged. */
  @Get('royalties/unclaimed') @Roles('finance')
  async unclaimed() {
    return toUnclaimed(await this.reports.unclaimed());
  }
}
