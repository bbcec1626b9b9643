import { Module } from '@nestjs/common';
import { LicensingModule } from '@fairshare/licensing';
import { LicencesController } from './licences.controller';
import { LicensingKeyController, OffersController } from './offers.controller';
import { MyWorkLicencesController, RegisterController } from './register.controller';
import { StripeWebhookController } from './stripe-webhook.controller';

@Module({
  imports: [LicensingModule],
  controllers: [OffersController, LicensingKeyController, LicencesController, RegisterController, MyWorkLicencesController, StripeWebhookController],
})
export class LicensingApiModule {}
