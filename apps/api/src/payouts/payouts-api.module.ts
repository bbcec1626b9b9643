import { Module } from '@nestjs/common';
import { PayoutsModule } from '@fairshare/payouts';
import { MyPayoutsController } from './my-payouts.controller';
import { PayoutReportsController } from './payout-reports.controller';
import { PayoutRunController } from './payout-run.controller';

@Module({
  imports: [PayoutsModule],
  controllers: [MyPayoutsController, PayoutRunController, PayoutReportsController],
})
export class PayoutsApiModule {}
