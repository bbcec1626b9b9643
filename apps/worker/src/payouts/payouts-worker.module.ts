import { Module } from '@nestjs/common';
import { PayoutsModule } from '@fairshare/payouts';
import { PayoutsProcessor } from './payouts.processor';

@Module({
  imports: [PayoutsModule],
  providers: [PayoutsProcessor],
})
export class PayoutsWorkerModule {}
