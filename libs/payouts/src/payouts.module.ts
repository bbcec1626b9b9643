import { Module } from '@nestjs/common';
import { LedgerModule } from '@fairshare/ledger';
import { CreatorRepository, PayoutAccountRepository, PayoutItemRepository, PayoutRunRepository } from '@fairshare/persistence';
import { StripeModule } from '@fairshare/stripe';
import { PayoutAccountService } from './payout-account.service';
import { PayoutExecutionService } from './payout-execution.service';
import { PayoutJobs } from './payout-jobs';
import { PayoutReportsService } from './payout-reports.service';
import { PayoutRunService } from './payout-run.service';
import { PayoutWebhookHandlers } from './payout-webhook.handlers';

/** The payouts area: import it in the API, the worker, or the Stripe event dispatcher. */
@Module({
  imports: [LedgerModule, StripeModule],
  providers: [
    PayoutAccountRepository,
    PayoutRunRepository,
    PayoutItemRepository,
    CreatorRepository,
    PayoutJobs,
    PayoutAccountService,
    PayoutRunService,
    PayoutExecutionService,
    PayoutReportsService,
    PayoutWebhookHandlers,
  ],
  exports: [PayoutAccountService, PayoutRunService, PayoutExecutionService, PayoutReportsService, PayoutWebhookHandlers],
})
export class PayoutsModule {}
