import { Module } from '@nestjs/common';
import { LicensingModule } from '@fairshare/licensing';
import { StripeEventsProcessor } from './stripe-events.processor';

@Module({
  imports: [LicensingModule],
  providers: [StripeEventsProcessor],
})
export class LicensingWorkerModule {}
