import { Module } from '@nestjs/common';
import { CatalogueModule } from '@fairshare/catalogue';
import { LedgerModule } from '@fairshare/ledger';
import { PayoutsModule } from '@fairshare/payouts';
import { LicenceRepository, OfferRepository, RegisterRepository, StripeEventRepository } from '@fairshare/persistence';
import { StripeModule } from '@fairshare/stripe';
import { DownloadService } from './download.service';
import { LicenceActivationService } from './licence-activation.service';
import { LicencePurchaseService } from './licence-purchase.service';
import { LicenceQueryService } from './licence-query.service';
import { ManifestSigner } from './manifest-signer';
import { OfferService } from './offer.service';
import { RefundService } from './refund.service';
import { RegisterService } from './register.service';
import { StripeEventHandlerService } from './stripe-event-handler.service';
import { StripeWebhookService } from './stripe-webhook.service';

/** Offers, licences, Stripe payments and webhooks, manifests, downloads and the public register. */
@Module({
  imports: [StripeModule, LedgerModule, CatalogueModule, PayoutsModule],
  providers: [
    OfferRepository,
    LicenceRepository,
    StripeEventRepository,
    RegisterRepository,
    ManifestSigner,
    OfferService,
    LicencePurchaseService,
    LicenceActivationService,
    LicenceQueryService,
    RefundService,
    RegisterService,
    DownloadService,
    StripeWebhookService,
    StripeEventHandlerService,
  ],
  exports: [
    OfferService,
    LicencePurchaseService,
    LicenceQueryService,
    RefundService,
    RegisterService,
    DownloadService,
    StripeWebhookService,
    StripeEventHandlerService,
    LicenceRepository,
  ],
})
export class LicensingModule {}
